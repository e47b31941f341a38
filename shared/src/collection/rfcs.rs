//! RFCs: Requests for Change raised on behalf of a customer. Holds
//! [`Priority`], [`RfcCategory`], [`RfcInput`], [`Rfc`] with its workflow
//! fields, and the collection's declaration; the workflow itself is
//! [`crate::rfc`].

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::input::input_fields;
use super::record::{Meta, yes};
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, RfcRoute, RfcStatus, string_enum};
use crate::wire::Sort;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("rfcs", "RFC", Permission::Operator)
    .filters(&[
        FilterSpec::text("status").one_of(RfcStatus::NAMES),
        FilterSpec::text("route").one_of(RfcRoute::NAMES),
        FilterSpec::id("customer_id"),
        FilterSpec::id("assignee_id").or_me(),
        FilterSpec::text("priority").one_of(Priority::NAMES),
        FilterSpec::id("service_id"),
        FilterSpec::bool("open"),
        FilterSpec::from("due_from", "due_on"),
        FilterSpec::to("due_to", "due_on"),
    ])
    .search(&["title", "description"])
    .sorts(&[
        Sort::Created,
        Sort::Priority,
        Sort::Age,
        Sort::Updated,
        Sort::Due,
    ]);

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

input_fields! {
    /// A Request for Change raised on behalf of a customer.
    pub struct RfcInput for Rfcs, stored as Rfc {
        /// Id of the customer it is raised for.
        customer_id: String = required_id -> Customers,
        title: String = required_line,
        description: Option<String> = optional_text,
        /// Id of the service it changes.
        service_id: Option<String> = optional_id -> Services,
        /// Id of the agreement it concerns.
        agreement_id: Option<String> = optional_id,
        /// Id of the customer's contact who asked for it.
        requested_by_contact_id: Option<String> = optional_id -> Contacts,
        #[serde(default)]
        priority: Priority = enum_or_default(Priority),
        impact: Option<String> = optional_line,
        category: Option<RfcCategory> = optional_enum(RfcCategory),
        /// Id of the staff member working on it.
        assignee_id: Option<String> = optional_id -> Staff,
        due_on: Option<Date> = optional_date,
    }
    accepts RFC_READ_ONLY;
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
