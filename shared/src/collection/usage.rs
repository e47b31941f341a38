//! Usage: how much of one service a customer used in one month, and what
//! it was charged. Holds [`UsageInput`], [`Usage`] with its read-only
//! charge, the quantity limit and the collection's declaration. The price
//! is the service's unit price in force when the record is written (the
//! server reads it from the service's `price_history` inside the write).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::input::input_fields;
use super::record::Meta;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;
use crate::month::month_rule;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("usage", "usage record", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::id("service_id"),
        FilterSpec::month("month"),
    ])
    .search(&["program"]);

input_fields! {
    /// One service's use by one customer in one month.
    pub struct UsageInput for Usage, stored as UsageRecord {
        /// Id of the customer charged.
        customer_id: String = required_id -> Customers,
        /// Id of the service used.
        service_id: String = required_id -> Services,
        /// `YYYY-MM`.
        month: String = required_line where month_rule,
        /// Units of the service used (its `unit`).
        #[schemars(range(min = 0, max = MAX_QUANTITY))]
        quantity: i64 = required_int(0..=MAX_QUANTITY),
        /// The customer's programme or cost centre the charge is allocated
        /// to; none is "unallocated".
        program: Option<String> = optional_line,
    }
}

/// The most units one usage record counts: far above any real month's
/// use, low enough that quantity times the highest unit price fits an
/// `i64` ([`super::MAX_UNIT_PRICE_CENTS`]).
pub const MAX_QUANTITY: i64 = 10_000_000;

/// Usage record as read from the server, with its charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UsageRecord {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: UsageInput,
    /// Read-only: the service's unit price in force when the record was
    /// written; a later price change does not touch it.
    #[schemars(extend("readOnly" = true))]
    pub unit_price_cents: i64,
    /// Read-only: `quantity` times `unit_price_cents`.
    #[schemars(extend("readOnly" = true))]
    pub amount_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn usage_names_its_customer_service_month_and_quantity() {
        let input: UsageInput = read_input(json!({
            "customer_id": "c1", "service_id": "v1", "month": "2026-11", "quantity": 40,
            "program": "Finance",
        }))
        .expect("valid");
        assert_eq!((input.quantity, input.program.as_deref()), (40, Some("Finance")));
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["customer_id", "service_id"]);
    }

    #[test]
    fn a_bad_month_or_quantity_is_named_and_charges_are_not_written() {
        let errors = read_input::<UsageInput>(json!({
            "customer_id": "c1", "service_id": "v1", "month": "2026-13", "quantity": -1,
        }))
        .expect_err("bad month and quantity");
        assert_eq!(errors.for_field("month"), Some("must be a month YYYY-MM"));
        assert!(errors.for_field("quantity").is_some(), "{errors:?}");
        let errors = read_input::<UsageInput>(json!({
            "customer_id": "c1", "service_id": "v1", "month": "2026-12", "quantity": 1,
            "amount_cents": 5,
        }))
        .expect_err("a charge is not the client's to write");
        assert!(errors.for_field("amount_cents").is_some(), "{errors:?}");
        assert!(MAX_QUANTITY.checked_mul(super::super::MAX_UNIT_PRICE_CENTS).is_some());
    }
}
