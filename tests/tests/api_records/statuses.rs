//! Every status code of the contract, walked for each REST collection.

use crate::api_support::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

/// What the walk over one collection needs: two valid bodies (one to keep,
/// one to delete) and a valid patch.
struct Case {
    collection: &'static str,
    kept: Value,
    deleted: Value,
    patch: Value,
    /// A required field to leave out.
    required: &'static str,
}

/// Builds the prerequisites and one [`Case`] per collection.
async fn cases(server: &TestServer) -> Vec<Case> {
    let brm = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let owner = server.staff("Olga Owner", &["service_owner"]).await;
    let customer = server.customer("CUST-1", "Ministry of Walks").await;
    vec![
        Case {
            collection: "staff",
            kept: json!({"name": "Ada Lovelace", "email": "ada@it.example", "job_roles": ["service_desk"]}),
            deleted: json!({"name": "Gone Soon", "email": "gone@it.example"}),
            patch: json!({"job_roles": ["service_desk", "brm"]}),
            required: "email",
        },
        Case {
            collection: "customers",
            kept: json!({"name": "Tax Agency", "code": "TAX", "kind": "agency", "status": "prospect"}),
            deleted: json!({"name": "Short Lived", "code": "GONE-1"}),
            patch: json!({"status": "active"}),
            required: "code",
        },
        Case {
            collection: "contacts",
            kept: json!({"customer_id": customer, "name": "Carl Contact", "email": "carl@cust.example", "role": "technical"}),
            deleted: json!({"customer_id": customer, "name": "Dora Gone"}),
            patch: json!({"phone": "+31 20 123 4567"}),
            required: "customer_id",
        },
        Case {
            collection: "teams",
            kept: json!({"name": "North", "brm_id": brm, "delivery_manager_id": dm, "service_owner_ids": [owner]}),
            deleted: json!({"name": "South", "brm_id": brm, "delivery_manager_id": dm}),
            patch: json!({"name": "North-East"}),
            required: "brm_id",
        },
        Case {
            collection: "services",
            kept: json!({"name": "Hosting", "owner_id": owner, "unit": "vm/month", "unit_price_cents": 12_000}),
            deleted: json!({"name": "Fax"}),
            patch: json!({"unit_price_cents": 13_000}),
            required: "name",
        },
        Case {
            collection: "rfcs",
            kept: json!({"customer_id": customer, "title": "More storage", "priority": "high"}),
            deleted: json!({"customer_id": customer, "title": "Never mind"}),
            patch: json!({"impact": "low"}),
            required: "title",
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_code_for_every_collection() {
    let server = TestServer::start(false).await;
    for case in cases(&server).await {
        walk(&server, &case).await;
    }
    server.stop().await;
}

/// Where one collection's walk calls, and with which writing token.
struct Paths {
    base: String,
    one: String,
    writer: String,
}

/// The statuses every collection answers, in the order a client meets them.
async fn walk(server: &TestServer, case: &Case) {
    let name = case.collection;
    let base = format!("/api/v1/{name}");
    let writer = match name {
        "staff" => server.admin.clone(),
        "rfcs" => server.operator.clone(),
        _ => server.manager.clone(),
    };

    // 201 with Location and ETag "1".
    let created = server.post(&base, &writer, &case.kept).await;
    created.expect(201);
    let id = created.id();
    assert_eq!(
        created.header("location"),
        Some(format!("{base}/{id}").as_str())
    );
    assert_eq!(created.etag(), "\"1\"", "{name}");
    assert_eq!(created.version(), 1);
    let one = format!("{base}/{id}");

    // 200 with ETag; 304 for If-None-Match.
    let read = server.get(&one, &server.viewer).await;
    read.expect(200);
    assert_eq!(read.etag(), "\"1\"");
    assert_eq!(read.json, created.json, "{name}: read differs from create");
    let not_modified = server
        .send(
            server
                .request(Method::GET, &one, Some(&server.viewer))
                .header("if-none-match", "\"1\""),
        )
        .await;
    not_modified.expect(304);
    assert_eq!(not_modified.header("etag"), Some("\"1\""));
    assert!(not_modified.text.is_empty());
    let list = server.get(&base, &server.viewer).await;
    list.expect(200);
    assert!(list.items().iter().any(|item| item["id"] == json!(id)));

    let at = Paths { one, base, writer };
    refusals(server, case, &at).await;
    invalid_input(server, case, &at).await;
    versioned_writes(server, case, &at).await;
}

/// 400, 401, 403, 404, 405 and 413: refused before any rule is checked.
async fn refusals(server: &TestServer, case: &Case, at: &Paths) {
    let name = case.collection;
    let (base, one, writer) = (&at.base, &at.one, at.writer.as_str());
    // 400: malformed JSON, bad query encoding.
    let malformed = server
        .send(
            server
                .request(Method::POST, base, Some(writer))
                .header("content-type", "application/json")
                .body("{\"name\": "),
        )
        .await;
    malformed.problem(400);
    server
        .get(&format!("{base}?q=%zz"), &server.viewer)
        .await
        .problem(400);
    server
        .get(&format!("{base}?q=%ff%fe"), &server.viewer)
        .await
        .problem(400);

    // 401: missing, unknown and malformed tokens, each with WWW-Authenticate.
    for token in [None, Some("rpt_not-a-token")] {
        let reply = server.send(server.request(Method::GET, one, token)).await;
        reply.problem(401);
        assert!(
            reply
                .header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer")),
            "{name}: 401 without WWW-Authenticate"
        );
    }
    let basic = server
        .send(
            server
                .request(Method::GET, base, None)
                .header("authorization", "Basic YWRhOnB3"),
        )
        .await;
    basic.problem(401);
    assert!(basic.header("www-authenticate").is_some());

    // 403: a viewer writes; an operator writes outside RFCs.
    server
        .post(base, &server.viewer, &case.deleted)
        .await
        .problem(403);
    if name != "rfcs" {
        server
            .patch(one, &server.operator, 1, &case.patch)
            .await
            .problem(403);
    }

    // 404: unknown record on every call, unknown path.
    let missing = format!("{base}/no-such-id");
    server.get(&missing, &server.viewer).await.problem(404);
    server
        .patch(&missing, writer, 1, &case.patch)
        .await
        .problem(404);
    server.delete(&missing, writer, 1).await.problem(404);
    server
        .get(&format!("{one}/nothing-here"), &server.viewer)
        .await
        .problem(404);

    // 405 with Allow.
    for path in [&base, &one] {
        let reply = server
            .send(
                server
                    .request(Method::PUT, path, Some(writer))
                    .json(&case.patch),
            )
            .await;
        reply.problem(405);
        let allow = reply.header("allow").expect("405 has Allow").to_string();
        assert!(allow.contains("GET"), "{name}: Allow is {allow}");
        let expected = if path == &base { "POST" } else { "PATCH" };
        assert!(allow.contains(expected), "{name}: Allow is {allow}");
    }

    // 413: a body over 1 MiB.
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(1024 * 1024 + 16));
    server
        .send(
            server
                .request(Method::POST, base, Some(writer))
                .header("content-type", "application/json")
                .body(huge),
        )
        .await
        .problem(413);
}

/// 422: a required field missing, an unknown field, list parameters.
async fn invalid_input(server: &TestServer, case: &Case, at: &Paths) {
    let (base, one, writer) = (&at.base, &at.one, at.writer.as_str());
    let mut without = case.kept.clone();
    if let Some(object) = without.as_object_mut() {
        object.remove(case.required);
    }
    server
        .post(base, writer, &without)
        .await
        .invalid(case.required);
    let mut typo = case.deleted.clone();
    if let Some(object) = typo.as_object_mut() {
        object.insert("colour".into(), json!("blue"));
    }
    server.post(base, writer, &typo).await.invalid("colour");
    server
        .patch(one, writer, 1, &json!({"colour": "blue"}))
        .await
        .invalid("colour");
    for limit in ["0", "501", "-1", "ten"] {
        server
            .get(&format!("{base}?limit={limit}"), &server.viewer)
            .await
            .invalid("limit");
    }
    server
        .get(&format!("{base}?colour=blue"), &server.viewer)
        .await
        .invalid("colour");
    server
        .get(&format!("{base}?cursor=bogus"), &server.viewer)
        .await
        .invalid("cursor");
}

/// 428, 412, 200 and 204: the writes under If-Match.
async fn versioned_writes(server: &TestServer, case: &Case, at: &Paths) {
    let name = case.collection;
    let (base, one, writer) = (&at.base, &at.one, at.writer.as_str());
    // 428: PATCH and DELETE without If-Match.
    server
        .send(
            server
                .request(Method::PATCH, one, Some(writer))
                .json(&case.patch),
        )
        .await
        .problem(428);
    server
        .send(server.request(Method::DELETE, one, Some(writer)))
        .await
        .problem(428);

    // 412: a stale If-Match; the answer carries the current ETag.
    for stale in [2, 7] {
        let reply = server.patch(one, writer, stale, &case.patch).await;
        reply.problem(412);
        assert_eq!(reply.header("etag"), Some("\"1\""), "{name}");
    }

    // 200 on a good patch, with the next ETag; then a stale one is 412.
    let patched = server.patch(one, writer, 1, &case.patch).await;
    patched.expect(200);
    assert_eq!(patched.etag(), "\"2\"");
    assert_eq!(patched.version(), 2);
    for (field, value) in case.patch.as_object().expect("patches are objects") {
        assert_eq!(&patched.json[field], value, "{name}.{field}");
    }
    let stale = server.patch(one, writer, 1, &case.patch).await;
    stale.problem(412);
    assert_eq!(stale.header("etag"), Some("\"2\""));
    let stale_delete = server.delete(one, writer, 1).await;
    stale_delete.problem(412);
    assert_eq!(stale_delete.header("etag"), Some("\"2\""));

    // 204 on delete; the record is gone.
    let doomed = server.post(base, writer, &case.deleted).await;
    doomed.expect(201);
    let doomed_path = format!("{base}/{}", doomed.id());
    let deleted = server.delete(&doomed_path, writer, 1).await;
    deleted.expect(204);
    assert!(deleted.text.is_empty());
    server.get(&doomed_path, &server.viewer).await.problem(404);
    server.delete(&doomed_path, writer, 1).await.problem(404);
}
