//! Request and response bodies besides the records themselves.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::enums::{Permission, RfcRoute, RfcStatus};

/// Largest page a list call returns; larger `limit`s are refused (422) so a
/// single call can never ask the server for an unbounded amount of work.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// Page size when the client names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;

/// One page of a list: the items and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

crate::enums::string_enum!(
    /// The order of a list (`sort=`); which orders a collection offers is
    /// part of its declaration ([`crate::collection::CollectionSpec::sorts`]).
    #[derive(Default)]
    Sort {
        /// Oldest first by creation (the default for every collection).
        #[default]
        Created = "created",
        /// Most urgent first, then oldest first: the triage order.
        Priority = "priority",
        /// Oldest first.
        Age = "age",
        /// Most recently changed first.
        Updated = "updated",
        /// Soonest due date first, records without one last, then oldest
        /// first (RFCs, whose `due_on` is a date).
        Due = "due",
    }
);

/// `POST /api/v1/rfcs/{id}/transitions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TransitionRequest {
    pub to: RfcStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<RfcRoute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One audit entry: who changed what, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The change sequence number of this write (the change feed's `id`).
    pub seq: i64,
    /// When the write was committed.
    pub when: Timestamp,
    pub who: String,
    pub who_staff_id: Option<String>,
    pub entity: String,
    pub entity_id: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// One change of an RFC's priority or assignee, as its history shows it
/// beside the workflow steps (`GET /api/v1/rfcs/{id}/history`, `changes`).
/// Read from the audit trail by [`crate::rfc::history_changes`], so every
/// change is there, whoever made it and however (a form, a PATCH, a bulk step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RfcFieldChange {
    /// `priority` or `assignee_id` ([`crate::rfc::HISTORY_FIELDS`]).
    pub field: String,
    /// The value before the change; `None` when there was none.
    pub before: Option<String>,
    /// The value after the change; `None` when it was removed.
    pub after: Option<String>,
    /// The name of the token that made the change.
    pub who: String,
    /// The staff member that token belongs to, when known.
    pub who_staff_id: Option<String>,
    pub when: Timestamp,
}

/// Who the caller's token says they are (`GET /api/v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Me {
    pub token_name: String,
    pub permission: Permission,
    pub staff_id: Option<String>,
    pub staff_name: Option<String>,
}
