//! Contacts: the people on the customer's side. Holds [`ContactRole`],
//! [`ContactInput`], [`Contact`] and the collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{RecordInput, Reference, Stored, reference_to};
use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use super::Collection;
use crate::enums::{Permission, string_enum};
use crate::fields::{FieldReader, ValidationErrors, is_email};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "contacts",
    noun: "contact",
    write_permission: Permission::Manager,
    filters: &[
        FilterSpec::text("customer_id"),
        FilterSpec::text("role").one_of(ContactRole::NAMES),
    ],
    search_fields: &["name", "title", "email"],
    sorts: PLAIN_SORTS,
};

string_enum!(
    /// What a customer-side contact does in the relationship.
    ContactRole {
        Purchaser = "purchaser",
        ExecutiveSponsor = "executive_sponsor",
        UserRepresentative = "user_representative",
        Technical = "technical",
        Other = "other",
    }
);

/// A person on the customer's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContactInput {
    /// Id of the customer this person works for.
    pub customer_id: String,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<ContactRole>,
}

impl RecordInput for ContactInput {
    const COLLECTION: Collection = Collection::Contacts;
    type Stored = Contact;

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
        vec![reference_to(
            "customer_id",
            Collection::Customers,
            &self.customer_id,
        )]
    }
}

/// Contact as read from the server.
pub type Contact = Stored<ContactInput>;
