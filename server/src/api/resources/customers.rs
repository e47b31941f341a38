//! Customers: the code is unique, and the purchaser is one of the
//! customer's own contacts.

use rapport_shared::Collection;
use rapport_shared::records::CustomerInput;
use serde_json::Value;

use crate::api::error::{ApiError, ApiResult};
use crate::store::{Store, StoreError, UniqueField};

use super::Resource;

impl Resource for CustomerInput {
    fn unique(&self) -> Vec<UniqueField> {
        vec![UniqueField {
            field: "code".into(),
            value: self.code.clone(),
        }]
    }

    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(contact_id) = &self.purchaser_contact_id else {
            return Ok(());
        };
        let contact = match store.get(Collection::Contacts, contact_id.clone()).await {
            Ok(contact) => contact,
            Err(StoreError::NotFound { .. }) => {
                return Err(ApiError::invalid(
                    "purchaser_contact_id",
                    format!("no contact with id {contact_id}"),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let belongs = id.is_some_and(|id| {
            contact.fields.get("customer_id").and_then(Value::as_str) == Some(id)
        });
        if belongs {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "purchaser_contact_id",
                "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)",
            ))
        }
    }
}
