//! Services: the owner must be an active service owner.

use rapport_shared::enums::JobRole;
use rapport_shared::records::ServiceInput;

use crate::api::error::ApiResult;
use crate::store::Store;

use super::{Resource, require_role};

impl Resource for ServiceInput {
    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        if let Some(owner_id) = &self.owner_id {
            require_role(store, "owner_id", owner_id, JobRole::ServiceOwner).await?;
        }
        Ok(())
    }
}
