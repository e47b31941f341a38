//! The demo's 60 RFCs with their past: each raised by a service desk
//! member at the date [`Timeline::rfc`] gives it, walked along the
//! workflow to its outcome (the same [`transition_ops`] as an API call,
//! a step at a time), some commented on. Every raise, step and comment is
//! its own batch written at its own past time, in time order across all
//! RFCs, so the ids, the change feed and the audit trail run in the same
//! order as the dates.

use jiff::Timestamp;
use rapport_shared::enums::{RfcRoute, RfcStatus};
use rapport_shared::records::RfcInput;
use serde_json::json;

use super::data::{CUSTOMERS, OPERATOR, OUTCOMES, RFC_TOPICS, SERVICES, STAFF};
use super::timeline::{RfcDates, Timeline};
use super::{SeedError, actor_for, create_op, write};
use crate::api::rfcs::{comment_op, transition_ops};
use crate::store::{Store, StoredRecord, WriteOp};

/// How many demo RFCs there are: every topic for three customers.
pub const RFC_COUNT: usize = 60;

/// The records the demo RFCs refer to.
pub struct Parties<'a> {
    pub staff: &'a [String],
    pub services: &'a [String],
    pub customers: &'a [StoredRecord],
    pub contacts: &'a [String],
}

/// Something that happens to one RFC at one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Raised,
    /// The RFC moves along the `n`-th step of its path.
    Moved(usize),
    Commented,
}

/// The steps from `new` to `outcome` (the status, and the route on triage).
pub(super) fn path_to(
    route: Option<RfcRoute>,
    outcome: RfcStatus,
) -> Vec<(RfcStatus, Option<RfcRoute>)> {
    use RfcStatus::*;
    let Some(route) = route else {
        return if outcome == Withdrawn {
            vec![(Withdrawn, None)]
        } else {
            Vec::new()
        };
    };
    let full: &[RfcStatus] = match (route, outcome) {
        (RfcRoute::ChangeManagement, Rejected) => &[Triaged, Assessing, Rejected],
        (RfcRoute::ChangeManagement, _) => {
            &[Triaged, Assessing, Approved, Scheduled, Implemented, Closed]
        }
        (RfcRoute::ServiceLevelManagement, Declined) => &[Triaged, Negotiating, Declined],
        (RfcRoute::ServiceLevelManagement, _) => &[Triaged, Negotiating, AgreementUpdated, Closed],
    };
    let end = full
        .iter()
        .position(|s| *s == outcome)
        .map_or(full.len(), |i| i + 1);
    full[..end]
        .iter()
        .map(|status| (*status, (*status == Triaged).then_some(route)))
        .collect()
}

/// The note a step to `to` carries.
pub(super) fn note_for(to: RfcStatus) -> Option<String> {
    match to {
        RfcStatus::Triaged => Some("Triaged from the queue".to_string()),
        RfcStatus::Rejected | RfcStatus::Declined => {
            Some("Not justified by the expected benefit".to_string())
        }
        _ => None,
    }
}

/// What RFC `n` is raised with: its fields as an API client would send them.
fn raise_op(n: usize, parties: &Parties<'_>, dates: &RfcDates) -> Result<WriteOp, SeedError> {
    let priorities = ["medium", "high", "low", "critical", "medium", "high", "low"];
    let categories = ["normal", "standard", "normal", "emergency", "normal"];
    let impacts = ["one team", "one site", "whole organisation"];
    let active: Vec<usize> = (0..parties.customers.len())
        .filter(|i| CUSTOMERS[*i].3 == "active")
        .collect();
    let (title, service) = RFC_TOPICS[n % RFC_TOPICS.len()];
    let customer = active[(n * 7 + n / RFC_TOPICS.len()) % active.len()];
    // Roughly a third unassigned, a third with the operator, the rest
    // with the service's owner.
    let assignee = match n % 3 {
        0 => None,
        1 => Some(parties.staff[OPERATOR].clone()),
        _ => Some(parties.staff[SERVICES[service].2].clone()),
    };
    create_op::<RfcInput>(
        title,
        json!({
            "customer_id": parties.customers[customer].id,
            "title": title,
            "description": format!("{} requested by {}. {}", title, CUSTOMERS[customer].1, CUSTOMERS[customer].5),
            "service_id": parties.services[service],
            "requested_by_contact_id": parties.contacts[customer * 2 + n % 2],
            "priority": priorities[n % priorities.len()],
            "impact": impacts[n % impacts.len()],
            "category": categories[n % categories.len()],
            "assignee_id": assignee,
            "due_on": (!n.is_multiple_of(4)).then_some(&dates.due_on),
        }),
        &raiser(n, parties),
    )
}

