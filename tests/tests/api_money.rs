//! Usage and its charges (`/api/v1/usage`): charged at the service's unit
//! price in force when recorded, a later price change never rewriting a
//! past charge, a PATCH of the quantity recomputed at the stored price,
//! and the usage rules (unknown service, bad month, a service without a
//! price).

mod api_support;

use api_support::{TestServer, id_of, ids};
use rapport_shared::enums::Permission;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_is_charged_at_the_price_in_force_when_recorded() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let service = server
        .create(
            "services",
            json!({"name": "Hosting", "unit": "vm", "unit_price_cents": 1_000}),
        )
        .await;
    let service_id = id_of(&service);
    assert_eq!(service["price_history"][0]["unit_price_cents"], 1_000);
    let usage = |month: &str, quantity: i64, program: Option<&str>| {
        json!({"customer_id": customer, "service_id": service_id, "month": month,
               "quantity": quantity, "program": program})
    };

    let before = server
        .post("/api/v1/usage", &manager, &usage("2026-05", 3, Some("Tax")))
        .await;
    before.expect(201);
    assert_eq!(
        (
            before.json["unit_price_cents"].clone(),
            before.json["amount_cents"].clone()
        ),
        (json!(1_000), json!(3_000))
    );

    let repriced = server
        .patch(
            &format!("/api/v1/services/{service_id}"),
            &manager,
            1,
            &json!({"unit_price_cents": 1_200}),
        )
        .await;
    repriced.expect(200);
    let history = repriced.json["price_history"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1]["unit_price_cents"], 1_200);

    let after = server
        .post("/api/v1/usage", &manager, &usage("2026-07", 2, None))
        .await;
    after.expect(201);
    assert_eq!(after.json["amount_cents"], 2_400);
    let kept = server
        .get(&format!("/api/v1/usage/{}", before.id()), &manager)
        .await;
    assert_eq!(
        kept.json["amount_cents"], 3_000,
        "a later price never rewrites a charge"
    );

    let more = server
        .patch(
            &format!("/api/v1/usage/{}", before.id()),
            &manager,
            1,
            &json!({"quantity": 5}),
        )
        .await;
    more.expect(200);
    assert_eq!(
        (
            more.json["unit_price_cents"].clone(),
            more.json["amount_cents"].clone()
        ),
        (json!(1_000), json!(5_000))
    );
    server
        .patch(
            &format!("/api/v1/usage/{}", before.id()),
            &manager,
            2,
            &json!({"amount_cents": 1}),
        )
        .await
        .invalid("amount_cents");
    server
        .patch(
            &format!("/api/v1/services/{service_id}"),
            &manager,
            2,
            &json!({"price_history": []}),
        )
        .await
        .invalid("price_history");

    let in_july = server
        .list_all("/api/v1/usage?month=2026-07", &manager)
        .await;
    assert_eq!(ids(&in_july), vec![after.id()]);
    let of_service = server
        .list_all(
            &format!("/api/v1/usage?service_id={service_id}&customer_id={customer}"),
            &manager,
        )
        .await;
    assert_eq!(of_service.len(), 2);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_usage_is_refused_naming_the_field() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let unpriced = server.create("services", json!({"name": "Advice"})).await;
    let post = |body| {
        let (server, manager) = (&server, manager.clone());
        async move { server.post("/api/v1/usage", &manager, &body).await }
    };
    post(json!({"customer_id": customer, "service_id": "nope", "month": "2026-05", "quantity": 1}))
        .await
        .invalid("service_id");
    post(json!({"customer_id": customer, "service_id": id_of(&unpriced), "month": "2026-5", "quantity": 1}))
        .await
        .invalid("month");
    post(json!({"customer_id": customer, "service_id": id_of(&unpriced), "month": "2026-05", "quantity": -2}))
        .await
        .invalid("quantity");
    post(json!({"customer_id": customer, "service_id": id_of(&unpriced), "month": "2026-05", "quantity": 2}))
        .await
        .invalid("service_id");
    server.stop().await;
}
