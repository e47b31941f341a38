//! The change feed (`text/event-stream`), and two servers on one database.

use std::time::Duration;

use crate::api_support::{TestServer, id_of};
use rapport_server::store::Store;
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

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
        .create(
            "customers",
            json!({"name": "Ministry of Finance", "code": "MOF"}),
        )
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
    let replayed = feed.until(|e| e.data["action"] == json!("delete")).await;
    let summary: Vec<(String, Value, Value)> = replayed
        .iter()
        .map(|e| {
            (
                e.event.clone(),
                e.data["action"].clone(),
                e.data["version"].clone(),
            )
        })
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
    feed.until(|e| {
        e.event == "rfcs" && e.data["id"] == json!(rfc) && e.data["version"] == json!(2)
    })
    .await;

    // A write by another server on the same database arrives too (the
    // stream polls for those).
    let other_server = rapport_server::store::Actor {
        token_id: "other".into(),
        name: "another rapportd".into(),
        staff_id: None,
        permission: Permission::Admin,
    };
    let fields = json!({"name": "Written Elsewhere", "email": "else@it.example", "job_roles": [], "active": true});
    let written = server
        .store
        .write(rapport_server::store::WriteBatch {
            actor: other_server,
            ops: vec![rapport_server::store::WriteOp::Create {
                collection: rapport_shared::Collection::Staff,
                fields: fields.as_object().cloned().expect("an object"),
                links: Vec::new(),
                unique: Vec::new(),
            }],
            idempotency: None,
            at: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        })
        .await
        .expect("the other store writes");
    let elsewhere = written[0].id.clone();
    feed.until(|e| e.data["id"] == json!(elsewhere)).await;

    // Resuming after an id starts right after it.
    let mut resumed = subscribe(&server, Some(&replayed[1].id.to_string())).await;
    let first = resumed.next().await;
    assert_eq!(first.id, replayed[2].id);
    assert_eq!(first, replayed[2]);
    drop(resumed);
    drop(feed);

    // HEAD answers the feed's headers without streaming; the connection
    // stays usable.
    let head = server
        .send(server.request(Method::HEAD, "/api/v1/events", Some(&server.viewer)))
        .await;
    head.expect(200);
    assert!(head.text.is_empty());
    server.get("/api/v1/me", &server.viewer).await.expect(200);

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_one_database() {
    let server = TestServer::start(false).await;
    let second = rapport_server::embedded::EmbeddedServer::start(&server.db, false)
        .await
        .expect("a second server starts on the same database");
    let second_url = format!("{}/api/v1/customers", second.base_url);
    let mut codes = Vec::new();
    for n in 0..4 {
        let code = format!("C{n}");
        let body = json!({"name": format!("Customer {n}"), "code": code});
        if n % 2 == 0 {
            server
                .post("/api/v1/customers", &server.manager, &body)
                .await
                .expect(201);
        } else {
            let response = server
                .http
                .post(&second_url)
                .bearer_auth(&server.manager)
                .json(&body)
                .send()
                .await
                .expect("the second server answers");
            assert_eq!(response.status().as_u16(), 201);
        }
        codes.push(code);
    }
    // Both see every record; the audit trail has one entry per write.
    let listed = server.list_all("/api/v1/customers", &server.viewer).await;
    let mut listed_codes: Vec<String> = listed
        .iter()
        .map(|c| c["code"].as_str().unwrap_or_default().to_string())
        .collect();
    listed_codes.sort();
    assert_eq!(listed_codes, codes);
    let audit = server.list_all("/api/v1/audit", &server.viewer).await;
    let seqs: Vec<i64> = audit
        .iter()
        .map(|e| e["seq"].as_i64().expect("a seq"))
        .collect();
    assert_eq!(seqs.len(), 4);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // A duplicate code is refused whichever server is asked.
    let response = server
        .http
        .post(&second_url)
        .bearer_auth(&server.manager)
        .json(&json!({"name": "Again", "code": "C0"}))
        .send()
        .await
        .expect("the second server answers");
    assert_eq!(response.status().as_u16(), 422);
    second.shutdown().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_ends_soon_after_its_token_is_revoked() {
    let server = TestServer::start(false).await;
    let secret = rapport_server::api::auth::new_secret();
    server
        .named_token("watcher", &secret, Permission::Viewer, None)
        .await;
    let mut response = server
        .request(Method::GET, "/api/v1/events", Some(&secret))
        .send()
        .await
        .expect("the feed answers");
    assert_eq!(response.status().as_u16(), 200);
    // The opening comment arrives at once.
    let first = response.chunk().await.expect("a chunk");
    assert!(first.is_some());
    // Revoked behind the server's back, as another process would.
    server
        .store
        .revoke_token("watcher".into())
        .await
        .expect("a token is revoked");
    let ended = tokio::time::timeout(10 * rapport_server::api::auth::TOKEN_RECHECK, async {
        loop {
            match response.chunk().await {
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => return,
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "the stream is still open ten rechecks after the revocation"
    );
    server.stop().await;
}

/// `?collections=` keeps only the named collections; an unknown name is a
/// 422 naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_keeps_only_the_collections_asked_for() {
    let server = TestServer::start(false).await;
    let response = server
        .request(
            Method::GET,
            "/api/v1/events?collections=rfcs,staff",
            Some(&server.viewer),
        )
        .header("last-event-id", "0")
        .send()
        .await
        .expect("the feed answers");
    assert_eq!(response.status().as_u16(), 200);
    let mut feed = EventReader {
        response,
        buffer: String::new(),
    };
    let customer = server.customer("TAX", "Tax Agency").await;
    let staff = server.staff("Sam Okafor", &["service_desk"]).await;
    let seen = feed.until(|e| e.data["id"] == json!(staff)).await;
    assert!(
        seen.iter().all(|e| e.event == "rfcs" || e.event == "staff"),
        "{seen:?}"
    );
    assert!(seen.iter().all(|e| e.data["id"] != json!(customer)));
    let refused = server
        .send(server.request(
            Method::GET,
            "/api/v1/events?collections=rfcs,tickets",
            Some(&server.viewer),
        ))
        .await;
    refused.invalid("collections");
    assert!(
        refused.text.contains("no collection called"),
        "{}",
        refused.text
    );
    server.stop().await;
}

/// The whole of a stream the server ends (a resync ends it), bounded by a
/// safety-net timeout.
async fn until_closed(server: &TestServer, last_event_id: &str) -> String {
    let response = server
        .request(Method::GET, "/api/v1/events", Some(&server.viewer))
        .header("last-event-id", last_event_id)
        .send()
        .await
        .expect("the feed answers");
    assert_eq!(response.status().as_u16(), 200);
    tokio::time::timeout(Duration::from_secs(60), response.text())
        .await
        .expect("the server ends the stream")
        .expect("the stream reads")
}

/// A stream resuming from a change older than the retention window, or
/// from a sequence number the database never reached, is told to resync
/// and closed; a stream from now on is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_from_beyond_the_retention_window_gets_resync() {
    let settings = rapport_server::Settings {
        feed: rapport_server::api::feed::FeedSettings {
            retention: Duration::ZERO,
            ..Default::default()
        },
        ..Default::default()
    };
    let server = TestServer::start_with(false, settings).await;
    server.customer("TAX", "Tax Agency").await;
    let head = server.store.last_seq().await.expect("the last change");

    let old = until_closed(&server, "0").await;
    assert!(old.contains("event: resync\n"), "{old}");
    assert!(old.contains("beyond the change window"), "{old}");
    assert!(!old.contains("event: customers"), "no replay: {old}");

    let ahead = until_closed(&server, &(head + 100).to_string()).await;
    assert!(ahead.contains("event: resync\n"), "{ahead}");
    assert!(ahead.contains("no change that recent"), "{ahead}");

    // From the head nothing was missed, so the stream stays and streams.
    let mut live = subscribe(&server, Some(&head.to_string())).await;
    let staff = server.staff("Sam Okafor", &["service_desk"]).await;
    let seen = live.until(|e| e.data["id"] == json!(staff)).await;
    assert!(seen.iter().all(|e| e.event != "resync"), "{seen:?}");
    server.stop().await;
}
