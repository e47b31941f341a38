//! Customers: the ministries, agencies and business units the IT
//! organisation serves. Holds [`CustomerStatus`], [`CustomerKind`], [`CustomerInput`],
//! [`Customer`], the code rule and the collection's declaration.

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("customers", "customer", Permission::Manager)
    .filters(&[
        FilterSpec::text("status").one_of(CustomerStatus::NAMES),
        FilterSpec::text("kind").one_of(CustomerKind::NAMES),
        FilterSpec::id("team_id"),
    ])
    .search(&["name", "code", "description"]);

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

string_enum!(
    /// What sort of organisation a customer is. Migration 13 brought the
    /// free text written before to these words (anything else to `other`).
    CustomerKind {
        Ministry = "ministry",
        Agency = "agency",
        BusinessUnit = "business_unit",
        Municipality = "municipality",
        Other = "other",
    }
);

input_fields! {
    /// A customer: a ministry, agency or business unit the IT organisation serves.
    pub struct CustomerInput for Customers, stored as Customer {
        name: String = required_line,
        #[schemars(pattern(r"^[A-Z0-9-]{2,16}$"))]
        code: String = required_line where code_rule,
        kind: Option<CustomerKind> = optional_enum(CustomerKind),
        description: Option<String> = optional_text,
        #[serde(default)]
        status: CustomerStatus = enum_or_default(CustomerStatus),
        /// Id of one of this customer's contacts.
        purchaser_contact_id: Option<String> = optional_id -> Contacts,
        /// Id of the customer team that serves it.
        team_id: Option<String> = optional_id -> Teams,
    }
}

/// Whether `code` is a valid customer code: 2-16 of A-Z, 0-9 and `-`.
pub fn is_customer_code(code: &str) -> bool {
    (2..=16).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// A code that is given must be a customer code (a blank one is required).
fn code_rule(code: &str) -> Option<&'static str> {
    (!code.is_empty() && !is_customer_code(code))
        .then_some("must be 2-16 characters of A-Z, 0-9 and -")
}

/// Customer as read from the server.
pub type Customer = Stored<CustomerInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn customer_rules() {
        let ok: CustomerInput =
            read_input(json!({"name": "Ministry of Finance", "code": "MOF"})).expect("valid");
        assert_eq!(ok.status, CustomerStatus::Active);
        let bad = read_input::<CustomerInput>(json!({
            "name": "", "code": "mof", "status": "gone"
        }))
        .expect_err("three errors");
        assert_eq!(bad.for_field("name"), Some("is required"));
        assert!(bad.for_field("code").is_some());
        assert!(
            bad.for_field("status")
                .is_some_and(|m| m.contains("prospect"))
        );
        let kind = read_input::<CustomerInput>(json!({
            "name": "Ministry of Finance", "code": "MOF", "kind": "central ministry"
        }))
        .expect_err("a kind outside the vocabulary");
        assert_eq!(
            kind.for_field("kind"),
            Some("must be one of ministry, agency, business_unit, municipality, other")
        );
        let ok: CustomerInput = read_input(json!({"name": "Finance", "code": "FIN", "kind": "business_unit"}))
            .expect("valid");
        assert_eq!(ok.kind, Some(CustomerKind::BusinessUnit));
    }
}
