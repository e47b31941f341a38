//! `GET /metrics`: the Prometheus text format, checked line by line by a
//! small parser of the exposition format; the counters, histograms and
//! gauges move with the requests made; only the `metrics` and `admin`
//! permissions read it, and a metrics token reads nothing else.

mod api_support;

use std::collections::HashMap;

use api_support::TestServer;
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::json;

/// One sample: its metric name, labels and value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: HashMap<String, String>,
    value: f64,
}

/// Parses the text exposition format (0.0.4) strictly enough to catch a
/// malformed line: `# HELP`/`# TYPE` comments, and samples of a declared
/// family (`name{label="value",...} value`, histograms with their
/// `_bucket`, `_sum` and `_count`).
fn parse(text: &str) -> Vec<Sample> {
    let mut types: HashMap<String, String> = HashMap::new();
    let mut samples = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = || format!("line {}: {line:?}", number + 1);
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("HELP"), Some(name), Some(_)) => assert!(valid_name(name), "{}", at()),
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{}",
                        at()
                    );
                    assert!(
                        types.insert(name.to_string(), kind.to_string()).is_none(),
                        "a second TYPE, {}",
                        at()
                    );
                }
                _ => panic!("a comment that is neither HELP nor TYPE, {}", at()),
            }
            continue;
        }
        assert!(!line.is_empty(), "an empty line, {}", at());
        let name_end = line
            .find(['{', ' '])
            .unwrap_or_else(|| panic!("no value, {}", at()));
        let name = &line[..name_end];
        assert!(valid_name(name), "{}", at());
        let mut rest = &line[name_end..];
        let mut labels = HashMap::new();
        if let Some(inner) = rest.strip_prefix('{') {
            rest = labels_of(inner, &mut labels).unwrap_or_else(|| panic!("bad labels, {}", at()));
        }
        let value = rest
            .strip_prefix(' ')
            .unwrap_or_else(|| panic!("no space before the value, {}", at()));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            other => other
                .parse()
                .unwrap_or_else(|_| panic!("a value that is no number, {}", at())),
        };
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                name.strip_suffix(suffix)
                    .filter(|base| types.get(*base).is_some_and(|kind| kind == "histogram"))
            })
            .unwrap_or(name);
        assert!(
            types.contains_key(family),
            "a sample of no declared family, {}",
            at()
        );
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    check_histograms(&samples);
    samples
}

