//! The fixture server's records and views for the customer screen: an
//! agreement with two levels, a plan on every horizon, an improvement, a
//! budget with two services and its usage lines. Dates are seen from
//! [`TODAY`].

use jiff::civil::Date;
use rapport_shared::Collection;
use serde_json::{Value, json};

use crate::api::Record;
use crate::api::views::ViewCall;

/// The day the fixtures are seen from.
pub const TODAY: Date = jiff::civil::date(2026, 5, 20);

fn record(id: &str, mut fields: Value) -> Record {
    if let Some(object) = fields.as_object_mut() {
        object.insert("id".into(), json!(id));
        object.insert("version".into(), json!(1));
    }
    fields.as_object().cloned().unwrap_or_default()
}

/// The fixture records of the collections only the customer screen shows.
pub fn records(collection: Collection) -> Vec<Record> {
    match collection {
        Collection::Agreements => vec![record(
            "a1",
            json!({"customer_id": "c1", "title": "Desktop SLA", "status": "active",
            "service_ids": ["v1"], "valid_from": "2026-01-01", "valid_to": "2026-12-31",
            "review_on": "2026-06-01", "review_due": true,
            "levels": [
                {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher"},
                {"metric": "resolution", "target": 8, "unit": "h", "better": "lower"}
            ]}),
        )],
        Collection::Activities => vec![
            record(
                "ac1",
                json!({"customer_id": "c1", "title": "Cloud strategy", "horizon": "strategic",
                    "starts_on": "2026-03-01", "ends_on": "2026-11-30", "status": "in_progress"}),
            ),
            record(
                "ac2",
                json!({"customer_id": "c1", "title": "Laptop refresh", "horizon": "tactical",
                    "ends_on": "2026-04-30", "status": "planned"}),
            ),
            record(
                "ac3",
                json!({"customer_id": "c1", "title": "Patch weekend", "horizon": "operational",
                    "starts_on": "2026-05-23", "ends_on": "2026-05-24", "status": "planned"}),
            ),
        ],
        Collection::Improvements => vec![record(
            "i1",
            json!({"customer_id": "c1", "description": "Self-service password reset",
                "source": "survey", "status": "in_progress"}),
        )],
        Collection::Notices => vec![
            record(
                "n1",
                json!({"kind": "scheduled_maintenance", "text": "Mail upgrade\nRead-only for four hours",
                    "starts_at": "2026-05-23T20:00:00Z", "ends_at": "2026-05-24T00:00:00Z",
                    "service_ids": ["v1"], "affected_customer_ids": ["c1", "c2"]}),
            ),
            record(
                "n2",
                json!({"kind": "outage", "text": "Map services down",
                    "starts_at": "2026-05-20T08:00:00Z", "service_ids": ["v2"],
                    "affected_customer_ids": ["c2"]}),
            ),
        ],
        Collection::Usage => vec![
            record(
                "u1",
                json!({"customer_id": "c1", "service_id": "v1", "month": "2026-04",
                    "quantity": 40, "unit_price_cents": 4500, "amount_cents": 180000, "program": "Treasury"}),
            ),
            record(
                "u2",
                json!({"customer_id": "c1", "service_id": "v1", "month": "2026-04",
                    "quantity": 10, "unit_price_cents": 4500, "amount_cents": 45000, "program": null}),
            ),
        ],
        _ => Vec::new(),
    }
}

/// The fixture server's answer to a view.
pub fn view(call: &ViewCall) -> Value {
    match call {
        ViewCall::AgendaProposal { .. } | ViewCall::Actions { .. } => {
            crate::screens::meetings::fixtures::view(call)
        }
        // Nobody else writes in the fixtures: no change is told about.
        ViewCall::ChangeAudit { .. } => json!({"items": [], "next_cursor": null}),
        ViewCall::Attainment { agreement_id, .. } => json!({
            "agreement_id": agreement_id,
            "levels": [
                {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher", "met_share": 0.75,
                 "months": [
                    {"month": "2025-12", "value": 99.9, "met": true},
                    {"month": "2026-01", "value": 99.1, "met": false},
                    {"month": "2026-02", "value": 99.8, "met": true},
                    {"month": "2026-03", "value": null, "met": null},
                    {"month": "2026-04", "value": 99.7, "met": true},
                    {"month": "2026-05", "value": null, "met": null}
                 ]},
                {"metric": "resolution", "target": 8, "unit": "h", "better": "lower", "met_share": 1.0,
                 "months": [{"month": "2026-04", "value": 6, "met": true}]}
            ]
        }),
        ViewCall::Satisfaction { .. } => json!({"items": [
            {"survey_id": "sv0", "title": "Pulse Q4 2025", "period_end": "2025-12-31", "mean": 3.5, "nps": -10.0, "responses": 4},
            {"survey_id": "sv1", "title": "Quarterly satisfaction Q1 2026", "period_end": "2026-03-31", "mean": 4.25, "nps": 25.0, "responses": 6},
        ]}),
        // sv1 of the Surveys fixtures: c1 unhappy, c2 happy.
        ViewCall::SurveyResults { .. } => json!({
            "responses": 5, "invited": 6, "response_rate": 0.8333,
            "questions": [
                {"id": "q1", "kind": "scale5", "count": 5, "mean": 3.4,
                 "distribution": {"1": 1, "2": 0, "3": 1, "4": 2, "5": 1}, "nps": null},
                {"id": "q2", "kind": "nps", "count": 4, "mean": null,
                 "distribution": {"0": 0, "1": 0, "2": 0, "3": 1, "4": 0, "5": 0, "6": 0, "7": 1, "8": 0, "9": 1, "10": 1}, "nps": 25.0},
                {"id": "q3", "kind": "text", "count": 5, "mean": null, "distribution": {}, "nps": null}
            ],
            "customers": [
                {"customer_id": "c1", "invited": 3, "responses": 2, "mean": 2.0, "nps": -50.0},
                {"customer_id": "c2", "invited": 3, "responses": 3, "mean": 4.33, "nps": 66.67}
            ],
            "services": []
        }),
        ViewCall::SurveyComments { .. } => json!({"items": [
            {"question_id": "q3", "text": "Outages came as a surprise.\u{1b}[31m", "contact_id": "p1", "customer_id": "c1", "created_at": "2026-03-20T10:00:00Z"},
            {"question_id": "q3", "text": "Friendly desk.", "contact_id": "p2", "customer_id": "c2", "created_at": "2026-03-18T10:00:00Z"},
            {"question_id": "q3", "text": "The new laptops came a week late and nobody told us why.", "contact_id": "p2", "customer_id": "c1", "created_at": "2026-03-15T10:00:00Z"},
            {"question_id": "q3", "text": "Quick answers on the phone.", "contact_id": "p2", "customer_id": "c2", "created_at": "2026-03-12T10:00:00Z"},
            {"question_id": "q3", "text": "Please warn us before planned maintenance on the payroll servers, not once it has started.", "contact_id": "p1", "customer_id": "c1", "created_at": "2026-03-10T10:00:00Z"}
        ]}),
        ViewCall::Health { customer_id } => json!({
            "customer_id": customer_id, "as_of": "2026-05-14", "state": "act",
            "signals": [
                {"name": "service_levels", "value": 0.75, "threshold": {"watch_below": 1.0, "act_below": 0.8},
                 "state": "act", "reason": "1 of 4 level-months missed: availability 99.1 % in 2026-01 against at least 99.5",
                 "source": {"collection": "agreements", "ids": ["a1"]}},
                {"name": "budget", "value": 270, "threshold": {}, "state": "act",
                 "reason": "charged 11 250.00 of 10 000.00 planned for 2026 (112%), forecast 27 000.00 (270%)",
                 "source": {"collection": "budget_lines", "ids": [], "query": "customer_id=c1"}},
                {"name": "satisfaction", "value": null, "threshold": {}, "state": "unknown",
                 "reason": "no survey answered", "source": {"collection": "surveys", "ids": []}}
            ]
        }),
        ViewCall::WeekAhead { .. } => crate::screens::week::fixtures::week(),
        ViewCall::Portfolio { .. } => json!({"items": [], "next_cursor": null}),
        ViewCall::Audit { entity, id, cursor } => audit_page(*entity, id, cursor.as_deref()),
        ViewCall::Budget { year, .. } => json!({
            "year": year, "planned_cents": 1_000_000, "charged_cents": 1_125_000, "difference_cents": -125_000,
            "services": [
                {"service_id": "v1", "planned_cents": 600_000, "charged_cents": 900_000,
                 "remaining_cents": -300_000, "forecast_cents": 2_700_000,
                 "months": {"2026-03": 675_000, "2026-04": 225_000}},
                {"service_id": "v2", "planned_cents": 400_000, "charged_cents": 225_000,
                 "remaining_cents": 175_000, "forecast_cents": 675_000,
                 "months": {"2026-04": 225_000}}
            ],
            "programs": [
                {"program": "Treasury", "charged_cents": 900_000},
                {"program": null, "charged_cents": 225_000}
            ]
        }),
    }
}

/// A record's audit trail in two pages: its creation by the fixture user
/// and a change by Helen Achterberg (`s2`), then, after cursor `2`, a
/// change of its team.
fn audit_page(entity: Collection, id: &str, cursor: Option<&str>) -> Value {
    let entry = |seq: i64, action: &str, who: &str, before: Value, after: Value| {
        json!({"seq": seq, "when": "2026-03-01T09:00:00Z", "who": who,
            "who_staff_id": if who == "helen" { json!("s2") } else { json!("s1") },
            "entity": entity.name(), "entity_id": id, "action": action,
            "before": before, "after": after})
    };
    match cursor {
        None => json!({"items": [
            entry(1, "create", "fixture", Value::Null, json!({"id": id, "version": 1, "status": "prospect"})),
            entry(2, "update", "helen", json!({"id": id, "version": 1, "status": "prospect"}),
                json!({"id": id, "version": 2, "status": "active"})),
        ], "next_cursor": "2"}),
        Some(_) => json!({"items": [
            entry(3, "update", "helen", json!({"id": id, "version": 2, "team_id": "t2"}),
                json!({"id": id, "version": 3, "team_id": "t1"})),
        ], "next_cursor": null}),
    }
}
