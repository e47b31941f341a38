//! Usage: charged at the service's unit price in force when the record is
//! written, read from the service's `price_history` inside the write's
//! transaction (a derivation), so a racing price change is either wholly
//! before or wholly after it and a later one never rewrites the charge.
//! A PATCH keeps the stored unit price and recomputes `amount_cents`; one
//! that moves the record to another service prices it at that service's
//! price in force when the record was created.

use rapport_shared::Collection;
use rapport_shared::records::{PRICE_HISTORY, UsageInput};
use serde_json::Value;

use crate::store::{Derivation, Source, StoredRecord, Violation};

use super::Resource;

impl Resource for UsageInput {
    const READ_ONLY: &'static [&'static str] = &["unit_price_cents", "amount_cents"];

    fn read_only_message(_field: &str) -> &'static str {
        "is charged by the server from the service's unit price"
    }

    fn derivations(&self, current: Option<&StoredRecord>) -> Vec<Derivation> {
        let same_service = current.is_some_and(|record| {
            record.fields.get("service_id") == Some(&Value::String(self.service_id.clone()))
        });
        let mut derivations = Vec::new();
        if !same_service {
            derivations.push(Derivation {
                op: 0,
                field: "unit_price_cents".into(),
                source: Source::ValueAt {
                    collection: Collection::Services,
                    id: self.service_id.clone(),
                    history: PRICE_HISTORY.into(),
                    value_field: "unit_price_cents".into(),
                    at: current.map(|record| record.created_at),
                    missing: Violation {
                        field: "service_id".into(),
                        message: format!(
                            "service {} had no unit price when the usage was recorded",
                            self.service_id
                        ),
                    },
                },
            });
        }
        derivations.push(Derivation {
            op: 0,
            field: "amount_cents".into(),
            source: Source::Product {
                factors: vec!["quantity".into(), "unit_price_cents".into()],
            },
        });
        derivations
    }
}
