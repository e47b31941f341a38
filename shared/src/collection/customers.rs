//! Customers: the ministries, agencies and business units the IT
//! organisation serves. Holds [`CustomerStatus`], [`CustomerInput`],
//! [`Customer`], the code rule and the collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Stored, RecordInput, Reference, reference};
use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use super::Collection;
use crate::enums::{Permission, string_enum};
use crate::fields::{FieldReader, ValidationErrors};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "customers",
    noun: "customer",
    write_permission: Permission::Manager,
    filters: &[
        FilterSpec::text("status").one_of(CustomerStatus::NAMES),
        FilterSpec::text("team_id"),
    ],
    search_fields: &["name", "code", "description"],
    sorts: PLAIN_SORTS,
};

string_enum!(
    /// Where a customer stands with the IT organisation; active unless
    /// said otherwise.
    #[derive(Default)]
    CustomerStatus {
        Prospect = "prospect",
        #[default]
        Active = "active",
        Inactive = "inactive",
    }
);

/// A customer: a ministry, agency or business unit the IT organisation serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerInput {
    pub name: String,
    #[schemars(pattern(r"^[A-Z0-9-]{2,16}$"))]
    pub code: String,
    pub kind: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub status: CustomerStatus,
    /// Id of one of this customer's contacts.
    pub purchaser_contact_id: Option<String>,
    /// Id of the customer team that serves it.
    pub team_id: Option<String>,
}

/// Whether `code` is a valid customer code: 2-16 of A-Z, 0-9 and `-`.
pub fn is_customer_code(code: &str) -> bool {
    (2..=16).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

impl RecordInput for CustomerInput {
    const COLLECTION: Collection = Collection::Customers;
    type Stored = Customer;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let code = r.required_line("code");
        if !code.is_empty() && !is_customer_code(&code) {
            r.error("code", "must be 2-16 characters of A-Z, 0-9 and -");
        }
        let kind = r.optional_line("kind");
        let description = r.optional_text("description");
        let status = r
            .optional_enum("status", CustomerStatus::parse, &CustomerStatus::names())
            .unwrap_or_default();
        let purchaser_contact_id = r.optional_id("purchaser_contact_id");
        let team_id = r.optional_id("team_id");
        r.finish()?;
        Ok(CustomerInput {
            name,
            code,
            kind,
            description,
            status,
            purchaser_contact_id,
            team_id,
        })
    }

    fn references(&self) -> Vec<Reference> {
        [
            reference(
                "purchaser_contact_id",
                Collection::Contacts,
                &self.purchaser_contact_id,
            ),
            reference("team_id", Collection::Teams, &self.team_id),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Customer as read from the server.
pub type Customer = Stored<CustomerInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<CustomerInput, ValidationErrors> {
        CustomerInput::from_json(value.as_object().expect("test input is an object"))
    }

    #[test]
    fn customer_rules() {
        let ok = read(json!({"name": "Ministry of Finance", "code": "MOF"})).expect("valid");
        assert_eq!(ok.status, CustomerStatus::Active);
        let bad = read(json!({"name": "", "code": "mof", "status": "gone"}))
            .expect_err("three errors");
        assert_eq!(bad.for_field("name"), Some("is required"));
        assert!(bad.for_field("code").is_some());
        assert!(
            bad.for_field("status")
                .is_some_and(|m| m.contains("prospect"))
        );
    }
}
