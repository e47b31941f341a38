//! Create, read, update and delete in every collection, versions and
//! timestamps, version conflicts and ids (reopening: `store_sqlite.rs`).

mod store_support;

use rapport_server::store::{StoreError, WriteOp};
use rapport_shared::Collection;
use serde_json::{Value, json};
use store_support::*;

/// One sample record per collection: its fields on create and on update.
fn samples() -> Vec<(Collection, Value, Value)> {
    vec![
        (
            Collection::Staff,
            json!({"name": "Ada", "email": "ada@example.org", "job_roles": ["brm"], "active": true}),
            json!({"name": "Ada L.", "email": "ada@example.org", "job_roles": [], "active": false}),
        ),
        (
            Collection::Customers,
            json!({"name": "Ministry of Finance", "code": "MOF", "status": "active"}),
            json!({"name": "Ministry of Finance", "code": "MOF", "status": "inactive"}),
        ),
        (
            Collection::Contacts,
            json!({"customer_id": "c", "name": "Bo", "title": null}),
            json!({"customer_id": "c", "name": "Bo", "title": "CIO"}),
        ),
        (
            Collection::Teams,
            json!({"name": "North", "brm_id": "s1", "delivery_manager_id": "s2"}),
            json!({"name": "North East", "brm_id": "s1", "delivery_manager_id": "s2"}),
        ),
        (
            Collection::Services,
            json!({"name": "Storage", "unit_price_cents": 1200}),
            json!({"name": "Storage", "unit_price_cents": 1500}),
        ),
        (
            Collection::Rfcs,
            json!({"customer_id": "c", "title": "More storage", "priority": "high", "status": "new"}),
            json!({"customer_id": "c", "title": "More storage", "priority": "low", "status": "triaged"}),
        ),
        (
            Collection::RfcComments,
            json!({"rfc_id": "r", "text": "First"}),
            json!({"rfc_id": "r", "text": "First, edited"}),
        ),
        (
            Collection::RfcTransitions,
            json!({"rfc_id": "r", "from": "new", "to": "triaged", "note": null}),
            json!({"rfc_id": "r", "from": "new", "to": "triaged", "note": "ok"}),
        ),
    ]
}

async fn crud_in_every_collection(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    assert!(store.is_empty().await.expect("is_empty"));
    for (collection, created_fields, updated_fields) in samples() {
        let created = write_one(store, create(collection, created_fields.clone())).await;
        assert_eq!(created.version, 1, "{collection}");
        assert_eq!(created.created_at, created.updated_at);
        assert_eq!(Value::Object(created.fields.clone()), created_fields);
        let read = store
            .get(collection, created.id.clone())
            .await
            .expect("get");
        assert_eq!(read, created, "{collection}");

        let updated = write_one(
            store,
            WriteOp::Update {
                collection,
                id: created.id.clone(),
                expected_version: 1,
                fields: object(updated_fields.clone()),
                links: Vec::new(),
                unique: Vec::new(),
            },
        )
        .await;
        assert_eq!(updated.version, 2);
        assert_eq!(updated.created_at, created.created_at);
        assert!(updated.updated_at >= created.updated_at);
        assert_eq!(
            store
                .get(collection, created.id.clone())
                .await
                .expect("get"),
            updated
        );
        let page = store.list(query(collection)).await.expect("list");
        assert_eq!(page.items, vec![updated.clone()]);
        assert_eq!(page.next_cursor, None);

        let deleted = write_one(
            store,
            WriteOp::Delete {
                collection,
                id: created.id.clone(),
                expected_version: 2,
            },
        )
        .await;
        assert_eq!(deleted, updated);
        assert_eq!(
            store.get(collection, created.id.clone()).await,
            Err(StoreError::NotFound {
                collection,
                id: created.id.clone()
            })
        );
    }
    assert!(store.is_empty().await.expect("is_empty"));
}

async fn stale_versions_and_missing_records_are_refused(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let staff = write_one(store, create(Collection::Staff, json!({"name": "Ada"}))).await;
    let update = |expected_version| WriteOp::Update {
        collection: Collection::Staff,
        id: staff.id.clone(),
        expected_version,
        fields: object(json!({"name": "Ada B."})),
        links: Vec::new(),
        unique: Vec::new(),
    };
    write_one(store, update(1)).await;
    assert_eq!(
        store.write(batch(vec![update(1)])).await,
        Err(StoreError::VersionMismatch {
            collection: Collection::Staff,
            id: staff.id.clone(),
            current: 2
        })
    );
    let delete_stale = WriteOp::Delete {
        collection: Collection::Staff,
        id: staff.id.clone(),
        expected_version: 1,
    };
    assert!(matches!(
        store.write(batch(vec![delete_stale])).await,
        Err(StoreError::VersionMismatch { current: 2, .. })
    ));
    let missing = WriteOp::Delete {
        collection: Collection::Staff,
        id: "no-such-id".into(),
        expected_version: 1,
    };
    assert!(matches!(
        store.write(batch(vec![missing])).await,
        Err(StoreError::NotFound { .. })
    ));
    // An id from another collection is not found here.
    assert!(matches!(
        store.get(Collection::Customers, staff.id.clone()).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn ids_are_uuid_v7_in_creation_order(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = (0..200)
        .map(|i| create(Collection::Staff, json!({"name": format!("S{i}")})))
        .collect();
    let records = store.write(batch(ops)).await.expect("write");
    for pair in records.windows(2) {
        assert!(pair[0].id < pair[1].id, "{} < {}", pair[0].id, pair[1].id);
    }
    let id = uuid::Uuid::parse_str(&records[0].id).expect("a uuid");
    assert_eq!(id.get_version_num(), 7);
}

on_every_backend!(
    crud_in_every_collection,
    stale_versions_and_missing_records_are_refused,
    ids_are_uuid_v7_in_creation_order,
);
