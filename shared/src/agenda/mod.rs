//! The agenda a meeting is proposed, built from the customer's records
//! (`GET /api/v1/customers/{id}/agenda-proposal`). The two kinds draw on
//! different records on purpose, so that a creative forward-looking session
//! is not turned into a review of the delivery, and no item of one kind
//! appears in the other's proposal:
//! - **follow-up** ([`follow_up`]): the period's delivery — RFCs opened and
//!   closed, open RFCs by age, the median time to close, each active
//!   agreement's levels with the period's attainment, the survey scores of
//!   the period against the previous round, the budget planned against
//!   charged to date, and the actions still open from the last follow-up;
//! - **forward-looking** ([`forward_looking`]): the activity plan of the
//!   period by horizon, the needs outside the agreement (RFCs on the
//!   service level management route), agreements due for review, open
//!   improvements, and the actions still open from the last
//!   forward-looking session.
//!
//! Every item carries its figures in `notes` and in `source` the records
//! it came from, so a client can open them. The inputs are plain facts the
//! server reads from the store ([`Facts`]); this module does no I/O.

mod follow_up;
mod forward;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::attainment::Attainment;
use crate::budget::BudgetView;
use crate::collection::Collection;
use crate::enums::{RfcRoute, RfcStatus};
use crate::records::{ActionItem, AgendaSource, Horizon, MeetingKind};

pub use follow_up::follow_up;
pub use forward::forward_looking;

/// The body of an agenda proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Proposal {
    pub kind: MeetingKind,
    /// The period the figures are about, inclusive.
    pub from: Date,
    pub to: Date,
    pub items: Vec<ProposedItem>,
}

/// One proposed agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProposedItem {
    pub title: String,
    /// The figures, one per line.
    pub notes: String,
    pub source: AgendaSource,
}

impl ProposedItem {
    fn new(title: impl Into<String>, notes: Vec<String>, source: AgendaSource) -> ProposedItem {
        ProposedItem {
            title: title.into(),
            notes: notes.join("\n"),
            source,
        }
    }
}

/// The records of `collection` with these ids.
fn records(collection: Collection, ids: Vec<String>) -> AgendaSource {
    AgendaSource {
        collection: collection.name().to_string(),
        ids,
        query: None,
    }
}

/// The records of `collection` a list query finds.
fn query(collection: Collection, query: String) -> AgendaSource {
    AgendaSource {
        collection: collection.name().to_string(),
        ids: Vec::new(),
        query: Some(query),
    }
}

/// An RFC as the proposal reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfcFacts {
    pub id: String,
    pub title: String,
    pub status: RfcStatus,
    pub route: Option<RfcRoute>,
    pub created_at: Timestamp,
    /// When it was closed (its last step to `closed`), if it was.
    pub closed_at: Option<Timestamp>,
}

impl RfcFacts {
    pub(crate) fn is_open(&self) -> bool {
        !matches!(self.status, RfcStatus::Closed | RfcStatus::Withdrawn)
    }
}

/// An agreement as the proposal reads it, with its attainment over the
/// period's months (follow-up).
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementFacts {
    pub id: String,
    pub title: String,
    /// As it reads on the day of the proposal (`expired` past `valid_to`).
    pub active: bool,
    /// Reads as expired on that day.
    pub expired: bool,
    /// Its review is due on that day (within 30 days, or past).
    pub review_due: bool,
    pub review_on: Option<Date>,
    pub attainment: Option<Attainment>,
}

/// One survey's scores for the customer, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyScore {
    pub survey_id: String,
    pub title: String,
    pub period_end: Option<Date>,
    pub mean: Option<f64>,
    pub nps: Option<f64>,
    pub responses: i64,
}

/// An activity of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFacts {
    pub id: String,
    pub title: String,
    pub horizon: Option<Horizon>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// Still planned or under way (not done, not cancelled).
    pub open: bool,
}

/// An improvement of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImprovementFacts {
    pub id: String,
    pub description: String,
    /// Proposed or in progress.
    pub open: bool,
}

/// A meeting held with the customer, for its open actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMeeting {
    pub id: String,
    pub kind: MeetingKind,
    pub starts_at: Timestamp,
    pub actions: Vec<ActionItem>,
}

/// Everything a proposal (and a customer's health, [`crate::health`]) is
/// built from, about one customer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub customer_id: String,
    pub rfcs: Vec<RfcFacts>,
    pub agreements: Vec<AgreementFacts>,
    pub surveys: Vec<SurveyScore>,
    /// The budget of the year the period ends in.
    pub budget: Option<BudgetView>,
    /// Service names by id, to name services in the notes.
    pub service_names: std::collections::BTreeMap<String, String>,
    pub activities: Vec<ActivityFacts>,
    pub improvements: Vec<ImprovementFacts>,
    /// Meetings held (started before the proposal was asked for).
    pub meetings: Vec<HeldMeeting>,
}

/// The proposal of `kind` for the period `from` through `to`, as of
/// `today` (ages of open RFCs, reviews due).
pub fn propose(kind: MeetingKind, facts: &Facts, from: Date, to: Date, today: Date) -> Proposal {
    let items = match kind {
        MeetingKind::FollowUp => follow_up(facts, from, to, today),
        MeetingKind::ForwardLooking => forward_looking(facts, from, to, today),
    };
    Proposal {
        kind,
        from,
        to,
        items,
    }
}

/// The open actions of the last meeting of `kind` held, as an item.
fn open_actions(facts: &Facts, kind: MeetingKind, title: &str) -> Option<ProposedItem> {
    let last = facts
        .meetings
        .iter()
        .filter(|m| m.kind == kind)
        .max_by_key(|m| (m.starts_at, m.id.clone()))?;
    let open: Vec<String> = last
        .actions
        .iter()
        .filter(|a| !a.done)
        .map(|a| match a.due_on {
            Some(due) => format!("{} (due {due})", a.text),
            None => a.text.clone(),
        })
        .collect();
    if open.is_empty() {
        return None;
    }
    Some(ProposedItem::new(
        title,
        open,
        records(Collection::Meetings, vec![last.id.clone()]),
    ))
}

/// Cents as money: `12 345.67`, `-50.00`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let units = (cents.unsigned_abs() / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in units.chars().enumerate() {
        if index > 0 && (units.len() - index).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", cents.unsigned_abs() % 100)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs().div_euclid(86_400)
}

/// The instant a date starts, in UTC.
pub(crate) fn start_of_day(date: Date) -> Timestamp {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Whether `at` falls on one of the days `from` through `to` (UTC).
fn within(at: Timestamp, from: Date, to: Date) -> bool {
    let past = to.tomorrow().map(start_of_day).unwrap_or(Timestamp::MAX);
    start_of_day(from) <= at && at < past
}
