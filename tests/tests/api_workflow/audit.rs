//! The audit trail: every write with who, action, before and after.

use crate::api_support::TestServer;
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_is_audited() {
    let server = TestServer::start(false).await;
    let helen = server
        .staff("Helen Achterberg", &["delivery_manager"])
        .await;
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
        .get(
            &format!("/api/v1/audit?entity=customers&id={id}"),
            &server.viewer,
        )
        .await;
    audit.expect(200);
    let entries = audit.items();
    assert_eq!(entries.len(), 3, "{}", audit.text);
    let actions: Vec<&Value> = entries.iter().map(|e| &e["action"]).collect();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    for entry in &entries {
        assert_eq!(entry["entity"], json!("customers"));
        assert_eq!(entry["entity_id"], json!(id));
        assert!(entry["when"].is_string());
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
    // Paging with after= and with next_cursor like any list.
    let after = server
        .get(&format!("/api/v1/audit?after={}", seqs[1]), &server.viewer)
        .await;
    assert_eq!(after.items().len(), 2);
    let first_page = server.get("/api/v1/audit?limit=3", &server.viewer).await;
    assert_eq!(first_page.items().len(), 3);
    let next = first_page.json["next_cursor"]
        .as_str()
        .expect("a full page has a next cursor");
    let second_page = server
        .get(
            &format!("/api/v1/audit?limit=3&after={next}"),
            &server.viewer,
        )
        .await;
    assert_eq!(second_page.items().len(), 1);
    assert!(second_page.json["next_cursor"].is_null());
    let paged = server
        .list_all("/api/v1/audit?limit=1", &server.viewer)
        .await;
    let paged_seqs: Vec<i64> = paged
        .iter()
        .map(|e| e["seq"].as_i64().expect("a seq"))
        .collect();
    assert_eq!(paged_seqs, seqs);
    server
        .get("/api/v1/audit?cursor=soon", &server.viewer)
        .await
        .invalid("cursor");
    server
        .get("/api/v1/audit?entity=nothing", &server.viewer)
        .await
        .invalid("entity");
    server.stop().await;
}