/// Who raises and moves RFC `n`: the two service desk members take turns.
fn raiser(n: usize, parties: &Parties<'_>) -> crate::store::Actor {
    let desk = if n.is_multiple_of(2) {
        OPERATOR
    } else {
        OPERATOR + 1
    };
    actor_for(STAFF[desk].0, Some(&parties.staff[desk]))
}

/// Raises every demo RFC and walks it to its outcome, at its past dates.
pub async fn seed_rfcs(
    store: &dyn Store,
    timeline: &Timeline,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let paths: Vec<_> = (0..RFC_COUNT)
        .map(|n| {
            let (route, outcome) = OUTCOMES[(n + n / OUTCOMES.len()) % OUTCOMES.len()];
            path_to(route, outcome)
        })
        .collect();
    let dates: Vec<RfcDates> = paths
        .iter()
        .enumerate()
        .map(|(n, path)| {
            let statuses: Vec<RfcStatus> = path.iter().map(|(status, _)| *status).collect();
            timeline.rfc(n, &statuses)
        })
        .collect();

    // Every event of every RFC, in time order.
    let mut events: Vec<(Timestamp, usize, Event)> = Vec::new();
    for (n, rfc) in dates.iter().enumerate() {
        events.push((rfc.raised, n, Event::Raised));
        events.extend(
            rfc.steps
                .iter()
                .enumerate()
                .map(|(step, at)| (*at, n, Event::Moved(step))),
        );
        if n % 4 == 1 {
            events.push((rfc.commented, n, Event::Commented));
        }
    }
    events.sort();

    let comments = [
        "Customer confirmed the business need in the last follow-up meeting.",
        "Waiting for the purchaser to confirm the budget.",
        "Capacity check done: fits within the current agreement.",
    ];
    let mut rfcs: Vec<Option<StoredRecord>> = vec![None; RFC_COUNT];
    for (at, n, event) in events {
        let actor = raiser(n, parties);
        let raised = |rfcs: &[Option<StoredRecord>]| {
            rfcs[n].clone().ok_or_else(|| SeedError::Invalid {
                what: format!("RFC {n}"),
                detail: "moved or commented on before it was raised".into(),
            })
        };
        let ops = match event {
            Event::Raised => vec![raise_op(n, parties, &dates[n])?],
            Event::Moved(step) => {
                let (to, route) = paths[n][step];
                transition_ops(&raised(&rfcs)?, to, route, note_for(to), &actor, at)?
            }
            Event::Commented => {
                let rfc = raised(&rfcs)?;
                vec![comment_op(
                    &rfc.id,
                    comments[n % comments.len()],
                    &actor,
                    at,
                )]
            }
        };
        let written = write(store, &actor, ops, at).await?;
        // A raise writes the RFC; a step writes the RFC then its history entry.
        if event != Event::Commented {
            rfcs[n] = written.into_iter().next();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_workflow() {
        for (route, outcome) in OUTCOMES {
            let path = path_to(*route, *outcome);
            let mut status = RfcStatus::New;
            let mut current_route = None;
            for (to, step_route) in &path {
                current_route =
                    rapport_shared::rfc::check_transition(status, current_route, *to, *step_route)
                        .expect("demo paths are legal");
                status = *to;
            }
            assert_eq!(status, *outcome);
        }
    }
}
