//! End-to-end: `rapportd seed --scale` at a small size. The API reads the
//! records back (counts, versions against history, survey responses), and
//! the same seed twice gives the same data (ids aside).

mod api_support;

use std::collections::HashMap;

use api_support::TestServer;
use rapport_server::seed::scale::{ScaleReport, ScaleSizes, seed_scale};
use serde_json::Value;

fn sizes() -> ScaleSizes {
    ScaleSizes {
        customers: 50,
        contacts: 120,
        rfcs: 500,
        responses: 150,
        meetings: 40,
        seed: 7,
    }
}

/// The seeding moment both runs share, so their dates agree.
fn now() -> jiff::Timestamp {
    "2026-06-01T12:00:00Z".parse().expect("a timestamp")
}

async fn seeded() -> (TestServer, ScaleReport) {
    let server = TestServer::start(false).await;
    let report = seed_scale(server.store.as_ref(), &sizes(), now(), false)
        .await
        .expect("the scale seed writes");
    (server, report)
}

async fn count(server: &TestServer, collection: &str) -> u64 {
    let reply = server
        .get(&format!("/api/v1/{collection}/count"), &server.viewer)
        .await;
    reply.expect(200);
    reply.json["count"].as_u64().expect("a count")
}

const COLLECTIONS: &[&str] = &[
    "staff",
    "services",
    "teams",
    "customers",
    "contacts",
    "rfcs",
    "meetings",
    "surveys",
];

/// Every record the seeding wrote, as the API serves them, with each id
/// replaced by its place in the order first seen (ids differ per run).
async fn everything(server: &TestServer) -> Value {
    let mut records = Vec::new();
    for collection in COLLECTIONS {
        let items = server
            .list_all(&format!("/api/v1/{collection}?limit=200"), &server.viewer)
            .await;
        records.push(Value::Array(items));
    }
    let rfcs = records[5].as_array().cloned().unwrap_or_default();
    for rfc in rfcs.iter().take(25) {
        let id = rfc["id"].as_str().expect("an id");
        for part in ["history", "comments"] {
            let reply = server
                .get(&format!("/api/v1/rfcs/{id}/{part}"), &server.viewer)
                .await;
            reply.expect(200);
            records.push(reply.json["items"].clone());
        }
    }
    let surveys = records[7].as_array().cloned().unwrap_or_default();
    for survey in &surveys {
        let id = survey["id"].as_str().expect("an id");
        let reply = server
            .get(&format!("/api/v1/surveys/{id}/responses"), &server.viewer)
            .await;
        reply.expect(200);
        records.push(reply.json["items"].clone());
    }
    let mut all = Value::Array(records);
    let mut ids = HashMap::new();
    collect_ids(&all, &mut ids);
    replace_ids(&mut all, &ids);
    all
}

