//! End-to-end: the RFC workflow over HTTP (transitions, history, comments),
//! the audit trail of every write, and the change feed.

mod api_support;

use std::time::Duration;

use api_support::{TestServer, id_of};
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

/// Every status but closed and withdrawn, with the steps that reach it
/// from `new` (status, route chosen at triage).
const OPEN_STATUSES: &[(&str, &[(&str, Option<&str>)])] = &[
    ("new", &[]),
    ("triaged", &[("triaged", Some("change_management"))]),
    (
        "assessing",
        &[("triaged", Some("change_management")), ("assessing", None)],
    ),
    (
        "approved",
        &[
            ("triaged", Some("change_management")),
            ("assessing", None),
            ("approved", None),
        ],
    ),
    (
        "rejected",
        &[
            ("triaged", Some("change_management")),
            ("assessing", None),
            ("rejected", None),
        ],
    ),
    (
        "scheduled",
        &[
            ("triaged", Some("change_management")),
            ("assessing", None),
            ("approved", None),
            ("scheduled", None),
        ],
    ),
    (
        "implemented",
        &[
            ("triaged", Some("change_management")),
            ("assessing", None),
            ("approved", None),
            ("scheduled", None),
            ("implemented", None),
        ],
    ),
    (
        "negotiating",
        &[
            ("triaged", Some("service_level_management")),
            ("negotiating", None),
        ],
    ),
    (
        "agreement_updated",
        &[
            ("triaged", Some("service_level_management")),
            ("negotiating", None),
            ("agreement_updated", None),
        ],
    ),
    (
        "declined",
        &[
            ("triaged", Some("service_level_management")),
            ("negotiating", None),
            ("declined", None),
        ],
    ),
];

