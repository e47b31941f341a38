//! RFCs: Requests for Change raised on behalf of a customer. Holds
//! [`Priority`], [`RfcCategory`], [`RfcInput`], [`Rfc`] with its workflow
//! fields, and the collection's declaration; the workflow itself is
//! [`crate::rfc`].

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Meta, RecordInput, Reference, reference, reference_to, yes};
use super::spec::{CollectionSpec, FilterSpec};
use super::Collection;
use crate::enums::{Permission, RfcRoute, RfcStatus, string_enum};
use crate::fields::{FieldReader, ValidationErrors};
use crate::wire::Sort;

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "rfcs",
    noun: "RFC",
    write_permission: Permission::Operator,
    filters: &[
        FilterSpec::text("status").one_of(RfcStatus::NAMES),
        FilterSpec::text("route").one_of(RfcRoute::NAMES),
        FilterSpec::text("customer_id"),
        FilterSpec::text("assignee_id").or_me(),
        FilterSpec::text("priority").one_of(Priority::NAMES),
        FilterSpec::text("service_id"),
        FilterSpec::bool("open"),
    ],
    search_fields: &["title", "description"],
    sorts: &[Sort::Created, Sort::Priority, Sort::Age, Sort::Updated],
};

string_enum!(
    /// The ITIL change category of an RFC.
    RfcCategory {
        Standard = "standard",
        Normal = "normal",
        Emergency = "emergency",
    }
);

string_enum!(
    /// How urgent a Request for Change is; `Critical` sorts first, and
    /// `Medium` is the urgency unless said otherwise.
    #[derive(Default)]
    Priority {
        Critical = "critical",
        High = "high",
        #[default]
        Medium = "medium",
        Low = "low",
    }
);

impl Priority {
    /// Sort rank: 0 for critical up to 3 for low.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Critical => 0,
            Priority::High => 1,
            Priority::Medium => 2,
            Priority::Low => 3,
        }
    }
}

/// A Request for Change raised on behalf of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RfcInput {
    /// Id of the customer it is raised for.
    pub customer_id: String,
    pub title: String,
    pub description: Option<String>,
    /// Id of the service it changes.
    pub service_id: Option<String>,
    /// Id of the agreement it concerns.
    pub agreement_id: Option<String>,
    /// Id of the customer's contact who asked for it.
    pub requested_by_contact_id: Option<String>,
    #[serde(default)]
    pub priority: Priority,
    pub impact: Option<String>,
    pub category: Option<RfcCategory>,
    /// Id of the staff member working on it.
    pub assignee_id: Option<String>,
    pub due_on: Option<Date>,
}

impl RecordInput for RfcInput {
    const COLLECTION: Collection = Collection::Rfcs;
    type Stored = Rfc;

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
            .unwrap_or_default();
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
        let mut refs = vec![reference_to(
            "customer_id",
            Collection::Customers,
            &self.customer_id,
        )];
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

/// RFC as read from the server, with its workflow state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Rfc {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: RfcInput,
    #[schemars(extend("readOnly" = true))]
    pub status: RfcStatus,
    #[schemars(extend("readOnly" = true))]
    pub route: Option<RfcRoute>,
    /// The staff member whose token raised it, when known.
    #[schemars(extend("readOnly" = true))]
    pub raised_by_id: Option<String>,
    /// Read-only: false once closed or withdrawn (the `open` filter).
    #[serde(default = "yes")]
    #[schemars(extend("readOnly" = true))]
    pub open: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
