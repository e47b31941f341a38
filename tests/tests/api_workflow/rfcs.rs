//! The RFC workflow over HTTP: every route to closed, withdrawal, illegal
//! steps, history, comments, concurrent steps.

use crate::api_support::{TestServer, id_of};
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

/// Workflow steps: (status to go to, route chosen at triage).
type Steps = &'static [(&'static str, Option<&'static str>)];

/// Every status but closed and withdrawn, with the steps that reach it
/// from `new`.
const OPEN_STATUSES: &[(&str, Steps)] = &[
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

    let paths: &[(&str, Steps)] = &[
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
            .transition(
                &id,
                &sams,
                1,
                &json!({"to": "triaged", "route": "sideways"}),
            )
            .await
            .invalid("route");
        let version = walk(&server, &sams, &id, 1, &steps[..1]).await;
        let route = steps[0].1.expect("the first step triages");
        server
            .transition(
                &id,
                &sams,
                version,
                &json!({"to": steps[1].0, "route": route}),
            )
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
        let mut last_at = jiff::Timestamp::MIN;
        for (item, (to, _)) in items.iter().zip(steps.iter()) {
            assert_eq!(item["from"], json!(from), "{name}");
            assert_eq!(item["to"], json!(to), "{name}");
            assert_eq!(item["note"], json!(format!("to {to}")));
            assert_eq!(item["who"], json!("Sam Okafor"));
            assert_eq!(item["who_staff_id"], json!(sam));
            let at: jiff::Timestamp = item["when"]
                .as_str()
                .and_then(|at| at.parse().ok())
                .expect("a step has a time");
            assert!(at >= last_at, "steps in time order");
            last_at = at;
            from = to;
        }

        // Audit: the create and one update per step, seq increasing.
        let audit = server
            .get(
                &format!("/api/v1/audit?entity=rfcs&id={id}"),
                &server.viewer,
            )
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
            .transition(
                &id,
                &operator,
                version,
                &json!({"to": "withdrawn", "note": "no longer needed"}),
            )
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
        from_new
            .detail()
            .contains("allowed next: triaged, withdrawn"),
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
    assert_eq!(
        stale.header("etag"),
        Some(format!("\"{version}\"").as_str())
    );
    server
        .transition(&id, &operator, version, &json!({}))
        .await
        .invalid("to");
    server
        .transition(&id, &operator, version, &json!({"to": "done"}))
        .await
        .invalid("to");
    server
        .transition(
            &id,
            &operator,
            version,
            &json!({"to": "approved", "why": "x"}),
        )
        .await
        .invalid("why");
    server
        .transition(
            "no-such-rfc",
            &operator,
            1,
            &json!({"to": "triaged", "route": "change_management"}),
        )
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
        .post(
            &path,
            &sams,
            &json!({"text": "Asked the customer for sizes."}),
        )
        .await;
    first.expect(201);
    assert!(first.header("location").is_some());
    assert_eq!(first.json["text"], json!("Asked the customer for sizes."));
    assert_eq!(first.json["who"], json!("Sam Okafor"));
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
        vec![
            &json!("Asked the customer for sizes."),
            &json!("Sizes received.")
        ]
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
        .post(
            "/api/v1/rfcs/no-such-rfc/comments",
            &sams,
            &json!({"text": "hi"}),
        )
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
async fn history_shows_priority_and_assignee_changes_beside_the_steps() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let sam = server.staff("Sam Okafor", &["service_desk"]).await;
    let sams = server.token(Permission::Operator, Some(&sam)).await;
    let created = server.rfc(&customer, "More storage", json!({})).await;
    let rfc = id_of(&created);
    let path = format!("/api/v1/rfcs/{rfc}");
    let mut version = 1;
    // Before anything changed: no steps and no changes (the creation is
    // not a change).
    let history = server.get(&format!("{path}/history"), &server.viewer).await;
    history.expect(200);
    assert_eq!(history.json["changes"], json!([]), "{}", history.text);
    for patch in [
        json!({"priority": "high"}),
        json!({"assignee_id": sam}),
        // A change of another field is not in the history.
        json!({"title": "Much more storage"}),
    ] {
        let reply = server.patch(&path, &sams, version, &patch).await;
        reply.expect(200);
        version = reply.version();
    }
    let step =
        json!({"to": "triaged", "route": "change_management", "note": "inside the agreement"});
    version = server
        .transition(&rfc, &sams, version, &step)
        .await
        .version();
    let reply = server
        .patch(
            &path,
            &sams,
            version,
            &json!({"assignee_id": null, "priority": "low"}),
        )
        .await;
    reply.expect(200);

    let history = server.get(&format!("{path}/history"), &server.viewer).await;
    history.expect(200);
    // The workflow steps are as before, with the move's note.
    let steps = history.items();
    assert_eq!(steps.len(), 1, "{}", history.text);
    assert_eq!(steps[0]["note"], json!("inside the agreement"));
    let changes: Vec<(Value, Value, Value)> = history.json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["field"].clone(), c["before"].clone(), c["after"].clone()))
        .collect();
    assert_eq!(
        changes,
        vec![
            (json!("priority"), json!("medium"), json!("high")),
            (json!("assignee_id"), Value::Null, json!(sam)),
            (json!("priority"), json!("high"), json!("low")),
            (json!("assignee_id"), json!(sam), Value::Null),
        ],
        "{}",
        history.text
    );
    for change in history.json["changes"].as_array().expect("changes") {
        assert_eq!(change["who"], json!("Sam Okafor"));
        assert_eq!(change["who_staff_id"], json!(sam));
        assert!(change["when"].is_string());
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transitions_and_duplicate_codes() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let rfc = id_of(&server.rfc(&customer, "Race", json!({})).await);
    let path = format!("/api/v1/rfcs/{rfc}/transitions");
    let steps = (0..8)
        .map(|n| {
            let route = if n % 2 == 0 {
                "change_management"
            } else {
                "service_level_management"
            };
            server
                .request(Method::POST, &path, Some(&server.operator))
                .header("if-match", "\"1\"")
                .json(&json!({"to": "triaged", "route": route}))
        })
        .collect();
    let mut statuses: Vec<u16> = server
        .at_once(steps)
        .await
        .iter()
        .map(|reply| reply.status)
        .collect();
    statuses.sort();
    assert_eq!(statuses, vec![200, 412, 412, 412, 412, 412, 412, 412]);
    // The losers left no history.
    let history = server
        .get(&format!("/api/v1/rfcs/{rfc}/history"), &server.viewer)
        .await;
    assert_eq!(history.items().len(), 1, "{}", history.text);

    // Concurrent creates of one code: one 201, the rest 422 on code.
    let creates = (0..8)
        .map(|n| {
            server
                .request(Method::POST, "/api/v1/customers", Some(&server.manager))
                .json(&json!({"name": format!("Tax {n}"), "code": "TAX"}))
        })
        .collect();
    let mut created = 0;
    for reply in server.at_once(creates).await {
        let (status, body) = (reply.status, reply.json);
        match status {
            201 => created += 1,
            422 => assert_eq!(body["errors"][0]["field"], json!("code"), "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(created, 1);
    let taxes = server
        .list_all("/api/v1/customers?q=tax", &server.viewer)
        .await;
    assert_eq!(taxes.len(), 1);
    server.stop().await;
}
