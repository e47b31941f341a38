//! Customer teams: each member has the job role their place needs, and a
//! team shows the customers it serves.

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::TeamInput;
use serde_json::Value;

use crate::api::error::ApiResult;
use crate::store::{Guard, Store, StoredRecord};

use super::{Resource, has_role};

impl Resource for TeamInput {
    /// Every staff member the team names has the role their place needs.
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        [
            ("brm_id", &self.brm_id, JobRole::Brm),
            (
                "delivery_manager_id",
                &self.delivery_manager_id,
                JobRole::DeliveryManager,
            ),
        ]
        .into_iter()
        .chain(
            self.service_owner_ids
                .iter()
                .map(|id| ("service_owner_ids", id, JobRole::ServiceOwner)),
        )
        .map(|(field, staff_id, role)| has_role(field, staff_id, role))
        .collect()
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
