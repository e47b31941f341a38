//! The audit trail and change feed, batches written at a past time, batch
//! atomicity, concurrent writers and idempotency keys.

mod store_support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use rapport_server::store::sqlite::IDEMPOTENCY_FIELD;
use rapport_server::store::{Store, StoreError, WriteBatch, WriteOp};
use rapport_shared::Collection;
use serde_json::json;
use store_support::*;

async fn every_op_gets_an_audit_entry_and_a_change(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    assert_eq!(store.last_seq().await, Ok(0));
    let created = store
        .write(batch(vec![
            create(Collection::Staff, json!({"name": "A"})),
            create(Collection::Staff, json!({"name": "B"})),
        ]))
        .await
        .expect("write");
    let a = &created[0];
    let updated = write_one(
        store,
        WriteOp::Update {
            collection: Collection::Staff,
            id: a.id.clone(),
            expected_version: 1,
            fields: object(json!({"name": "A2"})),
            links: Vec::new(),
            unique: Vec::new(),
        },
    )
    .await;
    write_one(
        store,
        WriteOp::Delete {
            collection: Collection::Staff,
            id: a.id.clone(),
            expected_version: 2,
        },
    )
    .await;
    assert_eq!(store.last_seq().await, Ok(4));

    let changes = store.changes_since(0, 100).await.expect("changes");
    let summary: Vec<_> = changes
        .iter()
        .map(|c| (c.seq, c.id.clone(), c.version, c.action.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, a.id.clone(), 1, "create"),
            (2, created[1].id.clone(), 1, "create"),
            (3, a.id.clone(), 2, "update"),
            (4, a.id.clone(), 2, "delete"),
        ]
    );
    assert!(changes.iter().all(|c| c.collection == Collection::Staff));
    assert_eq!(store.changes_since(2, 1).await.expect("changes").len(), 1);
    assert_eq!(store.changes_since(4, 10).await, Ok(Vec::new()));

    let trail = store
        .audit(Some(Collection::Staff), Some(a.id.clone()), 0, 100)
        .await
        .expect("audit");
    let actions: Vec<_> = trail.iter().map(|e| (e.seq, e.action.as_str())).collect();
    assert_eq!(actions, vec![(1, "create"), (3, "update"), (4, "delete")]);
    assert!(trail.iter().all(|e| e.who == "Ada" && e.entity == "staff"));
    assert_eq!(trail[0].before, None);
    assert_eq!(trail[0].after, Some(a.to_json()));
    assert_eq!(trail[1].before, Some(a.to_json()));
    assert_eq!(trail[1].after, Some(updated.to_json()));
    assert_eq!(trail[1].when, updated.updated_at);
    assert_eq!(trail[2].before, Some(updated.to_json()));
    assert_eq!(trail[2].after, None);
    // Paging and the collection-wide trail.
    let later = store
        .audit(Some(Collection::Staff), None, 1, 2)
        .await
        .expect("audit");
    assert_eq!(later.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(
        store.audit(None, None, 0, 100).await.expect("audit").len(),
        4
    );
    assert_eq!(
        store
            .audit(Some(Collection::Customers), None, 0, 100)
            .await
            .expect("audit"),
        Vec::new()
    );
}

async fn a_batch_at_a_past_time_writes_that_time_and_keeps_the_sequence(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let before = Timestamp::now();
    let first = write_one(store, create(Collection::Staff, json!({"name": "Now"}))).await;
    let year_ago = before - SignedDuration::from_hours(365 * 24);
    let month_ago = before - SignedDuration::from_hours(30 * 24);
    let old = store
        .write(WriteBatch {
            at: Some(year_ago),
            ..batch(vec![
                create(Collection::Staff, json!({"name": "Old"})),
                create(Collection::Staff, json!({"name": "Older"})),
            ])
        })
        .await
        .expect("a past write");
    assert!(
        old.iter()
            .all(|r| r.created_at == year_ago && r.updated_at == year_ago)
    );
    let changed = store
        .write(WriteBatch {
            at: Some(month_ago),
            ..batch(vec![update(
                Collection::Staff,
                &old[0].id,
                1,
                json!({"name": "Old, renamed"}),
            )])
        })
        .await
        .expect("a past update")
        .remove(0);
    assert_eq!(
        (changed.created_at, changed.updated_at),
        (year_ago, month_ago)
    );
    assert_eq!(
        store.get(Collection::Staff, old[0].id.clone()).await,
        Ok(changed)
    );
    // An update without a time is now; the creation time stays.
    let renamed_now = write_one(
        store,
        update(
            Collection::Staff,
            &old[1].id,
            1,
            json!({"name": "Older, renamed"}),
        ),
    )
    .await;
    assert_eq!(renamed_now.created_at, year_ago);
    assert!(renamed_now.updated_at >= before && first.created_at >= before);

    // The audit entries carry the batch's time; the sequence follows the
    // commits, not the times.
    let trail = store.audit(None, None, 0, 100).await.expect("audit");
    let entries: Vec<_> = trail
        .iter()
        .map(|e| (e.seq, e.entity_id.clone(), e.action.as_str()))
        .collect();
    assert_eq!(
        entries,
        vec![
            (1, first.id.clone(), "create"),
            (2, old[0].id.clone(), "create"),
            (3, old[1].id.clone(), "create"),
            (4, old[0].id.clone(), "update"),
            (5, old[1].id.clone(), "update"),
        ]
    );
    let whens: Vec<_> = trail.iter().map(|e| e.when).collect();
    assert_eq!(
        whens,
        vec![
            first.created_at,
            year_ago,
            year_ago,
            month_ago,
            renamed_now.updated_at
        ]
    );
    let seqs: Vec<_> = store
        .changes_since(0, 100)
        .await
        .expect("changes")
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
    assert_eq!(store.last_seq().await, Ok(5));
}

