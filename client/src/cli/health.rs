//! `rapport export health [--team NAME] [--format markdown|csv]`: the
//! portfolio in one table for the management meeting, worst first: each
//! customer's state and, per signal, its state and reason. CSV cells that
//! a spreadsheet would read as a formula are quoted with a leading `'`.

use std::collections::HashMap;

use clap::{Args, ValueEnum};
use rapport_shared::Collection;
use serde_json::Value;

use super::{CliError, Output, Report};
use crate::api::views::ViewCall;
use crate::api::{ApiClient, record_id, text, without_controls};

/// The signals, in the contract's order.
pub const SIGNALS: [&str; 6] = [
    "service_levels",
    "satisfaction",
    "budget",
    "rfc_backlog",
    "rhythm",
    "agreements",
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum HealthFormat {
    #[default]
    Markdown,
    Csv,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct HealthArgs {
    /// Only the customers of this team (its name, any case).
    #[arg(long)]
    pub team: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: HealthFormat,
    #[command(flatten)]
    pub output: Output,
}

/// One customer's line.
struct Line {
    code: String,
    name: String,
    team: String,
    state: String,
    /// Per signal: state and reason.
    signals: HashMap<String, (String, String)>,
}

/// Builds the portfolio.
pub async fn run(api: &ApiClient, args: &HealthArgs) -> Result<Report, CliError> {
    let teams: HashMap<String, String> = api
        .list_all(Collection::Teams, &[])
        .await?
        .iter()
        .map(|team| (record_id(team).to_string(), text(team, "name").to_string()))
        .collect();
    let team_id = match &args.team {
        None => None,
        Some(name) => Some(
            teams
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(name))
                .map(|(id, _)| id.clone())
                .ok_or_else(|| {
                    CliError::Usage(format!("no team is named {}", without_controls(name)))
                })?,
        ),
    };
    let mut customers = Vec::new();
    let mut offset = 0;
    loop {
        let page = api.view(&ViewCall::Portfolio { offset }).await?;
        let items = page
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        offset += items.len();
        customers.extend(items);
        if page.get("next_cursor").is_none_or(Value::is_null) {
            break;
        }
    }
    let mut lines = Vec::new();
    for customer in customers.iter().filter_map(Value::as_object) {
        let team = text(customer, "team_id").to_string();
        if team_id.as_ref().is_some_and(|id| *id != team) {
            continue;
        }
        let health = api
            .view(&ViewCall::Health {
                customer_id: record_id(customer).to_string(),
            })
            .await?;
        let signals = health
            .get("signals")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| {
                let word = |name: &str| {
                    s.get(name)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                };
                (word("name"), (word("state"), word("reason")))
            })
            .collect();
        lines.push(Line {
            code: text(customer, "code").to_string(),
            name: text(customer, "name").to_string(),
            team: teams.get(&team).cloned().unwrap_or_default(),
            state: health
                .get("state")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            signals,
        });
    }
    let text = match args.format {
        HealthFormat::Markdown => markdown(&lines),
        HealthFormat::Csv => csv(&lines)?,
    };
    Ok(Report {
        text,
        summary: Some(crate::strings::count_of(lines.len(), "customer")),
    })
}

fn markdown(lines: &[Line]) -> String {
    let cell = |text: &str| without_controls(text).replace('|', "\\|");
    let mut out = String::from("# Customer health\n\n| Customer | Team | State |");
    for signal in SIGNALS {
        out.push_str(&format!(" {} |", signal.replace('_', " ")));
    }
    out.push_str("\n|---|---|---|");
    out.push_str(&"---|".repeat(SIGNALS.len()));
    out.push('\n');
    for line in lines {
        out.push_str(&format!(
            "| {} {} | {} | **{}** |",
            cell(&line.code),
            cell(&line.name),
            cell(&line.team),
            cell(&line.state)
        ));
        for signal in SIGNALS {
            let (state, _) = line.signals.get(signal).cloned().unwrap_or_default();
            out.push_str(&format!(" {} |", cell(&state)));
        }
        out.push('\n');
    }
    out.push_str("\n## Why\n");
    for line in lines {
        out.push_str(&format!(
            "\n**{} {}** ({})\n",
            cell(&line.code),
            cell(&line.name),
            cell(&line.state)
        ));
        for signal in SIGNALS {
            if let Some((state, reason)) = line.signals.get(signal) {
                out.push_str(&format!(
                    "- {}: {} — {}\n",
                    signal.replace('_', " "),
                    cell(state),
                    cell(reason)
                ));
            }
        }
    }
    out
}

fn csv(lines: &[Line]) -> Result<String, CliError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "code".to_string(),
        "name".into(),
        "team".into(),
        "state".into(),
    ];
    for signal in SIGNALS {
        header.push(signal.to_string());
        header.push(format!("{signal}_reason"));
    }
    let failed = |error: csv::Error| CliError::Failed(format!("cannot write the CSV: {error}"));
    writer.write_record(&header).map_err(failed)?;
    for line in lines {
        let mut row = vec![
            super::csv_cell(&line.code),
            super::csv_cell(&line.name),
            super::csv_cell(&line.team),
            super::csv_cell(&line.state),
        ];
        for signal in SIGNALS {
            let (state, reason) = line.signals.get(signal).cloned().unwrap_or_default();
            row.push(super::csv_cell(&state));
            row.push(super::csv_cell(&reason));
        }
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| CliError::Failed(format!("cannot write the CSV: {error}")))?;
    String::from_utf8(bytes)
        .map_err(|error| CliError::Failed(format!("cannot write the CSV: {error}")))
}
