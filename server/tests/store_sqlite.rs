//! What only the SQLite store has: its database file survives a reopen,
//! migrations run once and in order, the database is in WAL mode, and old
//! idempotency keys are pruned when it opens. The backend-neutral suites
//! are the other `store_*.rs` files.

mod store_support;

use rapport_server::store::Store;
use rapport_server::store::sqlite::{MIGRATIONS, SqliteStore};
use rapport_shared::Collection;
use serde_json::json;
use store_support::*;

#[tokio::test]
async fn reopening_keeps_everything() {
    let t = open_sqlite();
    let path = t.path();
    let (record, seq) = {
        let store = t.store.as_ref();
        let record = write_one(store, create(Collection::Services, json!({"name": "Mail"}))).await;
        (record, store.last_seq().await.expect("seq"))
    };
    drop(t.store);
    let reopened = SqliteStore::open(&path).expect("reopens");
    assert_eq!(
        reopened.get(Collection::Services, record.id.clone()).await,
        Ok(record)
    );
    assert_eq!(reopened.last_seq().await, Ok(seq));
    // Sequence numbers continue after a reopen.
    let next = write_one(
        &reopened,
        create(Collection::Services, json!({"name": "Web"})),
    )
    .await;
    let changes = reopened.changes_since(seq, 10).await.expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].seq, seq + 1);
    assert_eq!(changes[0].id, next.id);
    assert_eq!(SqliteStore::migrate(&path).expect("migrate"), Vec::new());
    drop(t.dir);
}

#[tokio::test]
async fn migrate_creates_the_database_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new").join("rapport.sqlite");
    let applied = SqliteStore::migrate(&path).expect("migrates");
    let versions: Vec<i64> = applied.iter().map(|m| m.version).collect();
    let all: Vec<i64> = MIGRATIONS.iter().map(|m| m.0).collect();
    assert_eq!(versions, all);
    assert!(SqliteStore::migrate(&path).expect("again").is_empty());
    let store = SqliteStore::open(&path).expect("opens");
    assert!(store.is_empty().await.expect("is_empty"));
}

#[tokio::test]
async fn the_database_runs_in_wal_mode() {
    let t = open_sqlite();
    write_one(
        t.store.as_ref(),
        create(Collection::Teams, json!({"name": "T"})),
    )
    .await;
    let conn = rusqlite::Connection::open(t.path()).expect("opens");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    let migrations: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |row| {
            row.get(0)
        })
        .expect("migrations recorded");
    assert_eq!(migrations, MIGRATIONS.len() as i64);
}

#[tokio::test]
async fn migration_two_marks_existing_rfcs_open_or_finished() {
    // A database made by the first schema, with one open and one closed RFC.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("opens");
    conn.execute_batch(include_str!("../src/store/migrations/0001_initial.sql"))
        .expect("first schema");
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL);
         INSERT INTO schema_migrations VALUES (1, 'initial', '2026-11-25T00:00:00Z');
         INSERT INTO rfcs (id, version, created_ns, updated_ns, search, fields, priority_rank, status)
             VALUES ('a', 1, 1, 1, '', '{}', 2, 'new'), ('b', 1, 2, 2, '', '{}', 2, 'closed');",
    )
    .expect("old rows");
    drop(conn);
    let applied = SqliteStore::migrate(&path).expect("migrates");
    // Every migration after the first runs, migration 2 first.
    assert_eq!(applied.len(), MIGRATIONS.len() - 1);
    assert_eq!(applied[0].version, 2);
    let conn = rusqlite::Connection::open(&path).expect("opens");
    let open: Vec<(String, i64)> = conn
        .prepare("SELECT id, open FROM rfcs ORDER BY id")
        .expect("query")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("values");
    assert_eq!(open, vec![("a".to_string(), 1), ("b".to_string(), 0)]);
}

#[tokio::test]
async fn migration_thirteen_brings_customer_kinds_to_their_vocabulary() {
    // A database of the schema before 13, with kinds written as free text.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("opens");
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL);",
    )
    .expect("migrations table");
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 < 13) {
        conn.execute_batch(sql).expect("an older schema");
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, ?2, '2026-11-25T00:00:00Z')",
            rusqlite::params![version, name],
        )
        .expect("recorded");
    }
    let kinds = [
        ("a", r#"{"kind": "ministry"}"#),
        ("b", r#"{"kind": "Business unit"}"#),
        ("c", r#"{"kind": "central ministry"}"#),
        ("d", r#"{"kind": "regional council"}"#),
        ("e", r#"{"kind": " "}"#),
        ("f", r#"{"name": "no kind"}"#),
    ];
    for (id, fields) in kinds {
        conn.execute(
            "INSERT INTO customers (id, version, created_ns, updated_ns, search, fields, status) VALUES (?1, 1, 1, 1, '', ?2, 'active')",
            [id, fields],
        )
        .expect("an old customer");
    }
    drop(conn);
    let applied = SqliteStore::migrate(&path).expect("migrates");
    assert_eq!(applied.first().map(|m| m.version), Some(13));
    let conn = rusqlite::Connection::open(&path).expect("opens");
    let rows: Vec<(String, Option<String>, Option<String>)> = conn
        .prepare("SELECT id, json_extract(fields, '$.kind'), kind FROM customers ORDER BY id")
        .expect("query")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("values");
    let word = |w: &str| Some(w.to_string());
    assert_eq!(
        rows,
        vec![
            ("a".into(), word("ministry"), word("ministry")),
            ("b".into(), word("business_unit"), word("business_unit")),
            ("c".into(), word("ministry"), word("ministry")),
            ("d".into(), word("other"), word("other")),
            ("e".into(), None, None),
            ("f".into(), None, None),
        ]
    );
    drop(conn);
    // Every migrated record reads as valid input again (an edit of it passes).
    let store = SqliteStore::open(&path).expect("opens");
    for (id, _) in kinds {
        let record = store
            .get(Collection::Customers, id.to_string())
            .await
            .expect("read");
        let mut fields = record.fields.clone();
        fields.insert("name".into(), json!("Customer"));
        fields.insert("code".into(), json!("CUST"));
        assert!(
            <rapport_shared::records::CustomerInput as rapport_shared::records::RecordInput>::from_json(&fields).is_ok(),
            "{id}: {fields:?}"
        );
    }
}

#[tokio::test]
async fn idempotency_keys_older_than_the_window_are_pruned_at_open_sqlite() {
    let t = open_sqlite();
    let path = t.path();
    t.store
        .write(idempotent("old", "h", "Old"))
        .await
        .expect("created");
    t.store
        .write(idempotent("new", "h", "New"))
        .await
        .expect("created");
    drop(t.store);
    // Age one key past the window, as if it had been kept for two days.
    let conn = rusqlite::Connection::open(&path).expect("opens");
    let two_days_ns: i64 = 2 * 24 * 3600 * 1_000_000_000;
    conn.execute(
        "UPDATE idempotency_keys SET created_ns = created_ns - ?1 WHERE key = 'old'",
        [two_days_ns],
    )
    .expect("aged");
    drop(conn);
    let store = SqliteStore::open(&path).expect("reopens");
    assert_eq!(
        store
            .idempotent_replay("token-1".into(), "old".into())
            .await,
        Ok(None)
    );
    assert!(
        store
            .idempotent_replay("token-1".into(), "new".into())
            .await
            .expect("read")
            .is_some()
    );
    drop(t.dir);
}
