//! The week ahead of a staff member on two teams
//! (`GET /api/v1/week-ahead`): by day, what concerns them and nothing
//! else, and their customers' health today.

mod api_support;

use api_support::{TestServer, day, id_of};
use jiff::{SignedDuration, Timestamp};
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

fn at_day(days: i64, hour: i64) -> String {
    let midnight: Timestamp = format!("{}T00:00:00Z", day(days)).parse().expect("a time");
    (midnight + SignedDuration::from_hours(hour)).to_string()
}

/// `(date, kind, title)` of every item.
fn items(week: &Value) -> Vec<(String, String, String)> {
    week["days"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|day| {
            let date = day["date"].as_str().unwrap_or_default().to_string();
            day["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |item| {
                    (
                        date.clone(),
                        item["kind"].as_str().unwrap_or_default().to_string(),
                        item["title"].as_str().unwrap_or_default().to_string(),
                    )
                })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_week_holds_what_concerns_a_member_of_two_teams() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let me = server.staff("Bea Brm", &["brm", "service_owner"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let other = server.staff("Olu Other", &["brm"]).await;
    let mine = server.token(Permission::Viewer, Some(&me)).await;
    let team = |name: &str, brm: &str, owners: Vec<&str>| json!({"name": name, "brm_id": brm, "delivery_manager_id": dm, "service_owner_ids": owners});
    let north = id_of(&server.create("teams", team("North", &me, vec![])).await);
    let south = id_of(
        &server
            .create("teams", team("South", &other, vec![&me]))
            .await,
    );
    let west = id_of(&server.create("teams", team("West", &other, vec![])).await);
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Office").await;
    let env = server.customer("ENV", "Environment Agency").await;
    for (customer, team) in [(&mof, &north), (&tax, &south), (&env, &west)] {
        server
            .patch(
                &format!("/api/v1/customers/{customer}"),
                &manager,
                1,
                &json!({"team_id": team}),
            )
            .await
            .expect(200);
    }
    let mail = id_of(&server.create("services", json!({"name": "Mail"})).await);
    server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": mof, "starts_at": at_day(2, 9), "title": "MOF review"}),
        )
        .await;
    server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": env, "starts_at": at_day(2, 11), "title": "ENV review"}),
        )
        .await;
    server
        .create(
            "meetings",
            json!({"kind": "forward_looking", "customer_id": env, "starts_at": at_day(4, 14),
                   "title": "ENV ideas", "attendee_staff_ids": [me]}),
        )
        .await;
    server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": mof, "starts_at": at_day(-20, 9), "title": "Past",
                   "actions": [
                       {"text": "Send the report", "owner_id": me, "due_on": day(-3)},
                       {"text": "Book the room", "owner_id": me, "due_on": day(1)},
                       {"text": "Not mine", "owner_id": other, "due_on": day(1)},
                       {"text": "Later", "owner_id": me, "due_on": day(30)},
                   ]}),
        )
        .await;
    server
        .create(
            "agreements",
            json!({"customer_id": tax, "title": "TAX SLA", "status": "active", "service_ids": [mail],
                   "review_on": day(3), "valid_to": day(40)}),
        )
        .await;
    server
        .create(
            "agreements",
            json!({"customer_id": env, "title": "ENV SLA", "status": "active", "review_on": day(3)}),
        )
        .await;
    server
        .create(
            "activities",
            json!({"customer_id": mof, "title": "Budget cycle", "starts_on": day(-10), "ends_on": day(5)}),
        )
        .await;
    server
        .create(
            "notices",
            json!({"kind": "scheduled_maintenance", "text": "Mail upgrade\nRead-only",
                   "starts_at": at_day(6, 22), "service_ids": [mail]}),
        )
        .await;

    let reply = server.get("/api/v1/week-ahead?days=7", &mine).await;
    reply.expect(200);
    let week = &reply.json;
    assert_eq!(week["from"], day(0));
    assert_eq!(week["to"], day(6));
    assert_eq!(week["days"].as_array().map(Vec::len), Some(7));
    let expected = [
        (
            day(0),
            "overdue_action",
            format!("Send the report (overdue since {})", day(-3)),
        ),
        (day(1), "action", "Book the room".to_string()),
        (day(2), "meeting", "MOF review at 09:00 UTC".to_string()),
        (day(3), "review", "review of TAX SLA".to_string()),
        (day(4), "meeting", "ENV ideas at 14:00 UTC".to_string()),
        (day(5), "milestone", "Budget cycle due".to_string()),
        (day(6), "notice", "Mail upgrade (TAX)".to_string()),
    ];
    let expected: Vec<(String, String, String)> = expected
        .into_iter()
        .map(|(d, k, t)| (d, k.to_string(), t))
        .collect();
    assert_eq!(items(week), expected);
    let customers: Vec<&str> = week["customers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["customer_id"].as_str())
        .collect();
    let mut theirs = vec![mof.as_str(), tax.as_str()];
    theirs.sort_unstable();
    assert_eq!(customers, theirs);
    // Someone else's week, and the refusals.
    let others = server
        .get(
            &format!("/api/v1/week-ahead?staff_id={other}&days=3"),
            &mine,
        )
        .await;
    others.expect(200);
    assert_eq!(others.json["days"].as_array().map(Vec::len), Some(3));
    server
        .get("/api/v1/week-ahead?days=0", &mine)
        .await
        .invalid("days");
    let unlinked = server.token_of(Permission::Viewer).to_string();
    server
        .get("/api/v1/week-ahead", &unlinked)
        .await
        .invalid("staff_id");
    server
        .get("/api/v1/week-ahead?staff_id=nobody", &mine)
        .await
        .problem(404);
    server.stop().await;
}
