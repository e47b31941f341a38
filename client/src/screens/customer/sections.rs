//! The lines of each section but the budget: the overview, contacts,
//! agreements with their levels and attainment (met/missed at a glance),
//! the plan's timeline, RFCs, improvements, notices and meetings. Every text from a record
//! goes through [`clean`].

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

use super::plan::{self, When};
use super::{CustomerState, Part, Section, clean};
use crate::api::{Record, text};
use crate::components::detail::{field_line, list_text};
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;

/// A `label: value` line with the value cleaned.
fn fact(label: &str, value: &str) -> Line<'static> {
    field_line(label, clean(value))
}

/// The overview: what the customer is and does, its status, purchaser and team.
pub fn overview(state: &CustomerState, ctx: &DrawCtx) -> Vec<Line<'static>> {
    let Some(customer) = &state.customer else {
        let note = match &state.customer_load {
            Remote::Failed(error) => clean(error),
            Remote::Loaded | Remote::Idle => {
                "no customer opened: Enter on the Customers board".to_string()
            }
            Remote::Loading(_) => strings::LOADING.to_string(),
        };
        return vec![Line::styled(note, ctx.env.theme.muted)];
    };
    let lookup = ctx.lookup;
    let mut lines = vec![
        fact("Kind", text(customer, "kind")),
        fact("Status", text(customer, "status")),
        fact(
            "Purchaser",
            &lookup.name_of(customer, "purchaser_contact_id"),
        ),
    ];
    match lookup.teams.get(text(customer, "team_id")) {
        Some(team) => {
            lines.push(fact("Team", text(team, "name")));
            lines.push(fact(strings::TEAM_BRM, &lookup.name_of(team, "brm_id")));
            lines.push(fact(
                strings::TEAM_DM,
                &lookup.name_of(team, "delivery_manager_id"),
            ));
        }
        None => lines.push(fact("Team", strings::DETAIL_NO_TEAM)),
    }
    if let Some(trend) = state.satisfaction.as_ref().and_then(satisfaction_trend) {
        lines.push(fact("Satisfaction", &trend));
    }
    let description = text(customer, "description");
    if !description.is_empty() {
        lines.push(Line::default());
        lines.extend(description.lines().map(|l| Line::from(clean(l))));
    }
    lines
}

/// One bar per survey of a satisfaction trend (`items` with a `mean` from
/// 1 to 5), `·` for a survey without a scored answer.
pub fn sparkline(items: &[Value]) -> String {
    const BARS: [char; 8] = [
        '\u{2581}', '\u{2582}', '\u{2583}', '\u{2584}', '\u{2585}', '\u{2586}', '\u{2587}',
        '\u{2588}',
    ];
    items
        .iter()
        .map(|item| match item.get("mean").and_then(Value::as_f64) {
            Some(mean) => {
                let share = ((mean - 1.0) / 4.0).clamp(0.0, 1.0);
                BARS[(share * 7.0).round() as usize]
            }
            None => '\u{b7}',
        })
        .collect()
}

/// The customer's satisfaction over its surveys: a sparkline of the means
/// (1 to 5, one bar per survey, `·` where a survey had no scored answer)
/// and the latest survey's mean and NPS, in words and figures so it reads
/// without colour; `None` before any survey past its draft.
pub fn satisfaction_trend(view: &Value) -> Option<String> {
    let items = view.get("items").and_then(Value::as_array)?;
    let latest = items.last()?;
    let spark = sparkline(items);
    let figure = |field: &str| {
        latest
            .get(field)
            .and_then(Value::as_f64)
            .map_or_else(|| "-".to_string(), |value| format!("{value:.2}"))
    };
    let title = latest
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some(format!(
        "{spark} latest mean {} NPS {} ({})",
        figure("mean"),
        figure("nps"),
        clean(title)
    ))
}

/// A section's lines and the index of its selected line.
pub fn lines(
    state: &CustomerState,
    ctx: &DrawCtx,
    section: Section,
) -> (Vec<Line<'static>>, usize) {
    let Some(part) = state.part(section) else {
        return (overview(state, ctx), 0);
    };
    if part.items.is_empty() {
        let note = match &part.load {
            Remote::Failed(error) => clean(error),
            Remote::Loaded => format!("no {}", section.title().to_lowercase()),
            _ => strings::LOADING.to_string(),
        };
        return (vec![Line::styled(note, ctx.env.theme.muted)], 0);
    }
    if section == Section::Plan {
        return timeline(state, ctx);
    }
    let mut lines = Vec::new();
    let mut selected = 0;
    for (index, record) in part.items.iter().enumerate() {
        if index == part.row {
            selected = lines.len();
        }
        let rows = match section {
            Section::Contacts => contact(record),
            Section::Agreements => agreement(state, ctx, record),
            Section::Notices => vec![Line::from(format!(
                "{} · {} · {}",
                clean(text(record, "text").lines().next().unwrap_or("")),
                clean(&text(record, "kind").replace('_', " ")),
                clean(&crate::screens::notices::window(record, ctx.env.zone))
            ))],
            Section::Meetings => vec![Line::from(crate::screens::meetings::summary(
                record,
                ctx.env.zone,
            ))],
            Section::Rfcs => vec![Line::from(format!(
                "{} · {} · {}",
                clean(text(record, "title")),
                clean(text(record, "status")),
                clean(text(record, "priority"))
            ))],
            _ => vec![Line::from(format!(
                "{} · {}",
                clean(text(record, "description").lines().next().unwrap_or("")),
                clean(text(record, "status"))
            ))],
        };
        lines.extend(mark(rows, index == part.row, ctx));
    }
    (lines, selected)
}

