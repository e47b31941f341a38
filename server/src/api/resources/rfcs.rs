//! RFCs: the workflow fields are the server's (set on create, changed only
//! by transitions), and the requester is a contact of the RFC's customer.

use rapport_shared::enums::RfcStatus;
use rapport_shared::records::{RFC_READ_ONLY, RfcInput};
use serde_json::{Map, Value};

use crate::store::{Actor, Guard};

use super::{Resource, contact_of};

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

    /// The requester is a contact of the RFC's customer.
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.requested_by_contact_id
            .iter()
            .map(|contact_id| {
                contact_of(
                    "requested_by_contact_id",
                    contact_id,
                    &self.customer_id,
                    "the requester must be a contact of the RFC's customer",
                )
            })
            .collect()
    }
}
