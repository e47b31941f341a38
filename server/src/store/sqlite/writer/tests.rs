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
