//! `rapportd seed --scale`: a large organisation's worth of records, to
//! measure rapport at size (a million RFCs with their history). The sizes
//! are given on the command line; the records are deterministic per
//! `--seed` (only ids differ, and dates move with the seeding time, which
//! callers pass as `now`). Every record is read by the same `RecordInput`
//! validation and written in large batches through [`Store::write_bulk`],
//! which checks and writes what [`Store::write`] does, so each gets its
//! audit row, change number, version, links and derivations as a normal
//! write does (a backend writes each record's row once, with its last
//! version); every RFC step is the API's
//! [`crate::api::rfcs::transition_ops`].
//!
//! - `names`: the words and the generator.
//! - `rfcs`: the RFCs, raised and walked along the workflow in chunks.
//! - `engagement`: meetings, surveys and their responses.
//! - this module: the sizes, the organisation the records refer to
//!   (staff, teams, services, proportionate to the customers), customers,
//!   and contacts.

use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use rapport_shared::records::{ContactInput, CustomerInput, ServiceInput, StaffInput, TeamInput};
use serde_json::{Map, Value, json};

use super::data::SERVICES;
use super::{SeedError, actor_for};
use crate::api::resources::Resource;
use crate::store::{Actor, Derivation, Link, Store, StoredRecord, WriteOp};

mod engagement;
mod names;
mod rfcs;

use names::Rng;

/// The most ops written in one batch (one transaction): large enough that
/// the sync and the round trip to the writer cost nothing per record,
/// small enough that a batch's records stay a few megabytes in memory.
pub const BATCH_OPS: usize = 5_000;

/// How many records of each collection to write (any may be zero).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScaleSizes {
    /// Customers (at least one when any other size is given).
    #[arg(long, default_value_t = 0)]
    pub customers: usize,
    /// Contacts, spread over the customers.
    #[arg(long, default_value_t = 0)]
    pub contacts: usize,
    /// RFCs, each walked to its outcome with its history.
    #[arg(long, default_value_t = 0)]
    pub rfcs: usize,
    /// Survey responses, one per contact and survey (needs contacts).
    #[arg(long, default_value_t = 0)]
    pub responses: usize,
    /// Meetings with customers, held and coming.
    #[arg(long, default_value_t = 0)]
    pub meetings: usize,
    /// The generator's seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// What a scale seeding wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScaleReport {
    pub staff: usize,
    pub teams: usize,
    pub services: usize,
    pub customers: usize,
    pub contacts: usize,
    pub rfcs: usize,
    /// Workflow steps taken (each an RFC update and a history entry).
    pub rfc_steps: usize,
    pub surveys: usize,
    pub responses: usize,
    pub meetings: usize,
}

/// Generator streams, one per collection.
const STREAM_CUSTOMERS: u64 = 1;
const STREAM_CONTACTS: u64 = 2;
const STREAM_RFCS: u64 = 3;
const STREAM_RESPONSES: u64 = 4;
const STREAM_MEETINGS: u64 = 5;

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// The records the generated ones refer to.
pub(super) struct Org {
    staff: Vec<String>,
    /// Indexes into `staff` of the service owners and the service desk.
    service_owners: Vec<usize>,
    desk: Vec<usize>,
    /// Per team, its business relationship manager (index into `staff`).
    team_brm: Vec<usize>,
    services: Vec<String>,
    customers: Vec<String>,
    /// Contact `i` works for customer `i % customers.len()`.
    contacts: Vec<String>,
}

impl Org {
    /// The contacts of customer `customer` (indexes into `contacts`).
    fn contacts_of(&self, customer: usize) -> impl Iterator<Item = usize> + '_ {
        (customer..self.contacts.len()).step_by(self.customers.len().max(1))
    }
}

/// Shows how far seeding is; hidden when stderr is not a terminal.
struct Progress(ProgressBar);

