//! Improvements: the continual service improvement register, across
//! customers. Holds [`ImprovementSource`], [`ImprovementStatus`],
//! [`ImprovementInput`], [`Improvement`] and the collection's declaration.

use jiff::civil::Date;

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("improvements", "improvement", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::text("status").one_of(ImprovementStatus::NAMES),
        FilterSpec::text("source").one_of(ImprovementSource::NAMES),
        FilterSpec::id("owner_id").or_me(),
    ])
    .search(&["description"]);

string_enum!(
    /// Where an improvement came from: a satisfaction survey, a meeting
    /// with the customer, an RFC, or an incident or service review.
    ImprovementSource {
        Survey = "survey",
        Meeting = "meeting",
        Rfc = "rfc",
        Review = "review",
    }
);

string_enum!(
    /// How far an improvement has come; proposed unless said otherwise.
    #[derive(Default)]
    ImprovementStatus {
        #[default]
        Proposed = "proposed",
        InProgress = "in_progress",
        Done = "done",
        Rejected = "rejected",
    }
);

input_fields! {
    /// One entry of the continual service improvement register.
    pub struct ImprovementInput for Improvements, stored as Improvement {
        /// What is to be improved and how; the first line is its summary.
        description: String = required_text,
        source: Option<ImprovementSource> = optional_enum(ImprovementSource),
        /// Id of the customer it is for; none when it serves every customer.
        customer_id: Option<String> = optional_id -> Customers,
        /// Id of the staff member who carries it.
        owner_id: Option<String> = optional_id -> Staff,
        #[serde(default)]
        status: ImprovementStatus = enum_or_default(ImprovementStatus),
        /// When it was implemented (or is due to be).
        done_on: Option<Date> = optional_date,
    }
}

/// Improvement as read from the server.
pub type Improvement = Stored<ImprovementInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn only_the_description_is_required_and_status_starts_proposed() {
        let input: ImprovementInput = read_input(json!({
            "description": "Publish the maintenance calendar"
        }))
        .expect("a description is enough");
        assert_eq!(input.status, ImprovementStatus::Proposed);
        assert_eq!(input.source, None);
        assert!(input.references().is_empty());
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = read_input::<ImprovementInput>(json!({
            "description": "",
            "source": "rumour",
            "status": "maybe",
            "done_on": "next week",
            "customer_id": 7,
        }))
        .expect_err("every field is wrong");
        for field in ["description", "source", "status", "done_on", "customer_id"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn customer_and_owner_are_references() {
        let input = read_input::<ImprovementInput>(json!({
            "description": "Self-service password reset",
            "customer_id": "c1",
            "owner_id": "s1",
            "source": "survey",
        }))
        .expect("valid");
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["customer_id", "owner_id"]);
    }
}