/// Reads `key="value",...}` into `labels`; what follows the `}`. Values
/// may hold any character but `"`, `\` and newlines unescaped.
fn labels_of<'a>(mut text: &'a str, labels: &mut HashMap<String, String>) -> Option<&'a str> {
    loop {
        if let Some(rest) = text.strip_prefix('}') {
            return Some(rest);
        }
        let (key, rest) = text.split_once("=\"")?;
        if !valid_name(key) || key.contains(':') {
            return None;
        }
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let after = loop {
            match chars.next()? {
                (_, '\\') => match chars.next()? {
                    (_, 'n') => value.push('\n'),
                    (_, c @ ('\\' | '"')) => value.push(c),
                    _ => return None,
                },
                (at, '"') => break &rest[at + 1..],
                (_, '\n') => return None,
                (_, c) => value.push(c),
            }
        };
        if labels.insert(key.to_string(), value).is_some() {
            return None;
        }
        text = after.strip_prefix(',').unwrap_or(after);
        if !after.starts_with(',') && !after.starts_with('}') {
            return None;
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Every histogram's buckets only grow and end at `+Inf` with its count.
fn check_histograms(samples: &[Sample]) {
    let mut series: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for sample in samples.iter().filter(|s| s.name.ends_with("_bucket")) {
        let mut others: Vec<_> = sample
            .labels
            .iter()
            .filter(|(key, _)| *key != "le")
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        others.sort();
        let le = sample.labels["le"].as_str();
        let bound = if le == "+Inf" {
            f64::INFINITY
        } else {
            le.parse().expect("a bound")
        };
        series
            .entry(format!("{}{{{}}}", sample.name, others.join(",")))
            .or_default()
            .push((bound, sample.value));
    }
    assert!(!series.is_empty(), "no histogram at all");
    for (key, buckets) in series {
        assert!(
            buckets
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0 && pair[0].1 <= pair[1].1),
            "{key}: {buckets:?}"
        );
        assert_eq!(buckets.last().map(|b| b.0), Some(f64::INFINITY), "{key}");
    }
}

/// The value of the one sample named `name` with all of `labels`.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = samples
        .iter()
        .filter(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .collect();
    match found.as_slice() {
        [one] => one.value,
        [] => 0.0,
        many => panic!("{name} {labels:?} matches {} samples", many.len()),
    }
}

async fn scrape(server: &TestServer, token: &str) -> Vec<Sample> {
    let reply = server.get("/metrics", token).await;
    reply.expect(200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    parse(&reply.text)
}

const CUSTOMERS: [(&str, &str); 3] = [
    ("method", "GET"),
    ("route", "/api/v1/customers"),
    ("status", "200"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_move_with_the_requests() {
    let server = TestServer::start(false).await;
    for _ in 0..3 {
        server
            .get("/api/v1/customers", &server.viewer)
            .await
            .expect(200);
    }
    let created = server
        .post(
            "/api/v1/customers",
            &server.admin,
            &json!({"name": "Ministry of Finance", "code": "MOF"}),
        )
        .await;
    created.expect(201);
    server
        .get(
            &format!("/api/v1/customers/{}", created.id()),
            &server.viewer,
        )
        .await
        .expect(200);
    server
        .get("/api/v1/nowhere", &server.viewer)
        .await
        .expect(404);
    server
        .send(server.request(Method::GET, "/api/v1/customers", None))
        .await
        .expect(401);
    // An open change feed is a subscriber until it ends.
    let mut feed = server
        .request(Method::GET, "/api/v1/events", Some(&server.viewer))
        .send()
        .await
        .expect("the feed opens");
    assert_eq!(feed.status().as_u16(), 200);
    feed.chunk().await.expect("the feed says it is live");

    let samples = scrape(&server, &server.metrics).await;
    assert_eq!(
        value(&samples, "rapport_http_requests_total", &CUSTOMERS),
        3.0
    );
    let by_id = [
        ("method", "GET"),
        ("route", "/api/v1/customers/{id}"),
        ("status", "200"),
    ];
    assert_eq!(value(&samples, "rapport_http_requests_total", &by_id), 1.0);
    let created = [
        ("method", "POST"),
        ("route", "/api/v1/customers"),
        ("status", "201"),
    ];
    assert_eq!(
        value(&samples, "rapport_http_requests_total", &created),
        1.0
    );
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(
        value(&samples, "rapport_http_requests_total", &unmatched),
        1.0
    );
    let refused = [
        ("method", "GET"),
        ("route", "/api/v1/customers"),
        ("status", "401"),
    ];
    assert_eq!(
        value(&samples, "rapport_http_requests_total", &refused),
        1.0
    );
    let latency = [("method", "GET"), ("route", "/api/v1/customers")];
    // The three answers and the refusal.
    assert_eq!(
        value(
            &samples,
            "rapport_http_request_duration_seconds_count",
            &latency
        ),
        4.0
    );
    let inf = [
        ("method", "GET"),
        ("route", "/api/v1/customers"),
        ("le", "+Inf"),
    ];
    assert_eq!(
        value(
            &samples,
            "rapport_http_request_duration_seconds_bucket",
            &inf
        ),
        4.0
    );
    assert!(
        value(
            &samples,
            "rapport_store_operation_duration_seconds_count",
            &[("operation", "read")]
        ) >= 4.0
    );
    assert!(
        value(
            &samples,
            "rapport_store_operation_duration_seconds_count",
            &[("operation", "write")]
        ) >= 1.0
    );
    assert!(value(&samples, "rapport_store_writer_queue_depth", &[]) >= 0.0);
    assert!(value(&samples, "rapport_http_connections_open", &[]) >= 1.0);
    assert_eq!(
        value(&samples, "rapport_event_stream_subscribers", &[]),
        1.0
    );

    // The counters move by exactly what was asked since.
    server
        .get("/api/v1/customers", &server.viewer)
        .await
        .expect(200);
    let again = scrape(&server, &server.admin).await;
    assert_eq!(
        value(&again, "rapport_http_requests_total", &CUSTOMERS),
        4.0
    );
    let scrapes = [("method", "GET"), ("route", "/metrics"), ("status", "200")];
    assert_eq!(value(&again, "rapport_http_requests_total", &scrapes), 1.0);

    // The stream's end is seen too.
    drop(feed);
    let mut subscribers = value(&again, "rapport_event_stream_subscribers", &[]);
    // A safety net, not a timing: the count drops once the server sees
    // the connection close.
    for _ in 0..3000 {
        if subscribers == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        subscribers = value(
            &scrape(&server, &server.metrics).await,
            "rapport_event_stream_subscribers",
            &[],
        );
    }
    assert_eq!(subscribers, 0.0, "the ended stream is still counted");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_metrics_and_admin_tokens_read_the_metrics() {
    let server = TestServer::start(false).await;
    for permission in [
        Permission::Viewer,
        Permission::Operator,
        Permission::Manager,
    ] {
        let reply = server.get("/metrics", server.token_of(permission)).await;
        reply.problem(403);
        assert!(
            reply.detail().contains("metrics"),
            "{permission:?}: {}",
            reply.detail()
        );
    }
    server
        .send(server.request(Method::GET, "/metrics", None))
        .await
        .expect(401);
    server.get("/metrics", &server.metrics).await.expect(200);
    server.get("/metrics", &server.admin).await.expect(200);
    // A scraper's token reads nothing else.
    server
        .get("/api/v1/customers", &server.metrics)
        .await
        .problem(403);
    server.get("/api/v1/me", &server.metrics).await.problem(403);
    // The document declares the route with its permission.
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    let operation = &document.json["paths"]["/metrics"]["get"];
    assert_eq!(operation["x-permission"], "metrics", "{operation}");
    assert!(
        operation["responses"]["200"]["content"]["text/plain; version=0.0.4; charset=utf-8"]
            .is_object(),
        "{operation}"
    );
    server.stop().await;
}
