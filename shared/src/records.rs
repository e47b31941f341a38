//! The records of each collection. Every collection has an input type (the
//! fields a client may write, read from JSON by [`RecordInput::from_json`]
//! with every error named) and a stored type (the input plus [`Meta`] and
//! any read-only fields the server derives), which the client reads.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::collection::Collection;
use crate::enums::{
    ContactRole, CustomerStatus, JobRole, Priority, RfcCategory, RfcRoute, RfcStatus,
};
use crate::fields::{FieldReader, ValidationErrors, is_email};

/// What every record carries: server-assigned, never written by clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Opaque, sortable by creation.
    pub id: String,
    /// 1 on create, +1 on every change; the `ETag`.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A field of one record that names another record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The field holding the id (for the 422 that names it).
    pub field: &'static str,
    /// Where the referenced record lives.
    pub collection: Collection,
    pub id: String,
}

/// The writable fields of one collection.
pub trait RecordInput: Sized + Serialize {
    /// The collection these fields belong to.
    const COLLECTION: Collection;

    /// Reads and validates the fields from a JSON object, naming every
    /// field at fault. Rules that need other records (existence, uniqueness)
    /// are the server's; everything else is checked here.
    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors>;

    /// The records this one refers to; each must exist when it is written.
    fn references(&self) -> Vec<Reference>;

    /// The fields as a JSON object.
    fn to_object(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(object)) => object,
            // Every input type is a struct, which always serialises to an object.
            _ => Map::new(),
        }
    }
}

fn reference(
    field: &'static str,
    collection: Collection,
    id: &Option<String>,
) -> Option<Reference> {
    id.as_ref().map(|id| Reference {
        field,
        collection,
        id: id.clone(),
    })
}

fn references(
    field: &'static str,
    collection: Collection,
    ids: &[String],
) -> impl Iterator<Item = Reference> {
    ids.iter().map(move |id| Reference {
        field,
        collection,
        id: id.clone(),
    })
}

/// A person in the IT organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInput {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub job_roles: Vec<JobRole>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl RecordInput for StaffInput {
    const COLLECTION: Collection = Collection::Staff;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let email = r.required_line("email");
        if !email.is_empty() && !is_email(&email) {
            r.error("email", "must be an e-mail address like name@example.org");
        }
        let job_roles = r.enum_list("job_roles", JobRole::parse, &JobRole::names());
        let active = r.bool_or("active", true);
        r.finish()?;
        Ok(StaffInput {
            name,
            email,
            job_roles,
            active,
        })
    }

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

/// A customer: a ministry, agency or business unit the IT organisation serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub name: String,
    pub code: String,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub status: CustomerStatus,
    pub purchaser_contact_id: Option<String>,
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
            .unwrap_or(CustomerStatus::Active);
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

/// A person on the customer's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInput {
    pub customer_id: String,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<ContactRole>,
}

impl RecordInput for ContactInput {
    const COLLECTION: Collection = Collection::Contacts;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let customer_id = r.required_id("customer_id");
        let name = r.required_line("name");
        let title = r.optional_line("title");
        let email = r.optional_line("email");
        if email.as_deref().is_some_and(|email| !is_email(email)) {
            r.error("email", "must be an e-mail address like name@example.org");
        }
        let phone = r.optional_line("phone");
        if phone.as_deref().is_some_and(|phone| {
            !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        }) {
            r.error("phone", "may hold only digits, spaces and + - ( ) .");
        }
        let role = r.optional_enum("role", ContactRole::parse, &ContactRole::names());
        r.finish()?;
        Ok(ContactInput {
            customer_id,
            name,
            title,
            email,
            phone,
            role,
        })
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference {
            field: "customer_id",
            collection: Collection::Customers,
            id: self.customer_id.clone(),
        }]
    }
}

/// A customer team: one BRM, one delivery manager, service owners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInput {
    pub name: String,
    pub brm_id: String,
    pub delivery_manager_id: String,
    #[serde(default)]
    pub service_owner_ids: Vec<String>,
}

impl RecordInput for TeamInput {
    const COLLECTION: Collection = Collection::Teams;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let brm_id = r.required_id("brm_id");
        let delivery_manager_id = r.required_id("delivery_manager_id");
        let service_owner_ids = r.id_list("service_owner_ids");
        r.skip("customer_ids");
        r.finish()?;
        Ok(TeamInput {
            name,
            brm_id,
            delivery_manager_id,
            service_owner_ids,
        })
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![
            Reference {
                field: "brm_id",
                collection: Collection::Staff,
                id: self.brm_id.clone(),
            },
            Reference {
                field: "delivery_manager_id",
                collection: Collection::Staff,
                id: self.delivery_manager_id.clone(),
            },
        ];
        refs.extend(references(
            "service_owner_ids",
            Collection::Staff,
            &self.service_owner_ids,
        ));
        refs
    }
}

/// A service in the catalogue, with its chargeback rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    pub description: Option<String>,
    pub owner_id: Option<String>,
    pub unit: Option<String>,
    pub unit_price_cents: Option<i64>,
}

/// The highest unit price accepted, in cents (one billion currency units):
/// far above any real rate, low enough that charges never overflow.
pub const MAX_UNIT_PRICE_CENTS: i64 = 100_000_000_000;

