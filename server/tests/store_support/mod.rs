//! Helpers shared by the store tests: a fresh tempfile-backed store, an
//! actor, and short ways to build ops and queries.
//!
//! The suites see the store only as `Arc<dyn Store>`, made by
//! [`open_store`], so that another backend runs the same suites by adding
//! its factory here. Tests of SQLite's own files (reopening, migrations,
//! WAL, pruning at open) name SQLite in their names and use [`TestStore::path`].

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rapport_server::store::sqlite::SqliteStore;
use rapport_server::store::{
    Actor, Filter, IdempotencyKey, Link, ListQuery, Store, StoreError, StoredRecord, Taken,
    UniqueField, Violation, WriteBatch, WriteOp,
};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Sort;
use serde_json::{Map, Value, json};

/// A store in a temporary directory (kept alive by the returned guard).
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

/// The store every suite runs on, kept in `dir`.
pub fn open_store(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(&sqlite_path(dir)).expect("opens"))
}

/// A fresh store in a new temporary directory.
pub fn open() -> TestStore {
    let dir = tempfile::tempdir().expect("a temp dir");
    TestStore {
        store: open_store(dir.path()),
        dir,
    }
}

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
