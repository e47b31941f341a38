//! Bad input of every kind is a 4xx problem, never a 500; HTTP edges.

use crate::api_support::TestServer;
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_never_gives_a_500() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<String> = vec![
        String::new(),
        "   ".into(),
        "null".into(),
        "[]".into(),
        "42".into(),
        "\"text\"".into(),
        deep,
        "{\"name\": \"a\u{0}b\", \"code\": \"AB\"}".into(),
        "{\"name\": 1e999, \"code\": \"AB\"}".into(),
        "{\"name\": \"X\", \"code\": \"AB\", \"team_id\": 7}".into(),
        "{\"name\": \"X\", \"code\": \"AB\", \"purchaser_contact_id\": \"nope\"}".into(),
        format!(
            "{{\"name\": \"{}\", \"code\": \"AB\"}}",
            "n".repeat(100_000)
        ),
        "{\"name\": \"X\", \"code\": \"AB\", \"description\": {\"nested\": [1, 2]}}".into(),
        "\u{feff}{\"name\": \"X\", \"code\": \"AB\"}".into(),
    ];
    for body in &bodies {
        for (method, path) in [
            (Method::POST, "/api/v1/customers".to_string()),
            (Method::PATCH, format!("/api/v1/customers/{customer}")),
            (Method::POST, "/api/v1/rfcs".to_string()),
        ] {
            let reply = server
                .send(
                    server
                        .request(method.clone(), &path, Some(&server.admin))
                        .header("content-type", "application/json")
                        .header("if-match", "\"1\"")
                        .body(body.clone()),
                )
                .await;
            assert!(
                (400..500).contains(&reply.status),
                "{method} {path} with {:.60}: {} {}",
                body,
                reply.status,
                reply.text
            );
            reply.problem(reply.status);
        }
    }
    // Odd paths, queries and headers.
    for path in [
        "/api/v1/customers/%zz",
        "/api/v1/customers/%ff",
        "/api/v1/customers?limit=99999999999999999999",
        "/api/v1/customers?status=gone",
        "/api/v1/customers?sort=priority",
        "/api/v1/customers?sort=sideways",
        "/api/v1/rfcs?due_on=2026-13-45",
        "/api/v1/audit?entity=nope",
        "/api/v1/audit?after=-3",
        "/api/v1//customers",
    ] {
        let reply = server.get(path, &server.admin).await;
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {} {}",
            reply.status,
            reply.text
        );
        reply.problem(reply.status);
    }
    for if_match in ["\"x\"", "\"0\"", "W/", "\"-1\""] {
        server
            .send(
                server
                    .request(
                        Method::PATCH,
                        &format!("/api/v1/customers/{customer}"),
                        Some(&server.admin),
                    )
                    .header("if-match", if_match)
                    .json(&json!({"name": "Y"})),
            )
            .await
            .problem(400);
    }
    // Numbers and dates out of range name their field.
    for price in [
        json!(-1),
        json!(1.5),
        json!("100"),
        json!(1e20),
        json!(i64::MAX),
        json!(u64::MAX),
    ] {
        server
            .post(
                "/api/v1/services",
                &server.admin,
                &json!({"name": "X", "unit_price_cents": price}),
            )
            .await
            .invalid("unit_price_cents");
    }
    for due_on in ["2026-02-30", "tomorrow", "2026-1-5", "20261231"] {
        server
            .post(
                "/api/v1/rfcs",
                &server.admin,
                &json!({"customer_id": customer, "title": "X", "due_on": due_on}),
            )
            .await
            .invalid("due_on");
    }
    // The server still serves.
    server
        .get(&format!("/api/v1/customers/{customer}"), &server.viewer)
        .await
        .expect(200);
    server.stop().await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_edges() {
    let server = TestServer::start(false).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let path = format!("/api/v1/customers/{customer}");
    // HEAD answers as GET without a body.
    let head = server
        .send(server.request(Method::HEAD, &path, Some(&server.viewer)))
        .await;
    head.expect(200);
    assert_eq!(head.header("etag"), Some("\"1\""));
    assert!(head.text.is_empty());
    // A trailing slash is the same path.
    server
        .get("/api/v1/customers/", &server.viewer)
        .await
        .expect(200);
    // If-None-Match: lists, `*`, weak tags; a stale tag gets the record.
    for tags in ["\"7\", \"1\"", "*", "W/\"1\""] {
        server
            .send(
                server
                    .request(Method::GET, &path, Some(&server.viewer))
                    .header("if-none-match", tags),
            )
            .await
            .expect(304);
    }
    let stale = server
        .send(
            server
                .request(Method::GET, &path, Some(&server.viewer))
                .header("if-none-match", "\"2\""),
        )
        .await;
    stale.expect(200);
    assert_eq!(stale.json["code"], json!("MOF"));
    // If-Match: * matches any version.
    server
        .send(
            server
                .request(Method::PATCH, &path, Some(&server.manager))
                .header("if-match", "*")
                .json(&json!({"kind": "ministry"})),
        )
        .await
        .expect(200);
    // Headers too large: 431.
    let big = server
        .send(
            server
                .request(Method::GET, &path, Some(&server.viewer))
                .header("x-padding", "p".repeat(128 * 1024)),
        )
        .await;
    big.problem(431);
    // The body limit is 1 MiB exactly: at the limit the body is read.
    let limit = 1024 * 1024;
    for (size, expected) in [(limit, 422), (limit + 1, 413)] {
        let prefix = "{\"name\": \"X\", \"code\": \"BIG\", \"description\": \"";
        let suffix = "\"}";
        let body = format!(
            "{prefix}{}{suffix}",
            "d".repeat(size - prefix.len() - suffix.len())
        );
        assert_eq!(body.len(), size);
        let reply = server
            .send(
                server
                    .request(Method::POST, "/api/v1/customers", Some(&server.manager))
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        reply.problem(expected);
    }
    // A JSON body that is not an object is a 422 on the body.
    server
        .post("/api/v1/customers", &server.manager, &json!(["MOF"]))
        .await
        .invalid("body");
    // The server still serves.
    server.get(&path, &server.viewer).await.expect(200);
    server.stop().await;
}
