//! Drawing the week ahead: a heading, each day (its weekday and date, then
//! each item: kind, title, customer code; "nothing" for an empty day), and
//! the customers whose health changed since last shown with their states
//! as marks and words. From 120 columns the changes sit beside the days;
//! narrower, below them. The days scroll so the selected item shows.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use serde_json::Value;

use super::{WeekScreen, day_items, days};
use crate::layout::SIDE_BY_SIDE_WIDTH;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::screens::customer::clean;
use crate::screens::customer::health;
use crate::strings;

fn words<'a>(value: &'a Value, field: &str) -> &'a str {
    value.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// A customer's code as the lookup knows it (its label's first word), or
/// its id.
fn code(ctx: &DrawCtx, id: &str) -> String {
    let label = ctx.lookup.name(id);
    clean(label.split_whitespace().next().unwrap_or_default())
}

/// The days' lines and the index of the selected item's line.
pub fn day_lines(screen: &WeekScreen, ctx: &DrawCtx) -> (Vec<Line<'static>>, usize) {
    let theme = ctx.env.theme;
    let Some(week) = &screen.week else {
        let note = match &screen.load {
            Remote::Failed(error) => clean(error),
            _ => strings::LOADING.to_string(),
        };
        return (vec![Line::styled(note, theme.muted)], 0);
    };
    let mut lines = vec![Line::styled(
        strings::week_heading(&clean(words(week, "from")), &clean(words(week, "to"))),
        theme.title,
    )];
    let mut selected = 0;
    let mut index = 0;
    for day in days(Some(week)) {
        let date = clean(words(day, "date"));
        let weekday = rapport_shared::fields::parse_date(&date)
            .map(|d| d.strftime("%a").to_string())
            .unwrap_or_default();
        lines.push(Line::default());
        lines.push(Line::styled(format!("{weekday} {date}"), theme.header));
        let items = day_items(day);
        if items.is_empty() {
            lines.push(Line::styled(
                format!("  {}", strings::WEEK_NOTHING),
                theme.muted,
            ));
        }
        for item in items {
            let chosen = index == screen.row;
            if chosen {
                selected = lines.len();
            }
            let kind = clean(&words(item, "kind").replace('_', " "));
            let kind_style = if kind.starts_with("overdue") {
                theme.error
            } else {
                theme.muted
            };
            let customer = code(ctx, words(item, "customer_id"));
            let mut spans = vec![
                Span::raw(if chosen { "▶ " } else { "  " }),
                Span::styled(format!("{kind:<16} "), kind_style),
                Span::raw(clean(words(item, "title"))),
            ];
            if !customer.is_empty() {
                spans.push(Span::styled(format!(" · {customer}"), theme.accent));
            }
            let style = if chosen {
                theme.selected
            } else {
                Style::default()
            };
            lines.push(Line::from(spans).style(style));
            index += 1;
        }
    }
    (lines, selected)
}

/// The lines of the customers whose health changed since last shown.
pub fn changed_lines(screen: &WeekScreen, ctx: &DrawCtx) -> Vec<Line<'static>> {
    let theme = ctx.env.theme;
    if screen.week.is_none() {
        return Vec::new();
    }
    if screen.changed.is_empty() {
        return vec![Line::styled(strings::WEEK_NO_CHANGE, theme.muted)];
    }
    screen
        .changed
        .iter()
        .map(|changed| {
            Line::from(vec![
                Span::raw(format!(
                    "{} ",
                    clean(&ctx.lookup.name(&changed.customer_id))
                )),
                Span::styled(
                    health::mark(&changed.before),
                    health::style(&changed.before, theme),
                ),
                Span::raw(" -> "),
                Span::styled(
                    health::mark(&changed.now),
                    health::style(&changed.now, theme),
                ),
            ])
        })
        .collect()
}

/// Draws the screen into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, screen: &WeekScreen, area: Rect) {
    let (days, selected) = day_lines(screen, ctx);
    let changed = changed_lines(screen, ctx);
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(area);
        boxed(frame, ctx, strings::TAB_WEEK, days, selected, left, true);
        boxed(frame, ctx, strings::WEEK_CHANGED, changed, 0, right, false);
        return;
    }
    let mut lines = days;
    if screen.week.is_some() {
        lines.push(Line::default());
        lines.push(Line::styled(strings::WEEK_CHANGED, ctx.env.theme.header));
        lines.extend(changed.into_iter().map(|line| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        }));
    }
    boxed(frame, ctx, strings::TAB_WEEK, lines, selected, area, true);
}

/// Draws `lines` in a bordered box titled `title`, scrolled so line
/// `selected` shows.
fn boxed(
    frame: &mut Frame,
    ctx: &DrawCtx,
    title: &str,
    lines: Vec<Line<'static>>,
    selected: usize,
    area: Rect,
    focused: bool,
) {
    let theme = ctx.env.theme;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {title} "), theme.title));
    if focused {
        block = block.border_style(theme.focus_border);
    }
    let height = usize::from(block.inner(area).height.max(1));
    let scroll = (selected + 1).saturating_sub(height);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}
