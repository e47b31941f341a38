//! The guards each collection's writes carry: the rules of
//! [`super::rules`] that read other records, said again as
//! [`crate::store::Guard`]s so that the store checks them inside the
//! write's transaction. The checks in `rules` run first and give the usual
//! answer; these catch a write that raced another one past them, with the
//! same field and message. One function per input type; [`ROLE_USES`]
//! lists which links need which job role, for both.

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::{
    ContactInput, CustomerInput, RfcInput, ServiceInput, StaffInput, TeamInput,
};
use serde_json::Value;

use crate::store::guard::{COUNT, NAME};
use crate::store::{Condition, Guard, Requirement};

/// A link that needs its staff member to have a job role and be active.
pub struct RoleUse {
    pub collection: Collection,
    pub field: &'static str,
    pub role: JobRole,
    /// How a message names the person's part: "the BRM of" 2 teams.
    pub what: &'static str,
}

/// Every link to a staff member that needs a job role.
pub const ROLE_USES: [RoleUse; 4] = [
    RoleUse {
        collection: Collection::Teams,
        field: "brm_id",
        role: JobRole::Brm,
        what: "the BRM of",
    },
    RoleUse {
        collection: Collection::Teams,
        field: "delivery_manager_id",
        role: JobRole::DeliveryManager,
        what: "the delivery manager of",
    },
    RoleUse {
        collection: Collection::Teams,
        field: "service_owner_ids",
        role: JobRole::ServiceOwner,
        what: "a service owner in",
    },
    RoleUse {
        collection: Collection::Services,
        field: "owner_id",
        role: JobRole::ServiceOwner,
        what: "the owner of",
    },
];

/// Every staff member a team names has the role its field needs.
pub fn team(input: &TeamInput) -> Vec<Guard> {
    [
        ("brm_id", &input.brm_id, JobRole::Brm),
        (
            "delivery_manager_id",
            &input.delivery_manager_id,
            JobRole::DeliveryManager,
        ),
    ]
    .into_iter()
    .chain(
        input
            .service_owner_ids
            .iter()
            .map(|id| ("service_owner_ids", id, JobRole::ServiceOwner)),
    )
    .map(|(field, staff_id, role)| has_role(field, staff_id, role))
    .collect()
}

/// A service's owner is an active service owner.
pub fn service(input: &ServiceInput) -> Vec<Guard> {
    input
        .owner_id
        .iter()
        .map(|owner_id| has_role("owner_id", owner_id, JobRole::ServiceOwner))
        .collect()
}

/// A staff member `id` keeps every role, and stays active, while a record
/// links to them through a field that needs it.
pub fn staff(input: &StaffInput, id: Option<&str>) -> Vec<Guard> {
    let Some(id) = id else { return Vec::new() };
    let mut guards = Vec::new();
    for role_use in &ROLE_USES {
        let used = format!("{} {COUNT} {}", role_use.what, role_use.collection.name());
        let mut not_used = |field: &str, message: String| {
            guards.push(Guard::NotReferenced {
                collection: role_use.collection,
                via_field: role_use.field.into(),
                target_id: id.into(),
                unless: None,
                field: field.into(),
                message,
            });
        };
        if !input.job_roles.contains(&role_use.role) {
            not_used(
                "job_roles",
                format!("keeps {} while this person is {used}", role_use.role),
            );
        }
        if !input.active {
            not_used("active", format!("stays true while this person is {used}"));
        }
    }
    guards
}

/// A contact `id` stays with the customer they are the purchaser of and
/// the customer of the RFCs they requested.
pub fn contact(input: &ContactInput, id: Option<&str>) -> Vec<Guard> {
    let Some(id) = id else { return Vec::new() };
    let not_elsewhere = |collection, via_field: &str, unless, message: &str| Guard::NotReferenced {
        collection,
        via_field: via_field.into(),
        target_id: id.into(),
        unless: Some(unless),
        field: "customer_id".into(),
        message: message.into(),
    };
    vec![
        not_elsewhere(
            Collection::Customers,
            "purchaser_contact_id",
            Condition::IdIs {
                id: input.customer_id.clone(),
            },
            "this contact is another customer's purchaser: choose a new purchaser there first",
        ),
        not_elsewhere(
            Collection::Rfcs,
            "requested_by_contact_id",
            of_customer(&input.customer_id),
            "this contact requested RFCs of their current customer and cannot move to another",
        ),
    ]
}

/// A customer's purchaser is one of its contacts. A new customer has no
/// contacts yet, which the rules refuse before any write.
pub fn customer(input: &CustomerInput, id: Option<&str>) -> Vec<Guard> {
    let (Some(id), Some(contact_id)) = (id, &input.purchaser_contact_id) else {
        return Vec::new();
    };
    vec![contact_of(
        "purchaser_contact_id",
        contact_id,
        id,
        "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)",
    )]
}

/// An RFC's requester is a contact of the RFC's customer.
pub fn rfc(input: &RfcInput) -> Vec<Guard> {
    input
        .requested_by_contact_id
        .iter()
        .map(|contact_id| {
            contact_of(
                "requested_by_contact_id",
                contact_id,
                &input.customer_id,
                "the requester must be a contact of the RFC's customer",
            )
        })
        .collect()
}

/// Staff member `staff_id`, named in `field`, exists, has `role` and is active.
fn has_role(field: &str, staff_id: &str, role: JobRole) -> Guard {
    Guard::Requires {
        collection: Collection::Staff,
        id: staff_id.into(),
        field: field.into(),
        missing: format!("no staff member with id {staff_id}"),
        requirements: vec![
            Requirement {
                condition: Condition::Contains {
                    field: "job_roles".into(),
                    value: Value::String(role.as_str().into()),
                },
                message: format!("{NAME} does not have the {role} job role"),
            },
            Requirement {
                condition: Condition::NotFalse {
                    field: "active".into(),
                },
                message: format!("{NAME} is no longer active"),
            },
        ],
    }
}

/// Contact `contact_id`, named in `field`, exists and belongs to `customer_id`.
fn contact_of(field: &str, contact_id: &str, customer_id: &str, message: &str) -> Guard {
    Guard::Requires {
        collection: Collection::Contacts,
        id: contact_id.into(),
        field: field.into(),
        missing: format!("no contact with id {contact_id}"),
        requirements: vec![Requirement {
            condition: of_customer(customer_id),
            message: message.into(),
        }],
    }
}

/// The record's `customer_id` is `customer_id`.
fn of_customer(customer_id: &str) -> Condition {
    Condition::Equals {
        field: "customer_id".into(),
        value: Value::String(customer_id.into()),
    }
}
