//! The RFCs of a scale seeding: raised in chunks spread over a year, each
//! chunk then walked along the workflow a step at a time (every step the
//! API's [`transition_ops`], so each RFC gets its versions, history
//! entries and audit rows as if moved by hand), a comment on some.

use jiff::{SignedDuration, Timestamp};
use rapport_shared::enums::{RfcRoute, RfcStatus};
use rapport_shared::records::RfcInput;
use serde_json::json;

use super::super::rfcs::{note_for, path_to};
use super::super::{SeedError, actor_for};
use super::names::{self, Rng};
use super::{BATCH_OPS, Org, Progress, create, day, days_after, write_derived};
use crate::api::rfcs::{comment_op, transition_ops};
use crate::store::{Store, StoredRecord};

/// RFCs raised in one batch; each step of the chunk is one batch of at
/// most two ops per RFC, so every batch stays within [`BATCH_OPS`].
const CHUNK: usize = BATCH_OPS / 2;

/// Where RFCs end up, in a hundred: a queue with a backlog, most of the
/// past closed. (route, outcome, how many in a hundred)
pub(super) const OUTCOMES: &[(Option<RfcRoute>, RfcStatus, usize)] = &[
    (None, RfcStatus::New, 25),
    (None, RfcStatus::Withdrawn, 3),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Triaged, 8),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Assessing, 6),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Approved, 4),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Scheduled, 4),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Implemented, 4),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Closed, 20),
    (Some(RfcRoute::ChangeManagement), RfcStatus::Rejected, 4),
    (
        Some(RfcRoute::ServiceLevelManagement),
        RfcStatus::Negotiating,
        6,
    ),
    (
        Some(RfcRoute::ServiceLevelManagement),
        RfcStatus::AgreementUpdated,
        3,
    ),
    (
        Some(RfcRoute::ServiceLevelManagement),
        RfcStatus::Closed,
        10,
    ),
    (
        Some(RfcRoute::ServiceLevelManagement),
        RfcStatus::Declined,
        3,
    ),
];

/// Days between an RFC's steps.
const STEP_DAYS: i64 = 2;

const PRIORITIES: &[&str] = &["low", "medium", "medium", "high", "critical"];
const CATEGORIES: &[&str] = &["normal", "standard", "normal", "emergency"];
const IMPACTS: &[&str] = &["one team", "one site", "whole organisation"];

fn outcome(rng: &mut Rng) -> (Option<RfcRoute>, RfcStatus) {
    let mut roll = rng.below(100);
    for (route, status, share) in OUTCOMES {
        if roll < *share {
            return (*route, *status);
        }
        roll -= share;
    }
    (None, RfcStatus::New)
}

/// Raises `count` RFCs from `start` on and walks each to its outcome:
/// how many were raised and how many steps they took.
pub(super) async fn seed_rfcs(
    store: &dyn Store,
    org: &Org,
    count: usize,
    rng: &mut Rng,
    start: Timestamp,
    progress: &Progress,
) -> Result<(usize, usize), SeedError> {
    let chunks = count.div_ceil(CHUNK).max(1);
    // Raising dates spread over 300 days, so the last steps are still past.
    let spacing = SignedDuration::from_secs(300 * 86_400 / i64::try_from(chunks).unwrap_or(1));
    let mut raised = 0;
    let mut steps = 0;
    for chunk in 0..chunks {
        let first = chunk * CHUNK;
        let size = CHUNK.min(count - first);
        if size == 0 {
            break;
        }
        let at = start + spacing * i32::try_from(chunk).unwrap_or(0);
        // The service desk members take turns raising and moving chunks.
        let desk = org.desk[chunk % org.desk.len()];
        let actor = actor_for(
            &format!("service desk {}", desk + 1),
            Some(&org.staff[desk]),
        );
        let mut ops = Vec::with_capacity(size);
        let mut derivations = Vec::new();
        let mut paths = Vec::with_capacity(size);
        for n in first..first + size {
            let (op, derived) = raise(n, org, rng, at, &actor, ops.len())?;
            ops.push(op);
            derivations.extend(derived);
            let (route, status) = outcome(rng);
            paths.push(path_to(route, status));
        }
        let mut current: Vec<StoredRecord> =
            write_derived(store, &actor, ops, derivations, at).await?;
        let longest = paths.iter().map(Vec::len).max().unwrap_or(0);
        for step in 0..longest {
            let when = days_after(at, STEP_DAYS * (i64::try_from(step).unwrap_or(0) + 1));
            let mut ops = Vec::new();
            let mut moved = Vec::new();
            for (index, path) in paths.iter().enumerate() {
                if let Some((to, route)) = path.get(step) {
                    ops.extend(transition_ops(
                        &current[index],
                        *to,
                        *route,
                        note_for(*to),
                        &actor,
                        when,
                    )?);
                    moved.push(index);
                }
            }
            // A step writes the RFC, then its history entry.
            let written = write_derived(store, &actor, ops, Vec::new(), when).await?;
            for (index, record) in moved.iter().zip(written.into_iter().step_by(2)) {
                current[*index] = record;
            }
            steps += moved.len();
        }
        // A comment on one RFC in ten, after its last step.
        let when = days_after(at, STEP_DAYS * (i64::try_from(longest).unwrap_or(0) + 1));
        let comments: Vec<_> = current
            .iter()
            .enumerate()
            .step_by(10)
            .map(|(index, rfc)| {
                let text = names::RFC_REASONS[index % names::RFC_REASONS.len()];
                comment_op(&rfc.id, text, &actor, when)
            })
            .collect();
        write_derived(store, &actor, comments, Vec::new(), when).await?;
        raised += size;
        progress.add(size);
    }
    Ok((raised, steps))
}

/// The create of RFC `n`, as an API client would send it.
fn raise(
    n: usize,
    org: &Org,
    rng: &mut Rng,
    at: Timestamp,
    actor: &crate::store::Actor,
    offset: usize,
) -> Result<(crate::store::WriteOp, Vec<crate::store::Derivation>), SeedError> {
    let customer = rng.below(org.customers.len());
    let contacts: Vec<usize> = org.contacts_of(customer).collect();
    let contact =
        (!contacts.is_empty()).then(|| &org.contacts[contacts[rng.below(contacts.len())]]);
    let service = rng.below(org.services.len());
    let title = format!(
        "{} {}",
        rng.pick(names::RFC_VERBS),
        rng.pick(names::RFC_OBJECTS)
    );
    // A third unassigned, a third with the desk, a third with an owner.
    let assignee = match rng.below(3) {
        0 => None,
        1 => Some(&org.staff[*rng.pick(&org.desk)]),
        _ => Some(&org.staff[*rng.pick(&org.service_owners)]),
    };
    let due_on = rng
        .chance(75)
        .then(|| day(days_after(at, 30 + (n % 60) as i64)));
    let value = json!({
        "customer_id": org.customers[customer],
        "title": title,
        "description": format!("{title}: {} Reference R{n:07}.", rng.pick(names::RFC_REASONS)),
        "service_id": org.services[service],
        "requested_by_contact_id": contact,
        "priority": rng.pick(PRIORITIES),
        "impact": rng.pick(IMPACTS),
        "category": rng.pick(CATEGORIES),
        "assignee_id": assignee,
        "due_on": due_on,
    });
    create::<RfcInput>(&format!("RFC {n}"), value, actor, offset)
}
