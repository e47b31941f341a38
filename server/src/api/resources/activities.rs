//! Activities: whoever carries one is an active staff member.

use rapport_shared::records::ActivityInput;

use crate::store::Guard;

use super::{Resource, active_staff};

impl Resource for ActivityInput {
    /// The owner exists and is still active (any job role may carry an
    /// activity).
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.owner_id
            .iter()
            .map(|owner_id| active_staff("owner_id", owner_id))
            .collect()
    }
}
