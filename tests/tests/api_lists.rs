//! End-to-end: list calls — cursor paging, `q`, filters, `assignee_id=me`
//! and the RFC sorts.

mod api_support;

use api_support::{TestServer, id_of, ids};
use rapport_shared::enums::Permission;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_the_cursor_in_creation_order() {
    let server = TestServer::start(false).await;
    let mut created = Vec::new();
    for n in 0..23 {
        created.push(
            server
                .customer(&format!("C{n:02}"), &format!("Customer {n}"))
                .await,
        );
    }
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut path = "/api/v1/customers?limit=5".to_string();
    loop {
        let page = server.get(&path, &server.viewer).await;
        page.expect(200);
        let items = page.items();
        pages.push(items.len());
        seen.extend(ids(&items));
        match page.json["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/customers?limit=5&cursor={cursor}"),
            None => break,
        }
        assert!(pages.len() < 10, "paging does not end");
    }
    assert_eq!(seen, created, "every customer once, in creation order");
    assert_eq!(pages, vec![5, 5, 5, 5, 3]);
    // The default page holds them all; the ids sort by creation.
    let all = server.get("/api/v1/customers", &server.viewer).await;
    assert_eq!(ids(&all.items()), created);
    assert!(all.json["next_cursor"].is_null());
    let mut sorted = created.clone();
    sorted.sort();
    assert_eq!(sorted, created);
    // An exact multiple of the limit ends with an empty or null page.
    let by_23 = server
        .list_all("/api/v1/customers?limit=23", &server.viewer)
        .await;
    assert_eq!(ids(&by_23), created);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_and_filters() {
    let server = TestServer::start(false).await;
    let admin = &server.admin;
    let north = server.team("North").await;
    let finance = server
        .create(
            "customers",
            json!({"name": "Ministry of Finance", "code": "MOF", "team_id": north}),
        )
        .await;
    let health = server
        .create(
            "customers",
            json!({"name": "Ministry of Health", "code": "MOH", "status": "prospect"}),
        )
        .await;
    let tax = server
        .create(
            "customers",
            json!({"name": "Tax Agency", "code": "TAX", "description": "Collects the MINISTRY's taxes", "status": "inactive", "team_id": north}),
        )
        .await;
    // q: case-insensitive, over name, code and description.
    assert_eq!(
        names(&server, "/api/v1/customers?q=ministry").await,
        ids(&[finance.clone(), health.clone(), tax.clone()])
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=MINISTRY+OF+fin").await,
        vec![id_of(&finance)]
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=moh").await,
        vec![id_of(&health)]
    );
    assert!(
        names(&server, "/api/v1/customers?q=nothing-like-it")
            .await
            .is_empty()
    );
    // status and team_id.
    assert_eq!(
        names(&server, "/api/v1/customers?status=prospect").await,
        vec![id_of(&health)]
    );
    let in_north = server
        .list_all(
            &format!("/api/v1/customers?team_id={north}"),
            &server.viewer,
        )
        .await;
    assert_eq!(ids(&in_north), ids(&[finance.clone(), tax.clone()]));
    let in_north_active = server
        .list_all(
            &format!("/api/v1/customers?team_id={north}&status=active"),
            &server.viewer,
        )
        .await;
    assert_eq!(ids(&in_north_active), vec![id_of(&finance)]);
    server
        .get("/api/v1/customers?status=gone", &server.viewer)
        .await
        .invalid("status");

    // Staff: job_role and active.
    let desk = server.staff("Sam Desk", &["service_desk"]).await;
    let retired = server
        .create(
            "staff",
            json!({"name": "Old Timer", "email": "old@it.example", "job_roles": ["brm"], "active": false}),
        )
        .await;
    let brms = server
        .list_all("/api/v1/staff?job_role=brm", &server.viewer)
        .await;
    assert_eq!(brms.len(), 2, "North's BRM and the retired one");
    assert!(brms.iter().all(|s| {
        s["job_roles"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("brm")))
    }));
    assert_eq!(
        names(&server, "/api/v1/staff?active=false").await,
        vec![id_of(&retired)]
    );
    assert_eq!(
        names(&server, "/api/v1/staff?job_role=service_desk&active=true").await,
        vec![desk.clone()]
    );
    assert!(
        names(&server, "/api/v1/staff?job_role=brm&active=false&q=sam")
            .await
            .is_empty()
    );
    server
        .get("/api/v1/staff?job_role=cook", &server.viewer)
        .await
        .invalid("job_role");
    server
        .get("/api/v1/staff?active=maybe", &server.viewer)
        .await
        .invalid("active");
    // A team cannot be led by a staff member who is no longer active.
    server
        .post(
            "/api/v1/teams",
            admin,
            &json!({"name": "T", "brm_id": id_of(&retired), "delivery_manager_id": desk}),
        )
        .await
        .invalid("brm_id");

    // Contacts by customer and role.
    let carl = server
        .create(
            "contacts",
            json!({"customer_id": id_of(&finance), "name": "Carl", "role": "purchaser"}),
        )
        .await;
    server
        .create(
            "contacts",
            json!({"customer_id": id_of(&tax), "name": "Tina"}),
        )
        .await;
    assert_eq!(
        ids(&server
            .list_all(
                &format!("/api/v1/contacts?customer_id={}", id_of(&finance)),
                &server.viewer
            )
            .await),
        vec![id_of(&carl)]
    );
    assert_eq!(
        names(&server, "/api/v1/contacts?role=purchaser").await,
        vec![id_of(&carl)]
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assignee_me_needs_a_linked_token() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let sam = server.staff("Sam Desk", &["service_desk"]).await;
    let leila = server.staff("Leila Desk", &["service_desk"]).await;
    let mine = server
        .rfc(&customer, "Mine", json!({"assignee_id": sam}))
        .await;
    server
        .rfc(&customer, "Hers", json!({"assignee_id": leila}))
        .await;
    server.rfc(&customer, "Nobody's", json!({})).await;
    let sams_token = server.token(Permission::Viewer, Some(&sam)).await;
    let queue = server
        .list_all("/api/v1/rfcs?assignee_id=me", &sams_token)
        .await;
    assert_eq!(ids(&queue), vec![id_of(&mine)]);
    let by_id = server
        .list_all(&format!("/api/v1/rfcs?assignee_id={sam}"), &server.viewer)
        .await;
    assert_eq!(ids(&by_id), vec![id_of(&mine)]);
    server
        .get("/api/v1/rfcs?assignee_id=me", &server.viewer)
        .await
        .invalid("assignee_id");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc_sorts_and_filters() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let other = server.customer("TAX", "Tax Agency").await;
    let mut rfcs = Vec::new();
    for (title, priority, owner) in [
        ("low one", "low", &customer),
        ("critical old", "critical", &customer),
        ("medium one", "medium", &other),
        ("critical new", "critical", &other),
        ("high one", "high", &customer),
        ("default priority", "", &customer),
    ] {
        let extra = if priority.is_empty() {
            json!({})
        } else {
            json!({"priority": priority})
        };
        rfcs.push(server.rfc(owner, title, extra).await);
    }
    assert_eq!(rfcs[5]["priority"], json!("medium"));
    let titles = |items: &[serde_json::Value]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // Critical first, then by age within a priority; the same across pages.
    let expected = vec![
        "critical old",
        "critical new",
        "high one",
        "medium one",
        "default priority",
        "low one",
    ];
    for limit in [50, 4, 1] {
        let sorted = server
            .list_all(
                &format!("/api/v1/rfcs?sort=priority&limit={limit}"),
                &server.viewer,
            )
            .await;
        assert_eq!(titles(&sorted), expected, "limit {limit}");
    }
    // sort=age: oldest first.
    let by_age = server
        .list_all("/api/v1/rfcs?sort=age", &server.viewer)
        .await;
    assert_eq!(ids(&by_age), ids(&rfcs));
    // sort=updated: most recently changed first.
    let oldest = id_of(&rfcs[0]);
    server
        .patch(
            &format!("/api/v1/rfcs/{oldest}"),
            &server.operator,
            1,
            &json!({"impact": "small"}),
        )
        .await
        .expect(200);
    for limit in [50, 2] {
        let by_updated = server
            .list_all(
                &format!("/api/v1/rfcs?sort=updated&limit={limit}"),
                &server.viewer,
            )
            .await;
        let mut expected: Vec<String> = ids(&rfcs[1..]).into_iter().rev().collect();
        expected.insert(0, oldest.clone());
        assert_eq!(ids(&by_updated), expected, "limit {limit}");
    }
    // Filters combine with sorts.
    let critical = server
        .list_all(
            &format!("/api/v1/rfcs?priority=critical&customer_id={customer}"),
            &server.viewer,
        )
        .await;
    assert_eq!(titles(&critical), vec!["critical old"]);
    let new = server
        .list_all("/api/v1/rfcs?status=new&sort=priority", &server.viewer)
        .await;
    assert_eq!(new.len(), 6);
    let q = server
        .list_all("/api/v1/rfcs?q=CRITICAL", &server.viewer)
        .await;
    assert_eq!(titles(&q), vec!["critical old", "critical new"]);
    for (param, value) in [
        ("status", "open"),
        ("route", "fast"),
        ("priority", "urgent"),
        ("sort", "random"),
    ] {
        server
            .get(&format!("/api/v1/rfcs?{param}={value}"), &server.viewer)
            .await
            .invalid(param);
    }
    server
        .get("/api/v1/customers?sort=priority", &server.viewer)
        .await
        .invalid("sort");
    server.stop().await;
}

