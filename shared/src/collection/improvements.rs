//! Improvements: the continual service improvement register, across
//! customers. Holds [`ImprovementSource`], [`ImprovementStatus`],
//! [`ImprovementInput`], [`Improvement`] and the collection's declaration.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Collection;
use super::record::{RecordInput, Reference, Stored, reference};
use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use crate::enums::{Permission, string_enum};
use crate::fields::{FieldReader, ValidationErrors};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "improvements",
    noun: "improvement",
    write_permission: Permission::Manager,
    filters: &[
        FilterSpec::text("customer_id"),
        FilterSpec::text("status").one_of(ImprovementStatus::NAMES),
        FilterSpec::text("source").one_of(ImprovementSource::NAMES),
        FilterSpec::text("owner_id").or_me(),
    ],
    search_fields: &["description"],
    sorts: PLAIN_SORTS,
};

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

/// One entry of the continual service improvement register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ImprovementInput {
    /// What is to be improved and how; the first line is its summary.
    pub description: String,
    pub source: Option<ImprovementSource>,
    /// Id of the customer it is for; none when it serves every customer.
    pub customer_id: Option<String>,
    /// Id of the staff member who carries it.
    pub owner_id: Option<String>,
    #[serde(default)]
    pub status: ImprovementStatus,
    /// When it was implemented (or is due to be).
    pub done_on: Option<Date>,
}

impl RecordInput for ImprovementInput {
    const COLLECTION: Collection = Collection::Improvements;
    type Stored = Improvement;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let description = r.required_text("description");
        let source = r.optional_enum(
            "source",
            ImprovementSource::parse,
            &ImprovementSource::names(),
        );
        let customer_id = r.optional_id("customer_id");
        let owner_id = r.optional_id("owner_id");
        let status = r
            .optional_enum(
                "status",
                ImprovementStatus::parse,
                &ImprovementStatus::names(),
            )
            .unwrap_or_default();
        let done_on = r.optional_date("done_on");
        r.finish()?;
        Ok(ImprovementInput {
            description,
            source,
            customer_id,
            owner_id,
            status,
            done_on,
        })
    }

    fn references(&self) -> Vec<Reference> {
        [
            reference("customer_id", Collection::Customers, &self.customer_id),
            reference("owner_id", Collection::Staff, &self.owner_id),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Improvement as read from the server.
pub type Improvement = Stored<ImprovementInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<ImprovementInput, ValidationErrors> {
        ImprovementInput::from_json(value.as_object().expect("test input is an object"))
    }

    #[test]
    fn only_the_description_is_required_and_status_starts_proposed() {
        let input = read(json!({"description": "Publish the maintenance calendar"}))
            .expect("a description is enough");
        assert_eq!(input.status, ImprovementStatus::Proposed);
        assert_eq!(input.source, None);
        assert!(input.references().is_empty());
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = read(json!({
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
        let input = read(json!({
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
