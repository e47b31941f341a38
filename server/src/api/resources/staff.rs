//! Staff: a person may not lose a job role, or stop being active, while a
//! team or service still relies on it.

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::StaffInput;
use rapport_shared::{FieldError, ValidationErrors};

use crate::api::error::{ApiError, ApiResult};
use crate::store::Store;

use super::Resource;

impl Resource for StaffInput {
    /// A staff member may not lose a job role, or stop being active, while
    /// a team or service still relies on it: change those first.
    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(id) = id else { return Ok(()) };
        let uses = [
            (Collection::Teams, "brm_id", JobRole::Brm, "the BRM of"),
            (
                Collection::Teams,
                "delivery_manager_id",
                JobRole::DeliveryManager,
                "the delivery manager of",
            ),
            (
                Collection::Teams,
                "service_owner_ids",
                JobRole::ServiceOwner,
                "a service owner in",
            ),
            (
                Collection::Services,
                "owner_id",
                JobRole::ServiceOwner,
                "the owner of",
            ),
        ];
        let mut errors = Vec::new();
        for (collection, field, role, what) in uses {
            let users = store
                .linked_from(collection, field.to_string(), id.to_string())
                .await?;
            if users.is_empty() {
                continue;
            }
            let used = format!("{what} {} {}", users.len(), collection.name());
            if !self.job_roles.contains(&role) {
                errors.push(FieldError::new(
                    "job_roles",
                    format!("keeps {role} while this person is {used}"),
                ));
            }
            if !self.active {
                errors.push(FieldError::new(
                    "active",
                    format!("stays true while this person is {used}"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(ValidationErrors(errors)))
        }
    }
}
