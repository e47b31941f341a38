//! Helpers shared by the store tests: a fresh tempfile-backed store, an
//! actor, and short ways to build ops and queries.

#![allow(dead_code)]

use std::sync::Arc;

use rapport_server::store::sqlite::SqliteStore;
use rapport_server::store::{
    Actor, Filter, Link, ListQuery, Store, StoredRecord, UniqueField, WriteBatch, WriteOp,
};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Sort;
use serde_json::{Map, Value};

/// A store in a temporary directory (kept alive by the returned guard).
pub struct TestStore {
    pub store: Arc<SqliteStore>,
    pub dir: tempfile::TempDir,
}

impl TestStore {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("db").join("rapport.sqlite")
    }
}

pub fn open() -> TestStore {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = SqliteStore::open(&dir.path().join("db").join("rapport.sqlite")).expect("opens");
    TestStore {
        store: Arc::new(store),
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
    }
}

/// Writes one op and returns its record.
pub async fn write_one(store: &dyn Store, op: WriteOp) -> StoredRecord {
    let mut records = store.write(batch(vec![op])).await.expect("write succeeds");
    records.pop().expect("one record per op")
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
    Filter {
        param: param.into(),
        value: value.into(),
    }
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
