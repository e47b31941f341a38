//! `rapport export statement CUSTOMER_CODE --year YYYY [--month YYYY-MM]
//! [--format markdown|csv]`: what a purchaser reads to understand the bill.
//! Planned against charged per service for the year (from the server's
//! budget view), the charges of the period line by line (the usage
//! records, at the price each was charged), the period's charges per
//! program, and each agreement's service levels over the period.
//!
//! The statement is built from what the server answers ([`Statement`],
//! read by [`gather`]) and written by [`markdown`] or [`csv`], so the
//! writers are tested on fixed data and the whole on a real server.

use std::collections::{BTreeMap, HashMap};

use clap::{Args, ValueEnum};
use rapport_shared::Collection;
use rapport_shared::month::Month;
use rapport_shared::records::budget_lines::{FIRST_YEAR, LAST_YEAR};
use serde_json::Value;

use super::{CliError, Output, Report};
use crate::api::{
    ApiClient, ListQuery, Record, record_id, text, views::ViewCall, without_controls,
};
use crate::screens::customer::budget::money;

mod write;
pub use write::{csv, markdown};

/// The statement's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum StatementFormat {
    #[default]
    Markdown,
    Csv,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct StatementArgs {
    /// The customer's code (e.g. TAX).
    pub customer: String,
    /// The budget year.
    #[arg(long)]
    pub year: i32,
    /// Only the charges of this month (YYYY-MM, in the year).
    #[arg(long)]
    pub month: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: StatementFormat,
    #[command(flatten)]
    pub output: Output,
}

/// Everything a statement shows, with names already resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub customer_code: String,
    pub customer_name: String,
    pub year: i32,
    /// The period the charges and levels cover: the year, or one month.
    pub period: String,
    /// Per service for the whole year.
    pub budget: Vec<BudgetRow>,
    /// The charges of the period, by month then service.
    pub charges: Vec<ChargeRow>,
    /// The period's charges per program (`None`: unallocated).
    pub programs: Vec<(Option<String>, i64)>,
    pub levels: Vec<LevelRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub service: String,
    pub planned_cents: i64,
    pub charged_cents: i64,
    pub remaining_cents: i64,
    pub forecast_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    pub service: String,
    pub month: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub program: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LevelRow {
    pub agreement: String,
    pub metric: String,
    /// `≥ 99.9 %` or `≤ 8 h`.
    pub target: String,
    pub measured: usize,
    pub met: usize,
    /// The months measured and missed, `YYYY-MM`.
    pub missed: Vec<String>,
}

/// Builds the statement.
pub async fn run(api: &ApiClient, args: &StatementArgs) -> Result<Report, CliError> {
    let (from, to) = period(args.year, args.month.as_deref())?;
    let statement = gather(api, args, from, to).await?;
    let text = match args.format {
        StatementFormat::Markdown => markdown(&statement),
        StatementFormat::Csv => csv(&statement)?,
    };
    Ok(Report {
        text,
        summary: None,
    })
}

/// The months the period covers: the year, or the month given, which must
/// be in the year.
pub fn period(year: i32, month: Option<&str>) -> Result<(Month, Month), CliError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&i64::from(year)) {
        return Err(CliError::Usage(format!(
            "--year {year} is not a year from {FIRST_YEAR} to {LAST_YEAR}"
        )));
    }
    let first = Month::parse(&format!("{year:04}-01"));
    let last = Month::parse(&format!("{year:04}-12"));
    let (Some(first), Some(last)) = (first, last) else {
        return Err(CliError::Usage(format!("--year {year} is not a year")));
    };
    let Some(month) = month else {
        return Ok((first, last));
    };
    let Some(month) = Month::parse(month) else {
        return Err(CliError::Usage(format!(
            "--month {month} is not a month: write YYYY-MM, e.g. {year:04}-03"
        )));
    };
    if month.year() != year {
        return Err(CliError::Usage(format!(
            "--month {month} is not in --year {year}"
        )));
    }
    Ok((month, month))
}

/// Every record of `collection` matching `filters`.
async fn every(
    api: &ApiClient,
    collection: Collection,
    filters: &[(&str, &str)],
) -> Result<Vec<Record>, CliError> {
    Ok(api.list_all(collection, filters).await?)
}

/// The customer whose code is `code` (any case).
async fn customer_by_code(api: &ApiClient, code: &str) -> Result<Record, CliError> {
    let query = ListQuery {
        limit: 500,
        q: Some(code.to_string()),
        ..ListQuery::default()
    };
    let page = api.list(Collection::Customers, &query).await?;
    page.items
        .into_iter()
        .find(|c| text(c, "code").eq_ignore_ascii_case(code))
        .ok_or_else(|| CliError::Usage(format!("no customer has the code {code}")))
}

