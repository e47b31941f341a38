//! Drawing a survey's results: a heading with responses against invited,
//! the questions (a bar per scale value, the NPS split as one bar), the
//! customers worst first with their trend, and the comments. Every text
//! from a record is cleaned; figures are written out, so the view reads
//! without colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use serde_json::Value;

use super::SurveyResultsScreen;
use crate::api::{text, without_controls};
use crate::screens::DrawCtx;
use crate::screens::customer::sections::sparkline;
use crate::strings;
use crate::theme::Theme;

/// Cells of the longest distribution bar and of the NPS bar.
pub const BAR_CELLS: usize = 10;
pub const NPS_CELLS: usize = 20;

/// From this width the questions and the customers sit side by side.
const SIDE_BY_SIDE: u16 = 120;

fn number(value: &Value, field: &str) -> Option<f64> {
    value.get(field).and_then(Value::as_f64)
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// A question's distribution, by numeric value.
fn distribution(question: &Value) -> Vec<(i64, u64)> {
    let mut values: Vec<(i64, u64)> = question
        .get("distribution")
        .and_then(Value::as_object)
        .map(|d| {
            d.iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_u64().unwrap_or(0))))
                .collect()
        })
        .unwrap_or_default();
    values.sort();
    values
}

/// Promoters (9-10), passives (7-8) and detractors (0-6) of an NPS question.
pub fn nps_split(question: &Value) -> (u64, u64, u64) {
    distribution(question)
        .into_iter()
        .fold((0, 0, 0), |(p, n, d), (value, count)| match value {
            9..=10 => (p + count, n, d),
            7..=8 => (p, n + count, d),
            _ => (p, n, d + count),
        })
}

/// The NPS split drawn as one bar: promoters `█`, passives `▒`,
/// detractors `░`, each its share of the cells.
pub fn nps_bar(split: (u64, u64, u64), theme: &Theme) -> Vec<Span<'static>> {
    let (promoters, passives, detractors) = split;
    let total = (promoters + passives + detractors).max(1) as f64;
    let cells = |count: u64| ((count as f64 / total) * NPS_CELLS as f64).round() as usize;
    let (p, n) = (cells(promoters), cells(passives));
    let d = NPS_CELLS.saturating_sub(p + n);
    vec![
        Span::styled("\u{2588}".repeat(p), theme.ok),
        Span::styled("\u{2592}".repeat(n), theme.muted),
        Span::styled(
            "\u{2591}".repeat(if detractors == 0 { 0 } else { d }),
            theme.error,
        ),
    ]
}

fn question_lines(screen: &SurveyResultsScreen, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some(results) = &screen.results else {
        lines.push(Line::styled(strings::LOADING, theme.muted));
        return lines;
    };
    let questions = results
        .get("questions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let texts: Vec<(String, String)> = screen
        .survey
        .as_ref()
        .and_then(|s| s.get("questions"))
        .and_then(Value::as_array)
        .map(|qs| {
            qs.iter()
                .map(|q| (text_of(q, "id"), without_controls(&text_of(q, "text"))))
                .collect()
        })
        .unwrap_or_default();
    for question in &questions {
        let id = text_of(question, "id");
        let label = texts
            .iter()
            .find(|(qid, _)| *qid == id)
            .map_or(id.clone(), |(_, t)| t.clone());
        let count = question.get("count").and_then(Value::as_u64).unwrap_or(0);
        let kind = text_of(question, "kind");
        lines.push(Line::styled(without_controls(&label), theme.title));
        if count == 0 {
            lines.push(Line::styled(
                format!("  {}", strings::SURVEY_NOBODY),
                theme.muted,
            ));
            continue;
        }
        match kind.as_str() {
            "scale5" => {
                let values = distribution(question);
                let most = values.iter().map(|(_, c)| *c).max().unwrap_or(1).max(1);
                let mut spans = vec![Span::raw(format!(
                    "  mean {}  ",
                    figure(number(question, "mean"))
                ))];
                for (value, n) in values {
                    let cells = ((n as f64 / most as f64) * BAR_CELLS as f64).round() as usize;
                    spans.push(Span::raw(format!("{value} ")));
                    spans.push(Span::styled("\u{2588}".repeat(cells), theme.accent));
                    spans.push(Span::styled(format!("{n} "), theme.muted));
                }
                lines.push(Line::from(spans));
            }
            "nps" => {
                let split = nps_split(question);
                let mut spans = vec![Span::raw(format!(
                    "  NPS {}  ",
                    figure(number(question, "nps"))
                ))];
                spans.extend(nps_bar(split, theme));
                spans.push(Span::raw(format!(
                    "  promoters {} passives {} detractors {}",
                    split.0, split.1, split.2
                )));
                lines.push(Line::from(spans));
            }
            _ => lines.push(Line::styled(format!("  {count} comments"), theme.muted)),
        }
    }
    lines
}

fn text_of(value: &Value, field: &str) -> String {
    value
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The customers, worst mean first (those without one last).
pub fn customers_worst_first(results: &Value) -> Vec<Value> {
    let mut customers = results
        .get("customers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    customers.sort_by(|a, b| {
        let key = |c: &Value| number(c, "mean").unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b))
    });
    customers
}

