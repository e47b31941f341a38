//! API tokens: created with a hash, found by hash until revoked, listed,
//! revoked by id or name.

mod store_support;

use rapport_server::store::StoreError;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::json;
use store_support::*;

async fn tokens_are_found_by_hash_until_revoked(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let staff = write_one(store, create(Collection::Staff, json!({"name": "Ada"}))).await;
    let admin = store
        .create_token("admin".into(), Permission::Admin, None, "hash-a".into())
        .await
        .expect("created");
    assert_eq!(admin.name, "admin");
    assert!(!admin.revoked);
    let ops = store
        .create_token(
            "ops".into(),
            Permission::Operator,
            Some(staff.id.clone()),
            "hash-o".into(),
        )
        .await
        .expect("created");
    assert_eq!(ops.staff_id, Some(staff.id.clone()));
    assert_eq!(
        store.token_by_hash("hash-a".into()).await,
        Ok(Some(admin.clone()))
    );
    assert_eq!(store.token_by_hash("nope".into()).await, Ok(None));
    // Tokens do not count as records.
    assert!(!store.is_empty().await.expect("is_empty"));

    let revoked = store.revoke_token("ops".into()).await.expect("revoked");
    assert_eq!(revoked.id, ops.id);
    assert!(revoked.revoked);
    assert_eq!(store.token_by_hash("hash-o".into()).await, Ok(None));
    let by_id = store.revoke_token(admin.id.clone()).await.expect("revoked");
    assert!(by_id.revoked);
    assert_eq!(store.token_by_hash("hash-a".into()).await, Ok(None));
    assert!(matches!(
        store.revoke_token("nobody".into()).await,
        Err(StoreError::UnknownToken(_))
    ));

    let listed = store.list_tokens().await.expect("listed");
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|token| token.revoked));
    assert_eq!(listed[0].id, admin.id);
    // A revoked token's name may be used again.
    store
        .create_token("ops".into(), Permission::Viewer, None, "hash-o2".into())
        .await
        .expect("name reused");
}

async fn token_names_hashes_and_staff_are_checked(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    store
        .create_token("ci".into(), Permission::Viewer, None, "h1".into())
        .await
        .expect("created");
    assert_eq!(
        store
            .create_token("ci".into(), Permission::Viewer, None, "h2".into())
            .await,
        Err(StoreError::Duplicate {
            field: "name".into(),
            value: "ci".into()
        })
    );
    assert!(matches!(
        store
            .create_token("other".into(), Permission::Viewer, None, "h1".into())
            .await,
        Err(StoreError::Duplicate { .. })
    ));
    assert!(matches!(
        store
            .create_token("x".into(), Permission::Viewer, Some("missing".into()), "h3".into())
            .await,
        Err(StoreError::MissingLink { field, .. }) if field == "staff_id"
    ));
    assert_eq!(store.list_tokens().await.expect("listed").len(), 1);
}

on_every_backend!(
    tokens_are_found_by_hash_until_revoked,
    token_names_hashes_and_staff_are_checked,
);
