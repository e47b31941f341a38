//! Drawing a survey's results: a heading with responses against invited,
//! the questions (a bar per scale value, the NPS split as one bar), the
//! customers worst first with their trend, and the comments. Every text
//! from a record is cleaned; figures are written out, so the view reads
//! without colour. What sits below the heading is built as rows already
//! wrapped to the width ([`body`]), so the screen knows how far it
//! scrolls and where each comment is; the bottom border says when there
//! is more above or below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use serde_json::Value;

use super::SurveyResultsScreen;
use crate::api::{text, without_controls};
use crate::components::detail::wrap_words;
use crate::keymap::Action;
use crate::screens::DrawCtx;
use crate::screens::customer::sections::sparkline;
use crate::strings;
use crate::theme::Theme;

/// Cells of the longest distribution bar and of the NPS bar.
pub const BAR_CELLS: usize = 10;
pub const NPS_CELLS: usize = 20;

/// From this width (the screen's) the questions and the customers sit
/// side by side.
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

fn question_lines(screen: &SurveyResultsScreen, theme: &Theme, width: usize) -> Vec<Line<'static>> {
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
        for row in wrap_words(&without_controls(&label), width) {
            lines.push(Line::styled(row, theme.title));
        }
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
            _ => lines.push(Line::styled(
                format!(
                    "  {}",
                    strings::count_of(usize::try_from(count).unwrap_or(usize::MAX), "comment")
                ),
                theme.muted,
            )),
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

/// The comments, each wrapped to `width` with the customer after it;
/// also the row (from the heading of the comments) where each begins.
fn comment_lines(
    screen: &SurveyResultsScreen,
    ctx: &DrawCtx,
    theme: &Theme,
    width: usize,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut lines = vec![Line::styled(
        format!("Comments ({}), newest first", screen.comments.len()),
        theme.header,
    )];
    let mut starts = Vec::new();
    for (index, comment) in screen.comments.iter().enumerate() {
        starts.push(lines.len());
        let customer = without_controls(&ctx.lookup.name(&text_of(comment, "customer_id")));
        let said = without_controls(&text_of(comment, "text"));
        let (marker, style): (&str, Style) = if index == screen.comment {
            ("\u{25b6} ", theme.selected)
        } else {
            ("  ", theme.base)
        };
        let quoted = format!("\u{201c}{said}\u{201d}");
        let mut rows = wrap_words(&quoted, width.saturating_sub(2)).into_iter();
        let first = rows.next().unwrap_or_default();
        let mut spans = vec![Span::styled(format!("{marker}{first}"), style)];
        for row in rows {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::styled(format!("  {row}"), style));
        }
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let customer = format!("  {customer}");
        if used + customer.chars().count() > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
        }
        spans.push(Span::styled(customer, theme.muted));
        lines.push(Line::from(spans));
    }
    (lines, starts)
}

/// What the results show below the heading, as rows: one column, or
/// from [`SIDE_BY_SIDE`] columns the questions beside the customers and
/// the comments.
pub struct Body {
    pub columns: Vec<Vec<Line<'static>>>,
    /// The first row and the row count of each comment.
    pub comments: Vec<(usize, usize)>,
}

impl Body {
    /// The rows the longest column takes.
    pub fn rows(&self) -> usize {
        self.columns.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// The rows below the heading for an area `width` columns wide (inside
/// the border).
pub fn body(screen: &SurveyResultsScreen, ctx: &DrawCtx, width: u16) -> Body {
    let theme = ctx.env.theme;
    let side_by_side = width + 2 >= SIDE_BY_SIDE;
    let column = usize::from(if side_by_side { width / 2 } else { width }).max(1);
    let questions = question_lines(screen, theme, column);
    let mut right = customer_lines(screen, ctx, theme);
    right.push(Line::default());
    let (comments, starts) = comment_lines(screen, ctx, theme, column);
    let (mut columns, offset) = if side_by_side {
        let offset = right.len();
        (vec![questions, right], offset)
    } else {
        let mut all = questions;
        all.push(Line::default());
        all.extend(right);
        let offset = all.len();
        (vec![all], offset)
    };
    let total = comments.len();
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(total));
    let comments_at = starts
        .iter()
        .zip(ends)
        .map(|(start, end)| (offset + start, end - start))
        .collect();
    if let Some(last) = columns.last_mut() {
        last.extend(comments);
    }
    Body {
        columns,
        comments: comments_at,
    }
}

/// The heading: the period, the status and responses against invited
/// (nothing until the survey and its figures are in).
fn heading(screen: &SurveyResultsScreen) -> Vec<Line<'static>> {
    let (Some(survey), Some(results)) = (&screen.survey, &screen.results) else {
        return Vec::new();
    };
    let rate =
        number(results, "response_rate").map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
    vec![Line::from(format!(
        "{} \u{2013} {}  {}  responses {} of {} invited ({rate})",
        text(survey, "period_start"),
        text(survey, "period_end"),
        text(survey, "status"),
        results
            .get("responses")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        results.get("invited").and_then(Value::as_u64).unwrap_or(0),
    ))]
}

/// Where the heading and the scrolled body go inside the border of `area`.
fn split(screen: &SurveyResultsScreen, area: Rect) -> (Rect, Rect) {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let [top, rest] = Layout::vertical([
        Constraint::Length(heading(screen).len() as u16 + 1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    (top, rest)
}

/// The scrolled body's place on a terminal of `size` (update reads it to
/// scroll by pages and keep the selected comment in view).
pub fn body_area(screen: &SurveyResultsScreen, size: (u16, u16)) -> Rect {
    split(screen, crate::layout::of_size(size).body).1
}

/// Draws the results into `area`, the body scrolled down `screen.scroll`
/// rows (as far as there is more).
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, screen: &SurveyResultsScreen, area: Rect) {
    let theme = ctx.env.theme;
    let title = screen
        .survey
        .as_ref()
        .map(|s| without_controls(text(s, "title")))
        .unwrap_or_else(|| strings::TAB_SURVEY_RESULTS.to_string());
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(format!(" {title} "), theme.title));
    if screen.survey_id.is_none() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new(strings::SURVEY_RESULTS_PICK).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let (top, rest) = split(screen, area);
    let body = body(screen, ctx, rest.width);
    let visible = usize::from(rest.height);
    let scroll = screen.scroll.min(body.rows().saturating_sub(visible));
    let more = strings::results_more(
        scroll > 0,
        scroll + visible < body.rows(),
        &ctx.first_key(Action::HalfPageDown),
        &ctx.first_key(Action::HalfPageUp),
    );
    if !more.is_empty() {
        block = block.title_bottom(Line::styled(format!(" {more} "), theme.accent).right_aligned());
    }
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(heading(screen)), top);
    let widths = vec![Constraint::Fill(1); body.columns.len().max(1)];
    let areas = Layout::horizontal(widths).split(rest);
    let offset = u16::try_from(scroll).unwrap_or(u16::MAX);
    for (lines, column) in body.columns.into_iter().zip(areas.iter()) {
        frame.render_widget(Paragraph::new(lines).scroll((offset, 0)), *column);
    }
}
