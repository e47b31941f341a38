//! `rapport agenda [--days 7]`: the signed-in staff member's days ahead,
//! by day (meetings, agreement reviews and expiries, activity milestones,
//! notices reaching their customers, their open actions due, the overdue
//! ones first), then the customers of their teams whose health changed
//! since they last looked. What was seen is kept in the data directory
//! (`health-seen.json`), written after the report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use super::{CliError, Output, Report};
use crate::api::views::ViewCall;
use crate::api::{ApiClient, text, without_controls};
use rapport_shared::Collection;

/// The longest look ahead the server gives.
const MAX_DAYS: i64 = 62;

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct AgendaArgs {
    /// How many days, today included (1 to 62).
    #[arg(long, default_value_t = 7)]
    pub days: i64,
    /// Where the health last seen is kept (default: the data directory).
    #[arg(long, value_name = "FILE")]
    pub seen_file: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

/// Builds the week and records the health seen.
pub async fn run(api: &ApiClient, args: &AgendaArgs) -> Result<Report, CliError> {
    if !(1..=MAX_DAYS).contains(&args.days) {
        return Err(CliError::Usage(format!(
            "--days {} is not from 1 to {MAX_DAYS}",
            args.days
        )));
    }
    let week = api.view(&ViewCall::WeekAhead { days: args.days }).await?;
    let mut labels = BTreeMap::new();
    for customer in api.list_all(Collection::Customers, &[]).await? {
        labels.insert(
            crate::api::record_id(&customer).to_string(),
            format!("{} {}", text(&customer, "code"), text(&customer, "name")),
        );
    }
    let seen_file = args
        .seen_file
        .clone()
        .or_else(crate::config::default_seen_file);
    let seen: BTreeMap<String, String> = seen_file
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let (text, now_seen) = render(&week, &labels, &seen);
    if let Some(path) = &seen_file {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::write(
                    path,
                    serde_json::to_string_pretty(&now_seen).unwrap_or_default(),
                )
            });
        if let Err(error) = written {
            return Err(CliError::Failed(format!(
                "cannot keep what was seen in {}: {error}",
                path.display()
            )));
        }
    }
    Ok(Report {
        text,
        summary: None,
    })
}

/// The week as text, and the health states now seen.
pub fn render(
    week: &Value,
    labels: &BTreeMap<String, String>,
    seen: &BTreeMap<String, String>,
) -> (String, BTreeMap<String, String>) {
    let words = |value: &Value, name: &str| {
        without_controls(value.get(name).and_then(Value::as_str).unwrap_or_default())
    };
    let mut out = format!(
        "Week ahead, {} to {}\n",
        words(week, "from"),
        words(week, "to")
    );
    for day in week
        .get("days")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let date = words(day, "date");
        let weekday = rapport_shared::fields::parse_date(&date)
            .map(|d| d.strftime("%a").to_string())
            .unwrap_or_default();
        out.push_str(&format!("\n{weekday} {date}\n"));
        let items: Vec<&Value> = day
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if items.is_empty() {
            out.push_str("  nothing\n");
        }
        for item in items {
            let customer = item
                .get("customer_id")
                .and_then(Value::as_str)
                .and_then(|id| labels.get(id))
                .map(|label| format!(" — {}", without_controls(label)))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {:<15} {}{customer}\n",
                words(item, "kind").replace('_', " "),
                words(item, "title")
            ));
        }
    }
    let mut now_seen = seen.clone();
    let mut changed = Vec::new();
    for customer in week
        .get("customers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = words(customer, "customer_id");
        let state = words(customer, "state");
        match seen.get(&id) {
            Some(before) if *before != state => changed.push(format!(
                "  {}: {before} -> {state}",
                without_controls(labels.get(&id).unwrap_or(&id))
            )),
            _ => {}
        }
        now_seen.insert(id, state);
    }
    out.push_str("\nHealth changed since you last looked\n");
    if changed.is_empty() {
        out.push_str("  none\n");
    }
    for line in changed {
        out.push_str(&line);
        out.push('\n');
    }
    (out, now_seen)
}
