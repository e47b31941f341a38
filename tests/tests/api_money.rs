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

/// The budget view over HTTP: a price rise mid-year leaves the earlier
/// months' charges as they were, charges split by program, a service
/// charged without a budget line, the forecast, and the refusals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_view_adds_up_charges_as_recorded() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("TAX", "Tax Agency").await;
    let hosting = id_of(
        &server
            .create(
                "services",
                json!({"name": "Hosting", "unit": "vm", "unit_price_cents": 10_000}),
            )
            .await,
    );
    let mail = id_of(
        &server
            .create(
                "services",
                json!({"name": "Mail", "unit": "mailbox", "unit_price_cents": 500}),
            )
            .await,
    );
    for (service, planned) in [(&hosting, 500_000), (&mail, 20_000)] {
        let line = json!({"customer_id": customer, "year": 2026, "service_id": service,
                          "planned_cents": planned});
        server
            .post("/api/v1/budget_lines", &manager, &line)
            .await
            .expect(201);
    }
    // Last year's budget is not this year's.
    let old = json!({"customer_id": customer, "year": 2025, "service_id": hosting,
                     "planned_cents": 1});
    server
        .post("/api/v1/budget_lines", &manager, &old)
        .await
        .expect(201);
    let usage = |service: &str, month: &str, quantity: i64, program: Option<&str>| {
        json!({"customer_id": customer, "service_id": service, "month": month,
               "quantity": quantity, "program": program})
    };
    // Hosting: 4 VMs in January and February at 100.00.
    for month in ["2026-01", "2026-02"] {
        let body = usage(&hosting, month, 4, Some("Income tax"));
        server
            .post("/api/v1/usage", &manager, &body)
            .await
            .expect(201);
    }
    server
        .patch(
            &format!("/api/v1/services/{hosting}"),
            &manager,
            1,
            &json!({"unit_price_cents": 12_500}),
        )
        .await
        .expect(200);
    // March at 125.00; mail unallocated.
    let march = usage(&hosting, "2026-03", 4, None);
    server
        .post("/api/v1/usage", &manager, &march)
        .await
        .expect(201);
    let mail_use = usage(&mail, "2026-03", 30, None);
    server
        .post("/api/v1/usage", &manager, &mail_use)
        .await
        .expect(201);

    let view = server
        .get(
            &format!("/api/v1/customers/{customer}/budget?year=2026"),
            &manager,
        )
        .await;
    view.expect(200);
    let body = &view.json;
    // Hosting 40,000 + 40,000 + 50,000; mail 15,000.
    assert_eq!(body["year"], 2026);
    assert_eq!(body["planned_cents"], 520_000);
    assert_eq!(body["charged_cents"], 145_000);
    assert_eq!(body["difference_cents"], 375_000);
    let services = body["services"].as_array().cloned().unwrap_or_default();
    let of = |id: &str| {
        services
            .iter()
            .find(|s| s["service_id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {services:?}"))
    };
    let hosted = of(&hosting);
    assert_eq!(hosted["charged_cents"], 130_000);
    assert_eq!(hosted["remaining_cents"], 370_000);
    assert_eq!(
        hosted["months"],
        json!({"2026-01": 40_000, "2026-02": 40_000, "2026-03": 50_000})
    );
    // Charged through March: 130,000 / 3 * 12.
    assert_eq!(hosted["forecast_cents"], 520_000);
    assert_eq!(of(&mail)["forecast_cents"], 60_000);
    assert_eq!(
        body["programs"],
        json!([
            {"program": "Income tax", "charged_cents": 80_000},
            {"program": null, "charged_cents": 65_000}
        ])
    );

    let unknown = server
        .get("/api/v1/customers/nobody/budget?year=2026", &manager)
        .await;
    unknown.problem(404);
    let bad = server
        .get(
            &format!("/api/v1/customers/{customer}/budget?year=twenty"),
            &manager,
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.json["errors"][0]["field"], "year");
    server.stop().await;
}
