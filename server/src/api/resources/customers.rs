//! Customers: the code is unique, the purchaser is one of the customer's
//! own contacts, and the list sorts by health ([`crate::api::health`]).

use rapport_shared::Collection;
use rapport_shared::records::CustomerInput;

use crate::api::error::{ApiError, ApiResult};
use crate::store::{Guard, Store, StoreError, Taken, UniqueField};

use super::{Resource, contact_of};

impl Resource for CustomerInput {
    const EXTRA_SORTS: &'static [&'static str] = &["health"];
    const EXTRA_LIST_PARAMS: &'static [(&'static str, &'static [&'static str])] =
        &[("include", &["health"])];

    /// `sort=health` and `include=health` judge each customer's health.
    async fn list_view(call: &crate::api::route::Call) -> ApiResult<Option<crate::http::Response>> {
        crate::api::health::customers_list(call).await
    }

    fn unique(&self) -> Vec<UniqueField> {
        vec![UniqueField {
            field: "code".into(),
            value: self.code.clone(),
            taken: Taken::Invalid,
        }]
    }

    /// The purchaser of a customer is one of its contacts.
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        let (Some(id), Some(contact_id)) = (id, &self.purchaser_contact_id) else {
            return Vec::new();
        };
        vec![contact_of("purchaser_contact_id", contact_id, id, NOT_OURS)]
    }

    /// A new customer has no contacts yet, so it cannot have a purchaser;
    /// this cannot race (nobody can add a contact to a customer not yet
    /// created).
    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let (None, Some(contact_id)) = (id, &self.purchaser_contact_id) else {
            return Ok(());
        };
        match store.get(Collection::Contacts, contact_id.clone()).await {
            Ok(_) => Err(ApiError::invalid("purchaser_contact_id", NOT_OURS)),
            Err(StoreError::NotFound { .. }) => Err(ApiError::invalid(
                "purchaser_contact_id",
                format!("no contact with id {contact_id}"),
            )),
            Err(other) => Err(other.into()),
        }
    }
}

/// Why a purchaser from elsewhere is refused.
const NOT_OURS: &str = "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)";
