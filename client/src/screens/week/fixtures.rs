//! The fixture server's week ahead and the health last seen: two days
//! with items (a meeting, an agreement review, an overdue action), an
//! empty day, and two customers, one of whose health changed.

use serde_json::{Value, json};

use crate::messages::SeenHealth;

/// The fixture answer to `GET /week-ahead?days=7`.
pub fn week() -> Value {
    json!({
        "staff_id": "s1", "from": "2026-05-20", "to": "2026-05-26",
        "days": [
            {"date": "2026-05-20", "items": [
                {"kind": "overdue_action", "title": "Send the capacity figures\u{1b}[2J",
                 "customer_id": "c1", "source": {"collection": "meetings", "ids": ["m1"]}},
                {"kind": "meeting", "title": "Quarterly review",
                 "customer_id": "c1", "source": {"collection": "meetings", "ids": ["m3"]}}
            ]},
            {"date": "2026-05-21", "items": []},
            {"date": "2026-05-22", "items": [
                {"kind": "agreement_review", "title": "Desktop SLA",
                 "customer_id": "c1", "source": {"collection": "agreements", "ids": ["a1"]}}
            ]}
        ],
        "customers": [
            {"customer_id": "c1", "state": "act"},
            {"customer_id": "c2", "state": "good"}
        ]
    })
}

/// The health the week ahead last showed: c1 was good, c2 still is.
pub fn seen() -> SeenHealth {
    [("c1", "good"), ("c2", "good")]
        .into_iter()
        .map(|(id, state)| (id.to_string(), state.to_string()))
        .collect()
}
