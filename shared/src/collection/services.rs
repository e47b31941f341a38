//! Services: the catalogue, with chargeback rates. Holds [`ServiceInput`],
//! [`Service`], the price limit and the collection's declaration.

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("services", "service", Permission::Manager)
    .filters(&[FilterSpec::text("owner_id")])
    .search(&["name", "description"]);

input_fields! {
    /// A service in the catalogue, with its chargeback rate.
    pub struct ServiceInput for Services, stored as Service {
        name: String = required_line,
        description: Option<String> = optional_text,
        /// Id of the staff member who owns the service.
        owner_id: Option<String> = optional_id -> Staff,
        unit: Option<String> = optional_line,
        #[schemars(range(min = 0, max = MAX_UNIT_PRICE_CENTS))]
        unit_price_cents: Option<i64> = optional_int(0..=MAX_UNIT_PRICE_CENTS),
    }
}

/// The highest unit price accepted, in cents (one billion currency units):
/// far above any real rate, low enough that charges never overflow.
pub const MAX_UNIT_PRICE_CENTS: i64 = 100_000_000_000;

/// Service as read from the server.
pub type Service = Stored<ServiceInput>;
