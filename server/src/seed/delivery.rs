//! The demo's delivery and money: agreements with their service levels
//! (one expired, one due for review), twelve months of measured results
//! (some missed), a price change half a year ago, usage every month
//! allocated to the customers' programmes, budgets (two customers over)
//! and activity plans on all three horizons (some overdue). Every figure
//! is computed from the customer's and month's index, never drawn at
//! random, and every record is written at the past time it would have been.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use rapport_shared::records::{
    ActivityInput, AgreementInput, BudgetLineInput, LevelResultInput, RecordInput, ServiceInput,
    UsageInput,
};
use serde_json::{Value, json};

use super::data::{CUSTOMERS, SERVICES, TEAMS};
use super::rfcs::Parties;
use super::timeline::Timeline;
use super::{SeedError, actor_for, create_all, write_derived};
use crate::api::resources::Resource;
use crate::store::{Link, Store, StoredRecord, WriteOp};

mod money;
use money::{seed_budgets, seed_price_change, seed_usage};

/// Months of history: usage and service level results for each of the
/// twelve months before the seeding month.
pub const MONTHS: i64 = 12;

/// (customer index, services it uses by index into [`SERVICES`], its two
/// programmes). Customers not listed (the prospect) have no agreement.
const ACCOUNTS: &[(usize, &[usize], [&str; 2])] = &[
    (0, &[0, 1, 3, 6], ["Budget cycle", "Treasury modernisation"]),
    (
        1,
        &[0, 2, 3, 6, 8],
        ["Hospital systems", "Public health data"],
    ),
    (2, &[0, 1, 4, 7], ["Exams service", "Schools network"]),
    (
        3,
        &[0, 2, 4, 8],
        ["Courts digitisation", "Prison administration"],
    ),
    (4, &[2, 3, 4, 6], ["Filing portal", "Compliance analytics"]),
    (5, &[2, 3, 8], ["Census", "Household surveys"]),
    (6, &[0, 5, 7, 9], ["Field monitoring", "Permits"]),
    (7, &[2, 8, 9], ["Property register", "National mapping"]),
    (8, &[0, 1, 6], ["Payroll", "Recruitment"]),
    (9, &[0, 1, 4], ["Tenders", "Framework contracts"]),
    (11, &[2, 8], ["Digital preservation", "Reading room"]),
];

/// The customer whose agreement ran out four months ago (the archives,
/// which moved to another provider).
const EXPIRED: usize = 11;

/// The customer whose agreement is due for review in twelve days.
const REVIEW_DUE: usize = 3;

/// Customers whose charges this year have passed what they planned.
const OVER_BUDGET: &[usize] = &[1, 4];

/// The service whose unit price rose half a year ago, and the new price.
const PRICE_CHANGE: (usize, i64) = (2, 19_900);

/// Months before the seeding month when the price changed.
const PRICE_CHANGE_MONTHS_AGO: i64 = 6;

/// Units used per month by a customer of scale 10, per service.
const BASE_QUANTITY: [i64; 10] = [600, 500, 12, 3, 700, 2, 90, 400, 20, 40];

/// (strategic, tactical, operational) activity titles per account.
const PLANS: &[[&str; 3]] = &[
    [
        "Move budget reporting to the data platform",
        "Capacity for the budget cycle peak",
        "Rotate finance system certificates",
    ],
    [
        "Round-the-clock hosting for case systems",
        "Database upgrade for patient records",
        "Failover test of the case system",
    ],
    [
        "Single sign-on for every school",
        "Exam results day readiness",
        "Laptop refresh for exam boards",
    ],
    [
        "Courts records retention platform",
        "Access review of prison systems",
        "Patch court room devices",
    ],
    [
        "Filing portal scale-out for the deadline",
        "Database consolidation",
        "Load test of the filing portal",
    ],
    [
        "Census 2031 platform",
        "Archive old survey data",
        "Restore test of the census backups",
    ],
    [
        "Mobile maps for field staff",
        "VPN for remote monitoring sites",
        "Replace field tablets",
    ],
    [
        "Register on managed hosting",
        "Map services upgrade",
        "Storage clean-up",
    ],
    [
        "Self-service HR portal",
        "Collaboration suite training",
        "Mailbox migration of new starters",
    ],
    [
        "E-tendering identity integration",
        "Supplier portal accounts",
        "Renew procurement licences",
    ],
    [
        "Hand over preserved records",
        "Export of the archive catalogue",
        "Close remaining accounts",
    ],
];

