//! Contacts: a customer's purchaser, or a contact who requested RFCs, stays
//! with their customer.

use rapport_shared::Collection;
use rapport_shared::records::ContactInput;

use crate::store::{Condition, Guard};

use super::{Resource, of_customer};

impl Resource for ContactInput {
    /// A contact who is a customer's purchaser, or requested RFCs, may not
    /// move to another customer: that would make a customer's purchaser
    /// or an RFC's requester someone from elsewhere.
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
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
                    id: self.customer_id.clone(),
                },
                "this contact is another customer's purchaser: choose a new purchaser there first",
            ),
            not_elsewhere(
                Collection::Rfcs,
                "requested_by_contact_id",
                of_customer(&self.customer_id),
                "this contact requested RFCs of their current customer and cannot move to another",
            ),
        ]
    }
}
