//! Undo (`u`) of the last step made from this queue. A priority or an
//! assignee is put back by a new merge patch with `If-Match` of the version
//! the step left, so a record changed since is refused (412), never
//! silently rewritten; a workflow step has no way back, and `u` says so.

use rapport_shared::enums::RfcStatus;
use serde_json::Value;

use super::bulk::Step;
use crate::api::Record;
use crate::strings;

/// How the last step made from the queue can be taken back.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// Patches putting the fields back, one per RFC the step changed.
    Revert { what: String, entries: Vec<Revert> },
    /// The workflow offers no way back: why, in the user's words.
    Forbidden(String),
}

/// One RFC's way back: `patch` at the `version` the step left it at.
#[derive(Debug, Clone, PartialEq)]
pub struct Revert {
    pub id: String,
    pub label: String,
    pub version: i64,
    pub patch: Record,
}

/// The patch that puts back what `patch` changes, from `rfc` as it was
/// before it (an empty field is removed again: `null`).
pub fn revert_patch(rfc: &Record, patch: &Record) -> Record {
    patch
        .keys()
        .map(|field| {
            let before = match rfc.get(field) {
                Some(Value::String(text)) if text.is_empty() => Value::Null,
                Some(value) => value.clone(),
                None => Value::Null,
            };
            (field.clone(), before)
        })
        .collect()
}

/// Why a workflow step cannot be undone; `None` for a step that can.
pub fn forbidden(step: &Step) -> Option<String> {
    match step {
        Step::Triage(_) => Some(strings::UNDO_TRIAGE_FORBIDDEN.to_string()),
        Step::Move(to, _) => Some(strings::undo_move_forbidden(match to {
            RfcStatus::Closed => "A closed RFC cannot be reopened",
            RfcStatus::Withdrawn => "A withdrawn RFC cannot be brought back",
            _ => "The workflow only moves an RFC forward",
        })),
        Step::Assign { .. } | Step::Priority(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Record {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_way_back_is_the_fields_as_they_were() {
        let rfc = record(json!({"priority": "medium", "assignee_id": "", "title": "t"}));
        let patch = record(json!({"priority": "high", "assignee_id": "s1"}));
        assert_eq!(
            revert_patch(&rfc, &patch),
            record(json!({"priority": "medium", "assignee_id": null}))
        );
        assert_eq!(
            forbidden(&Step::Priority(rapport_shared::enums::Priority::Low)),
            None
        );
        assert_eq!(
            forbidden(&Step::Move(RfcStatus::Closed, None)).as_deref(),
            Some("A closed RFC cannot be reopened: nothing undone")
        );
    }

    #[test]
    fn a_route_chosen_by_mistake_has_no_way_back_because_the_workflow_has_none() {
        use rapport_shared::enums::RfcRoute;
        // The message is true only while the workflow has no step from
        // triaged back to new, on either route.
        for route in [RfcRoute::ChangeManagement, RfcRoute::ServiceLevelManagement] {
            assert!(
                !rapport_shared::rfc::next_statuses(RfcStatus::Triaged, Some(route))
                    .contains(&RfcStatus::New)
            );
            assert_eq!(
                forbidden(&Step::Triage(route)).as_deref(),
                Some(strings::UNDO_TRIAGE_FORBIDDEN)
            );
        }
    }
}