fn invalid(what: &str, detail: impl std::fmt::Display) -> SeedError {
    SeedError::Invalid {
        what: what.to_string(),
        detail: detail.to_string(),
    }
}

/// `date` at `hour`:00 UTC.
fn at_utc(date: Date, hour: i8) -> Result<Timestamp, SeedError> {
    date.at(hour, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .map_err(|error| invalid("demo date", error))
}

fn month_name(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// The seeding day and the first day of the month `k` months before the
/// seeding month.
struct Calendar {
    today: Date,
    this_month: Date,
}

impl Calendar {
    fn new(timeline: &Timeline) -> Calendar {
        let today = timeline.now().to_zoned(TimeZone::UTC).date();
        Calendar {
            today,
            this_month: today.first_of_month(),
        }
    }

    fn month(&self, ago: i64) -> Date {
        self.this_month.saturating_sub(Span::new().months(ago))
    }

    fn day(&self, offset: i64) -> Date {
        self.today.saturating_add(Span::new().days(offset))
    }
}

/// Units of `service` a customer uses in the month `ago` months back:
/// slowly growing, with a small wobble.
fn quantity(customer: usize, service: usize, ago: i64) -> i64 {
    let scale = 6 + (customer as i64 * 5) % 9;
    let growth = 100 + (MONTHS - ago) * 2;
    let wobble = ((customer * 7 + service * 3) as i64 + ago) % 5;
    (BASE_QUANTITY[service] * scale * growth / 1_000 + wobble).max(1)
}

/// The programme a service's charges are allocated to: service desk
/// tickets stay unallocated, the rest alternate between the two.
fn program(programs: [&str; 2], service: usize) -> Value {
    match service {
        6 => Value::Null,
        s if s % 2 == 0 => json!(programs[0]),
        _ => json!(programs[1]),
    }
}

/// The unit price of `service` in force for the month `ago` months back.
fn unit_price(service: usize, ago: i64) -> i64 {
    let (changed, new_price) = PRICE_CHANGE;
    if service == changed && ago < PRICE_CHANGE_MONTHS_AGO {
        new_price
    } else {
        SERVICES[service].4
    }
}

/// Seeds agreements, results, prices, usage, budgets and activities.
pub async fn seed_delivery(
    store: &dyn Store,
    timeline: &Timeline,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let calendar = Calendar::new(timeline);
    let agreements = seed_agreements(store, timeline, &calendar, parties).await?;
    seed_results(store, timeline, &calendar, &agreements).await?;
    seed_price_change(store, timeline, &calendar, parties).await?;
    seed_usage(store, timeline, &calendar, parties).await?;
    seed_budgets(store, timeline, &calendar, parties).await?;
    seed_activities(store, timeline, &calendar, parties).await
}

/// One agreement per account, written when its year began.
async fn seed_agreements(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    parties: &Parties<'_>,
) -> Result<Vec<(usize, StoredRecord)>, SeedError> {
    let brm = actor_for("demo seed", None);
    let mut made = Vec::new();
    for (customer, services, _) in ACCOUNTS {
        let code = CUSTOMERS[*customer].0;
        let valid_from = calendar.month(MONTHS);
        let (valid_to, review_on) = if *customer == EXPIRED {
            (
                calendar.month(4).saturating_sub(Span::new().days(1)),
                calendar.month(5),
            )
        } else if *customer == REVIEW_DUE {
            (calendar.day(120), calendar.day(12))
        } else {
            (
                calendar.day(200 + 10 * *customer as i64),
                calendar.day(90 + 7 * *customer as i64),
            )
        };
        let service_ids: Vec<&String> = services.iter().map(|s| &parties.services[*s]).collect();
        let value = json!({
            "customer_id": parties.customers[*customer].id,
            "title": format!("{code} service agreement"),
            "service_ids": service_ids,
            "levels": [
                {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher"},
                {"metric": "incident response", "target": 4, "unit": "hours", "better": "lower"},
            ],
            "valid_from": valid_from.to_string(),
            "valid_to": valid_to.to_string(),
            "review_on": review_on.to_string(),
            "status": "active",
        });
        let at = timeline.no_later(at_utc(valid_from, 9)?);
        let record =
            create_all::<AgreementInput>(store, &brm, vec![(code.to_string(), value)], at).await?;
        if let Some(record) = record.into_iter().next() {
            made.push((*customer, record));
        }
    }
    Ok(made)
}

/// Availability (%, higher is better) and incident response (hours,
/// lower is better) measured each month the agreement held: mostly met,
/// missed now and then, and often lately for the revenue agency.
fn measured(customer: usize, ago: i64) -> (f64, f64) {
    let c = customer as i64;
    let availability = if (c + ago) % 7 == 0 || (customer == 4 && ago <= 2) {
        99.1 + ((c + ago) % 3) as f64 / 10.0
    } else {
        99.6 + ((c * 3 + ago) % 4) as f64 / 10.0
    };
    let response = if (c * 3 + ago) % 9 == 0 || (customer == 4 && ago <= 3) {
        5.5
    } else {
        2.0 + ((c + ago) % 4) as f64 / 2.0
    };
    (availability, response)
}

/// Each month's results, recorded three days after the month ended.
async fn seed_results(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    agreements: &[(usize, StoredRecord)],
) -> Result<(), SeedError> {
    let seed = actor_for("demo seed", None);
    for ago in (1..=MONTHS).rev() {
        let month = calendar.month(ago);
        let mut values = Vec::new();
        for (customer, agreement) in agreements {
            if *customer == EXPIRED && ago <= 4 {
                continue;
            }
            let (availability, response) = measured(*customer, ago);
            for (metric, value) in [
                ("availability", availability),
                ("incident response", response),
            ] {
                let mut result = json!({
                    "agreement_id": agreement.id,
                    "metric": metric,
                    "month": month_name(month),
                    "value": value,
                });
                if (metric == "availability" && availability < 99.5)
                    || (metric != "availability" && response > 4.0)
                {
                    result["note"] = json!("Missed: see the incident review");
                }
                values.push((format!("{} {metric}", CUSTOMERS[*customer].0), result));
            }
        }
        let recorded = at_utc(
            calendar.month(ago - 1).saturating_add(Span::new().days(3)),
            10,
        )?;
        create_all::<LevelResultInput>(store, &seed, values, timeline.no_later(recorded)).await?;
    }
    Ok(())
}

/// Three activities per account, one per horizon, owned by its team's
/// BRM: the strategic one under way for the year ahead, the tactical one
/// over months (overdue for every third account), the operational one over
/// weeks (overdue for some, done for others).
async fn seed_activities(
    store: &dyn Store,
    timeline: &Timeline,
    calendar: &Calendar,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let seed = actor_for("demo seed", None);
    for (row, (customer, _, _)) in ACCOUNTS.iter().enumerate() {
        if *customer == EXPIRED {
            continue;
        }
        let [strategic, tactical, operational] = PLANS[row];
        let owner = &parties.staff[TEAMS[CUSTOMERS[*customer].4].1];
        let c = *customer as i64;
        let tactical_overdue = customer % 3 == 0;
        let operational_state = customer % 4;
        let plan = [
            (
                "strategic",
                strategic,
                -90 - c * 5,
                270 + c * 5,
                "in_progress",
            ),
            (
                "tactical",
                tactical,
                -60,
                if tactical_overdue { -14 } else { 30 + c * 3 },
                if tactical_overdue {
                    "in_progress"
                } else {
                    "planned"
                },
            ),
            (
                "operational",
                operational,
                if operational_state == 1 { -12 } else { -3 },
                if operational_state == 1 { -3 } else { 9 + c },
                if operational_state == 2 {
                    "done"
                } else {
                    "planned"
                },
            ),
        ];
        let values = plan
            .iter()
            .map(|(horizon, title, starts, ends, status)| {
                (
                    title.to_string(),
                    json!({
                        "customer_id": parties.customers[*customer].id,
                        "title": title,
                        "horizon": horizon,
                        "starts_on": calendar.day(*starts).to_string(),
                        "ends_on": calendar.day(*ends).to_string(),
                        "status": status,
                        "owner_id": owner,
                    }),
                )
            })
            .collect();
        let at = timeline.no_later(at_utc(calendar.day(-95 - c * 5), 11)?);
        create_all::<ActivityInput>(store, &seed, values, at).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
