//! Agreements and their service levels (`/api/v1/agreements`): levels and
//! dates as the contract reads them, and what is derived on every read
//! (`status` expired after `valid_to`, `review_due`).

mod api_support;

use api_support::{TestServer, day, id_of, ids};
use jiff::Zoned;
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

/// A started server, a manager's token and a customer's id.
async fn with_customer() -> (TestServer, String, String) {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
    (server, manager, customer)
}

/// An agreement of `customer` titled `title`, with the members of `extra`.
fn agreement(customer: &str, title: &str, extra: Value) -> Value {
    let mut body = json!({"customer_id": customer, "title": title});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

/// Availability (higher is better) and resolution time (lower is better).
fn hosting_levels() -> Value {
    json!([
        {"metric": "availability", "target": 99.5, "unit": "%"},
        {"metric": "resolution", "target": 8, "unit": "h", "better": "lower"},
    ])
}

/// Creates the customer's hosting SLA with [`hosting_levels`]; its id.
async fn hosting_sla(server: &TestServer, customer: &str) -> String {
    let body = agreement(customer, "Hosting SLA", json!({"levels": hosting_levels()}));
    id_of(&server.create("agreements", body).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_hold_levels_and_refuse_bad_ones() {
    let (server, manager, customer) = with_customer().await;
    let service = id_of(&server.create("services", json!({"name": "Hosting"})).await);

    let created = server
        .post(
            "/api/v1/agreements",
            &manager,
            &agreement(
                &customer,
                "Hosting SLA",
                json!({"service_ids": [service], "levels": hosting_levels(), "valid_from": "2026-01-01"}),
            ),
        )
        .await;
    created.expect(201);
    assert_eq!(created.json["status"], "draft");
    assert_eq!(created.json["review_due"], false);
    assert_eq!(created.json["levels"][0]["better"], "higher");
    assert_eq!(created.json["levels"][1]["better"], "lower");
    assert_eq!(created.json["levels"][0]["target"], json!(99.5));

    let base = agreement(&customer, "SLA", json!({}));
    let with = |extra: Value| agreement(&customer, "SLA", extra);
    let reversed = with(json!({"valid_from": "2026-06-01", "valid_to": "2026-05-31"}));
    server
        .post("/api/v1/agreements", &manager, &reversed)
        .await
        .invalid("valid_to");
    for levels in [
        json!([{"metric": "availability", "target": "high", "unit": "%"}]),
        json!([{"metric": "availability", "target": 99, "unit": "%", "better": "more"}]),
        json!([
            {"metric": "availability", "target": 99, "unit": "%"},
            {"metric": "availability", "target": 98, "unit": "%"},
        ]),
    ] {
        server
            .post(
                "/api/v1/agreements",
                &manager,
                &with(json!({"levels": levels})),
            )
            .await
            .invalid("levels");
    }
    server
        .post(
            "/api/v1/agreements",
            &manager,
            &with(json!({"service_ids": ["nope"]})),
        )
        .await
        .invalid("service_ids");
    let operator = server.token_of(Permission::Operator).to_string();
    server
        .post("/api/v1/agreements", &operator, &base)
        .await
        .problem(403);

    let of_customer = server
        .list_all(
            &format!("/api/v1/agreements?customer_id={customer}"),
            &manager,
        )
        .await;
    assert_eq!(ids(&of_customer), vec![created.id()]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_and_review_are_read_from_today() {
    let (server, manager, customer) = with_customer().await;
    let agreement = |title: &str, extra: Value| agreement(&customer, title, extra);
    let ended = server
        .create(
            "agreements",
            agreement(
                "Ended",
                json!({"status": "active", "valid_from": day(-400), "valid_to": day(-1)}),
            ),
        )
        .await;
    assert_eq!(ended["status"], "expired");
    let ends_today = server
        .create(
            "agreements",
            agreement(
                "Ends today",
                json!({"status": "active", "valid_to": day(0)}),
            ),
        )
        .await;
    assert_eq!(ends_today["status"], "active");
    let terminated = server
        .create(
            "agreements",
            agreement(
                "Stopped",
                json!({"status": "terminated", "valid_to": day(-1)}),
            ),
        )
        .await;
    assert_eq!(terminated["status"], "terminated");

    let soon = server
        .create(
            "agreements",
            agreement("Soon", json!({"review_on": day(30)})),
        )
        .await;
    assert_eq!(soon["review_due"], true);
    let later = server
        .create(
            "agreements",
            agreement("Later", json!({"review_on": day(31)})),
        )
        .await;
    assert_eq!(later["review_due"], false);
    let overdue = server
        .create(
            "agreements",
            agreement("Overdue", json!({"review_on": day(-3)})),
        )
        .await;
    assert_eq!(overdue["review_due"], true);

    // Derived on every read, lists included; the stored status is kept.
    let read = server
        .get(&format!("/api/v1/agreements/{}", id_of(&ended)), &manager)
        .await;
    read.expect(200);
    assert_eq!(read.json["status"], "expired");
    let listed = server
        .list_all(
            &format!("/api/v1/agreements?customer_id={customer}"),
            &manager,
        )
        .await;
    let of = |id: String| {
        listed
            .iter()
            .find(|a| id_of(a) == id)
            .cloned()
            .expect("listed")
    };
    assert_eq!(of(id_of(&ended))["status"], "expired");
    assert_eq!(of(id_of(&soon))["review_due"], true);
    // The filter compares the stored status (see the server's agreements resource).
    let active = server
        .list_all("/api/v1/agreements?status=active", &manager)
        .await;
    assert!(ids(&active).contains(&id_of(&ended)));

    // A record sent back as read (with its derived fields) is accepted.
    let mut back = read.json.clone();
    back["title"] = json!("Ended, renamed");
    let patched = server
        .patch(
            &format!("/api/v1/agreements/{}", id_of(&ended)),
            &manager,
            read.version(),
            &back,
        )
        .await;
    patched.expect(200);
    assert_eq!(patched.json["title"], "Ended, renamed");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_name_a_level_of_their_agreement_once_a_month() {
    let (server, manager, customer) = with_customer().await;
    let agreement = hosting_sla(&server, &customer).await;
    let result = |metric: &str, month: &str| json!({"agreement_id": agreement, "metric": metric, "month": month, "value": 99.9});
    let first = server
        .post(
            "/api/v1/level_results",
            &manager,
            &result("availability", "2026-10"),
        )
        .await;
    first.expect(201);
    assert_eq!(first.json["value"], json!(99.9));

    server
        .post(
            "/api/v1/level_results",
            &manager,
            &result("response", "2026-10"),
        )
        .await
        .invalid("metric");
    server
        .post(
            "/api/v1/level_results",
            &manager,
            &result("availability", "2026-13"),
        )
        .await
        .invalid("month");
    let orphan =
        json!({"agreement_id": "nope", "metric": "availability", "month": "2026-10", "value": 1});
    server
        .post("/api/v1/level_results", &manager, &orphan)
        .await
        .invalid("agreement_id");

    let again = server
        .post(
            "/api/v1/level_results",
            &manager,
            &result("availability", "2026-10"),
        )
        .await;
    again.problem(409);
    assert!(again.detail().contains("2026-10"), "{}", again.text);
    // Another month is another result; moving it onto a taken month is a 409 too.
    let second = server
        .post(
            "/api/v1/level_results",
            &manager,
            &result("availability", "2026-11"),
        )
        .await;
    second.expect(201);
    server
        .patch(
            &format!("/api/v1/level_results/{}", second.id()),
            &manager,
            second.version(),
            &json!({"month": "2026-10"}),
        )
        .await
        .problem(409);

    let october = server
        .list_all(
            &format!("/api/v1/level_results?agreement_id={agreement}&month=2026-10"),
            &manager,
        )
        .await;
    assert_eq!(ids(&october), vec![first.id()]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attainment_shows_every_month_of_every_level() {
    let (server, _, customer) = with_customer().await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let agreement = hosting_sla(&server, &customer).await;
    for (metric, month, value) in [
        ("availability", "2026-01", json!(99.9)),
        ("availability", "2026-03", json!(99.1)),
        ("resolution", "2026-01", json!(9)),
        ("resolution", "2026-02", json!(8)),
        ("resolution", "2026-03", json!(3.5)),
        ("availability", "2026-04", json!(50)),
    ] {
        server
            .create(
                "level_results",
                json!({"agreement_id": agreement, "metric": metric, "month": month, "value": value}),
            )
            .await;
    }
    let path = format!("/api/v1/agreements/{agreement}/attainment");
    let seen = server
        .get(&format!("{path}?from=2026-01&to=2026-03"), &viewer)
        .await;
    seen.expect(200);
    assert_eq!(
        seen.json,
        json!({"agreement_id": agreement, "levels": [
            {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher", "met_share": 0.5,
             "months": [
                {"month": "2026-01", "value": 99.9, "met": true},
                {"month": "2026-02", "value": null, "met": null},
                {"month": "2026-03", "value": 99.1, "met": false},
             ]},
            {"metric": "resolution", "target": 8, "unit": "h", "better": "lower",
             "met_share": 2.0 / 3.0,
             "months": [
                {"month": "2026-01", "value": 9, "met": false},
                {"month": "2026-02", "value": 8, "met": true},
                {"month": "2026-03", "value": 3.5, "met": true},
             ]},
        ]})
    );

    // By default the last twelve months, ending this month.
    let year = server.get(&path, &viewer).await;
    year.expect(200);
    let months = year.json["levels"][0]["months"]
        .as_array()
        .expect("months")
        .clone();
    assert_eq!(months.len(), 12);
    let this_month = Zoned::now().date().strftime("%Y-%m").to_string();
    assert_eq!(months[11]["month"], json!(this_month));

    for (query, field) in [
        ("from=2026-13", "from"),
        ("to=March", "to"),
        ("from=2026-03&to=2026-01", "to"),
        ("since=2026-01", "since"),
    ] {
        server
            .get(&format!("{path}?{query}"), &viewer)
            .await
            .invalid(field);
    }
    server
        .get("/api/v1/agreements/nope/attainment", &viewer)
        .await
        .problem(404);
    server.stop().await;
}
