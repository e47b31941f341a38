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
    let by_23 = server.list_all("/api/v1/customers?limit=23", &server.viewer).await;
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
    assert_eq!(names(&server, "/api/v1/customers?q=moh").await, vec![id_of(&health)]);
    assert!(names(&server, "/api/v1/customers?q=nothing-like-it").await.is_empty());
    // status and team_id.
    assert_eq!(
        names(&server, "/api/v1/customers?status=prospect").await,
        vec![id_of(&health)]
    );
    let in_north = server
        .list_all(&format!("/api/v1/customers?team_id={north}"), &server.viewer)
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
    let brms = server.list_all("/api/v1/staff?job_role=brm", &server.viewer).await;
    assert_eq!(brms.len(), 2, "North's BRM and the retired one");
    assert!(
        brms.iter()
            .all(|s| s["job_roles"].as_array().is_some_and(|r| r.contains(&json!("brm"))))
    );
    assert_eq!(
        names(&server, "/api/v1/staff?active=false").await,
        vec![id_of(&retired)]
    );
    assert_eq!(
        names(&server, "/api/v1/staff?job_role=service_desk&active=true").await,
        vec![desk.clone()]
    );
    assert!(names(&server, "/api/v1/staff?job_role=brm&active=false&q=sam").await.is_empty());
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
        .create("contacts", json!({"customer_id": id_of(&tax), "name": "Tina"}))
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
    let queue = server.list_all("/api/v1/rfcs?assignee_id=me", &sams_token).await;
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
            .list_all(&format!("/api/v1/rfcs?sort=priority&limit={limit}"), &server.viewer)
            .await;
        assert_eq!(titles(&sorted), expected, "limit {limit}");
    }
    // sort=age: oldest first.
    let by_age = server.list_all("/api/v1/rfcs?sort=age", &server.viewer).await;
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
            .list_all(&format!("/api/v1/rfcs?sort=updated&limit={limit}"), &server.viewer)
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
    let q = server.list_all("/api/v1/rfcs?q=CRITICAL", &server.viewer).await;
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
