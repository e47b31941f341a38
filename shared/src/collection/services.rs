//! Services: the catalogue, with chargeback rates. Holds [`ServiceInput`],
//! [`Service`], the price limit and the collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Stored, RecordInput, Reference, reference};
use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use super::Collection;
use crate::enums::Permission;
use crate::fields::{FieldReader, ValidationErrors};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "services",
    noun: "service",
    write_permission: Permission::Manager,
    filters: &[FilterSpec::text("owner_id")],
    search_fields: &["name", "description"],
    sorts: PLAIN_SORTS,
};

/// A service in the catalogue, with its chargeback rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceInput {
    pub name: String,
    pub description: Option<String>,
    /// Id of the staff member who owns the service.
    pub owner_id: Option<String>,
    pub unit: Option<String>,
    #[schemars(range(min = 0, max = MAX_UNIT_PRICE_CENTS))]
    pub unit_price_cents: Option<i64>,
}

/// The highest unit price accepted, in cents (one billion currency units):
/// far above any real rate, low enough that charges never overflow.
pub const MAX_UNIT_PRICE_CENTS: i64 = 100_000_000_000;

impl RecordInput for ServiceInput {
    const COLLECTION: Collection = Collection::Services;
    type Stored = Service;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let description = r.optional_text("description");
        let owner_id = r.optional_id("owner_id");
        let unit = r.optional_line("unit");
        let unit_price_cents = r.optional_int("unit_price_cents", 0..=MAX_UNIT_PRICE_CENTS);
        r.finish()?;
        Ok(ServiceInput {
            name,
            description,
            owner_id,
            unit,
            unit_price_cents,
        })
    }

    fn references(&self) -> Vec<Reference> {
        reference("owner_id", Collection::Staff, &self.owner_id)
            .into_iter()
            .collect()
    }
}

/// Service as read from the server.
pub type Service = Stored<ServiceInput>;
