//! The Request for Change workflow. Both sides use this one machine: the
//! server refuses illegal steps with a 409 and the client offers only the
//! legal ones.
//!
//! ```text
//! new -> triaged (route chosen)
//! change management:        triaged -> assessing -> approved | rejected
//!                           approved -> scheduled -> implemented -> closed
//!                           rejected -> closed
//! service level management: triaged -> negotiating -> agreement_updated | declined
//!                           agreement_updated | declined -> closed
//! any status but closed and withdrawn -> withdrawn
//! ```

use serde_json::Value;

use crate::enums::{RfcRoute, RfcStatus};
use crate::wire::{AuditEntry, RfcFieldChange};

use RfcStatus::*;

/// The fields of an RFC whose changes its history shows beside the
/// workflow steps: who took it on, and how urgent it is.
pub const HISTORY_FIELDS: &[&str] = &["priority", "assignee_id"];

/// The changes of [`HISTORY_FIELDS`] in an RFC's audit trail, in the
/// trail's order (oldest first): one per field an update changed. The
/// creation is not a change, and an update that leaves both fields alone
/// (a workflow step, an edited title) adds nothing.
pub fn history_changes(trail: &[AuditEntry]) -> Vec<RfcFieldChange> {
    let value = |record: Option<&Value>, field: &str| {
        record
            .and_then(|record| record.get(field))
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
            .map(str::to_string)
    };
    let mut changes = Vec::new();
    for entry in trail.iter().filter(|entry| entry.action == "update") {
        for field in HISTORY_FIELDS {
            let before = value(entry.before.as_ref(), field);
            let after = value(entry.after.as_ref(), field);
            if before != after {
                changes.push(RfcFieldChange {
                    field: (*field).to_string(),
                    before,
                    after,
                    who: entry.who.clone(),
                    who_staff_id: entry.who_staff_id.clone(),
                    when: entry.when,
                });
            }
        }
    }
    changes
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("an RFC cannot go from {from} to {to}; allowed next: {}", allowed_words(.allowed))]
    Illegal {
        from: RfcStatus,
        to: RfcStatus,
        allowed: Vec<RfcStatus>,
    },
    #[error("triage needs a route: change_management or service_level_management")]
    RouteRequired,
    #[error("a route is chosen only when triaging (new -> triaged)")]
    RouteNotExpected,
}

