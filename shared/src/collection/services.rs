//! Services: the catalogue, with chargeback rates. Holds [`ServiceInput`],
//! [`Service`] with its read-only [`PricePoint`] history, the price limit
//! and the collection's declaration.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::input::input_fields;
use super::record::Meta;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("services", "service", Permission::Manager)
    .filters(&[FilterSpec::id("owner_id")])
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

/// The read-only field of a service holding its [`PricePoint`]s.
pub const PRICE_HISTORY: &str = "price_history";

/// Service as read from the server, with the history of its unit price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Service {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: ServiceInput,
    /// Read-only: every unit price the service has had, oldest first, each
    /// from the moment it was written; usage is charged at the one in
    /// force when it is recorded.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub price_history: Vec<PricePoint>,
}

/// One unit price of a service and when it came into force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PricePoint {
    /// When the price came into force (the write that set it).
    pub from: Timestamp,
    /// The unit price from then on; null when the service had none.
    pub unit_price_cents: Option<i64>,
}
