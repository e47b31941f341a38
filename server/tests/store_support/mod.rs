//! Helpers shared by the store tests: a fresh store on each backend, an
//! actor, and short ways to build ops and queries.
//!
//! The suites see the store only as `Arc<dyn Store>`. Each test is an
//! `async fn NAME(backend: Backend)` listed in [`on_every_backend!`],
//! which makes `NAME::sqlite` and `NAME::postgres` of it: the same test
//! once per backend. The PostgreSQL one runs on the database named by
//! `RAPPORT_TEST_PG` (`.ci/with-postgres` starts a throwaway cluster and
//! sets it), each test in a schema of its own so tests run in parallel;
//! without it the PostgreSQL variant prints that it is skipped, except in
//! CI (`CI` set), where that is a failure. Tests of SQLite's own files
//! (reopening, migrations, WAL, pruning at open) name SQLite in their
//! names and use [`open_sqlite`] and [`TestStore::path`].

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rapport_server::store::postgres::PgStore;
use rapport_server::store::sqlite::SqliteStore;
use rapport_server::store::{
    Actor, Filter, IdempotencyKey, Link, ListQuery, Store, StoreError, StoredRecord, Taken,
    UniqueField, Violation, WriteBatch, WriteOp,
};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Sort;
use serde_json::{Map, Value, json};

/// The environment variable naming the PostgreSQL database of the tests.
pub const TEST_PG: &str = "RAPPORT_TEST_PG";

/// A store kept alive by the returned guard (for SQLite, in a temporary
/// directory).
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub dir: tempfile::TempDir,
}

impl TestStore {
    /// The SQLite database file, for the SQLite-specific tests.
    pub fn path(&self) -> PathBuf {
        sqlite_path(self.dir.path())
    }
}

/// Where the SQLite store of the test directory `dir` keeps its database.
pub fn sqlite_path(dir: &Path) -> PathBuf {
    dir.join("db").join("rapport.sqlite")
}

/// The SQLite store kept in `dir`.
pub fn open_store(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(&sqlite_path(dir)).expect("opens"))
}

/// A fresh SQLite store in a new temporary directory.
pub fn open_sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("a temp dir");
    TestStore {
        store: open_store(dir.path()),
        dir,
    }
}

/// A store backend the suites run on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The URL of the test database (`RAPPORT_TEST_PG`).
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when `RAPPORT_TEST_PG` names a database; `None` (with a
    /// line saying the test is skipped) when it does not, outside CI.
    pub fn postgres(test: &str) -> Option<Backend> {
        match std::env::var(TEST_PG) {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var_os("CI").is_some() => {
                panic!("{test}: {TEST_PG} is not set in CI; run the tests under .ci/with-postgres")
            }
            _ => {
                eprintln!("{test}: skipped, {TEST_PG} is not set (see README, PostgreSQL)");
                None
            }
        }
    }

    /// A fresh, empty store on this backend.
    pub async fn open(&self) -> TestStore {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = match self {
            Backend::Sqlite => open_store(dir.path()),
            Backend::Postgres(url) => Arc::new(
                PgStore::connect(&fresh_schema(url).await)
                    .await
                    .expect("the PostgreSQL store opens"),
            ),
        };
        TestStore { store, dir }
    }
}

/// A new schema in the test database, and the URL of a connection that
/// works in it (its `search_path` first, `public` for pg_trgm after).
pub async fn fresh_schema(url: &str) -> String {
    let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("the test database answers");
    let connection = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("a schema for the test");
    drop(client);
    let _ = connection.await;
    let join = if url.contains('?') { '&' } else { '?' };
    format!("{url}{join}options=-csearch_path%3D{schema}%2Cpublic")
}

/// Makes `NAME::sqlite` and `NAME::postgres` of each `async fn NAME(backend:
/// Backend)` listed: the one suite, once per backend.
#[allow(unused_macros)]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name(crate::store_support::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(backend) =
                        crate::store_support::Backend::postgres(concat!(stringify!($name), "::postgres"))
                    {
                        super::$name(backend).await;
                    }
                }
            }
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use on_every_backend;

pub fn actor() -> Actor {
    Actor {
        token_id: "token-1".into(),
        name: "Ada".into(),
        staff_id: None,
        permission: Permission::Admin,
    }
}

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        other => panic!("test fields must be an object, got {other}"),
    }
}

pub fn batch(ops: Vec<WriteOp>) -> WriteBatch {
    WriteBatch {
        actor: actor(),
        ops,
        idempotency: None,
        at: None,
        guards: Vec::new(),
        derivations: Vec::new(),
    }
}

/// A batch creating customer `name` under idempotency key `key`.
pub fn idempotent(key: &str, hash: &str, name: &str) -> WriteBatch {
    WriteBatch {
        idempotency: Some(IdempotencyKey {
            token_id: "token-1".into(),
            key: key.into(),
            request_hash: hash.into(),
        }),
        ..batch(vec![create(Collection::Customers, json!({"name": name}))])
    }
}

pub fn create(collection: Collection, fields: Value) -> WriteOp {
    WriteOp::Create {
        collection,
        fields: object(fields),
        links: Vec::new(),
        unique: Vec::new(),
    }
}

/// Replaces the fields of record `id` of `collection` at `expected_version`.
pub fn update(collection: Collection, id: &str, expected_version: i64, fields: Value) -> WriteOp {
    WriteOp::Update {
        collection,
        id: id.into(),
        expected_version,
        fields: object(fields),
        links: Vec::new(),
        unique: Vec::new(),
    }
}

pub fn create_linked(collection: Collection, fields: Value, links: Vec<Link>) -> WriteOp {
    WriteOp::Create {
        collection,
        fields: object(fields),
        links,
        unique: Vec::new(),
    }
}

pub fn link(field: &str, collection: Collection, id: &str) -> Link {
    Link {
        field: field.into(),
        collection,
        id: id.into(),
    }
}

pub fn unique(field: &str, value: &str) -> UniqueField {
    UniqueField {
        field: field.into(),
        value: value.into(),
        taken: Taken::Invalid,
    }
}

/// Writes one op and returns its record.
pub async fn write_one(store: &dyn Store, op: WriteOp) -> StoredRecord {
    let mut records = store.write(batch(vec![op])).await.expect("write succeeds");
    records.pop().expect("one record per op")
}

/// What a write refused by one guard returns.
pub fn refused(field: &str, message: &str) -> Result<Vec<StoredRecord>, StoreError> {
    Err(StoreError::Refused(vec![Violation {
        field: field.into(),
        message: message.into(),
    }]))
}

pub fn query(collection: Collection) -> ListQuery {
    ListQuery {
        collection,
        filters: Vec::new(),
        q: None,
        sort: Sort::Created,
        limit: 500,
        cursor: None,
    }
}

pub fn filter(param: &str, value: &str) -> Filter {
    Filter::is(param, value)
}

/// Every record of a list, following cursors with pages of `limit`.
pub async fn all_pages(store: &dyn Store, mut query: ListQuery, limit: u32) -> Vec<StoredRecord> {
    query.limit = limit;
    let mut records = Vec::new();
    loop {
        let page = store.list(query.clone()).await.expect("a page");
        assert!(page.items.len() <= limit as usize);
        records.extend(page.items);
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => return records,
        }
    }
}

pub fn ids(records: &[StoredRecord]) -> Vec<String> {
    records.iter().map(|r| r.id.clone()).collect()
}
