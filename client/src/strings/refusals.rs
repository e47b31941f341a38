//! The words of refusals and of the purchaser offer: what the server
//! refused, said as a sentence with what to do next, never an HTTP status.

/// Under a new customer's purchaser field: it cannot have one yet.
pub const PURCHASER_NEW_CUSTOMER: &str =
    "No contacts yet: save the customer, then add a contact with the role purchaser.";

/// Asked after a contact with the role purchaser was saved on a customer
/// that names no purchaser.
pub fn offer_purchaser(contact: &str, customer: &str) -> String {
    format!("{customer} has no purchaser. Make {contact} its purchaser?")
}

/// The customer now names the contact as its purchaser.
pub fn purchaser_set(contact: &str, customer: &str) -> String {
    format!("{contact} is now the purchaser of {customer}.")
}

/// The customer changed between the offer and the answer.
pub fn purchaser_not_set(customer: &str) -> String {
    format!(
        "{customer} changed meanwhile, so its purchaser was not set: check it in the customer's form (e)."
    )
}
