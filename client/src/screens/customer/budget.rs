//! The budget section's rows: planned against charged per service (with a
//! bar), one service's months, one month's usage lines, or charged per
//! program — whichever the drill-down shows. Update selects among these
//! rows and drawing draws them, so both agree on what Enter opens.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

use super::{CustomerState, Drill, clean};
use crate::api::text;
use crate::lookup::Lookup;
use crate::remote::Remote;
use crate::theme::Theme;

/// Cells of a budget bar.
pub const BAR_CELLS: usize = 16;

/// One row of the budget as drilled into.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    /// What Enter drills into: the service id, the month, the usage id or
    /// the program.
    pub key: String,
    pub planned: Option<i64>,
    pub charged: i64,
    /// A usage line's quantity and unit price.
    pub usage: Option<(i64, i64)>,
    pub program: String,
}

fn cents(value: &Value, field: &str) -> i64 {
    value.get(field).and_then(Value::as_i64).unwrap_or(0)
}

/// The services of the budget view.
fn services(state: &CustomerState) -> &[Value] {
    state
        .budget
        .view
        .as_ref()
        .and_then(|v| v.get("services"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The rows the budget shows at its current depth.
pub fn budget_rows(state: &CustomerState) -> Vec<BudgetRow> {
    let service = |id: &str| {
        services(state)
            .iter()
            .find(|s| s.get("service_id").and_then(Value::as_str) == Some(id))
    };
    match &state.budget.drill {
        Drill::Services => services(state)
            .iter()
            .map(|s| BudgetRow {
                key: s
                    .get("service_id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                planned: Some(cents(s, "planned_cents")),
                charged: cents(s, "charged_cents"),
                usage: None,
                program: String::new(),
            })
            .collect(),
        Drill::Service(id) => service(id)
            .and_then(|s| s.get("months"))
            .and_then(Value::as_object)
            .map(|months| {
                let mut rows: Vec<BudgetRow> = months
                    .iter()
                    .map(|(month, charged)| BudgetRow {
                        key: month.clone(),
                        planned: None,
                        charged: charged.as_i64().unwrap_or(0),
                        usage: None,
                        program: String::new(),
                    })
                    .collect();
                rows.sort_by(|a, b| a.key.cmp(&b.key));
                rows
            })
            .unwrap_or_default(),
        Drill::Month(..) => state
            .budget
            .usage
            .items
            .iter()
            .map(|u| BudgetRow {
                key: crate::api::record_id(u).to_string(),
                planned: None,
                charged: u.get("amount_cents").and_then(Value::as_i64).unwrap_or(0),
                usage: Some((
                    u.get("quantity").and_then(Value::as_i64).unwrap_or(0),
                    u.get("unit_price_cents")
                        .and_then(Value::as_i64)
                        .unwrap_or(0),
                )),
                program: text(u, "program").to_string(),
            })
            .collect(),
        Drill::Programs => state
            .budget
            .view
            .as_ref()
            .and_then(|v| v.get("programs"))
            .and_then(Value::as_array)
            .map(|programs| {
                programs
                    .iter()
                    .map(|p| BudgetRow {
                        key: p
                            .get("program")
                            .and_then(Value::as_str)
                            .unwrap_or("unallocated")
                            .to_string(),
                        planned: None,
                        charged: cents(p, "charged_cents"),
                        usage: None,
                        program: String::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Cents as money: `1 234.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// A bar of `charged` against `planned`: filled to the share charged,
/// drawn as over budget when charged exceeds planned.
pub fn bar(planned: i64, charged: i64, theme: &Theme) -> Span<'static> {
    let full = planned.max(charged).max(1) as f64;
    let filled = ((charged as f64 / full) * BAR_CELLS as f64).round() as usize;
    let filled = filled.min(BAR_CELLS);
    let text = format!("{}{}", "█".repeat(filled), "·".repeat(BAR_CELLS - filled));
    let style = if charged > planned {
        theme.error
    } else {
        theme.ok
    };
    Span::styled(text, style)
}

/// The budget section's heading line (where the drill-down stands).
pub fn heading(state: &CustomerState, lookup: &Lookup) -> String {
    let year = state.today.year();
    match &state.budget.drill {
        Drill::Services => format!("Budget {year}: planned against charged per service"),
        Drill::Programs => format!("Budget {year}: charged per program"),
        Drill::Service(id) => format!(
            "Budget {year} › {}: monthly charges",
            clean(&lookup.name(id))
        ),
        Drill::Month(id, month) => {
            format!(
                "Budget {year} › {} › {}: usage lines",
                clean(&lookup.name(id)),
                clean(month)
            )
        }
    }
}

/// The budget's lines and the index of the selected row among them.
pub fn lines(state: &CustomerState, lookup: &Lookup, theme: &Theme) -> (Vec<Line<'static>>, usize) {
    let mut lines = vec![Line::styled(heading(state, lookup), theme.header)];
    let budget = &state.budget;
    let load = match &budget.drill {
        Drill::Month(..) => &budget.usage.load,
        _ => &budget.load,
    };
    if let Some(view) = &budget.view
        && matches!(budget.drill, Drill::Services)
    {
        lines.push(Line::from(format!(
            "planned {}  charged {}  difference {}",
            money(cents(view, "planned_cents")),
            money(cents(view, "charged_cents")),
            money(cents(view, "difference_cents")),
        )));
    }
    let rows = budget_rows(state);
    if rows.is_empty() {
        let note = match load {
            Remote::Failed(error) => clean(error),
            Remote::Loaded => "nothing charged or planned".to_string(),
            _ => crate::strings::LOADING.to_string(),
        };
        lines.push(Line::styled(note, theme.muted));
        return (lines, 0);
    }
    let first = lines.len();
    for (index, row) in rows.iter().enumerate() {
        let mark = if index == budget.row { "▶ " } else { "  " };
        let mut spans = vec![Span::raw(mark)];
        match (&budget.drill, row.planned, row.usage) {
            (Drill::Services, Some(planned), _) => {
                spans.push(Span::raw(format!(
                    "{:<22.22} ",
                    clean(&lookup.name(&row.key))
                )));
                spans.push(bar(planned, row.charged, theme));
                spans.push(Span::raw(format!(
                    " {} / {}",
                    money(row.charged),
                    money(planned)
                )));
            }
            (_, _, Some((quantity, price))) => spans.push(Span::raw(format!(
                "{quantity} × {} = {}  {}",
                money(price),
                money(row.charged),
                if row.program.is_empty() {
                    "unallocated".to_string()
                } else {
                    clean(&row.program)
                }
            ))),
            _ => spans.push(Span::raw(format!(
                "{:<22.22} {}",
                clean(&row.key),
                money(row.charged)
            ))),
        }
        let style = if index == budget.row {
            theme.selected
        } else {
            Style::default()
        };
        lines.push(Line::from(spans).style(style));
    }
    (lines, first + budget.row)
}
