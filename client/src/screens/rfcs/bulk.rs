//! Steps on one or many RFCs: triage with a route, a move to a next
//! status, assignment, priority. [`plan`] checks each RFC with the shared
//! state machine before anything is sent, so an illegal step is refused
//! in the client with the machine's own words; each legal one becomes its
//! own call with its own `If-Match`. A [`Batch`] gathers every answer, so
//! the summary says what succeeded and what was refused, and why.

use rapport_shared::enums::{Priority, RfcRoute, RfcStatus};
use rapport_shared::rfc::check_transition;
use serde_json::{Map, Value};

use crate::api::rfcs::RfcCall;
use crate::api::{Record, record_id, record_version, text};

/// What to do to each RFC of a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `new -> triaged` on this route.
    Triage(RfcRoute),
    /// To this status (one of `rfc::next_statuses`), with the note for
    /// the history the user typed, if any.
    Move(RfcStatus, Option<String>),
    /// Set the assignee to staff member `id`; `name` is theirs, `None`
    /// when it is the user.
    Assign {
        id: String,
        name: Option<String>,
    },
    Priority(Priority),
}

impl Step {
    /// What the step is called in messages and summaries.
    pub fn what(&self) -> String {
        match self {
            Step::Triage(route) => format!("Triage to {}", route.as_str().replace('_', " ")),
            Step::Move(status, _) => format!("Move to {}", status.as_str().replace('_', " ")),
            Step::Assign { name: None, .. } => "Assign to me".to_string(),
            Step::Assign {
                name: Some(name), ..
            } => format!("Assign to {name}"),
            Step::Priority(priority) => format!("Priority {priority}"),
        }
    }
}

/// The call one RFC needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// A workflow transition.
    Call(RfcCall),
    /// A merge patch at the RFC's version.
    Patch {
        id: String,
        version: i64,
        patch: Record,
    },
}

/// The call that does `step` to `rfc`, or why the client refuses it.
pub fn plan(step: &Step, rfc: &Record) -> Result<Work, String> {
    let id = record_id(rfc).to_string();
    let version = record_version(rfc);
    let transition = |to: RfcStatus, route: Option<RfcRoute>, note: Option<String>| {
        let from = RfcStatus::parse(text(rfc, "status"))
            .ok_or_else(|| "its status is unreadable".to_string())?;
        let current_route = RfcRoute::parse(text(rfc, "route"));
        check_transition(from, current_route, to, route).map_err(|error| error.to_string())?;
        Ok(Work::Call(RfcCall::Transition {
            id: id.clone(),
            version,
            to,
            route,
            note,
        }))
    };
    let patch = |field: &str, value: &str| {
        let mut patch = Map::new();
        patch.insert(field.to_string(), Value::String(value.to_string()));
        Ok(Work::Patch {
            id: id.clone(),
            version,
            patch,
        })
    };
    match step {
        Step::Triage(route) => transition(RfcStatus::Triaged, Some(*route), None),
        Step::Move(to, note) => transition(*to, None, note.clone()),
        Step::Assign { id: staff_id, .. } => patch("assignee_id", staff_id),
        Step::Priority(priority) => patch("priority", priority.as_str()),
    }
}

/// The statuses offered for a move of `rfcs`: the legal next statuses of
/// each (`rfc::next_statuses`), in workflow order, without triage (which
/// needs a route and has its own key).
pub fn move_choices(rfcs: &[Record]) -> Vec<RfcStatus> {
    let mut legal = Vec::new();
    for rfc in rfcs {
        let Some(status) = RfcStatus::parse(text(rfc, "status")) else {
            continue;
        };
        let route = RfcRoute::parse(text(rfc, "route"));
        legal.extend(rapport_shared::rfc::next_statuses(status, route));
    }
    RfcStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != RfcStatus::Triaged && legal.contains(s))
        .collect()
}

/// A step on a selection, gathering the answers as they come.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub what: String,
    /// RFCs sent and not answered yet.
    pub pending: usize,
    /// Labels of the RFCs the step was applied to.
    pub done: Vec<String>,
    /// Labels and reasons of the RFCs it was refused for.
    pub refused: Vec<(String, String)>,
    /// How many RFCs the step was asked for (1: report in the status line).
    pub asked: usize,
    /// The ways back of the RFCs done so far (for `u`).
    pub reverts: Vec<super::undo::Revert>,
    /// Why the step cannot be undone, for a workflow step.
    pub forbidden: Option<String>,
    /// Whether this batch is itself an undo (which `u` does not undo).
    pub undoing: bool,
}

impl Batch {
    /// Whether every answer is in.
    pub fn finished(&self) -> bool {
        self.pending == 0
    }

    /// The summary's lines: the outcome, then every refusal with its reason.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![crate::strings::bulk_outcome(
            &self.what,
            self.done.len(),
            self.refused.len(),
        )];
        for (label, reason) in &self.refused {
            lines.push(format!("refused  {label}: {reason}"));
        }
        for label in &self.done {
            lines.push(format!("done     {label}"));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rfc(id: &str, status: &str, route: Option<&str>) -> Record {
        json!({"id": id, "version": 3, "status": status, "route": route, "title": "t"})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn illegal_steps_are_refused_in_the_machines_words() {
        let new = rfc("a", "new", None);
        let implemented = rfc("b", "implemented", Some("change_management"));
        assert!(matches!(
            plan(&Step::Triage(RfcRoute::ChangeManagement), &new),
            Ok(Work::Call(RfcCall::Transition {
                version: 3,
                to: RfcStatus::Triaged,
                route: Some(_),
                ..
            }))
        ));
        let refused =
            plan(&Step::Move(RfcStatus::Closed, None), &new).expect_err("new cannot close");
        assert_eq!(
            refused,
            "an RFC cannot go from new to closed; allowed next: triaged, withdrawn"
        );
        assert!(plan(&Step::Move(RfcStatus::Closed, None), &implemented).is_ok());
        assert!(plan(&Step::Triage(RfcRoute::ChangeManagement), &implemented).is_err());
        assert!(matches!(
            plan(&Step::Priority(Priority::High), &new),
            Ok(Work::Patch { version: 3, .. })
        ));
    }

    #[test]
    fn move_offers_only_next_statuses() {
        let implemented = rfc("b", "implemented", Some("change_management"));
        assert_eq!(
            move_choices(std::slice::from_ref(&implemented)),
            vec![RfcStatus::Closed, RfcStatus::Withdrawn]
        );
        let closed = rfc("c", "closed", Some("change_management"));
        assert!(move_choices(&[closed]).is_empty());
        let assessing = rfc("d", "assessing", Some("change_management"));
        assert_eq!(
            move_choices(&[implemented, assessing]),
            vec![
                RfcStatus::Approved,
                RfcStatus::Rejected,
                RfcStatus::Closed,
                RfcStatus::Withdrawn
            ]
        );
    }

    #[test]
    fn the_summary_lists_every_refusal() {
        let batch = Batch {
            what: "Move to closed".into(),
            pending: 0,
            done: vec!["a1 one".into()],
            refused: vec![(
                "b2 two".into(),
                "changed on the server since you read it".into(),
            )],
            asked: 2,
            reverts: Vec::new(),
            forbidden: None,
            undoing: false,
        };
        let lines = batch.summary();
        assert_eq!(lines[0], "Move to closed: 1 done, 1 refused");
        assert!(lines[1].contains("b2 two: changed on the server"));
    }
}
