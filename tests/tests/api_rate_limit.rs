//! Per-token rate limits over HTTP: a token that spends its burst gets 429
//! with `Retry-After` and a problem+json body naming the limit; another
//! token is not held back by it, nor are unauthenticated routes; a server
//! without a limit (the default, as the embedded one) never answers 429.
//!
//! The rate is one request every 1,000 seconds, so nothing refills while
//! the test runs however slow the machine: the counts are exact.

use std::sync::Arc;

use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::api::rate::RateLimit;
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;

/// Serves a fresh database with `rate_limit`; the base URL, two token
/// secrets, and a way to stop it.
async fn serve(
    dir: &std::path::Path,
    rate_limit: Option<RateLimit>,
) -> (
    String,
    [String; 2],
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let store = Arc::new(SqliteStore::open(&dir.join("rate.db")).expect("opens"));
    let secrets = [new_secret(), new_secret()];
    for (name, secret) in ["first", "second"].into_iter().zip(&secrets) {
        store
            .create_token(name.into(), Permission::Viewer, None, hash_secret(secret))
            .await
            .expect("a token");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let settings = rapport_server::Settings {
        rate_limit,
        ..rapport_server::Settings::default()
    };
    let task = tokio::spawn(rapport_server::run_settings(
        listener,
        store,
        settings,
        async move {
            let _ = stopped.await;
        },
    ));
    (base, secrets, stop, task)
}

async fn get(client: &reqwest::Client, url: &str, secret: &str) -> reqwest::Response {
    client
        .get(url)
        .bearer_auth(secret)
        .send()
        .await
        .expect("answered")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_past_its_burst_gets_429_with_retry_after() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let limit = RateLimit {
        per_second: 0.001,
        burst: 3,
    };
    let (base, [first, second], stop, task) = serve(dir.path(), Some(limit)).await;
    let client = reqwest::Client::new();
    let me = format!("{base}/api/v1/me");
    for _ in 0..3 {
        assert_eq!(get(&client, &me, &first).await.status(), 200);
    }
    let limited = get(&client, &me, &first).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=1000).contains(&retry_after), "{retry_after}");
    assert_eq!(
        limited
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = limited.json().await.expect("a problem");
    assert_eq!(problem["status"], 429);
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(
        detail.contains("too many requests") && detail.contains("3 at once"),
        "{detail}"
    );

    // Another token has a bucket of its own; routes without a token are
    // not limited.
    assert_eq!(get(&client, &me, &second).await.status(), 200);
    for _ in 0..5 {
        let health = client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("answered");
        assert_eq!(health.status(), 200);
    }
    assert_eq!(get(&client, &me, &first).await.status(), 429);

    let _ = stop.send(());
    task.await.expect("joined").expect("served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_limit_nothing_is_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (base, [first, _], stop, task) = serve(dir.path(), None).await;
    let client = reqwest::Client::new();
    for _ in 0..50 {
        assert_eq!(
            get(&client, &format!("{base}/api/v1/me"), &first)
                .await
                .status(),
            200
        );
    }
    let _ = stop.send(());
    task.await.expect("joined").expect("served");
}
