//! The fixture server's meetings and meeting views, seen from [`NOW`]:
//! for the Ministry of Finance an upcoming follow-up without an agenda, a
//! past follow-up with its agenda, minutes, decision and actions (one
//! overdue), an upcoming forward-looking session; for the Ministry of
//! Health a past workshop with an overdue action of mine; for the Land
//! Registry (team Boreal) an upcoming review whose place holds an escape
//! sequence.

use serde_json::{Value, json};

use crate::api::Record;
use crate::api::views::ViewCall;

/// The moment the fixtures are seen from (the customer fixtures' today).
pub const NOW: &str = "2026-05-20T12:00:00Z";

/// [`NOW`] as a timestamp.
pub fn now() -> jiff::Timestamp {
    NOW.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn meeting(id: &str, mut fields: Value) -> Record {
    if let Some(object) = fields.as_object_mut() {
        object.insert("id".into(), json!(id));
        object.insert("version".into(), json!(1));
    }
    fields.as_object().cloned().unwrap_or_default()
}

/// The RFC fixtures' ids of the Ministry of Finance.
pub const RFC_ONE: &str = "0195a000-0000-7000-8000-00000000a001";
pub const RFC_THREE: &str = "0195a000-0000-7000-8000-00000000a003";

/// The fixture meetings.
pub fn records() -> Vec<Record> {
    vec![
        meeting(
            "m1",
            json!({"kind": "follow_up", "customer_id": "c1", "team_id": "t1",
                "starts_at": "2026-05-26T09:00:00Z", "title": "Quarterly delivery review",
                "duration_minutes": 60, "location": "Room 3",
                "attendee_staff_ids": ["s2"], "attendee_contact_ids": ["p1"]}),
        ),
        meeting(
            "m2",
            json!({"kind": "follow_up", "customer_id": "c1", "team_id": "t1",
            "starts_at": "2026-02-24T09:00:00Z", "title": "Q4 delivery review",
            "duration_minutes": 90, "location": "Room 3",
            "attendee_staff_ids": ["s1", "s2"], "attendee_contact_ids": ["p1", "p2"],
            "agenda": [
                {"title": "Service levels", "notes": "availability met 5 of 6 months\nresolution met every month",
                 "owner_id": "s2", "minutes": 20,
                 "source": {"collection": "agreements", "ids": ["a1"]}},
                {"title": "RFCs closed", "notes": "2 closed, median 12 days",
                 "source": {"collection": "rfcs", "ids": [RFC_ONE, RFC_THREE]}},
                {"title": "Any other business"}
            ],
            "minutes": "A good quarter.\nThe backup window hurt reporting.",
            "decisions": ["Move the backup window to Sunday night"],
            "actions": [
                {"text": "Send the availability report", "owner_id": "s1", "due_on": "2026-03-10", "done": false},
                {"text": "Book the next review", "owner_id": "s2", "due_on": "2026-03-01", "done": true}
            ]}),
        ),
        meeting(
            "m3",
            json!({"kind": "forward_looking", "customer_id": "c1", "team_id": "t1",
            "starts_at": "2026-06-10T13:00:00Z", "title": "Cloud plans",
            "duration_minutes": 120, "location": "https://meet.example/mof",
            "attendee_staff_ids": ["s1"], "attendee_contact_ids": ["p2"],
            "agenda": [
                {"title": "Cloud strategy", "notes": "strategic, in progress",
                 "source": {"collection": "activities", "ids": ["ac1"]}}
            ]}),
        ),
        meeting(
            "m4",
            json!({"kind": "forward_looking", "customer_id": "c2", "team_id": "t1",
            "starts_at": "2026-04-15T10:00:00Z", "title": "Ideas workshop",
            "duration_minutes": 60,
            "attendee_staff_ids": ["s1"],
            "actions": [
                {"text": "Sketch the patient portal", "owner_id": "s1", "due_on": "2026-05-01", "done": false}
            ]}),
        ),
        meeting(
            "m5",
            json!({"kind": "follow_up", "customer_id": "c3", "team_id": "t2",
                "starts_at": "2026-05-28T14:00:00Z", "title": "Onboarding review",
                "duration_minutes": 45, "location": "Room\u{1b}[2J 7"}),
        ),
    ]
}

/// The fixture server's answer to a meetings view.
pub fn view(call: &ViewCall) -> Value {
    match call {
        ViewCall::AgendaProposal { kind, .. } if kind == "forward_looking" => json!({
            "kind": kind,
            "items": [
                {"title": "Activity plan: strategic", "notes": "Cloud strategy (in progress, to 30 Nov)",
                 "source": {"collection": "activities", "ids": ["ac1"]}},
                {"title": "Open improvements", "notes": "Self-service password reset",
                 "source": {"collection": "improvements", "ids": ["i1"]}}
            ]
        }),
        ViewCall::AgendaProposal { kind, .. } => json!({
            "kind": kind,
            "items": [
                {"title": "Service levels of the period", "notes": "Desktop SLA: availability met 2 of 3 months",
                 "source": {"collection": "agreements", "ids": ["a1"]}},
                {"title": "RFCs opened and closed", "notes": "3 opened, 2 closed",
                 "source": {"collection": "rfcs", "ids": [RFC_ONE, RFC_THREE]}},
                {"title": "Satisfaction", "notes": "mean 4.25 (3.50 the round before)",
                 "source": {"collection": "surveys", "ids": ["sv1"]}},
                {"title": "Open RFCs by age", "notes": "1 older than 30 days",
                 "source": {"collection": "rfcs", "query": "status=new&customer_id=c1"}}
            ]
        }),
        ViewCall::Actions { .. } => json!({"items": [
            {"meeting_id": "m2", "index": 0, "text": "Send the availability report", "owner_id": "s1",
             "due_on": "2026-03-10", "done": false, "customer_id": "c1", "kind": "follow_up"},
            {"meeting_id": "m4", "index": 0, "text": "Sketch the patient portal", "owner_id": "s1",
             "due_on": "2026-05-01", "done": false, "customer_id": "c2", "kind": "forward_looking"}
        ]}),
        _ => Value::Null,
    }
}
