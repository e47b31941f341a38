//! Customer teams: each member has the job role their place needs, and a
//! team shows the customers it serves.

use rapport_shared::Collection;
use rapport_shared::ValidationErrors;
use rapport_shared::enums::JobRole;
use rapport_shared::records::TeamInput;
use serde_json::Value;

use crate::api::error::{ApiError, ApiResult};
use crate::store::{Store, StoredRecord};

use super::{Resource, require_role};

impl Resource for TeamInput {
    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        let mut errors = Vec::new();
        let checks = std::iter::once(("brm_id", &self.brm_id, JobRole::Brm))
            .chain(std::iter::once((
                "delivery_manager_id",
                &self.delivery_manager_id,
                JobRole::DeliveryManager,
            )))
            .chain(
                self.service_owner_ids
                    .iter()
                    .map(|id| ("service_owner_ids", id, JobRole::ServiceOwner)),
            );
        for (field, staff_id, role) in checks {
            match require_role(store, field, staff_id, role).await {
                Ok(()) => {}
                Err(ApiError::Invalid(found)) => errors.extend(found.0),
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(ValidationErrors(errors)))
        }
    }

    async fn derive(record: &mut StoredRecord, store: &dyn Store) -> ApiResult<()> {
        let customer_ids = store
            .linked_from(Collection::Customers, "team_id".into(), record.id.clone())
            .await?;
        record.fields.insert(
            "customer_ids".into(),
            Value::Array(customer_ids.into_iter().map(Value::String).collect()),
        );
        Ok(())
    }
}
