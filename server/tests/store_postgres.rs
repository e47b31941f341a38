//! What only the PostgreSQL store has to prove (the shared suite runs on it
//! too): its migrations agree with the collections' declarations and run
//! once when servers start together, and several stores on one database
//! (several servers) see one set of records, one idempotency key and one
//! change numbering that follows commit order. Each test is skipped
//! without `RAPPORT_TEST_PG` (see `store_support`).

mod store_support;

use std::sync::Arc;

use rapport_server::store::postgres::{MIGRATIONS, PgStore};
use rapport_server::store::sql::column_filters;
use rapport_server::store::{Store, StoreError};
use rapport_shared::Collection;
use serde_json::json;
use store_support::*;

/// The test database's URL, or `None` when the test is skipped.
fn database(test: &str) -> Option<String> {
    match Backend::postgres(test)? {
        Backend::Postgres(url) => Some(url),
        Backend::Sqlite => None,
    }
}

/// `n` stores on one fresh schema, opened at once: servers starting
/// together.
async fn servers(url: &str, n: usize) -> Vec<Arc<dyn Store>> {
    let schema_url = fresh_schema(url).await;
    let opening = (0..n).map(|_| {
        let url = schema_url.clone();
        tokio::spawn(async move { PgStore::connect(&url).await })
    });
    let mut stores: Vec<Arc<dyn Store>> = Vec::new();
    for store in futures::future::join_all(opening).await {
        stores.push(Arc::new(
            store.expect("the task ran").expect("the store opens"),
        ));
    }
    stores
}

/// A plain client on the schema of `schema_url`.
async fn client(schema_url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(schema_url, tokio_postgres::NoTls)
        .await
        .expect("connects");
    tokio::spawn(connection);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_migrate_once_and_every_filter_has_its_column() {
    let Some(url) = database("servers_starting_together_migrate_once") else {
        return;
    };
    let schema_url = fresh_schema(&url).await;
    let opening: Vec<_> = (0..4)
        .map(|_| {
            let url = schema_url.clone();
            tokio::spawn(async move { PgStore::connect(&url).await.map(|_| ()) })
        })
        .collect();
    for opened in futures::future::join_all(opening).await {
        opened.expect("the task ran").expect("each server opens");
    }
    let client = client(&schema_url).await;
    let versions: Vec<i64> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .expect("the migrations are recorded")
        .iter()
        .map(|row| row.get(0))
        .collect();
    let expected: Vec<i64> = MIGRATIONS.iter().map(|(version, ..)| *version).collect();
    assert_eq!(versions, expected, "each migration once");
    for collection in Collection::ALL {
        let columns: Vec<String> = client
            .query(
                "SELECT column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
                &[&collection.name()],
            )
            .await
            .expect("columns")
            .iter()
            .map(|row| row.get(0))
            .collect();
        let mut needed: Vec<&str> = column_filters(*collection).map(|spec| spec.field).collect();
        needed.extend([
            "id",
            "version",
            "created_ns",
            "updated_ns",
            "search",
            "fields",
        ]);
        for column in needed {
            assert!(
                columns.iter().any(|c| c == column),
                "{collection} has no column {column}: a collection added without its \
                 PostgreSQL migration?"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reopening_keeps_everything_and_numbering_goes_on() {
    let Some(url) = database("reopening_keeps_everything_and_numbering_goes_on") else {
        return;
    };
    let schema_url = fresh_schema(&url).await;
    let first = PgStore::connect(&schema_url).await.expect("opens");
    let customer = write_one(&first, create(Collection::Customers, json!({"name": "A"}))).await;
    drop(first);
    let again = PgStore::connect(&schema_url).await.expect("opens again");
    assert_eq!(
        again.get(Collection::Customers, customer.id.clone()).await,
        Ok(customer)
    );
    assert_eq!(again.last_seq().await, Ok(1));
    write_one(&again, create(Collection::Customers, json!({"name": "B"}))).await;
    assert_eq!(again.last_seq().await, Ok(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_racing_updates_on_two_servers_exactly_one_wins() {
    let Some(url) = database("of_racing_updates_on_two_servers_exactly_one_wins") else {
        return;
    };
    let stores = servers(&url, 2).await;
    let customer = write_one(
        stores[0].as_ref(),
        create(Collection::Customers, json!({"name": "A"})),
    )
    .await;
    let patch = |name: &str| {
        batch(vec![update(
            Collection::Customers,
            &customer.id,
            1,
            json!({"name": name}),
        )])
    };
    let (a, b) = tokio::join!(stores[0].write(patch("B")), stores[1].write(patch("C")));
    assert!(a.is_ok() != b.is_ok(), "exactly one wins: {a:?} / {b:?}");
    let lost = if a.is_ok() { b } else { a };
    assert!(
        matches!(lost, Err(StoreError::VersionMismatch { current: 2, .. })),
        "{lost:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idempotency_key_holds_across_servers() {
    let Some(url) = database("an_idempotency_key_holds_across_servers") else {
        return;
    };
    let stores = servers(&url, 2).await;
    let first = stores[0]
        .write(idempotent("k1", "h1", "Acme"))
        .await
        .expect("the first create");
    let replay = stores[1]
        .idempotent_replay("token-1".into(), "k1".into())
        .await
        .expect("reads")
        .expect("the other server finds the key");
    assert_eq!(replay.record, first[0]);
    // A repeat that raced past the replay check still creates nothing.
    let again = stores[1]
        .write(idempotent("k1", "h1", "Acme"))
        .await
        .expect("the repeat");
    assert_eq!(again, first);
    assert_eq!(
        stores[1].write(idempotent("k1", "other", "Acme")).await,
        Err(StoreError::Duplicate {
            field: "Idempotency-Key".into(),
            value: "k1".into()
        })
    );
    assert_eq!(stores[0].count(query(Collection::Customers)).await, Ok(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn change_numbers_are_seen_in_commit_order_across_servers() {
    let Some(url) = database("change_numbers_are_seen_in_commit_order_across_servers") else {
        return;
    };
    const WRITERS: usize = 8;
    const WRITES: usize = 15;
    let stores = servers(&url, 3).await;
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let store = Arc::clone(&stores[writer % 2]);
        writers.push(tokio::spawn(async move {
            for n in 0..WRITES {
                let name = format!("w{writer}-{n}");
                store
                    .write(batch(vec![
                        create(Collection::Customers, json!({"name": name})),
                        create(Collection::Services, json!({"name": name})),
                    ]))
                    .await
                    .expect("a write commits");
            }
        }));
    }
    // The third server follows the feed while the others write: every
    // read continues exactly where the last one stopped. A number that
    // became visible before a smaller one (allocated first, committed
    // later) would show as a gap that fills in afterwards.
    let reader = &stores[2];
    let total = (WRITERS * WRITES * 2) as i64;
    let mut last = 0;
    while last < total {
        let changes = reader.changes_since(last, 1000).await.expect("reads");
        for change in changes {
            assert_eq!(change.seq, last + 1, "no gap in the feed");
            last = change.seq;
        }
        tokio::task::yield_now().await;
    }
    for writer in writers {
        writer.await.expect("the writer finished");
    }
    assert_eq!(reader.last_seq().await, Ok(total));
    assert_eq!(
        reader.count(query(Collection::Customers)).await,
        Ok((WRITERS * WRITES) as i64)
    );
}
