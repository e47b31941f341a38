//! The demo data behind `rapportd seed --demo` and `rapport --demo`: a
//! believable central IT organisation with 15 staff, 10 services, 4 customer
//! teams, 12 customers with their contacts and 60 RFCs in every status on
//! both routes, with a year of past. Deterministic: the same records every
//! time (only ids differ, and the dates move with the seeding time). Every
//! record is read by the same `RecordInput` validation and every RFC step
//! by the same workflow as API calls (the cross-record rules hold by
//! construction of the data); each batch is written at its past time
//! ([`WriteBatch::at`], which the API never sets).
//!
//! - `data`: the organisation as tables.
//! - `timeline`: when each record was written.
//! - `rfcs`: the RFCs raised, moved and commented on at their dates.
//! - `scale`: `rapportd seed --scale`, a large organisation's records.
//! - `delivery`: agreements and their monthly service level results,
//!   a mid-year price change, usage every month, budgets and activity plans.
//! - this module: the organisation's records, and the writes they share.

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::records::{
    ContactInput, CustomerInput, ImprovementInput, RecordInput, ServiceInput, StaffInput, TeamInput,
};
use serde_json::{Map, Value, json};

use crate::api::ApiError;
use crate::api::resources::Resource;
use crate::store::{Actor, Derivation, Link, Store, StoredRecord, WriteBatch, WriteOp};

mod data;
mod delivery;
mod meetings;
mod notices;
mod rfcs;
pub mod scale;
pub mod surveys;
mod timeline;

use data::{CONTACT_PEOPLE, CUSTOMERS, IMPROVEMENTS, OPERATOR, SERVICES, STAFF, TEAMS};
use rfcs::{Parties, seed_rfcs};
use timeline::Timeline;

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already holds records; seed data goes only into an empty one")]
    NotEmpty,
    #[error("demo record {what} is invalid: {detail}")]
    Invalid { what: String, detail: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<ApiError> for SeedError {
    fn from(error: ApiError) -> Self {
        SeedError::Invalid {
            what: "workflow step".into(),
            detail: error.to_problem().detail,
        }
    }
}

/// What seeding made that callers need.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The service desk operator the embedded client acts as, so that
    /// "assign to me" and "My queue" work out of the box.
    pub operator_staff_id: String,
}

fn email(name: &str, domain: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    format!("{local}@{domain}")
}

fn create_op<R: Resource>(what: &str, value: Value, actor: &Actor) -> Result<WriteOp, SeedError> {
    let object = value.as_object().cloned().unwrap_or_default();
    let input = R::from_json(&object).map_err(|errors| SeedError::Invalid {
        what: what.to_string(),
        detail: errors.to_string(),
    })?;
    let mut fields = input.to_object();
    fields.extend(R::initial_fields(actor));
    Ok(WriteOp::Create {
        collection: R::COLLECTION,
        fields,
        links: input.references().into_iter().map(Link::from).collect(),
        unique: input.unique(),
    })
}

fn actor_for(name: &str, staff_id: Option<&str>) -> Actor {
    Actor {
        token_id: "demo-seed".into(),
        name: name.to_string(),
        staff_id: staff_id.map(str::to_string),
        permission: Permission::Admin,
    }
}

/// Writes `ops` in one batch as having happened `at`.
async fn write(
    store: &dyn Store,
    actor: &Actor,
    ops: Vec<WriteOp>,
    at: Timestamp,
) -> Result<Vec<StoredRecord>, SeedError> {
    write_derived(store, actor, ops, Vec::new(), at).await
}

/// Writes `ops` in one batch as having happened `at`, with the fields the
/// store derives for them (a service's price history, a usage record's
/// charge) as the API would ask for them.
async fn write_derived(
    store: &dyn Store,
    actor: &Actor,
    ops: Vec<WriteOp>,
    derivations: Vec<Derivation>,
    at: Timestamp,
) -> Result<Vec<StoredRecord>, SeedError> {
    if ops.is_empty() {
        return Ok(Vec::new());
    }
    Ok(store.write(seed_batch(actor, ops, derivations, at)).await?)
}

/// One batch of seeded records as having happened `at`: no idempotency
/// key and no guards (seeded data is valid by construction).
fn seed_batch(
    actor: &Actor,
    ops: Vec<WriteOp>,
    derivations: Vec<Derivation>,
    at: Timestamp,
) -> WriteBatch {
    WriteBatch {
        actor: actor.clone(),
        ops,
        idempotency: None,
        at: Some(at),
        guards: Vec::new(),
        derivations,
    }
}

/// Creates one record of `R` per `(what, value)` in one batch written
/// `at`, each with the derivations the API would give it.
async fn create_all<R: Resource>(
    store: &dyn Store,
    actor: &Actor,
    values: Vec<(String, Value)>,
    at: Timestamp,
) -> Result<Vec<StoredRecord>, SeedError> {
    let mut ops = Vec::new();
    let mut derivations = Vec::new();
    for (what, value) in values {
        let object = value.as_object().cloned().unwrap_or_default();
        let input = R::from_json(&object).map_err(|errors| SeedError::Invalid {
            what: what.clone(),
            detail: errors.to_string(),
        })?;
        derivations.extend(input.derivations(None).into_iter().map(|d| Derivation {
            op: d.op + ops.len(),
            ..d
        }));
        ops.push(create_op::<R>(&what, value, actor)?);
    }
    write_derived(store, actor, ops, derivations, at).await
}

fn ids(records: &[StoredRecord]) -> Vec<String> {
    records.iter().map(|r| r.id.clone()).collect()
}