/// Marks a record's lines as selected (or not).
fn mark(rows: Vec<Line<'static>>, selected: bool, ctx: &DrawCtx) -> Vec<Line<'static>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, line)| {
            let lead = match (i, selected) {
                (0, true) => "▶ ",
                _ => "  ",
            };
            let mut spans = vec![Span::raw(lead)];
            spans.extend(line.spans);
            let style = if selected {
                ctx.env.theme.selected
            } else {
                Style::default()
            };
            Line::from(spans).style(style)
        })
        .collect()
}

fn contact(record: &Record) -> Vec<Line<'static>> {
    let mut facts = vec![clean(text(record, "name"))];
    for field in ["title", "role", "email", "phone"] {
        let value = text(record, field);
        if !value.is_empty() {
            facts.push(clean(value));
        }
    }
    vec![Line::from(facts.join(" · "))]
}

/// An agreement: its title and status, then one line per level with the
/// months measured (✓ met, ✗ missed, · nothing measured) and the share met.
fn agreement(state: &CustomerState, ctx: &DrawCtx, record: &Record) -> Vec<Line<'static>> {
    let theme = ctx.env.theme;
    let mut head = format!(
        "{} · {}",
        clean(text(record, "title")),
        clean(text(record, "status"))
    );
    let to = text(record, "valid_to");
    if !to.is_empty() {
        head.push_str(&format!(" · to {}", clean(to)));
    }
    if record.get("review_due").and_then(Value::as_bool) == Some(true) {
        head.push_str(" · review due");
    }
    let services = list_text(record, "service_ids", |id| ctx.lookup.name(id));
    if !services.is_empty() {
        head.push_str(&format!(" · {}", clean(&services)));
    }
    let mut lines = vec![Line::from(head)];
    let view = super::replies::attainment(state, record);
    let levels = record
        .get("levels")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for level in &levels {
        let metric = level.get("metric").and_then(Value::as_str).unwrap_or("");
        let mut spans = vec![Span::raw(format!(
            "  {} {} {} {} ",
            clean(metric),
            if level.get("better").and_then(Value::as_str) == Some("lower") {
                "≤"
            } else {
                "≥"
            },
            level
                .get("target")
                .map(Value::to_string)
                .unwrap_or_default(),
            clean(level.get("unit").and_then(Value::as_str).unwrap_or("")),
        ))];
        let measured = view
            .and_then(|v| v.get("levels"))
            .and_then(Value::as_array)
            .and_then(|ls| {
                ls.iter()
                    .find(|l| l.get("metric").and_then(Value::as_str) == Some(metric))
            });
        match measured {
            Some(measured) => {
                let months = measured
                    .get("months")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for month in &months {
                    spans.push(match month.get("met").and_then(Value::as_bool) {
                        Some(true) => Span::styled("✓", theme.ok),
                        Some(false) => Span::styled("✗", theme.error),
                        None => Span::styled("·", theme.muted),
                    });
                }
                if let Some(share) = measured.get("met_share").and_then(Value::as_f64) {
                    spans.push(Span::raw(format!(" {:.0}% met", share * 100.0)));
                }
            }
            None => spans.push(Span::styled("…", theme.muted)),
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The plan as a timeline: a heading per horizon, a sub-heading per
/// group (overdue, this month, ...), then the activities.
fn timeline(state: &CustomerState, ctx: &DrawCtx) -> (Vec<Line<'static>>, usize) {
    let theme = ctx.env.theme;
    let part: &Part = &state.activities;
    let mut lines = Vec::new();
    let mut selected = 0;
    let mut at: Option<(Option<rapport_shared::records::Horizon>, Option<When>)> = None;
    for (position, row) in plan::timeline(&part.items, state.today).iter().enumerate() {
        if at.map(|(h, _)| h) != Some(row.horizon) {
            lines.push(Line::styled(plan::horizon_label(row.horizon), theme.header));
            at = Some((row.horizon, None));
        }
        if at.and_then(|(_, w)| w) != Some(row.when) {
            let style = if row.when == When::Overdue {
                theme.error
            } else {
                theme.muted
            };
            lines.push(Line::styled(format!(" {}", row.when.label()), style));
            at = Some((row.horizon, Some(row.when)));
        }
        let Some(activity) = part.items.get(row.index) else {
            continue;
        };
        if position == part.row {
            selected = lines.len();
        }
        let dates = match (text(activity, "starts_on"), text(activity, "ends_on")) {
            ("", "") => String::new(),
            (start, "") => format!("from {}", clean(start)),
            ("", end) => format!("by {}", clean(end)),
            (start, end) => format!("{}..{}", clean(start), clean(end)),
        };
        let line = Line::from(format!(
            "{} · {} · {}",
            clean(text(activity, "title")),
            clean(text(activity, "status")),
            dates
        ));
        lines.extend(mark(vec![line], position == part.row, ctx));
    }
    (lines, selected)
}

#[cfg(test)]
mod satisfaction_tests {
    use super::satisfaction_trend;
    use serde_json::json;

    #[test]
    fn the_trend_draws_each_survey_and_tells_the_latest_in_figures() {
        let view = json!({"items": [
            {"title": "A", "mean": 1.0, "nps": -50.0},
            {"title": "B", "mean": null, "nps": 10.0},
            {"title": "C\u{1b}[2J", "mean": 5.0, "nps": null},
        ]});
        assert_eq!(
            satisfaction_trend(&view).as_deref(),
            Some("\u{2581}\u{b7}\u{2588} latest mean 5.00 NPS - (C?[2J)")
        );
        assert_eq!(satisfaction_trend(&json!({"items": []})), None);
        assert_eq!(satisfaction_trend(&json!({})), None);
    }
}
