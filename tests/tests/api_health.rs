//! A customer's health over HTTP (`GET /api/v1/customers/{id}/health`, the
//! customers list's `sort=health` and `include=health`): the server gathers
//! each signal's facts from the records (the shared crate's tests check the
//! thresholds and their edges on fixed data), says why, and orders the
//! portfolio worst first.

mod api_support;

use api_support::{TestServer, day, id_of, ids};
use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

fn month_back(months: i64) -> String {
    Zoned::now()
        .date()
        .checked_sub(months.months())
        .expect("a date")
        .to_string()[..7]
        .to_string()
}

fn days_ago(days: i64) -> String {
    (Timestamp::now() - SignedDuration::from_hours(24 * days)).to_string()
}

fn signal<'a>(health: &'a Value, name: &str) -> &'a Value {
    health["signals"]
        .as_array()
        .and_then(|signals| signals.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no signal {name}: {health}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_signal_is_read_from_the_records_and_says_why() {
    let server = TestServer::start(false).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let hosting = id_of(
        &server
            .create(
                "services",
                json!({"name": "Hosting", "unit": "vm", "unit_price_cents": 10_000}),
            )
            .await,
    );
    let agreement = server
        .create(
            "agreements",
            json!({"customer_id": mof, "title": "Hosting SLA", "status": "active", "review_on": day(10),
                   "levels": [{"metric": "availability", "target": 99.5, "unit": "%"}]}),
        )
        .await;
    // The last three complete months: met, met, missed.
    for (months, value) in [(3, 99.9), (2, 99.7), (1, 98.2)] {
        server
            .create(
                "level_results",
                json!({"agreement_id": id_of(&agreement), "metric": "availability",
                       "month": month_back(months), "value": value}),
            )
            .await;
    }
    let year = Zoned::now().year();
    let this_month = &day(0)[..7];
    server
        .create(
            "budget_lines",
            json!({"customer_id": mof, "year": year, "service_id": hosting, "planned_cents": 1_000_000}),
        )
        .await;
    server
        .create(
            "usage",
            json!({"customer_id": mof, "service_id": hosting, "month": this_month, "quantity": 3}),
        )
        .await;
    server.rfc(&mof, "More storage", json!({})).await;
    server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": mof, "starts_at": days_ago(10),
                   "actions": [{"text": "Send the outage report", "due_on": day(-1)}]}),
        )
        .await;
    server
        .create(
            "meetings",
            json!({"kind": "forward_looking", "customer_id": mof, "starts_at": days_ago(200)}),
        )
        .await;

    let reply = server
        .get(&format!("/api/v1/customers/{mof}/health"), &viewer)
        .await;
    reply.expect(200);
    let health = &reply.json;
    assert_eq!(health["as_of"], day(0));
    assert_eq!(health["state"], "act");
    let levels = signal(health, "service_levels");
    assert_eq!(
        (levels["state"].clone(), levels["value"].clone()),
        (json!("act"), json!(0.67))
    );
    assert_eq!(
        levels["reason"],
        format!(
            "1 of 3 level-months missed: availability 98.2 % in {} against at least 99.5",
            month_back(1)
        )
    );
    assert_eq!(levels["source"]["ids"], json!([id_of(&agreement)]));
    assert_eq!(signal(health, "satisfaction")["state"], "unknown");
    let budget = signal(health, "budget");
    assert_eq!(budget["state"], "good", "{budget}");
    assert!(
        budget["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with(&format!(
                "charged 300.00 of 10 000.00 planned for {year} (3%)"
            ))),
        "{budget}"
    );
    let backlog = signal(health, "rfc_backlog");
    assert_eq!(
        (backlog["state"].clone(), backlog["reason"].clone()),
        (json!("good"), json!("no open RFC older than 30 days"))
    );
    let rhythm = signal(health, "rhythm");
    assert_eq!(rhythm["state"], "act");
    assert_eq!(
        rhythm["reason"],
        "last follow-up 10 days ago; last forward-looking session 200 days ago; 1 overdue actions: Send the outage report"
    );
    let agreements = signal(health, "agreements");
    assert_eq!(agreements["state"], "watch");
    assert_eq!(
        agreements["reason"],
        format!("Hosting SLA is due for review (review on {})", day(10))
    );

    // As of forty days earlier the follow-up had not been held yet.
    let earlier = server
        .get(
            &format!("/api/v1/customers/{mof}/health?as_of={}", day(-40)),
            &viewer,
        )
        .await;
    earlier.expect(200);
    assert!(
        signal(&earlier.json, "rhythm")["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("no follow-up held")),
        "{}",
        earlier.text
    );
    server
        .get(
            &format!("/api/v1/customers/{mof}/health?as_of=today"),
            &viewer,
        )
        .await
        .invalid("as_of");
    server
        .get("/api/v1/customers/nobody/health", &viewer)
        .await
        .problem(404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portfolio_sorts_worst_first_and_pages() {
    let server = TestServer::start(false).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let unknown = server.customer("AAA", "Nothing known").await;
    let watched = server.customer("BBB", "Review due").await;
    let acted = server.customer("CCC", "Agreement expired").await;
    server
        .create(
            "agreements",
            json!({"customer_id": watched, "title": "SLA", "status": "active", "review_on": day(5)}),
        )
        .await;
    server
        .create(
            "agreements",
            json!({"customer_id": acted, "title": "SLA", "status": "active", "valid_to": day(-1)}),
        )
        .await;
    let first = server
        .get(
            "/api/v1/customers?sort=health&include=health&limit=2",
            &viewer,
        )
        .await;
    first.expect(200);
    assert_eq!(ids(&first.items()), [acted.clone(), watched.clone()]);
    assert_eq!(first.items()[0]["health"], "act");
    assert_eq!(first.items()[1]["health"], "watch");
    let cursor = first.json["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let second = server
        .get(
            &format!("/api/v1/customers?sort=health&include=health&limit=2&cursor={cursor}"),
            &viewer,
        )
        .await;
    second.expect(200);
    assert_eq!(ids(&second.items()), vec![unknown.clone()]);
    assert_eq!(second.items()[0]["health"], "unknown");
    assert!(second.json["next_cursor"].is_null());
    // Without `include` the records carry no health; `include` alone keeps the order.
    let sorted = server.get("/api/v1/customers?sort=health", &viewer).await;
    assert!(sorted.items()[0].get("health").is_none());
    let included = server
        .get("/api/v1/customers?include=health", &viewer)
        .await;
    assert_eq!(ids(&included.items()), [unknown, watched, acted]);
    server
        .get("/api/v1/customers?include=everything", &viewer)
        .await
        .invalid("include");
    server
        .get("/api/v1/customers?sort=health&cursor=garbage", &viewer)
        .await
        .invalid("cursor");
    // Another sort beside `include` is the list's own: an empty one is
    // refused as the list refuses it, not read as the default order.
    server
        .get("/api/v1/customers?include=health&sort=", &viewer)
        .await
        .invalid("sort");
    let by_update = server
        .get("/api/v1/customers?include=health&sort=updated", &viewer)
        .await;
    assert!(by_update.items()[0].get("health").is_some());
    server.stop().await;
}