fn customer_lines(
    screen: &SurveyResultsScreen,
    ctx: &DrawCtx,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        "Customers, worst first    answered  mean   NPS  trend",
        theme.header,
    )];
    let Some(results) = &screen.results else {
        return lines;
    };
    for customer in customers_worst_first(results) {
        let id = text_of(&customer, "customer_id");
        let name = without_controls(&ctx.lookup.name(&id));
        let trend = screen
            .trends
            .get(&id)
            .and_then(|t| t.get("items"))
            .and_then(Value::as_array)
            .map(|items| sparkline(items))
            .unwrap_or_default();
        let mean = number(&customer, "mean");
        let style = match mean {
            Some(m) if m < 3.0 => theme.error,
            Some(m) if m >= 4.0 => theme.ok,
            _ => theme.base,
        };
        let answered = format!(
            "{}/{}",
            customer
                .get("responses")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            customer.get("invited").and_then(Value::as_u64).unwrap_or(0)
        );
        let name: String = name.chars().take(24).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<24} "), style),
            Span::raw(format!(
                "{answered:>9} {:>5} {:>6}  ",
                figure(mean),
                figure(number(&customer, "nps"))
            )),
            Span::styled(trend, theme.accent),
        ]));
    }
    lines
}

fn comment_lines(screen: &SurveyResultsScreen, ctx: &DrawCtx, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("Comments ({}), newest first", screen.comments.len()),
        theme.header,
    )];
    for (index, comment) in screen.comments.iter().enumerate() {
        let customer = without_controls(&ctx.lookup.name(&text_of(comment, "customer_id")));
        let said = without_controls(&text_of(comment, "text"));
        let (marker, style): (&str, Style) = if index == screen.comment {
            ("\u{25b6} ", theme.selected)
        } else {
            ("  ", theme.base)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}\u{201c}{said}\u{201d}"), style),
            Span::styled(format!("  {customer}"), theme.muted),
        ]));
    }
    lines
}

/// Draws the results into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, screen: &SurveyResultsScreen, area: Rect) {
    let theme = ctx.env.theme;
    let title = screen
        .survey
        .as_ref()
        .map(|s| without_controls(text(s, "title")))
        .unwrap_or_else(|| strings::TAB_SURVEY_RESULTS.to_string());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if screen.survey_id.is_none() {
        frame.render_widget(
            Paragraph::new(strings::SURVEY_RESULTS_PICK).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let mut heading = Vec::new();
    if let (Some(survey), Some(results)) = (&screen.survey, &screen.results) {
        let rate = number(results, "response_rate")
            .map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
        heading.push(Line::from(format!(
            "{} \u{2013} {}  {}  responses {} of {} invited ({rate})",
            text(survey, "period_start"),
            text(survey, "period_end"),
            text(survey, "status"),
            results
                .get("responses")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            results.get("invited").and_then(Value::as_u64).unwrap_or(0),
        )));
    }
    let [top, rest] = Layout::vertical([
        Constraint::Length(heading.len() as u16 + 1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(heading), top);
    let questions = question_lines(screen, theme);
    let mut right = customer_lines(screen, ctx, theme);
    right.push(Line::default());
    right.extend(comment_lines(screen, ctx, theme));
    if area.width >= SIDE_BY_SIDE {
        let [left_area, right_area] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(rest);
        frame.render_widget(Paragraph::new(questions), left_area);
        frame.render_widget(Paragraph::new(right).wrap(Wrap { trim: false }), right_area);
    } else {
        let mut all = questions;
        all.push(Line::default());
        all.extend(right);
        frame.render_widget(Paragraph::new(all).wrap(Wrap { trim: false }), rest);
    }
}
