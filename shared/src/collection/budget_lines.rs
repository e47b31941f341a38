//! Budget lines: what a customer plans to spend on one service in one
//! year. Holds [`BudgetLineInput`], [`BudgetLine`], the year and amount
//! limits and the collection's declaration.

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("budget_lines", "budget line", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::integer("year"),
        FilterSpec::id("service_id"),
    ]);

input_fields! {
    /// The amount a customer plans for one service in one year (one line
    /// per customer, year and service).
    pub struct BudgetLineInput for BudgetLines, stored as BudgetLine {
        /// Id of the customer whose budget it is.
        customer_id: String = required_id -> Customers,
        #[schemars(range(min = FIRST_YEAR, max = LAST_YEAR))]
        year: i64 = required_int(FIRST_YEAR..=LAST_YEAR),
        /// Id of the service budgeted.
        service_id: String = required_id -> Services,
        #[schemars(range(min = 0, max = MAX_PLANNED_CENTS))]
        planned_cents: i64 = required_int(0..=MAX_PLANNED_CENTS),
        note: Option<String> = optional_text,
    }
}

/// The first year a budget may be planned for.
pub const FIRST_YEAR: i64 = 2000;

/// The last year a budget may be planned for.
pub const LAST_YEAR: i64 = 2100;

/// The highest amount planned for one service in one year, in cents (ten
/// billion currency units): far above any real budget, low enough that a
/// customer's totals over every service never overflow.
pub const MAX_PLANNED_CENTS: i64 = 1_000_000_000_000;

/// Budget line as read from the server.
pub type BudgetLine = Stored<BudgetLineInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn a_line_names_its_customer_year_service_and_amount() {
        let input: BudgetLineInput = read_input(json!({
            "customer_id": "c1", "year": 2026, "service_id": "v1", "planned_cents": 120_000
        }))
        .expect("valid");
        assert_eq!((input.year, input.planned_cents), (2026, 120_000));
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["customer_id", "service_id"]);
    }

    #[test]
    fn year_and_amount_are_required_and_bounded() {
        let missing = read_input::<BudgetLineInput>(json!({})).expect_err("nothing given");
        for field in ["customer_id", "year", "service_id", "planned_cents"] {
            assert_eq!(missing.for_field(field), Some("is required"), "{missing:?}");
        }
        let out_of_range = read_input::<BudgetLineInput>(json!({
            "customer_id": "c1", "year": 1999, "service_id": "v1", "planned_cents": -1
        }))
        .expect_err("out of range");
        assert_eq!(out_of_range.for_field("year"), Some("must be between 2000 and 2100"));
        assert!(out_of_range.for_field("planned_cents").is_some(), "{out_of_range:?}");
        let too_much = read_input::<BudgetLineInput>(json!({
            "customer_id": "c1", "year": 2100, "service_id": "v1", "planned_cents": MAX_PLANNED_CENTS + 1
        }))
        .expect_err("too much");
        assert!(too_much.for_field("planned_cents").is_some());
        assert!(too_much.for_field("year").is_none());
    }
}
