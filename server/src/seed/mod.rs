//! The demo data behind `rapportd seed --demo` and `rapport --demo`: a
//! believable central IT organisation with 15 staff, 10 services, 4 customer
//! teams, 12 customers with their contacts and 60 RFCs in every status on
//! both routes. Deterministic: the same records every time (only ids and
//! timestamps differ). Every record is read by the same `RecordInput`
//! validation and every RFC step by the same workflow as API calls (the
//! cross-record rules hold by construction of the data), in a few large
//! batches so seeding is quick.

use rapport_shared::Collection;
use rapport_shared::enums::{Permission, RfcRoute, RfcStatus};
use rapport_shared::records::{
    ContactInput, CustomerInput, ImprovementInput, RecordInput, RfcInput, ServiceInput, StaffInput,
    TeamInput,
};
use serde_json::{Map, Value, json};

use crate::api::ApiError;
use crate::api::resources::Resource;
use crate::api::rfcs::{comment_op, transition_ops};
use crate::store::{Actor, Link, Store, StoredRecord, WriteBatch, WriteOp};

mod data;

use data::{
    CONTACT_PEOPLE, CUSTOMERS, IMPROVEMENTS, OPERATOR, OUTCOMES, RFC_TOPICS, SERVICES, STAFF, TEAMS,
};

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already holds records; demo data goes only into an empty one")]
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

/// How many demo RFCs there are: every topic for three customers.
const RFC_COUNT: usize = 60;

