//! Contacts: a customer's purchaser, or a contact who requested RFCs, stays
//! with their customer.

use rapport_shared::Collection;
use rapport_shared::records::ContactInput;
use serde_json::Value;

use crate::api::error::{ApiError, ApiResult};
use crate::store::Store;

use super::Resource;

impl Resource for ContactInput {
    /// A contact who is a customer's purchaser, or requested RFCs, may not
    /// move to another customer: that would make a customer's purchaser
    /// or an RFC's requester someone from elsewhere.
    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(id) = id else { return Ok(()) };
        let purchaser_of = store
            .linked_from(
                Collection::Customers,
                "purchaser_contact_id".into(),
                id.to_string(),
            )
            .await?;
        if purchaser_of
            .iter()
            .any(|customer| *customer != self.customer_id)
        {
            return Err(ApiError::invalid(
                "customer_id",
                "this contact is another customer's purchaser: choose a new purchaser there first",
            ));
        }
        let requested = store
            .linked_from(
                Collection::Rfcs,
                "requested_by_contact_id".into(),
                id.to_string(),
            )
            .await?;
        for rfc_id in requested {
            let rfc = store.get(Collection::Rfcs, rfc_id).await?;
            if rfc.fields.get("customer_id").and_then(Value::as_str)
                != Some(self.customer_id.as_str())
            {
                return Err(ApiError::invalid(
                    "customer_id",
                    "this contact requested RFCs of their current customer and cannot move to another",
                ));
            }
        }
        Ok(())
    }
}
