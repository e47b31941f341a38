//! The demo's meetings: for every team, with its first customer, a
//! follow-up and a forward-looking session held in the last weeks, with
//! minutes, decisions and actions (one of each left open past its due
//! date), and one of each kind coming up, without an agenda yet (for the
//! proposal to fill). Times are set from the seeding moment.

use jiff::{SignedDuration, Timestamp, ToSpan};
use rapport_shared::records::MeetingInput;
use serde_json::{Value, json};

use super::data::{CUSTOMERS, TEAMS};
use super::rfcs::Parties;
use super::timeline::Timeline;
use super::{SeedError, actor_for, create_all};
use crate::store::Store;

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// One meeting of the demo: kind, days from the seeding (negative: held),
/// title, and whether it was held (minutes and actions).
const MEETINGS: &[(&str, i64, &str)] = &[
    ("follow_up", -40, "Quarterly delivery review"),
    ("forward_looking", -25, "Planning session: the year ahead"),
    ("follow_up", 6, "Monthly delivery review"),
    ("forward_looking", 20, "Ideas workshop"),
];

/// Seeds every team's meetings with its first customer.
pub async fn seed_meetings(
    store: &dyn Store,
    timeline: &Timeline,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let brm = actor_for("demo seed", None);
    let now = timeline.now();
    let date_in = |days: i64| {
        now.to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .checked_add(days.days())
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    for (team, (_, brm_index, dm_index, _)) in TEAMS.iter().enumerate() {
        let Some(customer) = CUSTOMERS.iter().position(|c| c.4 == team) else {
            continue;
        };
        let staff = [
            parties.staff[*brm_index].clone(),
            parties.staff[*dm_index].clone(),
        ];
        let contacts = [
            parties.contacts[customer * 2].clone(),
            parties.contacts[customer * 2 + 1].clone(),
        ];
        let code = CUSTOMERS[customer].0;
        for (kind, days, title) in MEETINGS {
            // Whole hours, at ten in the morning UTC of that day.
            let day_start = now - SignedDuration::from_secs(now.as_second().rem_euclid(86_400));
            let starts_at: Timestamp = day_start
                + DAY * i32::try_from(*days).unwrap_or(0)
                + SignedDuration::from_hours(10);
            let held = *days < 0;
            let lead = if *kind == "follow_up" {
                &staff[1]
            } else {
                &staff[0]
            };
            let mut value = json!({
                "kind": kind, "customer_id": parties.customers[customer].id,
                "starts_at": starts_at.to_string(), "title": format!("{code}: {title}"),
                "duration_minutes": 60, "location": "Room 4.12 / video link in the invitation",
                "attendee_staff_ids": staff, "attendee_contact_ids": contacts,
            });
            if held {
                let fields = held_fields(kind, lead, &staff, &date_in, *days);
                if let (Some(value), Value::Object(fields)) = (value.as_object_mut(), fields) {
                    value.extend(fields);
                }
            }
            let written = timeline.no_later(if held {
                starts_at + SignedDuration::from_hours(2)
            } else {
                now - DAY
            });
            create_all::<MeetingInput>(
                store,
                &brm,
                vec![(format!("{code} {title}"), value)],
                written,
            )
            .await?;
        }
    }
    Ok(())
}

/// What a held meeting of `kind` recorded: its agenda, minutes, decisions
/// and actions (the first left open past its due date, one done).
fn held_fields(
    kind: &str,
    lead: &str,
    staff: &[String; 2],
    date_in: &dyn Fn(i64) -> String,
    days: i64,
) -> Value {
    if kind == "follow_up" {
        json!({
            "agenda": [
                {"title": "Service levels of the quarter", "owner_id": lead, "minutes": 20,
                 "notes": "availability met two months of three; incident response met every month"},
                {"title": "RFC backlog", "owner_id": lead, "minutes": 15},
                {"title": "Charges against budget", "owner_id": staff[0], "minutes": 15},
            ],
            "minutes": "The customer raised the August outage; the root cause and the new monitoring were explained.\nThe backlog of storage requests is shrinking.",
            "decisions": ["Report availability weekly until the end of the quarter"],
            "actions": [
                {"text": "Send the outage report to the purchaser", "owner_id": lead, "due_on": date_in(days + 14), "done": false},
                {"text": "Share the storage forecast", "owner_id": staff[0], "due_on": date_in(days + 7), "done": true},
                {"text": "Propose a date for the next review", "owner_id": lead, "due_on": date_in(30), "done": false},
            ],
        })
    } else {
        json!({
            "agenda": [
                {"title": "What the business plans next year", "owner_id": lead, "minutes": 30},
                {"title": "New needs outside the agreement", "owner_id": lead, "minutes": 20},
            ],
            "minutes": "Two new programmes start in spring; both need hosting and identity services early.\nThe customer would like a self-service portal for simple requests.",
            "decisions": ["Draft an activity plan for the two programmes"],
            "actions": [
                {"text": "Sketch the hosting needs of the spring programmes", "owner_id": lead, "due_on": date_in(days + 20), "done": false},
                {"text": "Ask the service desk about a self-service portal", "owner_id": staff[1], "due_on": date_in(14), "done": false},
            ],
        })
    }
}