impl Progress {
    fn new(total: usize, show: bool) -> Progress {
        let bar = if show {
            ProgressBar::new(total as u64)
        } else {
            ProgressBar::hidden()
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} records {per_sec} ({eta} left) {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(bar)
    }

    fn stage(&self, what: &'static str) {
        self.0.set_message(what);
    }

    fn add(&self, records: usize) {
        self.0.inc(records as u64);
    }
}

/// The ops of creating one record of `R` from `value` as the API would
/// (validated by `RecordInput::from_json`, with its initial fields, links,
/// uniques and derivations); `offset` is the op's place in its batch.
fn create<R: Resource>(
    what: &str,
    value: Value,
    actor: &Actor,
    offset: usize,
) -> Result<(WriteOp, Vec<Derivation>), SeedError> {
    let object = match value {
        Value::Object(object) => object,
        _ => Map::new(),
    };
    let input = R::from_json(&object).map_err(|errors| SeedError::Invalid {
        what: what.to_string(),
        detail: errors.to_string(),
    })?;
    let derivations = input
        .derivations(None)
        .into_iter()
        .map(|d| Derivation {
            op: d.op + offset,
            ..d
        })
        .collect();
    let mut fields = input.to_object();
    fields.extend(R::initial_fields(actor));
    let op = WriteOp::Create {
        collection: R::COLLECTION,
        fields,
        links: input.references().into_iter().map(Link::from).collect(),
        unique: input.unique(),
    };
    Ok((op, derivations))
}

/// Creates `count` records of `R`, `make(i)` giving record `i`'s label and
/// JSON, in batches of [`BATCH_OPS`], the batch holding record `i` written
/// at `when(i)`; returns their ids in order.
async fn create_many<R: Resource>(
    store: &dyn Store,
    actor: &Actor,
    count: usize,
    progress: &Progress,
    when: impl Fn(usize) -> Timestamp,
    mut make: impl FnMut(usize) -> (String, Value),
) -> Result<Vec<String>, SeedError> {
    let mut ids = Vec::with_capacity(count);
    let mut start = 0;
    while start < count {
        let end = (start + BATCH_OPS).min(count);
        let mut ops = Vec::with_capacity(end - start);
        let mut derivations = Vec::new();
        for i in start..end {
            let (what, value) = make(i);
            let (op, derived) = create::<R>(&what, value, actor, ops.len())?;
            ops.push(op);
            derivations.extend(derived);
        }
        let written = write_derived(store, actor, ops, derivations, when(start)).await?;
        ids.extend(written.into_iter().map(|record| record.id));
        progress.add(end - start);
        start = end;
    }
    Ok(ids)
}

/// Writes `ops` in one batch as having happened `at`, with the fields the
/// store derives for them, as part of the bulk load that
/// [`seed_scale`] finishes ([`Store::write_bulk`]).
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
    Ok(store
        .write_bulk(super::seed_batch(actor, ops, derivations, at))
        .await?)
}

fn email(first: &str, last: &str, n: usize, domain: &str) -> String {
    format!(
        "{}.{}.{n}@{domain}",
        first.to_lowercase(),
        last.to_lowercase()
    )
}

