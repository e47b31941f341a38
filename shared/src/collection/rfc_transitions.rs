//! RFC transitions: the workflow steps of an RFC, written by the server
//! with each step and served under `/rfcs/{id}/history`. Holds
//! [`RfcTransitionFields`], [`RfcTransition`] and the collection's
//! declaration.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, RfcRoute, RfcStatus};

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("rfc_transitions", "RFC transition", Permission::Operator)
    .filters(&[FilterSpec::id("rfc_id")])
    .search(&["note"]);

/// One workflow step's fields, as the server writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RfcTransitionFields {
    /// Id of the RFC that moved.
    pub rfc_id: String,
    pub from: RfcStatus,
    pub to: RfcStatus,
    /// The RFC's route after the step (chosen by triage).
    pub route: Option<RfcRoute>,
    pub note: Option<String>,
    /// The name of the token that made the step.
    pub who: String,
    /// The staff member that token belongs to, when known.
    pub who_staff_id: Option<String>,
    pub when: Timestamp,
}

/// RFC transition as read from the server.
pub type RfcTransition = Stored<RfcTransitionFields>;