/// Fills an empty store with the demo organisation.
pub async fn seed_demo(store: &dyn Store) -> Result<Seeded, SeedError> {
    if !store.is_empty().await? {
        return Err(SeedError::NotEmpty);
    }
    let seed = actor_for("demo seed", None);
    let timeline = Timeline::new(Timestamp::now());

    let staff_ops = STAFF
        .iter()
        .map(|(name, roles)| {
            create_op::<StaffInput>(
                name,
                json!({"name": name, "email": email(name, "it.gov.example"), "job_roles": roles}),
                &seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let staff = ids(&write(store, &seed, staff_ops, timeline.setup(0)).await?);

    let service_values = SERVICES
        .iter()
        .map(|(name, description, owner, unit, price)| {
            (
                name.to_string(),
                json!({"name": name, "description": description, "owner_id": staff[*owner], "unit": unit, "unit_price_cents": price}),
            )
        })
        .collect();
    let services =
        ids(&create_all::<ServiceInput>(store, &seed, service_values, timeline.setup(1)).await?);

    let team_ops = TEAMS
        .iter()
        .map(|(name, brm, dm, owners)| {
            let owner_ids: Vec<&String> = owners.iter().map(|o| &staff[*o]).collect();
            create_op::<TeamInput>(
                name,
                json!({"name": name, "brm_id": staff[*brm], "delivery_manager_id": staff[*dm], "service_owner_ids": owner_ids}),
                &seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let teams = ids(&write(store, &seed, team_ops, timeline.setup(2)).await?);

    let customer_ops = CUSTOMERS
        .iter()
        .map(|(code, name, kind, status, team, description)| {
            create_op::<CustomerInput>(
                code,
                json!({"name": name, "code": code, "kind": kind, "status": status, "team_id": teams[*team], "description": description}),
                &seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let customers = write(store, &seed, customer_ops, timeline.setup(3)).await?;

    // Two contacts per customer: a purchaser and a user representative or
    // technical contact.
    let mut contact_ops = Vec::new();
    for (index, customer) in customers.iter().enumerate() {
        let domain = format!("{}.gov.example", CUSTOMERS[index].0.to_lowercase());
        for (slot, role) in [
            "purchaser",
            if index % 2 == 0 {
                "user_representative"
            } else {
                "technical"
            },
        ]
        .iter()
        .enumerate()
        {
            let (name, title) = CONTACT_PEOPLE[(index * 2 + slot) % CONTACT_PEOPLE.len()];
            contact_ops.push(create_op::<ContactInput>(
                name,
                json!({"customer_id": customer.id, "name": name, "title": title, "role": role,
                       "email": email(name, &domain), "phone": format!("+44 20 7946 {:04}", 100 + index * 10 + slot)}),
                &seed,
            )?);
        }
    }
    let contacts = ids(&write(store, &seed, contact_ops, timeline.setup(4)).await?);

    // Each customer's purchaser is its first contact.
    let mut purchaser_ops = Vec::new();
    for (index, customer) in customers.iter().enumerate() {
        let mut fields: Map<String, Value> = customer.fields.clone();
        fields.insert(
            "purchaser_contact_id".into(),
            Value::String(contacts[index * 2].clone()),
        );
        let input = CustomerInput::from_json(&fields).map_err(|e| SeedError::Invalid {
            what: customer.id.clone(),
            detail: e.to_string(),
        })?;
        purchaser_ops.push(WriteOp::Update {
            collection: Collection::Customers,
            id: customer.id.clone(),
            expected_version: customer.version,
            fields: input.to_object(),
            links: input.references().into_iter().map(Link::from).collect(),
            unique: input.unique(),
        });
    }
    write(store, &seed, purchaser_ops, timeline.setup(5)).await?;

    // Improvements are logged one at a time over the year.
    for (index, (description, source, customer, owner, status)) in IMPROVEMENTS.iter().enumerate() {
        let customer_id = customer.map(|c| customers[c].id.clone());
        let op = create_op::<ImprovementInput>(
            description,
            json!({"description": description, "source": source, "customer_id": customer_id, "owner_id": staff[*owner], "status": status}),
            &seed,
        )?;
        write(store, &seed, vec![op], timeline.improvement_logged(index)).await?;
    }

    let parties = Parties {
        staff: &staff,
        services: &services,
        customers: &customers,
        contacts: &contacts,
    };
    seed_rfcs(store, &timeline, &parties).await?;
    delivery::seed_delivery(store, &timeline, &parties).await?;
    surveys::seed_surveys(store, &timeline, &parties).await?;
    notices::seed_notices(store, &timeline, &parties).await?;
    meetings::seed_meetings(store, &timeline, &parties).await?;
    Ok(Seeded {
        operator_staff_id: staff[OPERATOR].clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::data::OUTCOMES;
    use super::*;
    use rapport_shared::enums::RfcStatus;

    #[test]
    fn demo_covers_every_status_and_both_routes() {
        for status in RfcStatus::ALL {
            assert!(
                OUTCOMES.iter().any(|(_, s)| s == status),
                "{status} missing from the demo"
            );
        }
        assert!(CONTACT_PEOPLE.len() >= CUSTOMERS.len() * 2);
        assert_eq!(STAFF.len(), 15);
        assert_eq!(SERVICES.len(), 10);
        assert_eq!(CUSTOMERS.len(), 12);
        for status in rapport_shared::records::ImprovementStatus::NAMES {
            assert!(
                IMPROVEMENTS.iter().any(|(.., s)| s == status),
                "improvement status {status} missing from the demo"
            );
        }
    }
}
