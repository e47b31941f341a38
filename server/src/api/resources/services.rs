//! Services: the owner must be an active service owner.

use rapport_shared::enums::JobRole;
use rapport_shared::records::ServiceInput;

use crate::store::Guard;

use super::{Resource, has_role};

impl Resource for ServiceInput {
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.owner_id
            .iter()
            .map(|owner_id| has_role("owner_id", owner_id, JobRole::ServiceOwner))
            .collect()
    }
}