fn allowed_words(allowed: &[RfcStatus]) -> String {
    if allowed.is_empty() {
        "none (the RFC is finished)".to_string()
    } else {
        allowed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether an RFC in `status` is finished (no further steps).
pub fn is_finished(status: RfcStatus) -> bool {
    matches!(status, Closed | Withdrawn)
}

/// The statuses an RFC in `status` on `route` may go to next, in the order
/// a person would pick them (the forward step first, withdrawal last).
pub fn next_statuses(status: RfcStatus, route: Option<RfcRoute>) -> Vec<RfcStatus> {
    use RfcRoute::{ChangeManagement as Cm, ServiceLevelManagement as Slm};
    // Each status after triage belongs to one route; a record whose route
    // does not match its status (only possible by editing the database) can
    // still be withdrawn but not moved forward.
    let forward: &[RfcStatus] = match (status, route) {
        (New, None) => &[Triaged],
        (Triaged, Some(Cm)) => &[Assessing],
        (Assessing, Some(Cm)) => &[Approved, Rejected],
        (Approved, Some(Cm)) => &[Scheduled],
        (Scheduled, Some(Cm)) => &[Implemented],
        (Implemented | Rejected, Some(Cm)) => &[Closed],
        (Triaged, Some(Slm)) => &[Negotiating],
        (Negotiating, Some(Slm)) => &[AgreementUpdated, Declined],
        (AgreementUpdated | Declined, Some(Slm)) => &[Closed],
        _ => &[],
    };
    let mut next = forward.to_vec();
    if !is_finished(status) {
        next.push(Withdrawn);
    }
    next
}

/// Checks one step and returns the route the RFC has after it.
pub fn check_transition(
    from: RfcStatus,
    current_route: Option<RfcRoute>,
    to: RfcStatus,
    route: Option<RfcRoute>,
) -> Result<Option<RfcRoute>, TransitionError> {
    let allowed = next_statuses(from, current_route);
    if !allowed.contains(&to) {
        return Err(TransitionError::Illegal { from, to, allowed });
    }
    match (from, to, route) {
        (New, Triaged, None) => Err(TransitionError::RouteRequired),
        (New, Triaged, Some(chosen)) => Ok(Some(chosen)),
        (_, _, Some(_)) => Err(TransitionError::RouteNotExpected),
        (_, _, None) => Ok(current_route),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RfcRoute::*;

    /// The legal steps, written out by hand from the contract, per route.
    fn legal(from: RfcStatus, to: RfcStatus, route: Option<RfcRoute>) -> bool {
        let table: &[(RfcStatus, RfcStatus, Option<RfcRoute>)] = &[
            (New, Triaged, None),
            (Triaged, Assessing, Some(ChangeManagement)),
            (Assessing, Approved, Some(ChangeManagement)),
            (Assessing, Rejected, Some(ChangeManagement)),
            (Approved, Scheduled, Some(ChangeManagement)),
            (Scheduled, Implemented, Some(ChangeManagement)),
            (Implemented, Closed, Some(ChangeManagement)),
            (Rejected, Closed, Some(ChangeManagement)),
            (Triaged, Negotiating, Some(ServiceLevelManagement)),
            (Negotiating, AgreementUpdated, Some(ServiceLevelManagement)),
            (Negotiating, Declined, Some(ServiceLevelManagement)),
            (AgreementUpdated, Closed, Some(ServiceLevelManagement)),
            (Declined, Closed, Some(ServiceLevelManagement)),
        ];
        if to == Withdrawn {
            return !matches!(from, Closed | Withdrawn);
        }
        table
            .iter()
            .any(|(f, t, r)| *f == from && *t == to && (r.is_none() || *r == route))
    }

    #[test]
    fn every_pair_of_statuses_on_every_route() {
        let routes = [None, Some(ChangeManagement), Some(ServiceLevelManagement)];
        for route in routes {
            for &from in RfcStatus::ALL {
                // A new RFC has no route yet; a triaged one always has one.
                if (from == New) != route.is_none() {
                    continue;
                }
                for &to in RfcStatus::ALL {
                    let step_route = if to == Triaged {
                        Some(ChangeManagement)
                    } else {
                        None
                    };
                    let result = check_transition(from, route, to, step_route);
                    assert_eq!(
                        result.is_ok(),
                        legal(from, to, route),
                        "{from} -> {to} on {route:?}: {result:?}"
                    );
                    if let Err(TransitionError::Illegal { allowed, .. }) = result {
                        assert_eq!(allowed, next_statuses(from, route));
                    }
                }
            }
        }
    }

    #[test]
    fn triage_needs_a_route_and_only_triage_takes_one() {
        assert_eq!(
            check_transition(New, None, Triaged, None),
            Err(TransitionError::RouteRequired)
        );
        assert_eq!(
            check_transition(New, None, Triaged, Some(ServiceLevelManagement)),
            Ok(Some(ServiceLevelManagement))
        );
        assert_eq!(
            check_transition(
                Triaged,
                Some(ChangeManagement),
                Assessing,
                Some(ServiceLevelManagement)
            ),
            Err(TransitionError::RouteNotExpected)
        );
        assert_eq!(check_transition(New, None, Withdrawn, None), Ok(None));
    }

    #[test]
    fn illegal_steps_name_the_allowed_ones() {
        let error = check_transition(New, None, Closed, None).expect_err("illegal");
        assert_eq!(
            error.to_string(),
            "an RFC cannot go from new to closed; allowed next: triaged, withdrawn"
        );
        let error =
            check_transition(Closed, Some(ChangeManagement), New, None).expect_err("illegal");
        assert!(error.to_string().ends_with("none (the RFC is finished)"));
    }

    #[test]
    fn history_changes_are_the_priority_and_assignee_updates() {
        let entry =
            |seq: i64, action: &str, before: Option<Value>, after: Option<Value>| AuditEntry {
                seq,
                when: jiff::Timestamp::from_second(1_700_000_000 + seq).expect("a valid second"),
                who: "sam".into(),
                who_staff_id: Some("s1".into()),
                entity: "rfcs".into(),
                entity_id: "r1".into(),
                action: action.into(),
                before,
                after,
            };
        let at = |priority: &str, assignee: Value, status: &str| {
            Some(
                serde_json::json!({"priority": priority, "assignee_id": assignee, "status": status}),
            )
        };
        let trail = [
            entry(1, "create", None, at("medium", Value::Null, "new")),
            // A workflow step changes neither field.
            entry(
                2,
                "update",
                at("medium", Value::Null, "new"),
                at("medium", Value::Null, "triaged"),
            ),
            entry(
                3,
                "update",
                at("medium", Value::Null, "triaged"),
                at("high", "s1".into(), "triaged"),
            ),
            entry(
                4,
                "update",
                at("high", "s1".into(), "triaged"),
                at("high", Value::Null, "triaged"),
            ),
        ];
        let changes = history_changes(&trail);
        let seen: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("priority", Some("medium"), Some("high")),
                ("assignee_id", None, Some("s1")),
                ("assignee_id", Some("s1"), None),
            ]
        );
        assert_eq!(changes[0].who, "sam");
        assert_eq!(changes[0].when, trail[2].when);
    }
}
