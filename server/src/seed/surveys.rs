//! The demo's satisfaction surveys: four quarterly rounds asking the
//! active customers' contacts, the first three closed and the latest still
//! open, with answers from most contacts and a comment from many. The
//! Ministry of Health is clearly getting worse round by round and the
//! Ministry of Education clearly better; the others hold steady with small
//! swings. Every answer is computed from the customer's, contact's and
//! round's index, never drawn at random, and written inside its round.

use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::records::{RecordInput, SurveyInput, SurveyResponseFields};
use serde_json::{Map, Value, json};

use super::rfcs::Parties;
use super::timeline::Timeline;
use super::{SeedError, actor_for, create_all, write};
use crate::api::surveys::response_op;
use crate::store::{Link, Store, WriteOp};

/// How many rounds the demo has, one a quarter, the last one open.
pub const ROUNDS: usize = 4;

/// The customers asked: the active ones (by index into the demo's
/// customers).
pub const AUDIENCE: std::ops::Range<usize> = 0..10;

/// The customer whose answers fall every round (the Ministry of Health).
pub const WORSENING: usize = 1;

/// The customer whose answers rise every round (the Ministry of Education).
pub const IMPROVING: usize = 2;

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// What the contacts of a customer say, by how things are going.
const COMMENTS_LOW: &[&str] = &[
    "Three outages in a month and we heard about them from our own staff.",
    "Changes take too long to be approved; we miss our own deadlines.",
    "Nobody called us back about the hospital systems incident.",
];
const COMMENTS_MID: &[&str] = &[
    "Service is fine, but we would like the monthly report earlier.",
    "The service desk is friendly; the self-service portal is hard to find.",
    "Please warn us further ahead of maintenance windows.",
];
const COMMENTS_HIGH: &[&str] = &[
    "The new relationship manager knows our business: thank you.",
    "Exam season went without a single incident this time.",
    "Quick, clear answers on the last two changes we asked for.",
];

/// A contact's overall score (1-5) in `round` (0 the oldest).
fn overall(customer: usize, contact: usize, round: usize) -> i64 {
    let round_index = round.min(ROUNDS - 1);
    match customer {
        WORSENING => [5, 4, 3, 2][round_index] - i64::from(contact == 1 && round >= 2),
        IMPROVING => [2, 3, 4, 5][round_index] - i64::from(contact == 1 && round == 0),
        _ => 3 + ((customer * 7 + contact * 3 + round) % 3) as i64,
    }
}

/// A contact's likelihood to recommend (0-10) in `round`.
fn recommend(customer: usize, contact: usize, round: usize) -> i64 {
    let round_index = round.min(ROUNDS - 1);
    match customer {
        WORSENING => [9, 7, 5, 3][round_index] - i64::from(contact == 1),
        IMPROVING => [5, 7, 9, 10][round_index] - i64::from(contact == 1 && round < 3),
        _ => 7 + ((customer + contact + round) % 3) as i64,
    }
}

/// Whether a contact answered a round: most do; one in five skips.
fn answers(customer: usize, contact: usize, round: usize) -> bool {
    !(customer + contact * 2 + round).is_multiple_of(5)
        || customer == WORSENING
        || customer == IMPROVING
}

/// Writes the four rounds and their responses.
pub async fn seed_surveys(
    store: &dyn Store,
    timeline: &Timeline,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let seed = actor_for("demo seed", None);
    let now = timeline.now();
    let audience: Vec<&str> = AUDIENCE
        .filter_map(|index| parties.customers.get(index).map(|c| c.id.as_str()))
        .collect();
    let hosting = parties.services.first().cloned().unwrap_or_default();
    for round in 0..ROUNDS {
        // Round 0 ran about a year ago; the last one started last month.
        let start = now - DAY * (i32::try_from((ROUNDS - round) * 91).unwrap_or(364) - 30);
        let end = start + DAY * 27;
        let open = round == ROUNDS - 1;
        let day = |at: Timestamp| at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        let title = format!("Quarterly satisfaction survey, {}", &day(start)[..7]);
        let survey = json!({
            "title": title,
            "period_start": day(start),
            "period_end": day(end),
            "customer_ids": audience,
            "status": "open",
            "questions": [
                {"id": "overall", "text": "Overall, how satisfied are you with IT services?", "kind": "scale5"},
                {"id": "hosting", "text": "How satisfied are you with server hosting?", "kind": "scale5",
                 "service_id": hosting},
                {"id": "recommend", "text": "How likely are you to recommend us to a colleague?", "kind": "nps"},
                {"id": "better", "text": "What is the one thing we should do better?", "kind": "text"},
            ],
        });
        let created =
            create_all::<SurveyInput>(store, &seed, vec![(title.clone(), survey)], start).await?;
        let Some(survey) = created.into_iter().next() else {
            return Err(SeedError::Invalid {
                what: title,
                detail: "the survey was not written".into(),
            });
        };
        for (slot, customer_index) in AUDIENCE.enumerate() {
            let Some(customer) = parties.customers.get(customer_index) else {
                continue;
            };
            for contact in 0..2 {
                if !answers(customer_index, contact, round) {
                    continue;
                }
                let Some(contact_id) = parties.contacts.get(customer_index * 2 + contact) else {
                    continue;
                };
                let score = overall(customer_index, contact, round);
                let mut answers = Map::new();
                answers.insert("overall".into(), Value::from(score));
                if contact == 0 || customer_index % 2 == 0 {
                    answers.insert(
                        "hosting".into(),
                        Value::from((score + (slot as i64 % 2)).clamp(1, 5)),
                    );
                }
                answers.insert(
                    "recommend".into(),
                    Value::from(recommend(customer_index, contact, round)),
                );
                if (customer_index + contact + round) % 3 != 1 || customer_index == WORSENING {
                    let pool = match score {
                        1 | 2 => COMMENTS_LOW,
                        3 => COMMENTS_MID,
                        _ => COMMENTS_HIGH,
                    };
                    let text = pool[(customer_index + round + contact) % pool.len()];
                    answers.insert("better".into(), Value::from(text));
                }
                let fields = SurveyResponseFields {
                    survey_id: survey.id.clone(),
                    contact_id: contact_id.clone(),
                    customer_id: customer.id.clone(),
                    answers,
                };
                let at = start + DAY * i32::try_from(2 + slot * 2 + contact).unwrap_or(2);
                write(
                    store,
                    &seed,
                    vec![response_op(&fields)],
                    timeline.no_later(at),
                )
                .await?;
            }
        }
        if !open {
            let mut input =
                SurveyInput::from_json(&survey.fields).map_err(|errors| SeedError::Invalid {
                    what: survey.id.clone(),
                    detail: errors.to_string(),
                })?;
            input.status = rapport_shared::records::SurveyStatus::Closed;
            let op = WriteOp::Update {
                collection: Collection::Surveys,
                id: survey.id.clone(),
                expected_version: survey.version,
                fields: input.to_object(),
                links: input.references().into_iter().map(Link::from).collect(),
                unique: Vec::new(),
            };
            write(store, &seed, vec![op], timeline.no_later(end + DAY)).await?;
        }
    }
    Ok(())
}
