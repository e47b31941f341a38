//! The continual service improvement register (`/api/v1/improvements`):
//! what the generic suites do not already cover for it, namely its own
//! vocabulary, its filters (including `owner_id=me`), the rule that its
//! owner is an active staff member, and a customer that cannot be deleted
//! while an improvement names it.

mod api_support;

use api_support::{TestServer, id_of, ids};
use rapport_shared::enums::Permission;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn improvements_are_filed_filtered_and_moved_on() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let owner = server.staff("Olga Owner", &["service_owner"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;

    let created = server
        .post(
            "/api/v1/improvements",
            &manager,
            &json!({
                "description": "Publish the maintenance calendar\nMonthly, to every purchaser.",
                "source": "survey",
                "customer_id": customer,
                "owner_id": owner,
            }),
        )
        .await;
    created.expect(201);
    assert_eq!(created.json["status"], "proposed");
    let general = server
        .create(
            "improvements",
            json!({"description": "Self-service password reset", "source": "review"}),
        )
        .await;

    let of_customer = server
        .list_all(
            &format!("/api/v1/improvements?customer_id={customer}"),
            &manager,
        )
        .await;
    assert_eq!(ids(&of_customer), vec![created.id()]);
    let from_reviews = server
        .list_all("/api/v1/improvements?source=review", &manager)
        .await;
    assert_eq!(ids(&from_reviews), vec![id_of(&general)]);
    server
        .get("/api/v1/improvements?status=someday", &manager)
        .await
        .invalid("status");

    // `owner_id=me` reads the caller's own staff id.
    let owners_token = server.token(Permission::Viewer, Some(&owner)).await;
    let mine = server
        .list_all("/api/v1/improvements?owner_id=me", &owners_token)
        .await;
    assert_eq!(ids(&mine), vec![created.id()]);

    let moved = server
        .patch(
            &format!("/api/v1/improvements/{}", created.id()),
            &manager,
            created.version(),
            &json!({"status": "done", "done_on": "2026-11-30"}),
        )
        .await;
    moved.expect(200);
    let done = server
        .list_all("/api/v1/improvements?status=done", &manager)
        .await;
    assert_eq!(ids(&done), vec![created.id()]);
    server
        .patch(
            &format!("/api/v1/improvements/{}", created.id()),
            &manager,
            moved.version(),
            &json!({"status": "finished"}),
        )
        .await
        .invalid("status");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_improvement_is_carried_by_an_active_staff_member() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let leaver = server.staff("Lee Leaver", &[]).await;
    let admin = server.admin.clone();
    let staff = server.get(&format!("/api/v1/staff/{leaver}"), &admin).await;
    server
        .patch(
            &format!("/api/v1/staff/{leaver}"),
            &admin,
            staff.version(),
            &json!({"active": false}),
        )
        .await
        .expect(200);
    let refused = server
        .post(
            "/api/v1/improvements",
            &manager,
            &json!({"description": "Faster onboarding", "owner_id": leaver}),
        )
        .await;
    refused.invalid("owner_id");
    assert!(
        refused.text.contains("Lee Leaver is no longer active"),
        "{}",
        refused.text
    );
    server
        .post(
            "/api/v1/improvements",
            &manager,
            &json!({"description": "Faster onboarding", "owner_id": "no-such-person"}),
        )
        .await
        .invalid("owner_id");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_named_by_an_improvement_is_not_deleted() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("TAX", "Tax Agency").await;
    server
        .create(
            "improvements",
            json!({"description": "Quarterly service review", "customer_id": customer}),
        )
        .await;
    let current = server
        .get(&format!("/api/v1/customers/{customer}"), &manager)
        .await;
    server
        .delete(
            &format!("/api/v1/customers/{customer}"),
            &manager,
            current.version(),
        )
        .await
        .problem(409);
    server.stop().await;
}