async fn a_failed_batch_leaves_nothing_behind(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let kept = write_one(store, create(Collection::Staff, json!({"name": "Kept"}))).await;
    let failing = batch(vec![
        create(Collection::Staff, json!({"name": "New"})),
        WriteOp::Update {
            collection: Collection::Staff,
            id: kept.id.clone(),
            expected_version: 1,
            fields: object(json!({"name": "Changed"})),
            links: Vec::new(),
            unique: vec![unique("email", "x@example.org")],
        },
        create_linked(
            Collection::Rfcs,
            json!({"title": "t"}),
            vec![link("customer_id", Collection::Customers, "missing")],
        ),
    ]);
    assert!(matches!(
        store.write(failing).await,
        Err(StoreError::MissingLink { .. })
    ));
    assert_eq!(store.last_seq().await, Ok(1));
    assert_eq!(store.changes_since(0, 10).await.expect("changes").len(), 1);
    assert_eq!(
        store.audit(None, None, 0, 10).await.expect("audit").len(),
        1
    );
    assert_eq!(store.count(query(Collection::Staff)).await, Ok(1));
    assert_eq!(
        store.get(Collection::Staff, kept.id.clone()).await,
        Ok(kept.clone())
    );
    // The unique value the failed update claimed is still free.
    let claim = WriteOp::Update {
        collection: Collection::Staff,
        id: kept.id.clone(),
        expected_version: 1,
        fields: object(json!({"name": "Kept"})),
        links: Vec::new(),
        unique: vec![unique("email", "x@example.org")],
    };
    write_one(store, claim).await;
    // The next write continues the sequence without a gap.
    assert_eq!(store.last_seq().await, Ok(2));
}

async fn of_many_concurrent_updates_from_one_version_exactly_one_wins(backend: Backend) {
    let t = backend.open().await;
    let store: Arc<dyn Store> = t.store.clone();
    let record = write_one(
        store.as_ref(),
        create(Collection::Rfcs, json!({"title": "t"})),
    )
    .await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = Arc::clone(&store);
            let id = record.id.clone();
            tokio::spawn(async move {
                store
                    .write(batch(vec![WriteOp::Update {
                        collection: Collection::Rfcs,
                        id,
                        expected_version: 1,
                        fields: object(json!({"title": format!("by task {i}")})),
                        links: Vec::new(),
                        unique: Vec::new(),
                    }]))
                    .await
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        match task.await.expect("task ran") {
            Ok(records) => {
                wins += 1;
                assert_eq!(records[0].version, 2);
            }
            Err(error) => assert!(
                matches!(error, StoreError::VersionMismatch { current: 2, .. }),
                "{error:?}"
            ),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(store.last_seq().await, Ok(2));
}

async fn idempotency_keys_replay_the_first_create(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    assert_eq!(
        store.idempotent_replay("token-1".into(), "k1".into()).await,
        Ok(None)
    );
    let first = store
        .write(idempotent("k1", "h1", "First"))
        .await
        .expect("created")
        .remove(0);
    let replay = store
        .idempotent_replay("token-1".into(), "k1".into())
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(replay.request_hash, "h1");
    assert_eq!(replay.collection, Collection::Customers);
    assert_eq!(replay.record, first);
    // The snapshot stays as created, even after the record changes.
    write_one(
        store,
        WriteOp::Update {
            collection: Collection::Customers,
            id: first.id.clone(),
            expected_version: 1,
            fields: object(json!({"name": "Renamed"})),
            links: Vec::new(),
            unique: Vec::new(),
        },
    )
    .await;
    let replay = store
        .idempotent_replay("token-1".into(), "k1".into())
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(replay.record, first);
    // Keys are per token.
    assert_eq!(
        store.idempotent_replay("token-2".into(), "k1".into()).await,
        Ok(None)
    );
    // A racing repeat that reaches the writer returns the first record and
    // creates nothing; with another body it is refused.
    let again = store
        .write(idempotent("k1", "h1", "First"))
        .await
        .expect("replayed");
    assert_eq!(again, vec![first.clone()]);
    assert_eq!(
        store.write(idempotent("k1", "h2", "Other")).await,
        Err(StoreError::Duplicate {
            field: IDEMPOTENCY_FIELD.into(),
            value: "k1".into()
        })
    );
    assert_eq!(store.count(query(Collection::Customers)).await, Ok(1));
    // An idempotent batch must start with a create.
    let bad = WriteBatch {
        idempotency: idempotent("k2", "h", "x").idempotency,
        ..batch(vec![WriteOp::Delete {
            collection: Collection::Customers,
            id: first.id.clone(),
            expected_version: 2,
        }])
    };
    assert!(matches!(
        store.write(bad).await,
        Err(StoreError::Backend(_))
    ));
}

async fn the_audit_of_one_id_needs_no_collection(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let a = write_one(store, create(Collection::Services, json!({"name": "A"}))).await;
    write_one(store, create(Collection::Services, json!({"name": "B"}))).await;
    let trail = store
        .audit(None, Some(a.id.clone()), 0, 10)
        .await
        .expect("audit");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].entity_id, a.id);
}

on_every_backend!(
    every_op_gets_an_audit_entry_and_a_change,
    a_batch_at_a_past_time_writes_that_time_and_keeps_the_sequence,
    a_failed_batch_leaves_nothing_behind,
    of_many_concurrent_updates_from_one_version_exactly_one_wins,
    idempotency_keys_replay_the_first_create,
    the_audit_of_one_id_needs_no_collection,
);
