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

/// A problem the server answered, as a sentence with what to do next:
/// the server's own words (which say why) without the HTTP status, and a
/// way on where they do not give one. `409 Conflict: the contact is still
/// referred to by 1 customers (purchaser_contact_id)` reads "A customer
/// still names this contact as its purchaser: choose another purchaser
/// there first, then try again."
pub fn refusal(problem: &rapport_shared::Problem) -> String {
    refusal_naming(problem, "")
}

/// [`refusal`], naming `customer` (when not empty) as the one customer
/// that still refers to the record: "Ministry of Finance still names this
/// contact as its purchaser".
pub fn refusal_naming(problem: &rapport_shared::Problem, customer: &str) -> String {
    let detail = problem.detail.trim();
    let said = |fallback: &str| {
        if detail.is_empty() {
            fallback.to_string()
        } else {
            sentence(detail)
        }
    };
    match problem.status {
        400 => format!("The server could not read the request: {}", said("")),
        401 => format!(
            "The server did not accept your token ({}): check the token in your config file.",
            said("no reason given").trim_end_matches('.')
        ),
        403 => format!(
            "Not allowed: {} Ask an admin for that permission.",
            said("your token may not do this.")
        ),
        404 => format!(
            "{} It may have been deleted meanwhile: r reloads.",
            said("Not found.")
        ),
        409 => dependents(detail, customer).unwrap_or_else(|| {
            with_way_on(
                &said("It clashes with the records as they stand."),
                "change that first, then try again",
            )
        }),
        412 => {
            "Someone else changed it since you read it: r reloads it, then apply your change again."
                .to_string()
        }
        422 if !problem.errors.is_empty() => {
            let fields: Vec<String> = problem
                .errors
                .iter()
                .map(|e| format!("{} {}", field_words(&e.field), e.message))
                .collect();
            format!(
                "Not saved: {}. Correct it and save again.",
                fields.join("; ")
            )
        }
        422 => with_way_on(&said("Not saved."), "correct it and save again"),
        429 => with_way_on(&said("Too many requests."), "wait a moment and try again"),
        503 => "The server is busy: try again in a moment.".to_string(),
        500..=599 => with_way_on(
            &said("The server failed."),
            "try again; if it goes on, tell whoever runs the server",
        ),
        _ => said("The server refused."),
    }
}

/// `text` with its first letter capitalised and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?', ')']) {
        out.push('.');
    }
    out
}

/// `said` followed by `way` unless the server's words already say what to
/// do (after a colon: "…: choose a new purchaser there first").
fn with_way_on(said: &str, way: &str) -> String {
    if said.contains(": ") {
        return said.to_string();
    }
    format!("{}: {way}.", said.trim_end_matches('.'))
}

/// A field name in words: `purchaser_contact_id` is "Purchaser contact".
pub fn field_words(field: &str) -> String {
    let bare = field
        .trim_end_matches("_ids")
        .trim_end_matches("_id")
        .replace(['_', '.'], " ");
    sentence(&bare).trim_end_matches('.').to_string()
}

/// What a record is to one that names it through `field`, in words.
fn role_words(field: &str) -> String {
    match field {
        "purchaser_contact_id" => "its purchaser".to_string(),
        "requested_by_contact_id" => "its requester".to_string(),
        "brm_id" => "its BRM".to_string(),
        "delivery_manager_id" => "its delivery manager".to_string(),
        "service_owner_ids" => "a service owner".to_string(),
        other => format!("its {}", field_words(other).to_lowercase()),
    }
}

/// The server's "the contact is still referred to by 1 customers
/// (purchaser_contact_id), 2 rfcs (requested_by_contact_id)" as what to
/// change first; `None` for any other conflict.
fn dependents(detail: &str, customer: &str) -> Option<String> {
    let rest = detail.strip_prefix("the ")?;
    let (noun, list) = rest.split_once(" is still referred to by ")?;
    let mut parts = Vec::new();
    let mut many = false;
    for item in list.split("), ") {
        let item = item.trim_end_matches(')');
        let (count_and_collection, field) = item.split_once(" (")?;
        let (count, collection) = count_and_collection.split_once(' ')?;
        let count: u64 = count.parse().ok()?;
        let one = rapport_shared::Collection::parse(collection)
            .map_or(collection.trim_end_matches('s'), |c| c.noun());
        let role = role_words(field);
        parts.push(
            if count == 1 && collection == "customers" && !customer.is_empty() {
                format!("{customer} still names this {noun} as {role}")
            } else if count == 1 {
                // Said as spelt: "an RFC", "an agreement", "a team".
                let article = if one.starts_with(['a', 'e', 'i', 'o', 'u', 'R']) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {one} still names this {noun} as {role}")
            } else {
                many = true;
                format!("{count} {one} records still name this {noun} as {role}")
            },
        );
    }
    let what = if many || parts.len() > 1 {
        "them"
    } else {
        "it"
    };
    Some(format!(
        "{}: change {what} first, then try again.",
        sentence(&parts.join(", and ")).trim_end_matches('.')
    ))
}

#[cfg(test)]
mod tests {
    use rapport_shared::{FieldError, Problem};

    use super::refusal;

    #[test]
    fn refusals_read_as_sentences_with_what_to_do_and_no_status() {
        let cases = [
            (
                Problem::new(
                    409,
                    "the contact is still referred to by 1 customers (purchaser_contact_id)",
                ),
                "A customer still names this contact as its purchaser: change it first, then try again.",
            ),
            (
                Problem::new(
                    409,
                    "the staff member is still referred to by 2 teams (brm_id), 1 rfcs (assignee_id)",
                ),
                "2 customer team records still name this staff member as its BRM, and an RFC still names this staff member as its assignee: change them first, then try again.",
            ),
            (
                Problem::new(
                    409,
                    "this contact is another customer's purchaser: choose a new purchaser there first",
                ),
                "This contact is another customer's purchaser: choose a new purchaser there first.",
            ),
            (
                Problem::invalid(vec![FieldError::new(
                    "purchaser_contact_id",
                    "must be one of this customer's contacts",
                )]),
                "Not saved: Purchaser contact must be one of this customer's contacts. Correct it and save again.",
            ),
            (
                Problem::new(
                    403,
                    "this needs the manager permission; your token has viewer",
                ),
                "Not allowed: This needs the manager permission; your token has viewer. Ask an admin for that permission.",
            ),
            (
                Problem::new(500, "the server failed; the error is in its log"),
                "The server failed; the error is in its log: try again; if it goes on, tell whoever runs the server.",
            ),
        ];
        let purchaser = Problem::new(
            409,
            "the contact is still referred to by 1 customers (purchaser_contact_id)",
        );
        assert_eq!(
            super::refusal_naming(&purchaser, "MOF Ministry of Finance"),
            "MOF Ministry of Finance still names this contact as its purchaser: change it first, then try again."
        );
        for (problem, said) in cases {
            let words = refusal(&problem);
            assert_eq!(words, said);
            for phrase in ["409", "422", "Conflict", "Unprocessable", "Forbidden"] {
                assert!(!words.contains(phrase), "{words}");
            }
        }
    }
}
