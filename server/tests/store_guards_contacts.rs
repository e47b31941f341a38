//! Guards that keep contacts with their customer (purchasers, RFC
//! requesters), and the parts of the guard vocabulary they use: each gives
//! the message the API's own check gives.

mod store_support;

use rapport_server::api::resources::Resource;
use rapport_server::store::{
    Condition, Guard, Requirement, Store, StoreError, StoredRecord, Violation, WriteBatch, WriteOp,
};
use rapport_shared::Collection;
use rapport_shared::enums::CustomerStatus;
use rapport_shared::records::{ContactInput, CustomerInput, RecordInput, RfcInput};
use serde_json::json;
use store_support::*;

/// Customers North and South, and North's contact Cy.
async fn north_south_and_cy(store: &dyn Store) -> [StoredRecord; 3] {
    let north = write_one(
        store,
        create(Collection::Customers, json!({"name": "North"})),
    )
    .await;
    let south = write_one(
        store,
        create(Collection::Customers, json!({"name": "South"})),
    )
    .await;
    let cy = json!({"customer_id": north.id, "name": "Cy"});
    let cy = write_one(store, create(Collection::Contacts, cy)).await;
    [north, south, cy]
}

/// An RFC of `customer` requested by `contact`.
async fn requested_rfc(store: &dyn Store, customer: &StoredRecord, contact: &StoredRecord) {
    let rfc = create_linked(
        Collection::Rfcs,
        json!({"title": "T", "customer_id": customer.id}),
        vec![link(
            "requested_by_contact_id",
            Collection::Contacts,
            &contact.id,
        )],
    );
    write_one(store, rfc).await;
}

/// A plain create carrying `guards`.
fn guarded(guards: Vec<Guard>) -> WriteBatch {
    WriteBatch {
        guards,
        ..batch(vec![create(Collection::Services, json!({"name": "S"}))])
    }
}

async fn references_meeting_the_exception_are_allowed(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let [north, _, contact] = north_south_and_cy(store).await;
    requested_rfc(store, &north, &contact).await;
    let requested_elsewhere = |customer_id: &str| Guard::NotReferenced {
        collection: Collection::Rfcs,
        via_field: "requested_by_contact_id".into(),
        target_id: contact.id.clone(),
        unless: Some(Condition::Equals {
            field: "customer_id".into(),
            value: json!(customer_id),
        }),
        field: "customer_id".into(),
        message: "moved".into(),
    };
    let purchaser = |id: &str| Guard::Requires {
        collection: Collection::Contacts,
        id: contact.id.clone(),
        field: "purchaser_contact_id".into(),
        missing: "none".into(),
        requirements: vec![Requirement {
            condition: Condition::Equals {
                field: "customer_id".into(),
                value: json!(id),
            },
            message: "{name} is elsewhere".into(),
            on_field: None,
        }],
    };
    let ok = guarded(vec![requested_elsewhere(&north.id), purchaser(&north.id)]);
    assert!(store.write(ok).await.is_ok());
    assert_eq!(
        store
            .write(guarded(vec![
                requested_elsewhere("other"),
                purchaser("other")
            ]))
            .await,
        Err(StoreError::Refused(vec![
            Violation {
                field: "customer_id".into(),
                message: "moved".into(),
            },
            Violation {
                field: "purchaser_contact_id".into(),
                message: "Cy is elsewhere".into(),
            },
        ]))
    );
    let only_north = Guard::NotReferenced {
        collection: Collection::Rfcs,
        via_field: "requested_by_contact_id".into(),
        target_id: contact.id.clone(),
        unless: Some(Condition::IdIs { id: "other".into() }),
        field: "customer_id".into(),
        message: "{count} RFCs".into(),
    };
    assert_eq!(
        store.write(guarded(vec![only_north])).await,
        refused("customer_id", "1 RFCs")
    );
}

/// What the API sends for a contact moving to `customer_id`, a customer
/// naming `contact` its purchaser and an RFC of `customer_id` naming
/// `contact` its requester.
fn contact_batches(
    contact: &StoredRecord,
    customer_id: &str,
) -> (WriteBatch, WriteBatch, WriteBatch) {
    let moved = ContactInput {
        customer_id: customer_id.into(),
        ..ContactInput::from_json(&contact.fields).expect("a contact")
    };
    let customer = CustomerInput {
        name: "Elsewhere".into(),
        code: "ELSE".into(),
        kind: None,
        description: None,
        status: CustomerStatus::Active,
        purchaser_contact_id: Some(contact.id.clone()),
        team_id: None,
    };
    let rfc = RfcInput::from_json(&object(
        json!({"customer_id": customer_id, "title": "T", "requested_by_contact_id": contact.id}),
    ))
    .expect("an RFC");
    (
        guarded(moved.guards(Some(&contact.id))),
        guarded(customer.guards(Some(customer_id))),
        guarded(rfc.guards(None)),
    )
}

async fn contacts_stay_with_the_customer_they_serve(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let [north, south, contact] = north_south_and_cy(store).await;
    // At home, every guard passes.
    let (stays, purchaser, requester) = contact_batches(&contact, &north.id);
    for batch in [stays, purchaser, requester] {
        assert!(store.write(batch).await.is_ok());
    }
    // Elsewhere, the purchaser and requester are refused...
    let (_, purchaser, requester) = contact_batches(&contact, &south.id);
    assert_eq!(
        store.write(purchaser).await,
        refused(
            "purchaser_contact_id",
            "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)"
        )
    );
    assert_eq!(
        store.write(requester).await,
        refused(
            "requested_by_contact_id",
            "the requester must be a contact of the RFC's customer"
        )
    );
    // ...and once Cy is North's purchaser and requested North's RFC, Cy
    // cannot move.
    requested_rfc(store, &north, &contact).await;
    let (moves, _, _) = contact_batches(&contact, &south.id);
    assert_eq!(
        store.write(moves).await,
        refused(
            "customer_id",
            "this contact requested RFCs of their current customer and cannot move to another"
        )
    );
    let north_buys = WriteOp::Update {
        collection: Collection::Customers,
        id: north.id.clone(),
        expected_version: 1,
        fields: object(json!({"name": "North", "purchaser_contact_id": contact.id})),
        links: vec![link(
            "purchaser_contact_id",
            Collection::Contacts,
            &contact.id,
        )],
        unique: Vec::new(),
    };
    write_one(store, north_buys).await;
    let (moves, _, _) = contact_batches(&contact, &south.id);
    let Err(StoreError::Refused(violations)) = store.write(moves).await else {
        panic!("moving a purchaser is refused");
    };
    assert_eq!(
        violations[0].message,
        "this contact is another customer's purchaser: choose a new purchaser there first"
    );
    // A missing contact is named.
    let ghost = StoredRecord {
        id: "01900000-0000-7000-8000-000000000009".into(),
        ..contact
    };
    let (_, _, requester) = contact_batches(&ghost, &north.id);
    assert_eq!(
        store.write(requester).await,
        refused(
            "requested_by_contact_id",
            "no contact with id 01900000-0000-7000-8000-000000000009"
        )
    );
}

on_every_backend!(
    references_meeting_the_exception_are_allowed,
    contacts_stay_with_the_customer_they_serve,
);
