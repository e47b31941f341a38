//! The relationship's engagement at scale: meetings with each customer,
//! and the quarterly satisfaction surveys with their responses.

use jiff::{SignedDuration, Timestamp};
use rapport_shared::records::{MeetingInput, SurveyInput, SurveyResponseFields};
use serde_json::{Map, Value, json};

use super::names::{self, Rng};
use super::{
    BATCH_OPS, Org, Progress, STREAM_MEETINGS, STREAM_RESPONSES, ScaleSizes, create_many, day,
    days_after, write_derived,
};
use crate::api::surveys::response_op;
use crate::seed::{SeedError, actor_for};
use crate::store::Store;

/// Meetings spread over the last year and the next month, at whole hours,
/// with the customer's relationship manager and up to two of its contacts;
/// the held ones have minutes.
pub(super) async fn seed_meetings(
    store: &dyn Store,
    org: &Org,
    sizes: &ScaleSizes,
    now: Timestamp,
    progress: &Progress,
) -> Result<usize, SeedError> {
    let mut rng = Rng::new(sizes.seed, STREAM_MEETINGS);
    let actor = actor_for("scale seed", None);
    let today = now - SignedDuration::from_secs(now.as_second().rem_euclid(86_400));
    let meetings = create_many::<MeetingInput>(
        store,
        &actor,
        sizes.meetings,
        progress,
        |_| days_after(now, -366),
        |i| {
            let customer = rng.below(org.customers.len());
            let days = i64::try_from(rng.below(395)).unwrap_or(0) - 365;
            let starts_at = days_after(today, days) + SignedDuration::from_hours(9 + (i % 8) as i64);
            let kind = if i % 2 == 0 { "follow_up" } else { "forward_looking" };
            let contacts: Vec<&String> = org
                .contacts_of(customer)
                .take(2)
                .map(|c| &org.contacts[c])
                .collect();
            let brm = &org.staff[org.team_brm[customer % org.team_brm.len()]];
            let title = *rng.pick(names::MEETING_TITLES);
            let mut value = json!({"kind": kind, "customer_id": org.customers[customer],
                                   "starts_at": starts_at.to_string(), "title": title,
                                   "duration_minutes": 60, "location": "Video link in the invitation",
                                   "attendee_staff_ids": [brm], "attendee_contact_ids": contacts});
            if days < 0
                && let Some(object) = value.as_object_mut()
            {
                object.insert(
                    "minutes".into(),
                    Value::from("Went through the period's delivery and the open requests."),
                );
            }
            (format!("meeting {i}"), value)
        },
    )
    .await?;
    Ok(meetings.len())
}

/// Quarterly surveys of every customer, as many as the responses need
/// (each contact answers each survey at most once), and the responses.
pub(super) async fn seed_responses(
    store: &dyn Store,
    org: &Org,
    sizes: &ScaleSizes,
    now: Timestamp,
    progress: &Progress,
) -> Result<(usize, usize), SeedError> {
    if sizes.responses == 0 || org.contacts.is_empty() {
        return Ok((0, 0));
    }
    let actor = actor_for("scale seed", None);
    let rounds = sizes.responses.div_ceil(org.contacts.len());
    let survey_start =
        |round: usize| days_after(now, -(i64::try_from(rounds - round).unwrap_or(0)) * 91);
    let surveys = create_many::<SurveyInput>(store, &actor, rounds, progress, survey_start, |round| {
        let start = survey_start(round);
        let title = format!("Satisfaction survey {}", day(start));
        let value = json!({
            "title": title, "period_start": day(start), "period_end": day(days_after(start, 27)),
            "customer_ids": org.customers, "status": "open",
            "questions": [
                {"id": "overall", "text": "Overall, how satisfied are you with IT services?", "kind": "scale5"},
                {"id": "recommend", "text": "How likely are you to recommend us to a colleague?", "kind": "nps"},
                {"id": "better", "text": "What is the one thing we should do better?", "kind": "text"},
            ],
        });
        (title, value)
    })
    .await?;
    let mut rng = Rng::new(sizes.seed, STREAM_RESPONSES);
    let mut written = 0;
    let mut next = 0;
    while next < sizes.responses {
        let end = (next + BATCH_OPS).min(sizes.responses);
        let mut ops = Vec::with_capacity(end - next);
        for i in next..end {
            let (round, contact) = (i / org.contacts.len(), i % org.contacts.len());
            let mut answers = Map::new();
            let overall = 1 + rng.below(5);
            answers.insert("overall".into(), Value::from(overall));
            answers.insert("recommend".into(), Value::from(rng.below(11)));
            if rng.chance(30) {
                answers.insert(
                    "better".into(),
                    Value::from(*rng.pick(names::SURVEY_COMMENTS)),
                );
            }
            let fields = SurveyResponseFields {
                survey_id: surveys[round].clone(),
                contact_id: org.contacts[contact].clone(),
                customer_id: org.customers[contact % org.customers.len()].clone(),
                answers,
            };
            ops.push(response_op(&fields));
        }
        let at = days_after(survey_start(next / org.contacts.len()), 3);
        written += write_derived(store, &actor, ops, Vec::new(), at)
            .await?
            .len();
        progress.add(end - next);
        next = end;
    }
    Ok((surveys.len(), written))
}
