//! The activity plan (`/api/v1/activities`) and the budget
//! (`/api/v1/budget_lines`): what the generic suites do not already cover
//! for them, namely their vocabularies, their filters (`owner_id=me`, the
//! whole-number `year`), the dates rule, the owner rule and one budget
//! line per customer, year and service.

mod api_support;

use api_support::{TestServer, id_of, ids};
use rapport_shared::enums::Permission;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_are_planned_filtered_and_checked() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let owner = server.staff("Olga Owner", &["brm"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let other = server.customer("TAX", "Tax Agency").await;

    let created = server
        .post(
            "/api/v1/activities",
            &manager,
            &json!({
                "customer_id": customer,
                "title": "Move the data centre",
                "description": "Plan the move with the purchaser.",
                "horizon": "strategic",
                "starts_on": "2026-01-10",
                "ends_on": "2026-12-20",
                "owner_id": owner,
            }),
        )
        .await;
    created.expect(201);
    assert_eq!(created.json["status"], "planned");
    let weekly = server
        .create(
            "activities",
            json!({"customer_id": other, "title": "Patch the mail servers", "horizon": "operational", "status": "in_progress"}),
        )
        .await;

    let of_customer = server
        .list_all(
            &format!("/api/v1/activities?customer_id={customer}"),
            &manager,
        )
        .await;
    assert_eq!(ids(&of_customer), vec![created.id()]);
    let operational = server
        .list_all("/api/v1/activities?horizon=operational", &manager)
        .await;
    assert_eq!(ids(&operational), vec![id_of(&weekly)]);
    let under_way = server
        .list_all("/api/v1/activities?status=in_progress", &manager)
        .await;
    assert_eq!(ids(&under_way), vec![id_of(&weekly)]);
    server
        .get("/api/v1/activities?horizon=someday", &manager)
        .await
        .invalid("horizon");
    let owners_token = server.token(Permission::Viewer, Some(&owner)).await;
    let mine = server
        .list_all("/api/v1/activities?owner_id=me", &owners_token)
        .await;
    assert_eq!(ids(&mine), vec![created.id()]);

    // The end never comes before the start, on create or on a change.
    server
        .post(
            "/api/v1/activities",
            &manager,
            &json!({"customer_id": customer, "title": "Backwards", "starts_on": "2026-05-02", "ends_on": "2026-05-01"}),
        )
        .await
        .invalid("ends_on");
    server
        .patch(
            &format!("/api/v1/activities/{}", created.id()),
            &manager,
            created.version(),
            &json!({"ends_on": "2025-12-31"}),
        )
        .await
        .invalid("ends_on");
    server
        .post(
            "/api/v1/activities",
            &manager,
            &json!({"title": "Nobody's"}),
        )
        .await
        .invalid("customer_id");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_is_carried_by_an_active_staff_member() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
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
            "/api/v1/activities",
            &manager,
            &json!({"customer_id": customer, "title": "Review", "owner_id": leaver}),
        )
        .await;
    refused.invalid("owner_id");
    assert!(
        refused.text.contains("Lee Leaver is no longer active"),
        "{}",
        refused.text
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budget_lines_are_one_per_customer_year_and_service() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let other = server.customer("TAX", "Tax Agency").await;
    let hosting = id_of(&server.create("services", json!({"name": "Hosting"})).await);
    let mail = id_of(&server.create("services", json!({"name": "Mail"})).await);
    let line = |customer: &str, year: i64, service: &str| json!({"customer_id": customer, "year": year, "service_id": service, "planned_cents": 250_000});

    let first = server
        .post(
            "/api/v1/budget_lines",
            &manager,
            &line(&customer, 2026, &hosting),
        )
        .await;
    first.expect(201);
    assert_eq!(first.json["year"], 2026);
    let next_year = server
        .create("budget_lines", line(&customer, 2027, &hosting))
        .await;
    let mail_line = server
        .create("budget_lines", line(&customer, 2026, &mail))
        .await;
    let theirs = server
        .create("budget_lines", line(&other, 2026, &hosting))
        .await;

    // A second line for the same customer, year and service is a conflict.
    let second = server
        .post(
            "/api/v1/budget_lines",
            &manager,
            &line(&customer, 2026, &hosting),
        )
        .await;
    second.problem(409);
    let key = format!("service_id {hosting} for customer {customer} in 2026");
    assert!(second.text.contains(&key), "{}", second.text);
    // Moving another line onto the same key is one too.
    server
        .patch(
            &format!("/api/v1/budget_lines/{}", id_of(&mail_line)),
            &manager,
            1,
            &json!({"service_id": hosting}),
        )
        .await
        .problem(409);

    // `year` is a whole-number filter.
    let in_2026 = server
        .list_all(
            &format!("/api/v1/budget_lines?customer_id={customer}&year=2026"),
            &manager,
        )
        .await;
    let mut expected = vec![first.id(), id_of(&mail_line)];
    expected.sort();
    let mut got = ids(&in_2026);
    got.sort();
    assert_eq!(got, expected);
    let in_2027 = server
        .list_all("/api/v1/budget_lines?year=2027", &manager)
        .await;
    assert_eq!(ids(&in_2027), vec![id_of(&next_year)]);
    let none = server
        .list_all("/api/v1/budget_lines?year=1999", &manager)
        .await;
    assert!(ids(&none).is_empty());
    server
        .get("/api/v1/budget_lines?year=next", &manager)
        .await
        .invalid("year");
    let of_mail = server
        .list_all(&format!("/api/v1/budget_lines?service_id={mail}"), &manager)
        .await;
    assert_eq!(ids(&of_mail), vec![id_of(&mail_line)]);
    let of_other = server
        .list_all(
            &format!("/api/v1/budget_lines?customer_id={other}"),
            &manager,
        )
        .await;
    assert_eq!(ids(&of_other), vec![id_of(&theirs)]);

    // The bounds are the declaration's.
    let mut bad = line(&customer, 1999, &mail);
    bad["planned_cents"] = json!(-5);
    let refused = server.post("/api/v1/budget_lines", &manager, &bad).await;
    refused.invalid("year");
    refused.invalid("planned_cents");
    server
        .post(
            "/api/v1/budget_lines",
            &manager,
            &json!({"customer_id": customer, "service_id": mail, "planned_cents": 1}),
        )
        .await
        .invalid("year");
    server.stop().await;
}
