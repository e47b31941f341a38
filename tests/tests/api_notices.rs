//! Notices (`/api/v1/notices`): written by operators (the service desk
//! announces), times with their offset, the end not before the start, the
//! `active` filter (not yet ended, open-ended included) and the customers
//! reached, derived on every read from the active agreements covering the
//! notice's services: a new, ended or changed agreement changes them.

mod api_support;

use api_support::{TestServer, id_of, ids};
use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

/// Now plus `hours`, as an RFC 3339 instant.
fn at(hours: i64) -> String {
    (Timestamp::now() + SignedDuration::from_hours(hours)).to_string()
}

/// A notice about `services` running from `starts` to `ends` hours from now.
fn notice(text: &str, services: &[&str], starts: i64, ends: Option<i64>) -> Value {
    json!({
        "kind": "scheduled_maintenance", "text": text, "service_ids": services,
        "starts_at": at(starts), "ends_at": ends.map(at),
    })
}

/// The ids of the customers a notice reaches, as read now.
async fn reached(server: &TestServer, token: &str, notice: &str) -> Vec<String> {
    let read = server
        .get(&format!("/api/v1/notices/{notice}"), token)
        .await;
    read.expect(200);
    read.json["affected_customer_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customers_reached_follow_the_active_agreements() {
    let server = TestServer::start(false).await;
    let operator = server.token_of(Permission::Operator).to_string();
    let manager = server.token_of(Permission::Manager).to_string();
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Office").await;
    let moh = server.customer("MOH", "Ministry of Health").await;
    let mail = id_of(&server.create("services", json!({"name": "Mail"})).await);
    let hosting = id_of(&server.create("services", json!({"name": "Hosting"})).await);
    let agreement = |customer: &str, services: &[&str], status: &str| json!({"customer_id": customer, "title": "SLA", "service_ids": services, "status": status});
    let created = server
        .post(
            "/api/v1/agreements",
            &manager,
            &agreement(&mof, &[&mail], "active"),
        )
        .await;
    created.expect(201);
    // A draft agreement reaches nobody; an expired one neither.
    server
        .post(
            "/api/v1/agreements",
            &manager,
            &agreement(&moh, &[&mail], "draft"),
        )
        .await
        .expect(201);
    let yesterday = Zoned::now()
        .date()
        .checked_add((-1).days())
        .expect("a date");
    let mut expired = agreement(&moh, &[&hosting], "active");
    expired["valid_to"] = json!(yesterday.to_string());
    server
        .post("/api/v1/agreements", &manager, &expired)
        .await
        .expect(201);

    let posted = server
        .post(
            "/api/v1/notices",
            &operator,
            &notice(
                "Mail upgrade\nExpect a short outage",
                &[&mail, &hosting],
                2,
                Some(4),
            ),
        )
        .await;
    posted.expect(201);
    assert_eq!(posted.json["affected_customer_ids"], json!([mof]));
    let id = posted.id();
    assert_eq!(reached(&server, &operator, &id).await, vec![mof.clone()]);

    // A new active agreement on a covered service reaches its customer at once.
    let tax_sla = server
        .post(
            "/api/v1/agreements",
            &manager,
            &agreement(&tax, &[&hosting], "active"),
        )
        .await;
    tax_sla.expect(201);
    let mut expected = vec![mof.clone(), tax.clone()];
    expected.sort();
    assert_eq!(reached(&server, &operator, &id).await, expected);
    // Terminating it, or dropping the service from it, stops that.
    server
        .patch(
            &format!("/api/v1/agreements/{}", tax_sla.id()),
            &manager,
            tax_sla.version(),
            &json!({"status": "terminated"}),
        )
        .await
        .expect(200);
    assert_eq!(reached(&server, &operator, &id).await, vec![mof.clone()]);
    server
        .patch(
            &format!("/api/v1/agreements/{}", created.id()),
            &manager,
            created.version(),
            &json!({"service_ids": []}),
        )
        .await
        .expect(200);
    assert_eq!(reached(&server, &operator, &id).await, Vec::<String>::new());
    // The list shows the same derivation.
    let listed = server.get("/api/v1/notices", &operator).await;
    listed.expect(200);
    assert_eq!(listed.items()[0]["affected_customer_ids"], json!([]));
    // Sent back, the derived field is accepted and ignored.
    server
        .patch(
            &format!("/api/v1/notices/{id}"),
            &operator,
            posted.version(),
            &json!({"affected_customer_ids": [tax], "text": "Mail upgrade, moved"}),
        )
        .await
        .expect(200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn active_notices_have_not_yet_ended() {
    let server = TestServer::start(false).await;
    let operator = server.token_of(Permission::Operator).to_string();
    let mut made = Vec::new();
    for (text, starts, ends) in [
        ("ended yesterday", -30, Some(-24)),
        ("running now", -1, Some(1)),
        ("upcoming", 24, Some(26)),
        ("open-ended", -2, None),
    ] {
        let posted = server
            .post(
                "/api/v1/notices",
                &operator,
                &notice(text, &[], starts, ends),
            )
            .await;
        posted.expect(201);
        made.push(posted.id());
    }
    let active = server
        .list_all("/api/v1/notices?active=true", &operator)
        .await;
    let mut want = vec![made[1].clone(), made[2].clone(), made[3].clone()];
    want.sort();
    let mut have = ids(&active);
    have.sort();
    assert_eq!(have, want);
    let ended = server
        .list_all("/api/v1/notices?active=false", &operator)
        .await;
    assert_eq!(ids(&ended), [made[0].clone()]);
    let count = server
        .get("/api/v1/notices/count?active=true", &operator)
        .await;
    count.expect(200);
    assert_eq!(count.json["count"], 3);
    server
        .get("/api/v1/notices?active=soon", &operator)
        .await
        .invalid("active");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_is_checked_and_written_by_operators() {
    let server = TestServer::start(false).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let operator = server.token_of(Permission::Operator).to_string();
    let good = notice("Network work", &[], 1, Some(2));
    server
        .post("/api/v1/notices", &viewer, &good)
        .await
        .problem(403);
    let mut reversed = good.clone();
    reversed["ends_at"] = json!(at(0));
    let refused = server.post("/api/v1/notices", &operator, &reversed).await;
    refused.invalid("ends_at");
    assert_eq!(
        refused.json["errors"][0]["message"], "must not be before starts_at",
        "{}",
        refused.text
    );
    let mut local = good.clone();
    local["starts_at"] = json!("2026-12-05T22:00:00");
    server
        .post("/api/v1/notices", &operator, &local)
        .await
        .invalid("starts_at");
    let mut unknown = good.clone();
    unknown["service_ids"] = json!(["no-such-service"]);
    server
        .post("/api/v1/notices", &operator, &unknown)
        .await
        .invalid("service_ids");
    let mut kind = good;
    kind["kind"] = json!("rumour");
    server
        .post("/api/v1/notices", &operator, &kind)
        .await
        .invalid("kind");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_a_current_and_an_upcoming_notice_reaching_customers() {
    let server = TestServer::start(true).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let notices = server
        .list_all("/api/v1/notices?active=true", &viewer)
        .await;
    assert_eq!(notices.len(), 2, "{notices:?}");
    let now = Timestamp::now();
    let instant = |notice: &Value, field: &str| -> Timestamp {
        notice[field]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{field} of {notice}"))
    };
    let current = notices
        .iter()
        .filter(|n| instant(n, "starts_at") <= now && now < instant(n, "ends_at"))
        .count();
    let upcoming = notices
        .iter()
        .filter(|n| instant(n, "starts_at") > now)
        .count();
    assert_eq!((current, upcoming), (1, 1));
    for notice in &notices {
        let reached = notice["affected_customer_ids"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(reached >= 2, "{notice}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_that_could_take_over_a_terminal_is_refused() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    for name in [
        "\u{1b}[31mred",
        "nul\u{0}",
        "c1\u{9b}2J",
        "two\nlines",
        "rtl\u{202e}txt",
        "\u{200b}\u{feff}",
    ] {
        server
            .post(
                "/api/v1/customers",
                &manager,
                &json!({"name": name, "code": "BAD"}),
            )
            .await
            .invalid("name");
    }
    // Multi-line text keeps its line breaks and tabs, not the rest.
    let operator = server.token_of(Permission::Operator).to_string();
    let mut body = notice("Mail upgrade\n\tRead-only", &[], 1, Some(2));
    server
        .post("/api/v1/notices", &operator, &body)
        .await
        .expect(201);
    body["text"] = json!("Mail upgrade\u{7}");
    server
        .post("/api/v1/notices", &operator, &body)
        .await
        .invalid("text");
    server.stop().await;
}
