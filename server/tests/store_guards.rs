//! Guards: the rules about other records that a batch carries and the
//! store checks inside the batch's transaction. Two writes that each pass
//! the API's checks on their own (a team naming S its BRM, S losing the
//! BRM role) must not both commit, in either order; a refused batch leaves
//! nothing behind; staff keep the roles and the activity records rely on.
//! Contacts and the rest of the vocabulary: `store_guards_contacts.rs`.

mod store_support;

use rapport_server::api::resources::Resource;
use rapport_server::store::{
    Link, Store, StoreError, StoredRecord, Violation, WriteBatch, WriteOp,
};
use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::{RecordInput, StaffInput, TeamInput};
use store_support::*;

fn staff_input(name: &str, job_roles: Vec<JobRole>, active: bool) -> StaffInput {
    StaffInput {
        name: name.into(),
        email: format!("{}@it.example", name.to_lowercase()),
        job_roles,
        active,
    }
}

async fn create_staff(store: &dyn Store, input: &StaffInput) -> StoredRecord {
    let op = create(Collection::Staff, input.to_object().into());
    write_one(store, op).await
}

/// Creating `team`, guarded as the API guards it.
fn team_batch(team: &TeamInput) -> WriteBatch {
    WriteBatch {
        guards: team.guards(None),
        ..batch(vec![WriteOp::Create {
            collection: Collection::Teams,
            fields: team.to_object(),
            links: team.references().into_iter().map(Link::from).collect(),
            unique: Vec::new(),
        }])
    }
}

/// Rewriting `staff` as `input`, guarded as the API guards it.
fn staff_batch(staff: &StoredRecord, input: &StaffInput) -> WriteBatch {
    WriteBatch {
        guards: input.guards(Some(&staff.id)),
        ..batch(vec![WriteOp::Update {
            collection: Collection::Staff,
            id: staff.id.clone(),
            expected_version: staff.version,
            fields: input.to_object(),
            links: Vec::new(),
            unique: Vec::new(),
        }])
    }
}

/// Staff member Bea (a BRM), a delivery manager, and Bea's team to be.
async fn bea_and_her_team(store: &dyn Store) -> (StoredRecord, TeamInput) {
    let bea = create_staff(store, &staff_input("Bea", vec![JobRole::Brm], true)).await;
    let dm = create_staff(
        store,
        &staff_input("Dan", vec![JobRole::DeliveryManager], true),
    )
    .await;
    let team = TeamInput {
        name: "North".into(),
        brm_id: bea.id.clone(),
        delivery_manager_id: dm.id,
        service_owner_ids: Vec::new(),
    };
    (bea, team)
}

async fn a_team_naming_a_brm_and_the_brm_losing_the_role_never_both_commit(backend: Backend) {
    // Both writes were checked against the same state (the API's checks
    // pass for both); whichever the store runs second is refused.
    for team_first in [true, false] {
        let t = backend.open().await;
        let store = t.store.as_ref();
        let (bea, team) = bea_and_her_team(store).await;
        let no_roles = staff_input("Bea", Vec::new(), true);
        let (first, second, expected) = if team_first {
            (
                team_batch(&team),
                staff_batch(&bea, &no_roles),
                refused(
                    "job_roles",
                    "keeps brm while this person is the BRM of 1 teams",
                ),
            )
        } else {
            (
                staff_batch(&bea, &no_roles),
                team_batch(&team),
                refused("brm_id", "Bea does not have the brm job role"),
            )
        };
        store.write(first).await.expect("the first write commits");
        let seq = store.last_seq().await.expect("seq");
        assert_eq!(
            store.write(second).await,
            expected,
            "team first: {team_first}"
        );
        // The refused batch wrote nothing: no record, no change, no audit.
        assert_eq!(store.last_seq().await, Ok(seq));
        let teams = usize::from(team_first);
        assert_eq!(
            store.count(query(Collection::Teams)).await,
            Ok(teams as i64)
        );
        let bea_now = store.get(Collection::Staff, bea.id.clone()).await;
        assert_eq!(bea_now.expect("Bea").version, 1 + i64::from(!team_first));
    }
}

async fn of_racing_writes_exactly_one_commits(backend: Backend) {
    let t = backend.open().await;
    let (bea, team) = bea_and_her_team(t.store.as_ref()).await;
    let no_roles = staff_input("Bea", Vec::new(), true);
    let (a, b) = tokio::join!(
        t.store.write(team_batch(&team)),
        t.store.write(staff_batch(&bea, &no_roles)),
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one commits: {a:?} / {b:?}");
}

async fn a_person_stays_active_and_keeps_roles_while_records_need_them(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let (bea, team) = bea_and_her_team(store).await;
    store.write(team_batch(&team)).await.expect("first team");
    let second = TeamInput {
        name: "South".into(),
        ..team.clone()
    };
    store.write(team_batch(&second)).await.expect("second team");
    let inactive = staff_input("Bea", Vec::new(), false);
    // Every violation is reported, in the order of the guards, and the
    // count is of the records that link.
    assert_eq!(
        store.write(staff_batch(&bea, &inactive)).await,
        Err(StoreError::Refused(vec![
            Violation {
                field: "job_roles".into(),
                message: "keeps brm while this person is the BRM of 2 teams".into(),
            },
            Violation {
                field: "active".into(),
                message: "stays true while this person is the BRM of 2 teams".into(),
            },
        ]))
    );
    // Keeping the role but leaving is refused too; a team for an inactive
    // person, or for nobody, is refused by name.
    let left = staff_input("Bea", vec![JobRole::Brm], false);
    let dan = store.get(Collection::Staff, team.delivery_manager_id.clone());
    let dan = dan.await.expect("Dan");
    let dan_leaves = staff_batch(
        &dan,
        &staff_input("Dan", vec![JobRole::DeliveryManager], false),
    );
    assert_eq!(
        store.write(dan_leaves).await,
        refused(
            "active",
            "stays true while this person is the delivery manager of 2 teams"
        )
    );
    assert_eq!(
        store.write(staff_batch(&bea, &left)).await,
        refused(
            "active",
            "stays true while this person is the BRM of 2 teams"
        )
    );
    let ghost = TeamInput {
        brm_id: "01900000-0000-7000-8000-000000000009".into(),
        ..team.clone()
    };
    assert_eq!(
        store.write(team_batch(&ghost)).await,
        refused(
            "brm_id",
            "no staff member with id 01900000-0000-7000-8000-000000000009"
        )
    );
}

on_every_backend!(
    a_team_naming_a_brm_and_the_brm_losing_the_role_never_both_commit,
    of_racing_writes_exactly_one_commits,
    a_person_stays_active_and_keeps_roles_while_records_need_them,
);
