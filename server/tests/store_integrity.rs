//! Links and unique values: missing targets, deletes refused while others
//! link to a record, derived `linked_from`, and unique codes.

mod store_support;

use rapport_server::store::{Dependents, StoreError, WriteOp};
use rapport_shared::Collection;
use serde_json::json;
use store_support::*;

async fn links_must_point_at_existing_records(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let customer = write_one(store, create(Collection::Customers, json!({"name": "MOF"}))).await;
    let result = store
        .write(batch(vec![create_linked(
            Collection::Rfcs,
            json!({"title": "x"}),
            vec![
                link("customer_id", Collection::Customers, &customer.id),
                link("assignee_id", Collection::Staff, "missing-staff"),
            ],
        )]))
        .await;
    assert_eq!(
        result,
        Err(StoreError::MissingLink {
            field: "assignee_id".into(),
            collection: Collection::Staff,
            id: "missing-staff".into()
        })
    );
    // The right id in the wrong collection is missing too.
    let result = store
        .write(batch(vec![create_linked(
            Collection::Rfcs,
            json!({"title": "x"}),
            vec![link("assignee_id", Collection::Staff, &customer.id)],
        )]))
        .await;
    assert!(matches!(result, Err(StoreError::MissingLink { .. })));
    assert_eq!(store.count(query(Collection::Rfcs)).await, Ok(0));
}

async fn records_linked_to_cannot_be_deleted_until_freed(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let s1 = write_one(store, create(Collection::Staff, json!({"name": "A"}))).await;
    let s2 = write_one(store, create(Collection::Staff, json!({"name": "B"}))).await;
    let team_links = vec![
        link("brm_id", Collection::Staff, &s1.id),
        link("delivery_manager_id", Collection::Staff, &s2.id),
        link("service_owner_ids", Collection::Staff, &s1.id),
        // Repeated ids in a list are one link.
        link("service_owner_ids", Collection::Staff, &s1.id),
    ];
    let team = write_one(
        store,
        create_linked(Collection::Teams, json!({"name": "North"}), team_links),
    )
    .await;
    let service = write_one(
        store,
        create_linked(
            Collection::Services,
            json!({"name": "Mail"}),
            vec![link("owner_id", Collection::Staff, &s1.id)],
        ),
    )
    .await;
    let delete = |id: &str, expected_version| WriteOp::Delete {
        collection: Collection::Staff,
        id: id.into(),
        expected_version,
    };
    assert_eq!(
        store.write(batch(vec![delete(&s1.id, 1)])).await,
        Err(StoreError::HasDependents {
            collection: Collection::Staff,
            dependents: vec![
                Dependents {
                    collection: Collection::Services,
                    field: "owner_id".into(),
                    count: 1
                },
                Dependents {
                    collection: Collection::Teams,
                    field: "brm_id".into(),
                    count: 1
                },
                Dependents {
                    collection: Collection::Teams,
                    field: "service_owner_ids".into(),
                    count: 1
                },
            ]
        })
    );
    assert_eq!(
        store
            .linked_from(Collection::Teams, "brm_id".into(), s1.id.clone())
            .await,
        Ok(vec![team.id.clone()])
    );
    // Updating the team replaces its links: s1 is now only the service's owner.
    write_one(
        store,
        WriteOp::Update {
            collection: Collection::Teams,
            id: team.id.clone(),
            expected_version: 1,
            fields: object(json!({"name": "North"})),
            links: vec![
                link("brm_id", Collection::Staff, &s2.id),
                link("delivery_manager_id", Collection::Staff, &s2.id),
            ],
            unique: Vec::new(),
        },
    )
    .await;
    assert_eq!(
        store
            .linked_from(Collection::Teams, "brm_id".into(), s1.id.clone())
            .await,
        Ok(Vec::new())
    );
    assert!(matches!(
        store.write(batch(vec![delete(&s1.id, 1)])).await,
        Err(StoreError::HasDependents { dependents, .. }) if dependents.len() == 1
    ));
    // Deleting the dependent first, then the staff member, in one batch works.
    store
        .write(batch(vec![
            WriteOp::Delete {
                collection: Collection::Services,
                id: service.id.clone(),
                expected_version: 1,
            },
            delete(&s1.id, 1),
        ]))
        .await
        .expect("freed, then deleted");
    // Deleting a record removes its own links: s2 is free once the team goes.
    store
        .write(batch(vec![
            WriteOp::Delete {
                collection: Collection::Teams,
                id: team.id.clone(),
                expected_version: 2,
            },
            delete(&s2.id, 1),
        ]))
        .await
        .expect("team and its staff deleted");
    assert!(store.is_empty().await.expect("is_empty"));
}

async fn unique_values_are_enforced_kept_and_freed(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let customer = |code: &str| WriteOp::Create {
        collection: Collection::Customers,
        fields: object(json!({"name": "X", "code": code})),
        links: Vec::new(),
        unique: vec![unique("code", code)],
    };
    let mof = write_one(store, customer("MOF")).await;
    assert_eq!(
        store.write(batch(vec![customer("MOF")])).await,
        Err(StoreError::Duplicate {
            field: "code".into(),
            value: "MOF".into()
        })
    );
    // Two creates with the same code in one batch: the second is refused.
    assert!(matches!(
        store
            .write(batch(vec![customer("MOJ"), customer("MOJ")]))
            .await,
        Err(StoreError::Duplicate { .. })
    ));
    let update = |code: &str, expected_version| WriteOp::Update {
        collection: Collection::Customers,
        id: mof.id.clone(),
        expected_version,
        fields: object(json!({"name": "Y", "code": code})),
        links: Vec::new(),
        unique: vec![unique("code", code)],
    };
    // Keeping its own code is fine.
    write_one(store, update("MOF", 1)).await;
    let other = write_one(store, customer("MOD")).await;
    assert!(matches!(
        store.write(batch(vec![update("MOD", 2)])).await,
        Err(StoreError::Duplicate { .. })
    ));
    // Changing code frees the old one.
    write_one(store, update("MOF2", 2)).await;
    write_one(store, customer("MOF")).await;
    // Deleting frees the code.
    write_one(
        store,
        WriteOp::Delete {
            collection: Collection::Customers,
            id: other.id.clone(),
            expected_version: 1,
        },
    )
    .await;
    write_one(store, customer("MOD")).await;
    // The same value in another collection is not a clash.
    write_one(
        store,
        WriteOp::Create {
            collection: Collection::Services,
            fields: object(json!({"name": "S"})),
            links: Vec::new(),
            unique: vec![unique("code", "MOD")],
        },
    )
    .await;
}

on_every_backend!(
    links_must_point_at_existing_records,
    records_linked_to_cannot_be_deleted_until_freed,
    unique_values_are_enforced_kept_and_freed,
);