fn collect_ids(value: &Value, ids: &mut HashMap<String, String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(id)) = object.get("id") {
                let next = format!("#{}", ids.len());
                ids.entry(id.clone()).or_insert(next);
            }
            object.values().for_each(|v| collect_ids(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

fn replace_ids(value: &mut Value, ids: &HashMap<String, String>) {
    match value {
        Value::String(text) => {
            if let Some(placeholder) = ids.get(text.as_str()) {
                *text = placeholder.clone();
            }
        }
        Value::Object(object) => object.values_mut().for_each(|v| replace_ids(v, ids)),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_ids(v, ids)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_scale_seed_reads_back_through_the_api() {
    let (server, report) = seeded().await;
    assert_eq!(report.customers, 50);
    assert_eq!(report.rfcs, 500);
    assert!(report.rfc_steps > 0, "some RFCs moved: {report:?}");
    assert_eq!(count(&server, "customers").await, 50);
    assert_eq!(count(&server, "contacts").await, 120);
    assert_eq!(count(&server, "rfcs").await, 500);
    assert_eq!(count(&server, "meetings").await, 40);
    assert_eq!(count(&server, "staff").await, report.staff as u64);
    assert_eq!(count(&server, "teams").await, report.teams as u64);
    // Every status the workflow reaches is in the queue, and they add up.
    let mut by_status = 0;
    for status in rapport_shared::enums::RfcStatus::ALL {
        let reply = server
            .get(
                &format!("/api/v1/rfcs/count?status={}", status.as_str()),
                &server.viewer,
            )
            .await;
        by_status += reply.json["count"].as_u64().expect("a count");
    }
    assert_eq!(by_status, 500);
    // Each RFC's version is one more than its steps, as API writes make it,
    // and its ETag says so.
    let rfcs = server
        .list_all("/api/v1/rfcs?limit=200", &server.viewer)
        .await;
    let mut steps = 0;
    for rfc in &rfcs {
        let id = rfc["id"].as_str().expect("an id");
        let history = server
            .get(&format!("/api/v1/rfcs/{id}/history"), &server.viewer)
            .await;
        let taken = history.json["items"].as_array().map_or(0, Vec::len);
        assert_eq!(rfc["version"].as_u64(), Some(taken as u64 + 1), "RFC {id}");
        steps += taken;
    }
    assert_eq!(steps, report.rfc_steps);
    let first = rfcs[0]["id"].as_str().expect("an id");
    let one = server
        .get(&format!("/api/v1/rfcs/{first}"), &server.viewer)
        .await;
    assert_eq!(
        one.version(),
        rfcs[0]["version"].as_i64().expect("a version")
    );
    // The responses, one per contact and survey.
    let surveys = server.list_all("/api/v1/surveys", &server.viewer).await;
    assert_eq!(surveys.len(), report.surveys);
    let mut responses = 0;
    for survey in &surveys {
        let id = survey["id"].as_str().expect("an id");
        let reply = server
            .get(&format!("/api/v1/surveys/{id}/responses"), &server.viewer)
            .await;
        responses += reply.json["items"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(responses, 150);
    // A full database is refused, as for the demo.
    let again = seed_scale(server.store.as_ref(), &sizes(), now(), false).await;
    assert!(again.is_err(), "a second seeding into the same database");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_records() {
    let (first, first_report) = seeded().await;
    let (second, second_report) = seeded().await;
    assert_eq!(first_report, second_report);
    let (a, b) = (everything(&first).await, everything(&second).await);
    assert!(a == b, "two seedings with seed 7 differ");
    first.stop().await;
    second.stop().await;
}

/// The sorted keys of a JSON object, nested objects' keys under theirs.
fn shape(value: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Value::Object(object) = value {
        for (key, inner) in object {
            keys.push(key.clone());
            keys.extend(shape(inner).into_iter().map(|k| format!("{key}.{k}")));
        }
    }
    keys.sort();
    keys
}

/// The audit trail of one record, oldest first.
async fn audit_of(server: &TestServer, id: &str) -> Vec<Value> {
    let reply = server
        .get(&format!("/api/v1/audit?entity=rfcs&id={id}"), &server.admin)
        .await;
    reply.expect(200);
    reply.json["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_seeded_rfc_reads_as_one_made_through_the_api() {
    let (server, _) = seeded().await;
    // A seeded RFC that went through two steps (new -> triaged -> assessing).
    let seeded_rfcs = server
        .list_all("/api/v1/rfcs?status=assessing&limit=200", &server.viewer)
        .await;
    let seeded = seeded_rfcs.first().expect("an RFC in assessment").clone();
    let id = seeded["id"].as_str().expect("an id").to_string();
    // The same through the API: raised, then the same two steps.
    let made = server
        .rfc(
            seeded["customer_id"].as_str().expect("a customer"),
            "Made through the API",
            serde_json::json!({
                "description": "For comparison.",
                "service_id": seeded["service_id"],
                "requested_by_contact_id": seeded["requested_by_contact_id"],
                "priority": seeded["priority"],
                "impact": seeded["impact"],
                "category": seeded["category"],
                "assignee_id": seeded["assignee_id"],
                "due_on": seeded["due_on"],
            }),
        )
        .await;
    let made_id = made["id"].as_str().expect("an id").to_string();
    let body = serde_json::json!({"to": "triaged", "route": "change_management"});
    server
        .transition(&made_id, &server.admin, 1, &body)
        .await
        .expect(200);
    let body = serde_json::json!({"to": "assessing"});
    server
        .transition(&made_id, &server.admin, 2, &body)
        .await
        .expect(200);
    let (a, b) = (
        server
            .get(&format!("/api/v1/rfcs/{id}"), &server.viewer)
            .await,
        server
            .get(&format!("/api/v1/rfcs/{made_id}"), &server.viewer)
            .await,
    );
    a.expect(200);
    b.expect(200);
    assert_eq!(shape(&a.json), shape(&b.json));
    assert_eq!((a.version(), b.version()), (3, 3));
    assert_eq!(a.json["status"], b.json["status"]);
    // Its history and audit trail as API writes leave them: a create and
    // two updates, each version's after the next one's before, the last
    // the record as served.
    let history = server
        .get(&format!("/api/v1/rfcs/{id}/history"), &server.viewer)
        .await;
    let made_history = server
        .get(&format!("/api/v1/rfcs/{made_id}/history"), &server.viewer)
        .await;
    let steps = history.json["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let made_steps = made_history.json["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(steps.len(), 2);
    assert_eq!(shape(&steps[1]), shape(&made_steps[1]));
    let (trail, made_trail) = (
        audit_of(&server, &id).await,
        audit_of(&server, &made_id).await,
    );
    let actions =
        |trail: &[Value]| -> Vec<Value> { trail.iter().map(|e| e["action"].clone()).collect() };
    assert_eq!(actions(&trail), actions(&made_trail));
    assert_eq!(trail.len(), 3);
    for pair in trail.windows(2) {
        assert_eq!(pair[0]["after"], pair[1]["before"]);
        assert!(pair[0]["seq"].as_i64() < pair[1]["seq"].as_i64());
    }
    assert_eq!(trail[2]["after"], a.json);
    assert_eq!(shape(&trail[2]), shape(&made_trail[2]));
    // The search index holds the bulk-written row: its reference finds it.
    let reference = a.json["description"]
        .as_str()
        .and_then(|d| d.split("Reference ").nth(1))
        .map(|r| r.trim_end_matches('.').to_lowercase())
        .expect("a reference in the description");
    let found = server
        .get(&format!("/api/v1/rfcs?q={reference}"), &server.viewer)
        .await;
    found.expect(200);
    let ids: Vec<&Value> = found.json["items"]
        .as_array()
        .map(|items| items.iter().map(|item| &item["id"]).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![&Value::String(id.clone())]);
    server.stop().await;
}
