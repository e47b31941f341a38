//! Agreements: `status` and `review_due` are derived on every read from the
//! agreement's dates and today's date (the system clock's), by the rules of
//! [`rapport_shared::records::effective_status`] and
//! [`rapport_shared::records::review_due`]. The `status` list filter
//! compares the stored value, so `status=expired` finds the agreements
//! stored as expired, not the active ones whose `valid_to` has passed.

use jiff::Zoned;
use jiff::civil::Date;
use rapport_shared::fields::parse_date;
use rapport_shared::records::{AgreementInput, AgreementStatus, effective_status, review_due};
use serde_json::{Map, Value};

use crate::api::error::ApiResult;
use crate::store::{Store, StoredRecord};

use super::Resource;

impl Resource for AgreementInput {
    /// Sets `status` as it reads today and `review_due`.
    async fn derive(record: &mut StoredRecord, _store: &dyn Store) -> ApiResult<()> {
        derive_on(&mut record.fields, Zoned::now().date());
        Ok(())
    }
}

/// Today's reading of an agreement's stored fields.
fn derive_on(fields: &mut Map<String, Value>, today: Date) {
    let date = |name: &str| fields.get(name).and_then(Value::as_str).and_then(parse_date);
    let (valid_to, review_on) = (date("valid_to"), date("review_on"));
    let stored = fields
        .get("status")
        .and_then(Value::as_str)
        .and_then(AgreementStatus::parse)
        .unwrap_or_default();
    let status = effective_status(stored, valid_to, today);
    fields.insert("status".into(), Value::String(status.as_str().into()));
    fields.insert("review_due".into(), Value::Bool(review_due(review_on, today)));
}