impl RecordInput for ServiceInput {
    const COLLECTION: Collection = Collection::Services;

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

/// A Request for Change raised on behalf of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfcInput {
    pub customer_id: String,
    pub title: String,
    pub description: Option<String>,
    pub service_id: Option<String>,
    pub agreement_id: Option<String>,
    pub requested_by_contact_id: Option<String>,
    pub priority: Priority,
    pub impact: Option<String>,
    pub category: Option<RfcCategory>,
    pub assignee_id: Option<String>,
    pub due_on: Option<Date>,
}

impl RecordInput for RfcInput {
    const COLLECTION: Collection = Collection::Rfcs;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let customer_id = r.required_id("customer_id");
        let title = r.required_line("title");
        let description = r.optional_text("description");
        let service_id = r.optional_id("service_id");
        let agreement_id = r.optional_id("agreement_id");
        let requested_by_contact_id = r.optional_id("requested_by_contact_id");
        let priority = r
            .optional_enum("priority", Priority::parse, &Priority::names())
            .unwrap_or(Priority::Medium);
        let impact = r.optional_line("impact");
        let category = r.optional_enum("category", RfcCategory::parse, &RfcCategory::names());
        let assignee_id = r.optional_id("assignee_id");
        let due_on = r.optional_date("due_on");
        for read_only in RFC_READ_ONLY {
            r.skip(read_only);
        }
        r.finish()?;
        Ok(RfcInput {
            customer_id,
            title,
            description,
            service_id,
            agreement_id,
            requested_by_contact_id,
            priority,
            impact,
            category,
            assignee_id,
            due_on,
        })
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference {
            field: "customer_id",
            collection: Collection::Customers,
            id: self.customer_id.clone(),
        }];
        refs.extend(
            [
                reference("service_id", Collection::Services, &self.service_id),
                reference(
                    "requested_by_contact_id",
                    Collection::Contacts,
                    &self.requested_by_contact_id,
                ),
                reference("assignee_id", Collection::Staff, &self.assignee_id),
            ]
            .into_iter()
            .flatten(),
        );
        refs
    }
}

/// RFC fields only the server writes: the workflow's and the raiser.
pub const RFC_READ_ONLY: &[&str] = &["status", "route", "raised_by_id", "open"];

/// Staff member as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: StaffInput,
}

/// Customer as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: CustomerInput,
}

/// Contact as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: ContactInput,
}

/// Customer team as read from the server, with the customers it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: TeamInput,
    /// Read-only: the customers whose `team_id` is this team.
    #[serde(default)]
    pub customer_ids: Vec<String>,
}

/// Service as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: ServiceInput,
}

/// RFC as read from the server, with its workflow state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rfc {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: RfcInput,
    pub status: RfcStatus,
    pub route: Option<RfcRoute>,
    /// The staff member whose token raised it, when known.
    pub raised_by_id: Option<String>,
    /// Read-only: false once closed or withdrawn (the `open` filter).
    #[serde(default = "yes")]
    pub open: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: RecordInput>(value: Value) -> Result<T, ValidationErrors> {
        T::from_json(value.as_object().expect("test input is an object"))
    }

    #[test]
    fn customer_rules() {
        let ok: CustomerInput =
            read(json!({"name": "Ministry of Finance", "code": "MOF"})).expect("valid");
        assert_eq!(ok.status, CustomerStatus::Active);
        let bad = read::<CustomerInput>(json!({"name": "", "code": "mof", "status": "gone"}))
            .expect_err("three errors");
        assert_eq!(bad.for_field("name"), Some("is required"));
        assert!(bad.for_field("code").is_some());
        assert!(
            bad.for_field("status")
                .is_some_and(|m| m.contains("prospect"))
        );
    }

    #[test]
    fn wrong_types_are_named() {
        let bad = read::<StaffInput>(
            json!({"name": 3, "email": "a@b.example", "job_roles": ["cook"], "active": "yes"}),
        )
        .expect_err("errors");
        assert_eq!(bad.for_field("name"), Some("must be a string"));
        assert!(bad.for_field("job_roles").is_some());
        assert_eq!(bad.for_field("active"), Some("must be true or false"));
    }

    #[test]
    fn stored_records_read_back() {
        let json = json!({
            "id": "0190", "version": 2, "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T11:00:00Z",
            "customer_id": "c1", "title": "More storage", "description": null, "service_id": null,
            "agreement_id": null, "requested_by_contact_id": null, "priority": "high", "impact": null,
            "category": null, "assignee_id": null, "due_on": "2026-12-01", "status": "new", "route": null,
            "raised_by_id": null
        });
        let rfc: Rfc = serde_json::from_value(json).expect("an RFC");
        assert_eq!(rfc.meta.version, 2);
        assert_eq!(rfc.fields.priority, Priority::High);
        assert_eq!(rfc.status, RfcStatus::New);
    }

    #[test]
    fn references_name_their_fields() {
        let team: TeamInput = read(json!({"name": "North", "brm_id": "s1", "delivery_manager_id": "s2", "service_owner_ids": ["s3", "s3", "s4"]})).expect("valid");
        let refs = team.references();
        assert_eq!(refs.len(), 4);
        assert_eq!(refs[2].field, "service_owner_ids");
    }
}
