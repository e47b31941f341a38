//! Budget lines: one per customer, year and service.

use rapport_shared::records::BudgetLineInput;

use crate::store::{Taken, UniqueField};

use super::Resource;

impl Resource for BudgetLineInput {
    /// A customer plans a service once a year: the customer, year and
    /// service together are unique (a second line is a 409 naming
    /// `service_id`).
    fn unique(&self) -> Vec<UniqueField> {
        vec![UniqueField {
            field: "service_id".into(),
            value: format!(
                "{} for customer {} in {}",
                self.service_id, self.customer_id, self.year
            ),
            taken: Taken::Conflict,
        }]
    }
}
