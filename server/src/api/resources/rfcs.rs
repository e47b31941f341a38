//! RFCs: the workflow fields are the server's (set on create, changed only
//! by transitions), and the requester is a contact of the RFC's customer.

use rapport_shared::Collection;
use rapport_shared::enums::RfcStatus;
use rapport_shared::records::{RFC_READ_ONLY, RfcInput};
use serde_json::{Map, Value};

use crate::api::error::{ApiError, ApiResult};
use crate::store::{Actor, Store, StoreError};

use super::Resource;

impl Resource for RfcInput {
    const READ_ONLY: &'static [&'static str] = RFC_READ_ONLY;

    fn read_only_message(field: &str) -> &'static str {
        match field {
            "status" | "route" => "is read-only: change it with POST /api/v1/rfcs/{id}/transitions",
            _ => "is read-only",
        }
    }

    fn initial_fields(actor: &Actor) -> Map<String, Value> {
        let mut fields = Map::new();
        fields.insert(
            "status".into(),
            Value::String(RfcStatus::New.as_str().into()),
        );
        fields.insert("route".into(), Value::Null);
        fields.insert("open".into(), Value::Bool(true));
        fields.insert(
            "raised_by_id".into(),
            actor
                .staff_id
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        fields
    }

    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        let Some(contact_id) = &self.requested_by_contact_id else {
            return Ok(());
        };
        match store.get(Collection::Contacts, contact_id.clone()).await {
            Ok(contact)
                if contact.fields.get("customer_id").and_then(Value::as_str)
                    == Some(self.customer_id.as_str()) =>
            {
                Ok(())
            }
            Ok(_) => Err(ApiError::invalid(
                "requested_by_contact_id",
                "the requester must be a contact of the RFC's customer",
            )),
            Err(StoreError::NotFound { .. }) => Err(ApiError::invalid(
                "requested_by_contact_id",
                format!("no contact with id {contact_id}"),
            )),
            Err(other) => Err(other.into()),
        }
    }
}
