//! A full disk: a write the database has no room for is answered 507 with
//! a problem naming the cause (not a 500 whose cause is only in the log),
//! nothing of it is kept, reads go on, and writes succeed again once there
//! is room: at once when room is made while serving, and after a restart
//! with the cap lifted, with every acknowledged write kept.
//! The full disk is rehearsed with SQLite's page cap
//! (`SqliteStore::open_capped`).

use std::sync::Arc;

use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;
use serde_json::json;

/// Serves `store` on a loopback port; the address and a way to stop it.
async fn serve(
    store: Arc<dyn Store>,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = rapport_server::run(
            listener,
            store,
            rapport_server::http::Limits::default(),
            async move {
                let _ = stopped.await;
            },
        )
        .await;
    });
    (base, stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_a_507_that_loses_nothing_and_passes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("full.db");
    let secret = new_secret();
    let pages: i64 = {
        let store = SqliteStore::open(&db).expect("opens");
        store
            .create_token(
                "admin".into(),
                Permission::Admin,
                None,
                hash_secret(&secret),
            )
            .await
            .expect("a token");
        drop(store);
        let conn = rusqlite::Connection::open(&db).expect("opens");
        conn.query_row("PRAGMA page_count", [], |row| row.get(0))
            .expect("a count")
    };
    let capped: Arc<dyn Store> =
        Arc::new(SqliteStore::open_capped(&db, pages + 100).expect("opens capped"));
    let (base, stop, task) = serve(capped).await;
    let client = reqwest::Client::new();
    let long = "x".repeat(15_000);
    let mut created = Vec::new();
    let mut refused = None;
    for n in 0..200 {
        let response = client
            .post(format!("{base}/api/v1/customers"))
            .bearer_auth(&secret)
            .json(&json!({"name": format!("Customer {n}"), "code": format!("C{n}"), "description": long}))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        if status == 201 {
            created.push(body["id"].as_str().unwrap_or_default().to_string());
            continue;
        }
        refused = Some((status, body));
        break;
    }
    let (status, body) = refused.expect("the cap is reached");
    assert!(
        created.len() > 3,
        "some writes fit under the cap: {}",
        created.len()
    );
    assert_eq!(status, 507, "{body}");
    assert_eq!(body["status"], 507);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("disk is full")),
        "{body}"
    );
    // Reads go on while the disk is full.
    let listed = client
        .get(format!("{base}/api/v1/customers?limit=500"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(listed.status().as_u16(), 200);
    // Room made while serving (records deleted): writes pass again without
    // a restart.
    for id in created.drain(..3) {
        let deleted = client
            .delete(format!("{base}/api/v1/customers/{id}"))
            .bearer_auth(&secret)
            .header("if-match", "\"1\"")
            .send()
            .await
            .expect("the server answers");
        assert_eq!(deleted.status().as_u16(), 204);
    }
    let small = client
        .post(format!("{base}/api/v1/customers"))
        .bearer_auth(&secret)
        .json(&json!({"name": "Small", "code": "SMALL"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        small.status().as_u16(),
        201,
        "writes pass once there is room"
    );
    let _ = stop.send(());
    let _ = task.await;

    // Room again: everything acknowledged is there, and writes pass.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db).expect("reopens"));
    for id in &created {
        store
            .get(rapport_shared::Collection::Customers, id.clone())
            .await
            .expect("an acknowledged write is kept");
    }
    let (base, stop, task) = serve(store).await;
    let again = client
        .post(format!("{base}/api/v1/customers"))
        .bearer_auth(&secret)
        .json(&json!({"name": "After", "code": "AFTER"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(again.status().as_u16(), 201);
    let _ = stop.send(());
    let _ = task.await;
}
