//! Writes: merge-patch semantics, idempotent creates, concurrent writers.

use crate::api_support::{Reply, TestServer, id_of};
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

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
        .patch(
            &rfc_path,
            &server.operator,
            1,
            &json!({"route": "change_management"}),
        )
        .await
        .invalid("route");
    server
        .patch(
            &rfc_path,
            &server.operator,
            1,
            &json!({"raised_by_id": "someone"}),
        )
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
        .patch(
            &team_customers(&north),
            admin,
            1,
            &json!({"customer_ids": [other]}),
        )
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
    server.send(post("key-2", &body)).await.invalid("code");
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
    let replies = eight_writers(
        &server,
        &customer,
        "\"1\"",
        |writer| json!({"name": format!("Writer {writer}")}),
    )
    .await;
    let statuses: Vec<_> = replies
        .iter()
        .map(|reply| (reply.status, reply.header("etag").map(str::to_string)))
        .collect();
    let won: Vec<_> = statuses.iter().filter(|(s, _)| *s == 200).collect();
    let lost: Vec<_> = statuses.iter().filter(|(s, _)| *s == 412).collect();
    assert_eq!(won.len(), 1, "{statuses:?}");
    assert_eq!(lost.len(), 7, "{statuses:?}");
    assert!(
        lost.iter()
            .all(|(_, etag)| etag.as_deref() == Some("\"2\""))
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_idempotency_key_make_one_record() {
    let server = TestServer::start(false).await;
    let creates = (0..8)
        .map(|_| {
            server
                .request(Method::POST, "/api/v1/customers", Some(&server.manager))
                .header("idempotency-key", "retry-storm")
                .json(&json!({"name": "Ministry of Finance", "code": "MOF"}))
        })
        .collect();
    let mut ids = Vec::new();
    for Reply {
        status, json: body, ..
    } in server.at_once(creates).await
    {
        assert_eq!(status, 201, "{body}");
        ids.push(id_of(&body));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one record for one key: {ids:?}");
    let listed = server.get("/api/v1/customers", &server.viewer).await;
    assert_eq!(listed.items().len(), 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_patches_under_if_match_star_all_go_through() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let replies = eight_writers(
        &server,
        &customer,
        "*",
        |writer| json!({"description": format!("Writer {writer}")}),
    )
    .await;
    let statuses: Vec<u16> = replies.iter().map(|reply| reply.status).collect();
    // `*` matches any version: losing a race to another writer is retried.
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let read = server
        .get(&format!("/api/v1/customers/{customer}"), &server.viewer)
        .await;
    assert_eq!(read.version(), 9);
    server.stop().await;
}

/// Eight managers patching `customer` at once under `if_match`, the
/// `writer`th sending `body(writer)`.
async fn eight_writers(
    server: &TestServer,
    customer: &str,
    if_match: &str,
    body: impl Fn(u32) -> Value,
) -> Vec<Reply> {
    let path = format!("/api/v1/customers/{customer}");
    let token = server.token_of(Permission::Manager);
    let writes = (0..8)
        .map(|writer| {
            server
                .request(Method::PATCH, &path, Some(token))
                .header("if-match", if_match)
                .json(&body(writer))
        })
        .collect();
    server.at_once(writes).await
}
