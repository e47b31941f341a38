//! Contacts: the people on the customer's side. Holds [`ContactRole`],
//! [`ContactInput`], [`Contact`] and the collection's declaration.

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};
use crate::fields::email_address_rule;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("contacts", "contact", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::text("role").one_of(ContactRole::NAMES),
    ])
    .search(&["name", "title", "email"]);

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

input_fields! {
    /// A person on the customer's side.
    pub struct ContactInput for Contacts, stored as Contact {
        /// Id of the customer this person works for.
        customer_id: String = required_id -> Customers,
        name: String = required_line,
        title: Option<String> = optional_line,
        email: Option<String> = optional_line where email_rule,
        phone: Option<String> = optional_line where phone_rule,
        role: Option<ContactRole> = optional_enum(ContactRole),
    }
}

/// A contact's e-mail address, when given, must look like one.
fn email_rule(email: &Option<String>) -> Option<&'static str> {
    email.as_deref().and_then(email_address_rule)
}

/// A phone number holds only what people write in one.
fn phone_rule(phone: &Option<String>) -> Option<&'static str> {
    phone
        .as_deref()
        .is_some_and(|phone| {
            !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        })
        .then_some("may hold only digits, spaces and + - ( ) .")
}

/// Contact as read from the server.
pub type Contact = Stored<ContactInput>;
