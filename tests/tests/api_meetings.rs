//! Meetings (`/api/v1/meetings`): the attendee rules (staff, and contacts
//! of the meeting's customer only), the team copied from the customer, the
//! filters by kind, customer, team and date range, and the items of the
//! agenda and of the actions read as the contract writes them.

mod api_support;

use api_support::{TestServer, id_of, ids};
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

/// A meeting of `kind` with `customer` at `starts_at`, with `extra` members.
fn meeting(kind: &str, customer: &str, starts_at: &str, extra: Value) -> Value {
    let mut body = json!({"kind": kind, "customer_id": customer, "starts_at": starts_at});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendees_are_staff_and_contacts_of_the_customer() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let operator = server.token_of(Permission::Operator).to_string();
    let team = server.team("North").await;
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Office").await;
    server
        .patch(
            &format!("/api/v1/customers/{mof}"),
            &manager,
            1,
            &json!({"team_id": team}),
        )
        .await
        .expect(200);
    let ours = id_of(
        &server
            .create("contacts", json!({"customer_id": mof, "name": "Ola"}))
            .await,
    );
    let theirs = id_of(
        &server
            .create("contacts", json!({"customer_id": tax, "name": "Tim"}))
            .await,
    );
    let dm = server.staff("Dana Delivery", &["delivery_manager"]).await;

    let body = meeting(
        "follow_up",
        &mof,
        "2026-12-10T09:00:00+01:00",
        json!({"attendee_staff_ids": [dm], "attendee_contact_ids": [ours],
               "actions": [{"text": "Send the figures", "owner_id": dm, "due_on": "2026-12-17"}]}),
    );
    server
        .post("/api/v1/meetings", &operator, &body)
        .await
        .problem(403);
    let made = server.post("/api/v1/meetings", &manager, &body).await;
    made.expect(201);
    assert_eq!(made.json["team_id"], json!(team));
    assert_eq!(made.json["starts_at"], "2026-12-10T08:00:00Z");
    assert_eq!(made.json["actions"][0]["done"], false);

    let mut outsider = body.clone();
    outsider["attendee_contact_ids"] = json!([ours, theirs]);
    let refused = server.post("/api/v1/meetings", &manager, &outsider).await;
    refused.invalid("attendee_contact_ids");
    assert!(
        refused
            .text
            .contains("not a contact of the meeting's customer"),
        "{}",
        refused.text
    );
    let mut stranger = body.clone();
    stranger["attendee_staff_ids"] = json!(["no-such-person"]);
    server
        .post("/api/v1/meetings", &manager, &stranger)
        .await
        .invalid("attendee_staff_ids");
    let mut unowned = body.clone();
    unowned["actions"] = json!([{"text": "x", "owner_id": "nobody"}]);
    server
        .post("/api/v1/meetings", &manager, &unowned)
        .await
        .invalid("actions");

    // The team is the server's to set.
    server
        .patch(
            &format!("/api/v1/meetings/{}", made.id()),
            &manager,
            made.version(),
            &json!({"team_id": "another"}),
        )
        .await
        .invalid("team_id");
    // Ticking an action is a patch of the list.
    let ticked = server
        .patch(
            &format!("/api/v1/meetings/{}", made.id()),
            &manager,
            made.version(),
            &json!({"actions": [{"text": "Send the figures", "owner_id": dm, "due_on": "2026-12-17", "done": true}]}),
        )
        .await;
    ticked.expect(200);
    assert_eq!(ticked.json["actions"][0]["done"], true);
    assert_eq!(ticked.json["team_id"], json!(team));
    server.stop().await;
}

/// The ids of the meetings a list query finds, sorted.
async fn found(server: &TestServer, token: &str, query: &str) -> Vec<String> {
    let mut found = ids(&server
        .list_all(&format!("/api/v1/meetings?{query}"), token)
        .await);
    found.sort();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_filter_by_kind_customer_team_and_dates() {
    let server = TestServer::start(false).await;
    let manager = server.token_of(Permission::Manager).to_string();
    let team = server.team("North").await;
    let mof = server.customer("MOF", "Ministry of Finance").await;
    let tax = server.customer("TAX", "Tax Office").await;
    server
        .patch(
            &format!("/api/v1/customers/{mof}"),
            &manager,
            1,
            &json!({"team_id": team}),
        )
        .await
        .expect(200);
    let mut made = Vec::new();
    for (kind, customer, at) in [
        ("follow_up", &mof, "2026-11-30T23:30:00Z"),
        ("forward_looking", &mof, "2026-12-01T00:00:00Z"),
        ("follow_up", &tax, "2026-12-31T23:59:59Z"),
        ("follow_up", &mof, "2027-01-01T00:00:00Z"),
    ] {
        let posted = server
            .post(
                "/api/v1/meetings",
                &manager,
                &meeting(kind, customer, at, json!({})),
            )
            .await;
        posted.expect(201);
        made.push(posted.id());
    }
    let sorted = |mut these: Vec<String>| {
        these.sort();
        these
    };
    assert_eq!(
        found(&server, &manager, "from=2026-12-01&to=2026-12-31").await,
        sorted(vec![made[1].clone(), made[2].clone()])
    );
    assert_eq!(
        found(&server, &manager, "from=2026-12-01T00:31:00%2B01:00").await,
        sorted(vec![made[1].clone(), made[2].clone(), made[3].clone()])
    );
    assert_eq!(
        found(&server, &manager, "kind=forward_looking").await,
        vec![made[1].clone()]
    );
    assert_eq!(
        found(&server, &manager, &format!("team_id={team}&kind=follow_up")).await,
        sorted(vec![made[0].clone(), made[3].clone()])
    );
    server
        .get("/api/v1/meetings?from=next-week", &manager)
        .await
        .invalid("from");
    server
        .get("/api/v1/meetings?kind=chat", &manager)
        .await
        .invalid("kind");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_team_has_met_its_customer_and_meets_again() {
    let server = TestServer::start(true).await;
    let viewer = server.token_of(Permission::Viewer).to_string();
    let teams = server.list_all("/api/v1/teams", &viewer).await;
    assert!(!teams.is_empty());
    let now = jiff::Timestamp::now();
    for team in &teams {
        let meetings = server
            .list_all(
                &format!("/api/v1/meetings?team_id={}", id_of(team)),
                &viewer,
            )
            .await;
        let starts = |m: &Value| -> jiff::Timestamp {
            m["starts_at"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("a start")
        };
        for kind in ["follow_up", "forward_looking"] {
            let held: Vec<_> = meetings
                .iter()
                .filter(|m| m["kind"] == kind && starts(m) < now)
                .collect();
            let coming: Vec<_> = meetings
                .iter()
                .filter(|m| m["kind"] == kind && starts(m) > now)
                .collect();
            assert!(
                !held.is_empty() && !coming.is_empty(),
                "{team} {kind}: {meetings:?}"
            );
            assert!(held.iter().all(|m| m["minutes"].is_string()
                && m["actions"].as_array().is_some_and(|a| !a.is_empty())));
            assert!(
                coming
                    .iter()
                    .all(|m| m["agenda"].as_array().is_none_or(Vec::is_empty))
            );
        }
    }
    let open = server.get("/api/v1/actions?done=false", &viewer).await;
    open.expect(200);
    let overdue = open.json["items"].as_array().map_or(0, |items| {
        items.iter().filter(|i| i["overdue"] == true).count()
    });
    assert!(overdue >= teams.len(), "{}", open.text);
    server.stop().await;
}