fn cents(value: &Value, field: &str) -> i64 {
    value.get(field).and_then(Value::as_i64).unwrap_or(0)
}

/// Reads what the statement shows from the server.
pub async fn gather(
    api: &ApiClient,
    args: &StatementArgs,
    from: Month,
    to: Month,
) -> Result<Statement, CliError> {
    let customer = customer_by_code(api, &args.customer).await?;
    let customer_id = record_id(&customer).to_string();
    let services: HashMap<String, String> = every(api, Collection::Services, &[])
        .await?
        .iter()
        .map(|s| (record_id(s).to_string(), without_controls(text(s, "name"))))
        .collect();
    let service_name = |id: &str| services.get(id).cloned().unwrap_or_else(|| id.to_string());

    let view = api
        .view(&ViewCall::Budget {
            customer_id: customer_id.clone(),
            year: args.year,
        })
        .await?;
    let mut budget: Vec<BudgetRow> = view
        .get("services")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|row| BudgetRow {
                    service: service_name(
                        row.get("service_id").and_then(Value::as_str).unwrap_or(""),
                    ),
                    planned_cents: cents(row, "planned_cents"),
                    charged_cents: cents(row, "charged_cents"),
                    remaining_cents: cents(row, "remaining_cents"),
                    forecast_cents: cents(row, "forecast_cents"),
                })
                .collect()
        })
        .unwrap_or_default();
    budget.sort_by(|a, b| a.service.cmp(&b.service));

    let mut charges: Vec<ChargeRow> =
        every(api, Collection::Usage, &[("customer_id", &customer_id)])
            .await?
            .iter()
            .filter(|u| Month::parse(text(u, "month")).is_some_and(|m| (from..=to).contains(&m)))
            .map(|u| ChargeRow {
                service: service_name(text(u, "service_id")),
                month: text(u, "month").to_string(),
                quantity: u.get("quantity").and_then(Value::as_i64).unwrap_or(0),
                unit_price_cents: u
                    .get("unit_price_cents")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                amount_cents: u.get("amount_cents").and_then(Value::as_i64).unwrap_or(0),
                program: u
                    .get("program")
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
                    .map(without_controls),
            })
            .collect();
    charges.sort_by(|a, b| {
        (&a.month, &a.service, &a.program).cmp(&(&b.month, &b.service, &b.program))
    });
    let mut by_program: BTreeMap<Option<String>, i64> = BTreeMap::new();
    for charge in &charges {
        *by_program.entry(charge.program.clone()).or_insert(0) += charge.amount_cents;
    }
    // Named programs by name, the unallocated last.
    let (unallocated, named): (Vec<_>, Vec<_>) = by_program
        .into_iter()
        .partition(|(program, _)| program.is_none());
    let programs = named.into_iter().chain(unallocated).collect();

    let mut levels = Vec::new();
    let mut agreements = every(
        api,
        Collection::Agreements,
        &[("customer_id", &customer_id)],
    )
    .await?;
    agreements.sort_by(|a, b| text(a, "title").cmp(text(b, "title")));
    for agreement in &agreements {
        let attainment = api
            .view(&ViewCall::Attainment {
                agreement_id: record_id(agreement).to_string(),
                from: from.to_string(),
                to: to.to_string(),
            })
            .await?;
        let title = without_controls(text(agreement, "title"));
        for level in attainment
            .get("levels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            levels.push(level_row(&title, level));
        }
    }
    Ok(Statement {
        customer_code: without_controls(text(&customer, "code")),
        customer_name: without_controls(text(&customer, "name")),
        year: args.year,
        period: if from == to {
            from.to_string()
        } else {
            args.year.to_string()
        },
        budget,
        charges,
        programs,
        levels,
    })
}

/// One level of an agreement's attainment over the period.
fn level_row(agreement: &str, level: &Value) -> LevelRow {
    let word =
        |field: &str| without_controls(level.get(field).and_then(Value::as_str).unwrap_or(""));
    let sign = if word("better") == "lower" {
        "≤"
    } else {
        "≥"
    };
    let target = level
        .get("target")
        .map(Value::to_string)
        .unwrap_or_default();
    let months: Vec<&Value> = level
        .get("months")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let measured: Vec<&&Value> = months
        .iter()
        .filter(|m| m.get("met").is_some_and(Value::is_boolean))
        .collect();
    let missed: Vec<String> = measured
        .iter()
        .filter(|m| m.get("met") == Some(&Value::Bool(false)))
        .map(|m| {
            m.get("month")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    LevelRow {
        agreement: agreement.to_string(),
        metric: word("metric"),
        target: format!("{sign} {target} {}", word("unit"))
            .trim_end()
            .to_string(),
        measured: measured.len(),
        met: measured.len() - missed.len(),
        missed,
    }
}

#[cfg(test)]
mod tests;
