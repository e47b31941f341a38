//! Test fixtures of the RFC queue: RFCs in several statuses with fixed ids
//! and times, and the fixture server's answers to workflow calls, which
//! apply the shared state machine as the real server does.

use rapport_shared::enums::{RfcRoute, RfcStatus};
use rapport_shared::problem::Problem;
use serde_json::{Value, json};

use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record, record_id, record_version, text};

/// The time the fixtures' ages are measured from.
pub const NOW: &str = "2026-03-01T12:00:00Z";

/// The fixed "now" as a timestamp.
pub fn now() -> jiff::Timestamp {
    NOW.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The fixture RFCs, in triage order (priority, then age).
pub fn records() -> Vec<Record> {
    let rfc = |n: u32,
               title: &str,
               priority: &str,
               status: &str,
               route: Option<&str>,
               created: &str,
               assignee: Option<&str>| {
        let value = json!({
            "id": format!("0195a000-0000-7000-8000-00000000a{n:03}"),
            "version": 1,
            "created_at": created,
            "updated_at": created,
            "customer_id": if n.is_multiple_of(2) { "c2" } else { "c1" },
            "service_id": "v1",
            "requested_by_contact_id": "p2",
            "title": title,
            "description": format!("{title}.\nAsked for by the customer."),
            "priority": priority,
            "category": "normal",
            "status": status,
            "route": route,
            "assignee_id": assignee,
            "raised_by_id": "s2",
        });
        value.as_object().cloned().unwrap_or_default()
    };
    let cm = Some("change_management");
    let slm = Some("service_level_management");
    let mut rfcs = vec![
        rfc(
            1,
            "VPN access for the audit team",
            "critical",
            "new",
            None,
            "2026-03-01T10:00:00Z",
            None,
        ),
        rfc(
            2,
            "Firewall opening for the payroll link",
            "critical",
            "assessing",
            cm,
            "2026-01-10T09:00:00Z",
            Some("s1"),
        ),
        rfc(
            3,
            "More mailbox storage for the board",
            "high",
            "new",
            None,
            "2026-02-26T08:30:00Z",
            None,
        ),
        rfc(
            4,
            "New reporting service for hospitals",
            "high",
            "negotiating",
            slm,
            "2026-02-01T14:00:00Z",
            Some("s3"),
        ),
        rfc(
            5,
            "Replace the meeting room screens",
            "medium",
            "new",
            None,
            "2026-02-18T11:15:00Z",
            None,
        ),
        rfc(
            6,
            "Extend desk support hours",
            "medium",
            "implemented",
            cm,
            "2026-02-20T16:45:00Z",
            Some("s1"),
        ),
        rfc(
            7,
            "Archive the old tax records",
            "low",
            "closed",
            cm,
            "2025-12-01T10:00:00Z",
            Some("s1"),
        ),
        rfc(
            8,
            "Second screen for the registry clerks",
            "low",
            "rejected",
            cm,
            "2026-02-27T12:00:00Z",
            None,
        ),
    ];
    // Due dates on two open RFCs: one in the week of `NOW` (Monday 23 Feb
    // to Sunday 1 March), one after it.
    for (rfc, due) in rfcs
        .iter_mut()
        .zip(["", "", "", "2026-02-27", "", "2026-03-10"])
    {
        if !due.is_empty() {
            rfc.insert("due_on".into(), json!(due));
        }
    }
    rfcs
}

/// Whether `rfc` matches the list or count filters (`assignee_id=me` is `s1`).
pub fn matches(rfc: &Record, filters: &[(String, String)]) -> bool {
    filters
        .iter()
        .filter(|(k, _)| k != "sort" && k != "q")
        .all(|(k, v)| {
            if k == "open" {
                // The server keeps `open` from the status; the fixture derives it.
                return super::is_open(rfc).to_string() == *v;
            }
            // A due date within the range, as the server's `due_on` filters;
            // the undated never match. ISO dates compare as text.
            let due = text(rfc, "due_on");
            match k.as_str() {
                "due_from" => return !due.is_empty() && due >= v.as_str(),
                "due_to" => return !due.is_empty() && due <= v.as_str(),
                _ => {}
            }
            let wanted = if k == "assignee_id" && v == "me" {
                "s1"
            } else {
                v.as_str()
            };
            text(rfc, k) == wanted
        })
}

/// Moves `rfc` to `to` (on `route`) as the server does: 404 without an
/// RFC, stale unless `version` is its own, 409 unless the workflow allows it.
pub fn transition(
    rfc: Option<Record>,
    version: i64,
    to: RfcStatus,
    route: Option<RfcRoute>,
) -> Result<Record, ApiError> {
    let Some(mut rfc) = rfc else {
        return Err(ApiError::Problem(Problem::new(
            404,
            "no such RFC".to_string(),
        )));
    };
    if version != record_version(&rfc) {
        return Err(ApiError::Stale);
    }
    let from = RfcStatus::parse(text(&rfc, "status")).unwrap_or(RfcStatus::New);
    let current = RfcRoute::parse(text(&rfc, "route"));
    let new_route = rapport_shared::rfc::check_transition(from, current, to, route)
        .map_err(|error| ApiError::Problem(Problem::new(409, error.to_string())))?;
    rfc.insert("status".into(), json!(to.as_str()));
    rfc.insert("route".into(), json!(new_route.map(RfcRoute::as_str)));
    rfc.insert("version".into(), json!(version + 1));
    Ok(rfc)
}

/// The fixture server's answer to a workflow call.
pub fn answer(call: RfcCall) -> RfcAnswer {
    match call {
        RfcCall::Transition {
            id,
            version,
            to,
            route,
            ..
        } => {
            let rfc = records().into_iter().find(|r| record_id(r) == id);
            RfcAnswer::Record(transition(rfc, version, to, route))
        }
        RfcCall::Comment { id, text } => {
            let comment =
                json!({"id": "k9", "rfc_id": id, "text": text, "who": "Amara Nwosu", "when": NOW});
            RfcAnswer::Record(Ok(comment.as_object().cloned().unwrap_or_default()))
        }
        RfcCall::History { id } => {
            let items = records()
                .into_iter()
                .filter(|r| record_id(r) == id && text(r, "status") != "new")
                .map(|r| {
                    let entry = json!({"from": "new", "to": "triaged", "route": r.get("route").cloned().unwrap_or(Value::Null),
                        "who": "Helen Achterberg", "when": text(&r, "created_at"), "note": "Triaged from the queue"});
                    entry.as_object().cloned().unwrap_or_default()
                })
                .collect();
            RfcAnswer::Items(Ok(items))
        }
        RfcCall::Comments { id } => {
            let items = if id.ends_with("a001") {
                let comment = json!({"text": "Needed before the audit starts.", "who": "Margit Lindqvist", "when": "2026-03-01T11:00:00Z"});
                vec![comment.as_object().cloned().unwrap_or_default()]
            } else {
                Vec::new()
            };
            RfcAnswer::Items(Ok(items))
        }
        RfcCall::Count { filters } => RfcAnswer::Count(Ok(records()
            .iter()
            .filter(|r| matches(r, &filters))
            .count() as u64)),
    }
}
