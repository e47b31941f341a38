use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::{Map, json};

use super::*;
use crate::store::{Actor, Change};

fn batch(op: WriteOp) -> WriteBatch {
    WriteBatch {
        actor: Actor {
            token_id: "t1".into(),
            name: "Ann".into(),
            staff_id: None,
            permission: Permission::Admin,
        },
        ops: vec![op],
        at: None,
        idempotency: None,
        guards: Vec::new(),
        derivations: Vec::new(),
    }
}

fn staff(name: &str) -> WriteOp {
    let fields: Map<String, serde_json::Value> = json!({"name": name})
        .as_object()
        .cloned()
        .unwrap_or_default();
    WriteOp::Create {
        collection: Collection::Staff,
        fields,
        links: Vec::new(),
        unique: Vec::new(),
    }
}

/// A group of three where the middle write fails: the other two commit
/// together, with consecutive change numbers, and the failure is its
/// own answer.
#[test]
fn a_write_that_fails_in_a_group_fails_alone() {
    let mut conn = Connection::open_in_memory().expect("an in-memory database");
    super::super::migrate::apply(&mut conn).expect("migrations");
    let mut state = WriterState::new(conn, Default::default()).expect("a writer");
    let missing = WriteOp::Delete {
        collection: Collection::Staff,
        id: "nobody".into(),
        expected_version: 1,
    };
    let (first, second, third) = (oneshot::channel(), oneshot::channel(), oneshot::channel());
    state.write_group(vec![
        (batch(staff("Ann")), first.0),
        (batch(missing), second.0),
        (batch(staff("Bo")), third.0),
    ]);
    let answer = |mut receiver: oneshot::Receiver<StoreResult<Vec<StoredRecord>>>| {
        receiver.try_recv().expect("answered after the commit")
    };
    let ann = answer(first.1).expect("the first commits");
    assert!(matches!(answer(second.1), Err(StoreError::NotFound { .. })));
    let bo = answer(third.1).expect("the third commits");
    let changes: Vec<Change> = reads::changes_since(&state.conn, 0, 10).expect("changes");
    let seqs: Vec<(i64, &str)> = changes.iter().map(|c| (c.seq, c.id.as_str())).collect();
    assert_eq!(
        seqs,
        vec![(1, ann[0].id.as_str()), (2, bo[0].id.as_str())],
        "no gap where the failed write was"
    );
    assert!(ann[0].id < bo[0].id);
    let count: i64 = state
        .conn
        .query_row("SELECT count(*) FROM staff", [], |row| row.get(0))
        .expect("count");
    assert_eq!(count, 2);
}

fn update(record: &StoredRecord, name: &str) -> WriteOp {
    WriteOp::Update {
        collection: Collection::Staff,
        id: record.id.clone(),
        expected_version: record.version,
        fields: json!({"name": name})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        links: Vec::new(),
        unique: Vec::new(),
    }
}

/// A bulk load writes a record created and updated in it once, with its
/// last version, after an audit row per op; a normal write ends the bulk
/// (committing it), and a failing bulk write undoes the uncommitted bulk.
#[test]
fn a_bulk_load_writes_each_row_once_with_every_audit_row() {
    let mut conn = Connection::open_in_memory().expect("an in-memory database");
    super::super::migrate::apply(&mut conn).expect("migrations");
    let mut state = WriterState::new(conn, Default::default()).expect("a writer");
    let ann = state.write_bulk(&batch(staff("Ann"))).expect("a create");
    let ann = state
        .write_bulk(&batch(update(&ann[0], "Ann B")))
        .expect("an update");
    let ann = state
        .write_bulk(&batch(update(&ann[0], "Ann C")))
        .expect("an update");
    let rows: i64 = state
        .conn
        .query_row("SELECT count(*) FROM staff", [], |row| row.get(0))
        .expect("count");
    assert_eq!(rows, 0, "kept until the bulk is committed");
    let fourth = state.write_bulk(&batch(update(&ann[0], "Ann D")));
    assert!(fourth.is_ok());
    let conflict = update(&ann[0], "Ann E");
    assert!(matches!(
        state.write_bulk(&batch(conflict)),
        Err(StoreError::VersionMismatch { .. })
    ));
    assert!(state.bulk.is_none(), "a failure ends the bulk");
    assert!(state.conn.is_autocommit());
    assert_eq!(reads::last_seq(&state.conn).expect("seq"), 0, "rolled back");
    // Again, ended by a normal write this time.
    let bo = state.write_bulk(&batch(staff("Bo"))).expect("a create");
    let bo = state
        .write_bulk(&batch(update(&bo[0], "Bo B")))
        .expect("an update");
    state.finish_bulk().expect("committed");
    let (reply, mut answer) = oneshot::channel();
    state.write_group(vec![(batch(staff("Cy")), reply)]);
    answer.try_recv().expect("answered").expect("written");
    let kept = ops::fetch(&state.conn, Collection::Staff, &bo[0].id)
        .expect("a read")
        .expect("the row");
    assert_eq!(kept, bo[0]);
    let changes: Vec<(i64, i64)> = reads::changes_since(&state.conn, 0, 10)
        .expect("changes")
        .iter()
        .map(|c| (c.seq, c.version))
        .collect();
    assert_eq!(changes, vec![(1, 1), (2, 2), (3, 1)]);
    let synchronous: i64 = state
        .conn
        .query_row("PRAGMA synchronous", [], |row| row.get(0))
        .expect("a pragma");
    assert_eq!(synchronous, 2, "FULL again after the bulk");
}