/// Takes RFC `id` at `version` through `steps`; returns the last version.
async fn walk(
    server: &TestServer,
    token: &str,
    id: &str,
    mut version: i64,
    steps: &[(&str, Option<&str>)],
) -> i64 {
    for (to, route) in steps {
        let mut body = json!({"to": to, "note": format!("to {to}")});
        if let Some(route) = route {
            body["route"] = json!(route);
        }
        let reply = server.transition(id, token, version, &body).await;
        reply.expect(200);
        assert_eq!(reply.json["status"], json!(to));
        assert_eq!(reply.version(), version + 1);
        assert_eq!(reply.etag(), format!("\"{}\"", version + 1));
        version += 1;
    }
    version
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_route_to_closed_with_history_and_audit() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let sam = server.staff("Sam Okafor", &["service_desk"]).await;
    let sams = server.token(Permission::Operator, Some(&sam)).await;

    let paths: &[(&str, &[(&str, Option<&str>)])] = &[
        (
            "change management, approved",
            &[
                ("triaged", Some("change_management")),
                ("assessing", None),
                ("approved", None),
                ("scheduled", None),
                ("implemented", None),
                ("closed", None),
            ],
        ),
        (
            "change management, rejected",
            &[
                ("triaged", Some("change_management")),
                ("assessing", None),
                ("rejected", None),
                ("closed", None),
            ],
        ),
        (
            "service level management, agreement updated",
            &[
                ("triaged", Some("service_level_management")),
                ("negotiating", None),
                ("agreement_updated", None),
                ("closed", None),
            ],
        ),
        (
            "service level management, declined",
            &[
                ("triaged", Some("service_level_management")),
                ("negotiating", None),
                ("declined", None),
                ("closed", None),
            ],
        ),
    ];
    for (name, steps) in paths {
        let created = server
            .post(
                "/api/v1/rfcs",
                &sams,
                &json!({"customer_id": customer, "title": name}),
            )
            .await;
        created.expect(201);
        assert_eq!(created.json["status"], json!("new"));
        assert!(created.json["route"].is_null());
        assert_eq!(created.json["raised_by_id"], json!(sam));
        let id = created.id();

        // Triage needs a route; a route is only chosen at triage.
        server
            .transition(&id, &sams, 1, &json!({"to": "triaged"}))
            .await
            .invalid("route");
        server
            .transition(&id, &sams, 1, &json!({"to": "triaged", "route": "sideways"}))
            .await
            .invalid("route");
        let version = walk(&server, &sams, &id, 1, &steps[..1]).await;
        let route = steps[0].1.expect("the first step triages");
        server
            .transition(&id, &sams, version, &json!({"to": steps[1].0, "route": route}))
            .await
            .invalid("route");
        let version = walk(&server, &sams, &id, version, &steps[1..]).await;
        let closed = server
            .get(&format!("/api/v1/rfcs/{id}"), &server.viewer)
            .await;
        assert_eq!(closed.json["status"], json!("closed"));
        assert_eq!(closed.json["route"], json!(route));
        assert_eq!(closed.version(), version);
        // Nothing follows closed.
        let after = server
            .transition(&id, &sams, version, &json!({"to": "withdrawn"}))
            .await;
        after.problem(409);
        assert!(after.detail().contains("none"), "{}", after.text);

        // History: every step, in order, with who, when, from, to, note.
        let history = server
            .get(&format!("/api/v1/rfcs/{id}/history"), &server.viewer)
            .await;
        history.expect(200);
        let items = history.items();
        assert_eq!(items.len(), steps.len(), "{name}");
        let mut from = "new";
        let mut last_at = String::new();
        for (item, (to, _)) in items.iter().zip(steps.iter()) {
            assert_eq!(item["from"], json!(from), "{name}");
            assert_eq!(item["to"], json!(to), "{name}");
            assert_eq!(item["note"], json!(format!("to {to}")));
            assert_eq!(item["by"], json!("Sam Okafor"));
            assert_eq!(item["by_staff_id"], json!(sam));
            let at = item["at"].as_str().expect("a step has a time").to_string();
            assert!(at >= last_at, "steps in time order");
            last_at = at;
            from = to;
        }

        // Audit: the create and one update per step, seq increasing.
        let audit = server
            .get(&format!("/api/v1/audit?entity=rfcs&id={id}"), &server.viewer)
            .await;
        audit.expect(200);
        let entries = audit.items();
        assert_eq!(entries.len(), steps.len() + 1, "{}", audit.text);
        assert_eq!(entries[0]["action"], json!("create"));
        let seqs: Vec<i64> = entries
            .iter()
            .map(|e| e["seq"].as_i64().expect("a seq"))
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        for (entry, (to, _)) in entries[1..].iter().zip(steps.iter()) {
            assert_eq!(entry["action"], json!("update"));
            assert_eq!(entry["who"], json!("Sam Okafor"));
            assert_eq!(entry["after"]["status"], json!(to));
        }
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawn_from_every_open_status_and_illegal_steps() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let operator = server.operator.clone();
    for (status, steps) in OPEN_STATUSES {
        let rfc = server.rfc(&customer, status, json!({})).await;
        let id = id_of(&rfc);
        let version = walk(&server, &operator, &id, 1, steps).await;
        // An illegal step names the allowed ones.
        let illegal = server
            .transition(&id, &operator, version, &json!({"to": "new"}))
            .await;
        illegal.problem(409);
        assert!(
            illegal.detail().contains("withdrawn"),
            "{status}: {}",
            illegal.text
        );
        let withdrawn = server
            .transition(&id, &operator, version, &json!({"to": "withdrawn", "note": "no longer needed"}))
            .await;
        withdrawn.expect(200);
        assert_eq!(withdrawn.json["status"], json!("withdrawn"));
        let again = server
            .transition(&id, &operator, version + 1, &json!({"to": "withdrawn"}))
            .await;
        again.problem(409);
        let history = server
            .get(&format!("/api/v1/rfcs/{id}/history"), &server.viewer)
            .await;
        let last = history.items().last().cloned().expect("a history");
        assert_eq!(last["from"], json!(status));
        assert_eq!(last["to"], json!("withdrawn"));
        assert_eq!(last["note"], json!("no longer needed"));
    }

    // The detail of an illegal step lists exactly the allowed next statuses.
    let rfc = server.rfc(&customer, "illegal", json!({})).await;
    let id = id_of(&rfc);
    let from_new = server
        .transition(&id, &operator, 1, &json!({"to": "approved"}))
        .await;
    from_new.problem(409);
    assert!(
        from_new.detail().contains("allowed next: triaged, withdrawn"),
        "{}",
        from_new.text
    );
    let version = walk(&server, &operator, &id, 1, OPEN_STATUSES[2].1).await;
    let skip = server
        .transition(&id, &operator, version, &json!({"to": "scheduled"}))
        .await;
    skip.problem(409);
    assert!(
        skip.detail().contains("approved, rejected, withdrawn"),
        "{}",
        skip.text
    );
    // The other route's statuses are not reachable.
    let cross = server
        .transition(&id, &operator, version, &json!({"to": "negotiating"}))
        .await;
    cross.problem(409);

    // Preconditions and bodies.
    let path = format!("/api/v1/rfcs/{id}/transitions");
    server
        .send(
            server
                .request(Method::POST, &path, Some(&operator))
                .json(&json!({"to": "approved"})),
        )
        .await
        .problem(428);
    let stale = server
        .transition(&id, &operator, 1, &json!({"to": "approved"}))
        .await;
    stale.problem(412);
    assert_eq!(stale.header("etag"), Some(format!("\"{version}\"").as_str()));
    server
        .transition(&id, &operator, version, &json!({}))
        .await
        .invalid("to");
    server
        .transition(&id, &operator, version, &json!({"to": "done"}))
        .await
        .invalid("to");
    server
        .transition(&id, &operator, version, &json!({"to": "approved", "why": "x"}))
        .await
        .invalid("why");
    server
        .transition("no-such-rfc", &operator, 1, &json!({"to": "triaged", "route": "change_management"}))
        .await
        .problem(404);
    server
        .transition(&id, &server.viewer, version, &json!({"to": "approved"}))
        .await
        .problem(403);
    server
        .get("/api/v1/rfcs/no-such-rfc/history", &server.viewer)
        .await
        .problem(404);
    // Nothing above changed the RFC.
    let now = server
        .get(&format!("/api/v1/rfcs/{id}"), &server.viewer)
        .await;
    assert_eq!(now.version(), version);
    assert_eq!(now.json["status"], json!("assessing"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let sam = server.staff("Sam Okafor", &["service_desk"]).await;
    let sams = server.token(Permission::Operator, Some(&sam)).await;
    let rfc = id_of(&server.rfc(&customer, "More storage", json!({})).await);
    let path = format!("/api/v1/rfcs/{rfc}/comments");
    let first = server
        .post(&path, &sams, &json!({"text": "Asked the customer for sizes."}))
        .await;
    first.expect(201);
    assert!(first.header("location").is_some());
    assert_eq!(first.json["text"], json!("Asked the customer for sizes."));
    assert_eq!(first.json["by"], json!("Sam Okafor"));
    let second = server
        .post(&path, &server.operator, &json!({"text": "Sizes received."}))
        .await;
    second.expect(201);
    let listed = server.get(&path, &server.viewer).await;
    listed.expect(200);
    let texts: Vec<&Value> = listed.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| &c["text"])
        .collect();
    assert_eq!(
        texts,
        vec![&json!("Asked the customer for sizes."), &json!("Sizes received.")]
    );
    server.post(&path, &sams, &json!({})).await.invalid("text");
    server
        .post(&path, &sams, &json!({"text": "   "}))
        .await
        .invalid("text");
    server
        .post(&path, &server.viewer, &json!({"text": "hi"}))
        .await
        .problem(403);
    server
        .post("/api/v1/rfcs/no-such-rfc/comments", &sams, &json!({"text": "hi"}))
        .await
        .problem(404);
    server
        .get("/api/v1/rfcs/no-such-rfc/comments", &server.viewer)
        .await
        .problem(404);
    // The RFC itself is untouched by comments.
    let read = server
        .get(&format!("/api/v1/rfcs/{rfc}"), &server.viewer)
        .await;
    assert_eq!(read.version(), 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_is_audited() {
    let server = TestServer::start(false).await;
    let helen = server.staff("Helen Achterberg", &["delivery_manager"]).await;
    let helens = server.token(Permission::Manager, Some(&helen)).await;
    let created = server
        .post(
            "/api/v1/customers",
            &helens,
            &json!({"name": "Ministry of Finance", "code": "MOF"}),
        )
        .await;
    created.expect(201);
    let id = created.id();
    let path = format!("/api/v1/customers/{id}");
    server
        .patch(&path, &helens, 1, &json!({"name": "MinFin"}))
        .await
        .expect(200);
    // A token without staff is recorded by its name.
    server.delete(&path, &server.manager, 2).await.expect(204);
    let audit = server
        .get(&format!("/api/v1/audit?entity=customers&id={id}"), &server.viewer)
        .await;
    audit.expect(200);
    let entries = audit.items();
    assert_eq!(entries.len(), 3, "{}", audit.text);
    let actions: Vec<&Value> = entries.iter().map(|e| &e["action"]).collect();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    for entry in &entries {
        assert_eq!(entry["entity"], json!("customers"));
        assert_eq!(entry["entity_id"], json!(id));
        assert!(entry["at"].is_string());
    }
    assert_eq!(entries[0]["who"], json!("Helen Achterberg"));
    assert_eq!(entries[0]["who_staff_id"], json!(helen));
    assert!(entries[0]["before"].is_null());
    assert_eq!(entries[0]["after"]["name"], json!("Ministry of Finance"));
    assert_eq!(entries[1]["who"], json!("Helen Achterberg"));
    assert_eq!(entries[1]["before"]["name"], json!("Ministry of Finance"));
    assert_eq!(entries[1]["after"]["name"], json!("MinFin"));
    assert!(
        entries[2]["who"]
            .as_str()
            .is_some_and(|who| who.starts_with("manager")),
        "{}",
        entries[2]
    );
    assert!(entries[2]["who_staff_id"].is_null());
    assert_eq!(entries[2]["before"]["name"], json!("MinFin"));
    assert!(entries[2]["after"].is_null());

    // Refused writes leave nothing; the whole trail is in seq order.
    server
        .post("/api/v1/customers", &helens, &json!({"name": "X"}))
        .await
        .invalid("code");
    let all = server.get("/api/v1/audit?limit=500", &server.viewer).await;
    let seqs: Vec<i64> = all
        .items()
        .iter()
        .map(|e| e["seq"].as_i64().expect("a seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // Helen's staff record and the customer's three entries.
    assert_eq!(seqs.len(), 4, "{}", all.text);
    // Paging with after=.
    let after = server
        .get(&format!("/api/v1/audit?after={}", seqs[1]), &server.viewer)
        .await;
    assert_eq!(after.items().len(), 2);
    server
        .get("/api/v1/audit?entity=nothing", &server.viewer)
        .await
        .invalid("entity");
    server.stop().await;
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: i64,
    event: String,
    data: Value,
}

/// Reads an event stream, frame by frame.
struct EventReader {
    response: reqwest::Response,
    buffer: String,
}

impl EventReader {
    /// The next event frame (comments skipped).
    async fn next(&mut self) -> Event {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse_frame(&frame) {
                    return event;
                }
                continue;
            }
            let chunk = self
                .response
                .chunk()
                .await
                .expect("the stream reads")
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Events until one matches `wanted` (bounded by a safety-net timeout).
    async fn until(&mut self, wanted: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut seen = Vec::new();
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let event = self.next().await;
                let done = wanted(&event);
                seen.push(event);
                if done {
                    return;
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("the expected event never came; saw {seen:?}"));
        seen
    }
}

fn parse_frame(frame: &str) -> Option<Event> {
    let mut id = None;
    let mut event = None;
    let mut data = None;
    for line in frame.lines() {
        if let Some(value) = line.strip_prefix("id: ") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("event: ") {
            event = Some(value.trim().to_string());
        } else if let Some(value) = line.strip_prefix("data: ") {
            data = serde_json::from_str(value).ok();
        }
    }
    Some(Event {
        id: id?,
        event: event?,
        data: data?,
    })
}

async fn subscribe(server: &TestServer, last_event_id: Option<&str>) -> EventReader {
    let mut request = server.request(Method::GET, "/api/v1/events", Some(&server.viewer));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = request.send().await.expect("the feed answers");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/event-stream"))
    );
    EventReader {
        response,
        buffer: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_feed_replays_and_streams() {
    let server = TestServer::start(false).await;
    let created = server
        .create("customers", json!({"name": "Ministry of Finance", "code": "MOF"}))
        .await;
    let customer = id_of(&created);
    let path = format!("/api/v1/customers/{customer}");
    server
        .patch(&path, &server.admin, 1, &json!({"name": "MinFin"}))
        .await
        .expect(200);
    server.delete(&path, &server.admin, 2).await.expect(204);

    // From the start: the three earlier writes, in order.
    let mut feed = subscribe(&server, Some("0")).await;
    let replayed = feed
        .until(|e| e.data["action"] == json!("delete"))
        .await;
    let summary: Vec<(String, Value, Value)> = replayed
        .iter()
        .map(|e| (e.event.clone(), e.data["action"].clone(), e.data["version"].clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("customers".to_string(), json!("create"), json!(1)),
            ("customers".to_string(), json!("update"), json!(2)),
            ("customers".to_string(), json!("delete"), json!(2)),
        ]
    );
    assert!(replayed.iter().all(|e| e.data["id"] == json!(customer)));
    assert!(replayed.windows(2).all(|w| w[0].id < w[1].id));

    // A write made while connected arrives.
    let staff = server.staff("Sam Okafor", &["service_desk"]).await;
    let live = feed.until(|e| e.data["id"] == json!(staff)).await;
    let last = live.last().expect("an event").clone();
    assert_eq!(last.event, "staff");
    assert_eq!(last.data["action"], json!("create"));
    assert!(last.id > replayed[2].id);
    // An RFC transition arrives as an update of the RFC.
    let other = server.customer("TAX", "Tax Agency").await;
    let rfc = id_of(&server.rfc(&other, "More storage", json!({})).await);
    server
        .transition(&rfc, &server.operator, 1, &json!({"to": "withdrawn"}))
        .await
        .expect(200);
    feed.until(|e| e.event == "rfcs" && e.data["id"] == json!(rfc) && e.data["version"] == json!(2))
        .await;

    // Resuming after an id starts right after it.
    let mut resumed = subscribe(&server, Some(&replayed[1].id.to_string())).await;
    let first = resumed.next().await;
    assert_eq!(first.id, replayed[2].id);
    assert_eq!(first, replayed[2]);
    drop(resumed);
    drop(feed);

    // A bad Last-Event-ID is a 400.
    server
        .send(
            server
                .request(Method::GET, "/api/v1/events", Some(&server.viewer))
                .header("last-event-id", "yesterday"),
        )
        .await
        .problem(400);
    server.stop().await;
}