/// The steps from `new` to `outcome` (the status, and the route on triage).
fn path_to(route: Option<RfcRoute>, outcome: RfcStatus) -> Vec<(RfcStatus, Option<RfcRoute>)> {
    use RfcStatus::*;
    let Some(route) = route else {
        return if outcome == Withdrawn {
            vec![(Withdrawn, None)]
        } else {
            Vec::new()
        };
    };
    let full: &[RfcStatus] = match (route, outcome) {
        (RfcRoute::ChangeManagement, Rejected) => &[Triaged, Assessing, Rejected],
        (RfcRoute::ChangeManagement, _) => {
            &[Triaged, Assessing, Approved, Scheduled, Implemented, Closed]
        }
        (RfcRoute::ServiceLevelManagement, Declined) => &[Triaged, Negotiating, Declined],
        (RfcRoute::ServiceLevelManagement, _) => &[Triaged, Negotiating, AgreementUpdated, Closed],
    };
    let end = full
        .iter()
        .position(|s| *s == outcome)
        .map_or(full.len(), |i| i + 1);
    full[..end]
        .iter()
        .map(|status| (*status, (*status == Triaged).then_some(route)))
        .collect()
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

async fn write(
    store: &dyn Store,
    actor: &Actor,
    ops: Vec<WriteOp>,
) -> Result<Vec<StoredRecord>, SeedError> {
    if ops.is_empty() {
        return Ok(Vec::new());
    }
    Ok(store
        .write(WriteBatch {
            actor: actor.clone(),
            ops,
            idempotency: None,
            guards: Vec::new(),
        })
        .await?)
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
    let staff = ids(&write(store, &seed, staff_ops).await?);

    let service_ops = SERVICES
        .iter()
        .map(|(name, description, owner, unit, price)| {
            create_op::<ServiceInput>(
                name,
                json!({"name": name, "description": description, "owner_id": staff[*owner], "unit": unit, "unit_price_cents": price}),
                &seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let services = ids(&write(store, &seed, service_ops).await?);

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
    let teams = ids(&write(store, &seed, team_ops).await?);

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
    let customers = write(store, &seed, customer_ops).await?;

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
    let contacts = ids(&write(store, &seed, contact_ops).await?);

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
    write(store, &seed, purchaser_ops).await?;

    let improvement_ops = IMPROVEMENTS
        .iter()
        .map(|(description, source, customer, owner, status)| {
            let customer_id = customer.map(|c| customers[c].id.clone());
            create_op::<ImprovementInput>(
                description,
                json!({"description": description, "source": source, "customer_id": customer_id, "owner_id": staff[*owner], "status": status}),
                &seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    write(store, &seed, improvement_ops).await?;

    seed_rfcs(store, &staff, &services, &customers, &contacts).await?;
    Ok(Seeded {
        operator_staff_id: staff[OPERATOR].clone(),
    })
}

async fn seed_rfcs(
    store: &dyn Store,
    staff: &[String],
    services: &[String],
    customers: &[StoredRecord],
    contacts: &[String],
) -> Result<(), SeedError> {
    let priorities = ["medium", "high", "low", "critical", "medium", "high", "low"];
    let categories = ["normal", "standard", "normal", "emergency", "normal"];
    let impacts = ["one team", "one site", "whole organisation"];
    let active: Vec<usize> = (0..customers.len())
        .filter(|i| CUSTOMERS[*i].3 == "active")
        .collect();
    let mut ops = Vec::new();
    let mut raisers = Vec::new();
    for n in 0..RFC_COUNT {
        let (title, service) = RFC_TOPICS[n % RFC_TOPICS.len()];
        let customer = active[(n * 7 + n / RFC_TOPICS.len()) % active.len()];
        let desk = if n % 2 == 0 { OPERATOR } else { OPERATOR + 1 };
        let raiser = actor_for(STAFF[desk].0, Some(&staff[desk]));
        // Roughly a third unassigned, a third with the operator, the rest
        // with the service's owner.
        let assignee = match n % 3 {
            0 => None,
            1 => Some(staff[OPERATOR].clone()),
            _ => Some(staff[SERVICES[service].2].clone()),
        };
        let day = 1 + (n * 5) % 28;
        let month = if n % 2 == 0 { "2026-12" } else { "2027-01" };
        ops.push(create_op::<RfcInput>(
            title,
            json!({
                "customer_id": customers[customer].id,
                "title": title,
                "description": format!("{} requested by {}. {}", title, CUSTOMERS[customer].1, CUSTOMERS[customer].5),
                "service_id": services[service],
                "requested_by_contact_id": contacts[customer * 2 + n % 2],
                "priority": priorities[n % priorities.len()],
                "impact": impacts[n % impacts.len()],
                "category": categories[n % categories.len()],
                "assignee_id": assignee,
                "due_on": (n % 4 != 0).then(|| format!("{month}-{day:02}")),
            }),
            &raiser,
        )?);
        raisers.push(raiser);
    }
    let mut rfcs = write(store, &actor_for("demo seed", None), ops).await?;

    // Walk every RFC along its path, one step for all of them per batch.
    let paths: Vec<_> = (0..RFC_COUNT)
        .map(|n| {
            let (route, outcome) = OUTCOMES[(n + n / OUTCOMES.len()) % OUTCOMES.len()];
            path_to(route, outcome)
        })
        .collect();
    let longest = paths.iter().map(Vec::len).max().unwrap_or(0);
    for step in 0..longest {
        let mut ops = Vec::new();
        let mut moved = Vec::new();
        for (n, path) in paths.iter().enumerate() {
            let Some((to, route)) = path.get(step) else {
                continue;
            };
            let note = match to {
                RfcStatus::Triaged => Some("Triaged from the queue".to_string()),
                RfcStatus::Rejected | RfcStatus::Declined => {
                    Some("Not justified by the expected benefit".to_string())
                }
                _ => None,
            };
            ops.extend(transition_ops(&rfcs[n], *to, *route, note, &raisers[n])?);
            moved.push(n);
        }
        let written = write(store, &actor_for("demo seed", None), ops).await?;
        // Each step writes the RFC then its history entry.
        for (n, record) in moved.into_iter().zip(written.into_iter().step_by(2)) {
            rfcs[n] = record;
        }
    }

    let comments = [
        "Customer confirmed the business need in the last follow-up meeting.",
        "Waiting for the purchaser to confirm the budget.",
        "Capacity check done: fits within the current agreement.",
    ];
    let mut ops = Vec::new();
    for (n, rfc) in rfcs.iter().enumerate().filter(|(n, _)| n % 4 == 1) {
        ops.push(comment_op(
            &rfc.id,
            comments[n % comments.len()],
            &raisers[n],
        ));
    }
    write(store, &actor_for("demo seed", None), ops).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_workflow() {
        for (route, outcome) in OUTCOMES {
            let path = path_to(*route, *outcome);
            let mut status = RfcStatus::New;
            let mut current_route = None;
            for (to, step_route) in &path {
                current_route =
                    rapport_shared::rfc::check_transition(status, current_route, *to, *step_route)
                        .expect("demo paths are legal");
                status = *to;
            }
            assert_eq!(status, *outcome);
        }
    }

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