/// The day of `at` (UTC) as `YYYY-MM-DD`.
fn day(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// `at` plus `days` whole days (negative: earlier).
fn days_after(at: Timestamp, days: i64) -> Timestamp {
    at + DAY * i32::try_from(days).unwrap_or(0)
}

/// Fills an empty store with `sizes` worth of records, dated up to `now`;
/// `show_progress` draws a progress bar on stderr.
pub async fn seed_scale(
    store: &dyn Store,
    sizes: &ScaleSizes,
    now: Timestamp,
    show_progress: bool,
) -> Result<ScaleReport, SeedError> {
    if !store.is_empty().await? {
        return Err(SeedError::NotEmpty);
    }
    let others = sizes.contacts + sizes.rfcs + sizes.responses + sizes.meetings;
    let customer_count = if others > 0 {
        sizes.customers.max(1)
    } else {
        sizes.customers
    };
    if sizes.responses > 0 && sizes.contacts == 0 {
        return Err(SeedError::Invalid {
            what: "--responses".into(),
            detail: "survey responses come from contacts: give --contacts too".into(),
        });
    }
    // The organisation grows with its customers: a relationship manager
    // and a delivery manager per 25 customers, a team per 100.
    let staff_count = 16 + customer_count / 25 * 4;
    let team_count = 4 + customer_count / 100;
    let total = staff_count
        + team_count
        + SERVICES.len()
        + customer_count
        + sizes.contacts
        + sizes.rfcs
        + sizes.responses
        + sizes.meetings;
    let progress = Progress::new(total, show_progress);
    let seed = actor_for("scale seed", None);
    let start = days_after(now, -400);
    let mut report = ScaleReport::default();

    progress.stage("staff");
    let roles = ["brm", "delivery_manager", "service_owner", "service_desk"];
    let staff = create_many::<StaffInput>(
        store,
        &seed,
        staff_count,
        &progress,
        |_| start,
        |i| {
            let first = names::FIRST_NAMES[i % names::FIRST_NAMES.len()];
            let last =
                names::LAST_NAMES[(i / names::FIRST_NAMES.len() + i) % names::LAST_NAMES.len()];
            let name = format!("{first} {last}");
            let value = json!({"name": name, "email": email(first, last, i, "it.gov.example"),
                               "job_roles": [roles[i % roles.len()]]});
            (name, value)
        },
    )
    .await?;
    let with_role = |role: usize| -> Vec<usize> {
        (0..staff_count)
            .filter(|i| i % roles.len() == role)
            .collect()
    };
    let (brms, delivery_managers, service_owners, desk) =
        (with_role(0), with_role(1), with_role(2), with_role(3));
    report.staff = staff.len();

    progress.stage("services");
    let services = create_many::<ServiceInput>(
        store,
        &seed,
        SERVICES.len(),
        &progress,
        |_| days_after(start, 1),
        |i| {
            let (name, description, _, unit, price) = SERVICES[i];
            let owner = &staff[service_owners[i % service_owners.len()]];
            let value = json!({"name": name, "description": description, "owner_id": owner,
                               "unit": unit, "unit_price_cents": price});
            (name.to_string(), value)
        },
    )
    .await?;
    report.services = services.len();

    progress.stage("teams");
    let team_brm: Vec<usize> = (0..team_count).map(|t| brms[t % brms.len()]).collect();
    let teams = create_many::<TeamInput>(
        store,
        &seed,
        team_count,
        &progress,
        |_| days_after(start, 2),
        |t| {
            let name = format!("Customer team {}", t + 1);
            let owners = [&staff[service_owners[t % service_owners.len()]]];
            let value = json!({"name": name, "brm_id": staff[team_brm[t]],
                               "delivery_manager_id": staff[delivery_managers[t % delivery_managers.len()]],
                               "service_owner_ids": owners});
            (name, value)
        },
    )
    .await?;
    report.teams = teams.len();

    progress.stage("customers");
    let mut rng = Rng::new(sizes.seed, STREAM_CUSTOMERS);
    let customers = create_many::<CustomerInput>(
        store,
        &seed,
        customer_count,
        &progress,
        |_| days_after(start, 3),
        |i| {
            let (kind_name, kind) = *rng.pick(names::CUSTOMER_KINDS);
            let name = format!("{} {kind_name} {}", rng.pick(names::CUSTOMER_WORDS), i + 1);
            let status = if rng.chance(90) { "active" } else { "prospect" };
            let code = format!("C{:06}", i + 1);
            let value = json!({"name": name, "code": code, "kind": kind, "status": status,
                               "team_id": teams[i % teams.len()],
                               "description": format!("{name}, served since {}.", 2010 + i % 15)});
            (code, value)
        },
    )
    .await?;
    report.customers = customers.len();

    progress.stage("contacts");
    let mut rng = Rng::new(sizes.seed, STREAM_CONTACTS);
    let contacts = create_many::<ContactInput>(
        store,
        &seed,
        sizes.contacts,
        &progress,
        |_| days_after(start, 4),
        |i| {
            let customer = i % customers.len();
            let first = rng.pick(names::FIRST_NAMES);
            let last = rng.pick(names::LAST_NAMES);
            let role = *rng.pick(&["purchaser", "user_representative", "technical"]);
            let value = json!({"customer_id": customers[customer], "name": format!("{first} {last}"),
                               "title": rng.pick(names::TITLES), "role": role,
                               "email": email(first, last, i, &format!("c{:06}.gov.example", customer + 1)),
                               "phone": format!("+44 20 {:04} {:04}", i / 10_000 % 10_000, i % 10_000)});
            (format!("contact {i}"), value)
        },
    )
    .await?;
    report.contacts = contacts.len();

    let org = Org {
        staff,
        service_owners,
        desk,
        team_brm,
        services,
        customers,
        contacts,
    };

    progress.stage("RFCs");
    let mut rng = Rng::new(sizes.seed, STREAM_RFCS);
    let (rfcs, steps) =
        rfcs::seed_rfcs(store, &org, sizes.rfcs, &mut rng, start, &progress).await?;
    report.rfcs = rfcs;
    report.rfc_steps = steps;

    progress.stage("meetings");
    report.meetings = engagement::seed_meetings(store, &org, sizes, now, &progress).await?;

    progress.stage("survey responses");
    (report.surveys, report.responses) =
        engagement::seed_responses(store, &org, sizes, now, &progress).await?;

    progress.stage("committing");
    store.finish_bulk().await?;
    progress.0.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests;
