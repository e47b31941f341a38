//! Meetings read the records (`GET /api/v1/customers/{id}/agenda-proposal`
//! and `GET /api/v1/actions`): the server gathers a customer's RFCs (with
//! when each closed), agreements and their results, budget, plan,
//! improvements and past meetings into the proposal (whose arithmetic the
//! shared crate's tests check item by item), and lists open actions
//! overdue first.

mod api_support;

use api_support::{TestServer, day, id_of};
use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

fn hours_ago(hours: i64) -> String {
    (Timestamp::now() - SignedDuration::from_hours(hours)).to_string()
}

/// The item titled `title` of a proposal.
fn item<'a>(proposal: &'a Value, title: &str) -> &'a Value {
    proposal["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["title"] == title))
        .unwrap_or_else(|| panic!("no item {title}: {proposal}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_is_proposed_from_the_customers_delivery() {
    let server = TestServer::start(false).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let operator = server.token_of(Permission::Operator).to_string();
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let hosting = server
        .create(
            "services",
            json!({"name": "Hosting", "unit": "vm", "unit_price_cents": 10_000}),
        )
        .await;
    let hosting = id_of(&hosting);

    // Two RFCs raised in the period, one moved through to closed.
    let open = server.rfc(&mof, "More storage", json!({})).await;
    let closed = server.rfc(&mof, "Old report", json!({})).await;
    let closed_id = id_of(&closed);
    let mut version = closed["version"].as_i64().expect("a version");
    for step in [
        json!({"to": "triaged", "route": "change_management"}),
        json!({"to": "assessing"}),
        json!({"to": "rejected"}),
        json!({"to": "closed"}),
    ] {
        let moved = server
            .transition(&closed_id, &operator, version, &step)
            .await;
        moved.expect(200);
        version = moved.version();
    }
    // An agreement missed last month and met this month.
    let agreement = server
        .create(
            "agreements",
            json!({"customer_id": mof, "title": "Hosting SLA", "status": "active", "service_ids": [hosting],
                   "levels": [{"metric": "availability", "target": 99.5, "unit": "%"}]}),
        )
        .await;
    let this_month = &day(0)[..7];
    let last_month = Zoned::now()
        .date()
        .checked_sub(1.month())
        .expect("a date")
        .to_string()[..7]
        .to_string();
    for (month, value) in [(last_month.as_str(), 98.9), (this_month, 99.8)] {
        server
            .create(
                "level_results",
                json!({"agreement_id": id_of(&agreement), "metric": "availability", "month": month, "value": value}),
            )
            .await;
    }
    let year = Zoned::now().year();
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
    // The last follow-up left one action open.
    let held = server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": mof, "starts_at": hours_ago(24 * 30),
                   "actions": [{"text": "Send the capacity plan", "done": false},
                               {"text": "Fix the VPN", "done": true}]}),
        )
        .await;

    let reply = server
        .get(
            &format!("/api/v1/customers/{mof}/agenda-proposal?kind=follow_up"),
            &viewer,
        )
        .await;
    reply.expect(200);
    let proposal = &reply.json;
    assert_eq!(proposal["kind"], "follow_up");
    assert_eq!(proposal["to"], day(0));
    let flow = item(proposal, "RFCs opened and closed");
    assert_eq!(
        flow["notes"],
        "Opened in the period: 2\nClosed in the period: 1\nMedian time to close: 0 days"
    );
    assert_eq!(flow["source"]["collection"], "rfcs");
    assert_eq!(flow["source"]["ids"], json!([id_of(&open), closed_id]));
    assert!(
        item(proposal, "Open RFCs by age")["notes"]
            .as_str()
            .is_some_and(|n| n.starts_with("Open now: 1\nunder a week: 1")),
        "{proposal}"
    );
    let levels = item(proposal, "Service levels: Hosting SLA");
    assert_eq!(
        levels["notes"],
        format!("availability ≥ 99.5 %: met 1 of 2 months measured; missed {last_month} (98.9)")
    );
    assert_eq!(levels["source"]["ids"], json!([id_of(&agreement)]));
    let budget = item(proposal, "Budget")["notes"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        budget.starts_with(&format!(
            "Planned for {year}: 10 000.00\nCharged to date: 300.00 (3% of planned)"
        )),
        "{budget}"
    );
    assert_eq!(
        item(proposal, "Satisfaction")["notes"],
        "No survey answered in the period."
    );
    let actions = item(proposal, "Actions still open from the last follow-up");
    assert_eq!(actions["notes"], "Send the capacity plan");
    assert_eq!(actions["source"]["ids"], json!([id_of(&held)]));
    // Nothing of the forward-looking kind.
    assert!(!reply.text.contains("Open improvements"), "{proposal}");

    for (query, field) in [
        ("kind=review", "kind"),
        ("", "kind"),
        ("kind=follow_up&from=yesterday", "from"),
        ("kind=follow_up&from=2026-12-01&to=2026-11-01", "to"),
        ("kind=follow_up&colour=red", "colour"),
    ] {
        server
            .get(
                &format!("/api/v1/customers/{mof}/agenda-proposal?{query}"),
                &viewer,
            )
            .await
            .invalid(field);
    }
    server
        .get(
            "/api/v1/customers/nobody/agenda-proposal?kind=follow_up",
            &viewer,
        )
        .await
        .problem(404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forward_looking_session_is_proposed_from_the_plan_and_the_needs() {
    let server = TestServer::start(false).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let operator = server.token_of(Permission::Operator).to_string();
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let plan = server
        .create(
            "activities",
            json!({"customer_id": mof, "title": "Data centre exit", "horizon": "strategic",
                   "starts_on": day(60), "ends_on": day(300)}),
        )
        .await;
    server
        .create(
            "activities",
            json!({"customer_id": mof, "title": "Last year's move", "horizon": "tactical",
                   "starts_on": day(-400), "ends_on": day(-300)}),
        )
        .await;
    let improvement = server
        .create(
            "improvements",
            json!({"customer_id": mof, "description": "Publish the change calendar"}),
        )
        .await;
    let need = server.rfc(&mof, "A new reporting service", json!({})).await;
    server
        .transition(
            &id_of(&need),
            &operator,
            need["version"].as_i64().expect("a version"),
            &json!({"to": "triaged", "route": "service_level_management"}),
        )
        .await
        .expect(200);
    let agreement = server
        .create(
            "agreements",
            json!({"customer_id": mof, "title": "Hosting SLA", "status": "active", "review_on": day(20)}),
        )
        .await;

    let reply = server
        .get(
            &format!("/api/v1/customers/{mof}/agenda-proposal?kind=forward_looking"),
            &viewer,
        )
        .await;
    reply.expect(200);
    let proposal = &reply.json;
    assert_eq!(proposal["from"], day(0));
    let strategic = item(proposal, "Strategic plan (about a year ahead)");
    assert_eq!(
        strategic["notes"],
        format!("Data centre exit ({} to {})", day(60), day(300))
    );
    assert_eq!(strategic["source"]["ids"], json!([id_of(&plan)]));
    assert!(!reply.text.contains("Last year's move"), "{proposal}");
    let needs = item(proposal, "Needs outside the agreement");
    assert_eq!(needs["notes"], "A new reporting service (triaged)");
    assert_eq!(needs["source"]["ids"], json!([id_of(&need)]));
    assert_eq!(
        item(proposal, "Agreements due for review")["source"]["ids"],
        json!([id_of(&agreement)])
    );
    assert_eq!(
        item(proposal, "Open improvements")["source"]["ids"],
        json!([id_of(&improvement)])
    );
    // Nothing of the follow-up kind.
    assert!(!reply.text.contains("RFCs opened and closed"), "{proposal}");
    assert!(!reply.text.contains("Budget"), "{proposal}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_actions_come_overdue_first_then_by_due_date() {
    let server = TestServer::start(false).await;
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Office").await;
    let me = server.staff("Dana Delivery", &["delivery_manager"]).await;
    let other = server.staff("Olu Other", &["brm"]).await;
    let mine = server.token(Permission::Viewer, Some(&me)).await;
    let action = |text: &str, owner: &str, due: Option<String>, done: bool| json!({"text": text, "owner_id": owner, "due_on": due, "done": done});
    let first = server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": mof, "starts_at": hours_ago(48),
            "actions": [
                action("Due next week", &me, Some(day(7)), false),
                action("Someone else's", &other, Some(day(-5)), false),
                action("Already done", &me, Some(day(-10)), true),
                action("No date", &me, None, false),
            ]}),
        )
        .await;
    let second = server
        .create(
            "meetings",
            json!({"kind": "forward_looking", "customer_id": tax, "starts_at": hours_ago(24),
                   "actions": [action("Overdue", &me, Some(day(-2)), false),
                               action("Due tomorrow", &me, Some(day(1)), false)]}),
        )
        .await;
    let reply = server
        .get("/api/v1/actions?owner_id=me&done=false", &mine)
        .await;
    reply.expect(200);
    let items = reply.json["items"].as_array().cloned().unwrap_or_default();
    let texts: Vec<&str> = items.iter().filter_map(|i| i["text"].as_str()).collect();
    assert_eq!(
        texts,
        ["Overdue", "Due tomorrow", "Due next week", "No date"]
    );
    assert_eq!(items[0]["meeting_id"], json!(id_of(&second)));
    assert_eq!(items[0]["index"], 0);
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["kind"], "forward_looking");
    assert_eq!(items[0]["customer_id"], json!(tax));
    assert_eq!(items[2]["meeting_id"], json!(id_of(&first)));
    assert_eq!(items[3]["index"], 3);

    let theirs = server
        .get(
            &format!("/api/v1/actions?customer_id={mof}&done=true"),
            &mine,
        )
        .await;
    theirs.expect(200);
    assert_eq!(theirs.json["items"].as_array().map(Vec::len), Some(1));
    let viewer = server.token_of(Permission::Viewer).to_string();
    server
        .get("/api/v1/actions?owner_id=me", &viewer)
        .await
        .invalid("owner_id");
    server
        .get("/api/v1/actions?done=maybe", &mine)
        .await
        .invalid("done");
    server.stop().await;
}