/// The ids a list answers with, all pages.
async fn names(server: &TestServer, path: &str) -> Vec<String> {
    ids(&server.list_all(path, &server.viewer).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_escapes_wildcards_and_folds_unicode() {
    let server = TestServer::start(false).await;
    let percent = server.customer("PCT", "Fifty % Agency").await;
    let underscore = server.customer("USC", "Snake_Case Office").await;
    let swedish = server.customer("SWE", "Övergångsmyndigheten").await;
    let plain = server.customer("PLN", "Plain Office").await;
    assert_eq!(
        names(&server, "/api/v1/customers?q=%25").await,
        vec![percent]
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=_").await,
        vec![underscore.clone()]
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=e_c").await,
        vec![underscore]
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=%C3%96VERG%C3%85NG").await,
        vec![swedish.clone()]
    );
    assert_eq!(
        names(&server, "/api/v1/customers?q=%C3%B6verg%C3%A5ng").await,
        vec![swedish]
    );
    // A blank q is no filter.
    assert_eq!(names(&server, "/api/v1/customers?q=+").await.len(), 4);
    assert_eq!(
        names(&server, "/api/v1/customers?q=plain+office").await,
        vec![plain]
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_from_elsewhere_are_refused() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    for n in 0..3 {
        server.rfc(&customer, &format!("RFC {n}"), json!({})).await;
        server.staff(&format!("Staff {n}"), &["service_desk"]).await;
    }
    let cursor_of = |reply: &api_support::Reply| {
        reply.json["next_cursor"]
            .as_str()
            .expect("a next page")
            .to_string()
    };
    let by_priority = server
        .get("/api/v1/rfcs?sort=priority&limit=1", &server.viewer)
        .await;
    let priority_cursor = cursor_of(&by_priority);
    let by_created = server.get("/api/v1/rfcs?limit=1", &server.viewer).await;
    let created_cursor = cursor_of(&by_created);
    for path in [
        format!("/api/v1/rfcs?limit=1&cursor={priority_cursor}"),
        format!("/api/v1/rfcs?limit=1&sort=updated&cursor={created_cursor}"),
        format!(
            "/api/v1/rfcs?limit=1&cursor={}",
            &created_cursor[..created_cursor.len() / 2]
        ),
        "/api/v1/rfcs?cursor=%F0%9F%92%A9".to_string(),
    ] {
        server.get(&path, &server.viewer).await.invalid("cursor");
    }
    // A cursor of one collection used on another gives a page or a 422, never a 500.
    let reply = server
        .get(
            &format!("/api/v1/staff?limit=1&cursor={created_cursor}"),
            &server.viewer,
        )
        .await;
    assert!(
        reply.status == 200 || reply.status == 422,
        "{} {}",
        reply.status,
        reply.text
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_demo_works_out_of_the_box() {
    let server = TestServer::start(true).await;
    let me = server.get("/api/v1/me", &server.local).await;
    me.expect(200);
    assert_eq!(me.json["permission"], json!("admin"));
    let operator = me.json["staff_id"]
        .as_str()
        .expect("linked to the operator");
    assert_eq!(me.json["staff_name"], json!("Sam Okafor"));
    let queue = server
        .list_all("/api/v1/rfcs?assignee_id=me", &server.local)
        .await;
    assert!(!queue.is_empty());
    assert!(
        queue
            .iter()
            .all(|rfc| rfc["assignee_id"] == json!(operator))
    );
    for (collection, count) in [
        ("staff", 15),
        ("services", 10),
        ("teams", 4),
        ("customers", 12),
    ] {
        let items = server
            .list_all(&format!("/api/v1/{collection}?limit=500"), &server.viewer)
            .await;
        assert_eq!(items.len(), count, "{collection}");
    }
    // Every team serves customers; every demo record reads back whole.
    for team in server.list_all("/api/v1/teams", &server.viewer).await {
        assert!(
            team["customer_ids"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{team}"
        );
    }
    let rfcs = server
        .list_all("/api/v1/rfcs?limit=7", &server.viewer)
        .await;
    for status in rapport_shared::enums::RfcStatus::names() {
        assert!(
            rfcs.iter().any(|rfc| rfc["status"] == json!(status)),
            "no demo RFC is {status}"
        );
    }
    // The demo RFCs' histories match their statuses.
    for rfc in rfcs.iter().filter(|rfc| rfc["status"] != json!("new")) {
        let history = server
            .get(
                &format!("/api/v1/rfcs/{}/history", id_of(rfc)),
                &server.viewer,
            )
            .await;
        let last = history.items().last().cloned().expect("a history");
        assert_eq!(last["to"], rfc["status"], "{rfc}");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_open_filter_follows_the_workflow() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let staying = server.rfc(&customer, "stays open", json!({})).await;
    let leaving = server.rfc(&customer, "gets withdrawn", json!({})).await;
    assert_eq!(staying["open"], json!(true));
    let token = server.token_of(Permission::Operator).to_string();
    let withdrawn = server
        .transition(&id_of(&leaving), &token, 1, &json!({"to": "withdrawn"}))
        .await;
    withdrawn.expect(200);
    let open = server.list_all("/api/v1/rfcs?open=true", &token).await;
    assert_eq!(ids(&open), vec![id_of(&staying)]);
    let finished = server.list_all("/api/v1/rfcs?open=false", &token).await;
    assert_eq!(ids(&finished), vec![id_of(&leaving)]);
    let count = server.get("/api/v1/rfcs/count?open=true", &token).await;
    count.expect(200);
    server
        .get("/api/v1/rfcs?open=maybe", &token)
        .await
        .invalid("open");
    // `open` is the server's: a patch may not set it.
    server
        .patch(
            &format!("/api/v1/rfcs/{}", id_of(&staying)),
            &token,
            1,
            &json!({"open": false}),
        )
        .await
        .invalid("open");
    server.stop().await;
}
