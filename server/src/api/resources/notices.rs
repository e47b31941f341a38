//! Notices: `affected_customer_ids` is derived on every read, from the
//! agreements covering the notice's services that read as active today
//! (by [`rapport_shared::records::effective_status`], so one past its
//! `valid_to` no longer counts). Nothing about it is stored, so a new or
//! ended agreement changes who a standing notice reaches at once.

use std::collections::BTreeSet;

use jiff::Zoned;
use rapport_shared::Collection;
use rapport_shared::fields::parse_date;
use rapport_shared::records::{AgreementStatus, NoticeInput, effective_status};
use serde_json::Value;

use crate::api::error::ApiResult;
use crate::store::{Store, StoreError, StoredRecord};

use super::Resource;

impl Resource for NoticeInput {
    async fn derive(record: &mut StoredRecord, store: &dyn Store) -> ApiResult<()> {
        let today = Zoned::now().date();
        let service_ids: Vec<String> = record
            .fields
            .get("service_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|id| id.as_str().map(str::to_owned))
            .collect();
        let mut agreement_ids = BTreeSet::new();
        for service_id in service_ids {
            agreement_ids.extend(
                store
                    .linked_from(Collection::Agreements, "service_ids".into(), service_id)
                    .await?,
            );
        }
        let mut customers = BTreeSet::new();
        for agreement_id in agreement_ids {
            let agreement = match store.get(Collection::Agreements, agreement_id).await {
                Ok(agreement) => agreement,
                // Deleted between the two reads: it covers nothing now.
                Err(StoreError::NotFound { .. }) => continue,
                Err(error) => return Err(error.into()),
            };
            if let Some(customer_id) = active_customer(&agreement, today) {
                customers.insert(customer_id);
            }
        }
        record.fields.insert(
            "affected_customer_ids".into(),
            Value::Array(customers.into_iter().map(Value::String).collect()),
        );
        Ok(())
    }
}

/// The customer of an agreement that reads as active on `today`.
fn active_customer(agreement: &StoredRecord, today: jiff::civil::Date) -> Option<String> {
    let text = |name: &str| agreement.fields.get(name).and_then(Value::as_str);
    let stored = text("status").and_then(AgreementStatus::parse)?;
    let valid_to = text("valid_to").and_then(parse_date);
    (effective_status(stored, valid_to, today) == AgreementStatus::Active)
        .then(|| text("customer_id").map(str::to_owned))
        .flatten()
}
