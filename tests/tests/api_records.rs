//! End-to-end: every status code of the contract for each REST collection,
//! the rules that need other records, merge-patch semantics, idempotent
//! creates and concurrent writes — over HTTP against a real server.

mod api_support;

use api_support::{Reply, TestServer, id_of};
use rapport_shared::enums::Permission;
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

/// The statuses every collection answers, in the order a client meets them.
async fn walk(server: &TestServer, case: &Case) {
    let name = case.collection;
    let base = format!("/api/v1/{name}");
    let manager_or_admin = if name == "staff" {
        &server.admin
    } else {
        &server.manager
    };
    let writer = if name == "rfcs" {
        &server.operator
    } else {
        manager_or_admin
    };

    // 201 with Location and ETag "1".
    let created = server.post(&base, writer, &case.kept).await;
    created.expect(201);
    let id = created.id();
    assert_eq!(created.header("location"), Some(format!("{base}/{id}").as_str()));
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

    // 400: malformed JSON, bad query encoding.
    let malformed = server
        .send(
            server
                .request(Method::POST, &base, Some(writer))
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
        let reply = server.send(server.request(Method::GET, &one, token)).await;
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
                .request(Method::GET, &base, None)
                .header("authorization", "Basic YWRhOnB3"),
        )
        .await;
    basic.problem(401);
    assert!(basic.header("www-authenticate").is_some());

    // 403: a viewer writes; an operator writes outside RFCs.
    server
        .post(&base, &server.viewer, &case.deleted)
        .await
        .problem(403);
    if name != "rfcs" {
        server
            .patch(&one, &server.operator, 1, &case.patch)
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
        .get(&format!("{base}/{id}/nothing-here"), &server.viewer)
        .await
        .problem(404);

    // 405 with Allow.
    for path in [&base, &one] {
        let reply = server
            .send(server.request(Method::PUT, path, Some(writer)).json(&case.patch))
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
                .request(Method::POST, &base, Some(writer))
                .header("content-type", "application/json")
                .body(huge),
        )
        .await
        .problem(413);

    // 422: a required field missing, an unknown field, list parameters.
    let mut without = case.kept.clone();
    if let Some(object) = without.as_object_mut() {
        object.remove(case.required);
    }
    server
        .post(&base, writer, &without)
        .await
        .invalid(case.required);
    let mut typo = case.deleted.clone();
    if let Some(object) = typo.as_object_mut() {
        object.insert("colour".into(), json!("blue"));
    }
    server.post(&base, writer, &typo).await.invalid("colour");
    server
        .patch(&one, writer, 1, &json!({"colour": "blue"}))
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

    // 428: PATCH and DELETE without If-Match.
    server
        .send(server.request(Method::PATCH, &one, Some(writer)).json(&case.patch))
        .await
        .problem(428);
    server
        .send(server.request(Method::DELETE, &one, Some(writer)))
        .await
        .problem(428);

    // 412: a stale If-Match; the answer carries the current ETag.
    for stale in [2, 7] {
        let reply = server.patch(&one, writer, stale, &case.patch).await;
        reply.problem(412);
        assert_eq!(reply.header("etag"), Some("\"1\""), "{name}");
    }

    // 200 on a good patch, with the next ETag; then a stale one is 412.
    let patched = server.patch(&one, writer, 1, &case.patch).await;
    patched.expect(200);
    assert_eq!(patched.etag(), "\"2\"");
    assert_eq!(patched.version(), 2);
    for (field, value) in case.patch.as_object().expect("patches are objects") {
        assert_eq!(&patched.json[field], value, "{name}.{field}");
    }
    let stale = server.patch(&one, writer, 1, &case.patch).await;
    stale.problem(412);
    assert_eq!(stale.header("etag"), Some("\"2\""));
    let stale_delete = server.delete(&one, writer, 1).await;
    stale_delete.problem(412);
    assert_eq!(stale_delete.header("etag"), Some("\"2\""));

    // 204 on delete; the record is gone.
    let doomed = server.post(&base, writer, &case.deleted).await;
    doomed.expect(201);
    let doomed_path = format!("{base}/{}", doomed.id());
    let deleted = server.delete(&doomed_path, writer, 1).await;
    deleted.expect(204);
    assert!(deleted.text.is_empty());
    server.get(&doomed_path, &server.viewer).await.problem(404);
    server.delete(&doomed_path, writer, 1).await.problem(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_that_need_other_records() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let brm = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let desk = server.staff("Sam Desk", &["service_desk"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;

    // Bad enum, bad e-mail, bad customer code, duplicate code.
    server
        .post("/api/v1/customers", admin, &json!({"name": "X", "code": "XX", "status": "gone"}))
        .await
        .invalid("status");
    server
        .post("/api/v1/staff", admin, &json!({"name": "X", "email": "not-an-email"}))
        .await
        .invalid("email");
    server
        .post("/api/v1/staff", admin, &json!({"name": "X", "email": "x@it.example", "job_roles": ["cook"]}))
        .await
        .invalid("job_roles");
    server
        .post("/api/v1/contacts", admin, &json!({"customer_id": customer, "name": "X", "role": "boss"}))
        .await
        .invalid("role");
    server
        .post("/api/v1/rfcs", admin, &json!({"customer_id": customer, "title": "X", "priority": "urgent"}))
        .await
        .invalid("priority");
    for code in ["mof", "M", "MINISTRY-OF-FINANCE", "MO F", "MÖF"] {
        server
            .post("/api/v1/customers", admin, &json!({"name": "X", "code": code}))
            .await
            .invalid("code");
    }
    let duplicate = server
        .post("/api/v1/customers", admin, &json!({"name": "Other", "code": "MOF"}))
        .await;
    duplicate.invalid("code");
    // A duplicate made by a patch is refused too.
    let other = server.customer("OTHER", "Other").await;
    server
        .patch(&format!("/api/v1/customers/{other}"), admin, 1, &json!({"code": "MOF"}))
        .await
        .invalid("code");

    // Unknown references name their field.
    server
        .post("/api/v1/contacts", admin, &json!({"customer_id": "nope", "name": "X"}))
        .await
        .invalid("customer_id");
    server
        .post("/api/v1/rfcs", admin, &json!({"customer_id": customer, "title": "X", "service_id": "nope"}))
        .await
        .invalid("service_id");
    server
        .post("/api/v1/rfcs", admin, &json!({"customer_id": customer, "title": "X", "assignee_id": "nope"}))
        .await
        .invalid("assignee_id");
    server
        .post("/api/v1/rfcs", admin, &json!({"customer_id": "nope", "title": "X"}))
        .await
        .invalid("customer_id");
    server
        .post("/api/v1/customers", admin, &json!({"name": "X", "code": "XY", "team_id": "nope"}))
        .await
        .invalid("team_id");
    server
        .post("/api/v1/services", admin, &json!({"name": "X", "owner_id": "nope"}))
        .await
        .invalid("owner_id");

    // A team's BRM needs the brm job role, its delivery manager that role.
    server
        .post("/api/v1/teams", admin, &json!({"name": "T", "brm_id": desk, "delivery_manager_id": dm}))
        .await
        .invalid("brm_id");
    server
        .post("/api/v1/teams", admin, &json!({"name": "T", "brm_id": brm, "delivery_manager_id": brm}))
        .await
        .invalid("delivery_manager_id");
    server
        .post("/api/v1/teams", admin, &json!({"name": "T", "brm_id": "nope", "delivery_manager_id": dm}))
        .await
        .invalid("brm_id");
    let team = server
        .create("teams", json!({"name": "T", "brm_id": brm, "delivery_manager_id": dm}))
        .await;

    // 409: deletes that would orphan records.
    let contact = server
        .create("contacts", json!({"customer_id": customer, "name": "Carl"}))
        .await;
    let orphaning = server
        .delete(&format!("/api/v1/customers/{customer}"), admin, 1)
        .await;
    orphaning.problem(409);
    assert!(orphaning.detail().contains("contacts"), "{}", orphaning.text);
    let brm_delete = server.delete(&format!("/api/v1/staff/{brm}"), admin, 1).await;
    brm_delete.problem(409);
    assert!(brm_delete.detail().contains("teams"), "{}", brm_delete.text);
    // Once the dependents are gone, the deletes go through.
    server
        .delete(&format!("/api/v1/contacts/{}", id_of(&contact)), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/customers/{customer}"), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/teams/{}", id_of(&team)), admin, 1)
        .await
        .expect(204);
    server
        .delete(&format!("/api/v1/staff/{brm}"), admin, 1)
        .await
        .expect(204);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_never_gives_a_500() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<String> = vec![
        String::new(),
        "   ".into(),
        "null".into(),
        "[]".into(),
        "42".into(),
        "\"text\"".into(),
        deep,
        "{\"name\": \"a\u{0}b\", \"code\": \"AB\"}".into(),
        "{\"name\": 1e999, \"code\": \"AB\"}".into(),
        "{\"name\": \"X\", \"code\": \"AB\", \"team_id\": 7}".into(),
        "{\"name\": \"X\", \"code\": \"AB\", \"purchaser_contact_id\": \"nope\"}".into(),
        format!("{{\"name\": \"{}\", \"code\": \"AB\"}}", "n".repeat(100_000)),
        "{\"name\": \"X\", \"code\": \"AB\", \"description\": {\"nested\": [1, 2]}}".into(),
        "\u{feff}{\"name\": \"X\", \"code\": \"AB\"}".into(),
    ];
    for body in &bodies {
        for (method, path) in [
            (Method::POST, "/api/v1/customers".to_string()),
            (Method::PATCH, format!("/api/v1/customers/{customer}")),
            (Method::POST, "/api/v1/rfcs".to_string()),
        ] {
            let reply = server
                .send(
                    server
                        .request(method.clone(), &path, Some(&server.admin))
                        .header("content-type", "application/json")
                        .header("if-match", "\"1\"")
                        .body(body.clone()),
                )
                .await;
            assert!(
                (400..500).contains(&reply.status),
                "{method} {path} with {:.60}: {} {}",
                body,
                reply.status,
                reply.text
            );
            reply.problem(reply.status);
        }
    }
    // Odd paths, queries and headers.
    for path in [
        "/api/v1/customers/%zz",
        "/api/v1/customers/%ff",
        "/api/v1/customers?limit=99999999999999999999",
        "/api/v1/customers?status=gone",
        "/api/v1/customers?sort=priority",
        "/api/v1/customers?sort=sideways",
        "/api/v1/rfcs?due_on=2026-13-45",
        "/api/v1/audit?entity=nope",
        "/api/v1/audit?after=-3",
        "/api/v1//customers",
    ] {
        let reply = server.get(path, &server.admin).await;
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {} {}",
            reply.status,
            reply.text
        );
        reply.problem(reply.status);
    }
    for if_match in ["\"x\"", "\"0\"", "W/", "\"-1\""] {
        server
            .send(
                server
                    .request(
                        Method::PATCH,
                        &format!("/api/v1/customers/{customer}"),
                        Some(&server.admin),
                    )
                    .header("if-match", if_match)
                    .json(&json!({"name": "Y"})),
            )
            .await
            .problem(400);
    }
    // The server still serves.
    server
        .get(&format!("/api/v1/customers/{customer}"), &server.viewer)
        .await
        .expect(200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_patch_semantics() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let created = server
        .create(
            "customers",
            json!({"name": "Ministry of Finance", "code": "MOF", "description": "Taxes", "kind": "ministry"}),
        )
        .await;
    let id = id_of(&created);
    let path = format!("/api/v1/customers/{id}");

    // null clears an optional field; the other fields stay.
    let cleared = server
        .patch(&path, admin, 1, &json!({"description": null}))
        .await;
    cleared.expect(200);
    assert!(cleared.json["description"].is_null(), "{}", cleared.text);
    assert_eq!(cleared.json["kind"], json!("ministry"));
    assert_eq!(cleared.json["name"], json!("Ministry of Finance"));
    // null on a required field is a 422 naming it.
    server
        .patch(&path, admin, 2, &json!({"name": null}))
        .await
        .invalid("name");
    // Unknown fields are 422.
    server
        .patch(&path, admin, 2, &json!({"nmae": "typo"}))
        .await
        .invalid("nmae");
    // Meta fields in a patch are ignored.
    let meta = server
        .patch(
            &path,
            admin,
            2,
            &json!({"id": "other", "version": 99, "created_at": "2000-01-01T00:00:00Z", "name": "MinFin"}),
        )
        .await;
    meta.expect(200);
    assert_eq!(meta.id(), id);
    assert_eq!(meta.version(), 3);
    assert_eq!(meta.json["created_at"], created["created_at"]);
    assert_eq!(meta.json["name"], json!("MinFin"));
    let reread = server.get(&path, &server.viewer).await;
    assert_eq!(reread.json, meta.json);

    // RFC status and route are read-only in a patch.
    let rfc = server.rfc(&id, "More storage", json!({})).await;
    let rfc_path = format!("/api/v1/rfcs/{}", id_of(&rfc));
    server
        .patch(&rfc_path, &server.operator, 1, &json!({"status": "closed"}))
        .await
        .invalid("status");
    server
        .patch(&rfc_path, &server.operator, 1, &json!({"route": "change_management"}))
        .await
        .invalid("route");
    server
        .patch(&rfc_path, &server.operator, 1, &json!({"raised_by_id": "someone"}))
        .await
        .invalid("raised_by_id");
    // Sending them back unchanged (a whole record) is fine.
    let mut whole = rfc.clone();
    whole["title"] = json!("Much more storage");
    let resent = server.patch(&rfc_path, &server.operator, 1, &whole).await;
    resent.expect(200);
    assert_eq!(resent.json["status"], json!("new"));
    assert_eq!(resent.json["title"], json!("Much more storage"));

    // A team's customer_ids follow its customers' team_id.
    let north = server.team("North").await;
    let south = server.team("South").await;
    let team_customers = |team: &str| format!("/api/v1/teams/{team}");
    let moved = server
        .patch(&path, admin, 3, &json!({"team_id": north}))
        .await;
    moved.expect(200);
    let north_read = server.get(&team_customers(&north), &server.viewer).await;
    assert_eq!(north_read.json["customer_ids"], json!([id]));
    // The team's version is its own: a customer joining does not change it.
    assert_eq!(north_read.version(), 1);
    server
        .patch(&path, admin, 4, &json!({"team_id": south}))
        .await
        .expect(200);
    let north_read = server.get(&team_customers(&north), &server.viewer).await;
    assert_eq!(north_read.json["customer_ids"], json!([]));
    let south_read = server.get(&team_customers(&south), &server.viewer).await;
    assert_eq!(south_read.json["customer_ids"], json!([id]));
    let listed = server.get("/api/v1/teams", &server.viewer).await;
    let south_listed = listed
        .items()
        .into_iter()
        .find(|team| team["id"] == json!(south))
        .expect("south is listed");
    assert_eq!(south_listed["customer_ids"], json!([id]));
    // customer_ids cannot be written through the team.
    let other = server.customer("OTHER", "Other").await;
    let written = server
        .patch(&team_customers(&north), admin, 1, &json!({"customer_ids": [other]}))
        .await;
    assert!(
        written.status == 422 || written.json["customer_ids"] == json!([]),
        "customer_ids is read-only: {}",
        written.text
    );
    // Clearing the team with null leaves the customer in no team.
    server
        .patch(&path, admin, 5, &json!({"team_id": null}))
        .await
        .expect(200);
    let south_read = server.get(&team_customers(&south), &server.viewer).await;
    assert_eq!(south_read.json["customer_ids"], json!([]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_replays_the_first_answer() {
    let server = TestServer::start(false).await;
    let body = json!({"name": "Ministry of Finance", "code": "MOF"});
    let post = |key: &'static str, body: &Value| {
        server
            .request(Method::POST, "/api/v1/customers", Some(&server.manager))
            .header("idempotency-key", key)
            .json(body)
    };
    let first = server.send(post("key-1", &body)).await;
    first.expect(201);
    let again = server.send(post("key-1", &body)).await;
    again.expect(201);
    assert_eq!(again.json, first.json);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));
    let count = |reply: Reply| reply.items().len();
    assert_eq!(
        count(server.get("/api/v1/customers", &server.viewer).await),
        1
    );
    // The same key with another body is refused and creates nothing.
    let other = server
        .send(post("key-1", &json!({"name": "Other", "code": "OTHER"})))
        .await;
    other.invalid("Idempotency-Key");
    assert_eq!(
        count(server.get("/api/v1/customers", &server.viewer).await),
        1
    );
    // A replay shows the record as first created, even after a change.
    let path = format!("/api/v1/customers/{}", first.id());
    server
        .patch(&path, &server.manager, 1, &json!({"name": "MinFin"}))
        .await
        .expect(200);
    let replay = server.send(post("key-1", &body)).await;
    replay.expect(201);
    assert_eq!(replay.json["id"], first.json["id"]);
    // A new key is a new create (here refused: the code is taken).
    server
        .send(post("key-2", &body))
        .await
        .invalid("code");
    // Keys belong to their token: another token's key-1 is its own.
    let own = server
        .send(
            server
                .request(Method::POST, "/api/v1/customers", Some(&server.admin))
                .header("idempotency-key", "key-1")
                .json(&json!({"name": "Tax", "code": "TAX"})),
        )
        .await;
    own.expect(201);
    assert_ne!(own.id(), first.id());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_patches_with_one_version_let_exactly_one_win() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let url = server.url(&format!("/api/v1/customers/{customer}"));
    let mut tasks = tokio::task::JoinSet::new();
    for writer in 0..8 {
        let client = server.http.clone();
        let url = url.clone();
        let token = server.token_of(Permission::Manager).to_string();
        tasks.spawn(async move {
            let response = client
                .patch(url)
                .bearer_auth(token)
                .header("if-match", "\"1\"")
                .json(&json!({"name": format!("Writer {writer}")}))
                .send()
                .await
                .expect("the server answers");
            let status = response.status().as_u16();
            let etag = response
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            (status, etag)
        });
    }
    let mut statuses = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        statuses.push(joined.expect("a writer task finishes"));
    }
    let won: Vec<_> = statuses.iter().filter(|(s, _)| *s == 200).collect();
    let lost: Vec<_> = statuses.iter().filter(|(s, _)| *s == 412).collect();
    assert_eq!(won.len(), 1, "{statuses:?}");
    assert_eq!(lost.len(), 7, "{statuses:?}");
    assert!(lost.iter().all(|(_, etag)| etag.as_deref() == Some("\"2\"")));
    let read = server
        .get(&format!("/api/v1/customers/{customer}"), &server.viewer)
        .await;
    assert_eq!(read.version(), 2);
    // One update in the audit trail besides the create.
    let audit = server
        .get(
            &format!("/api/v1/audit?entity=customers&id={customer}"),
            &server.viewer,
        )
        .await;
    assert_eq!(audit.items().len(), 2, "{}", audit.text);
    server.stop().await;
}
