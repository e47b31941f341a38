//! Drawing the selected RFC's detail: its fields and description, then
//! its history and comments, in the pane beside (or below) the table and
//! full screen (`v`), scrolled, where it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{self as rfcs, RfcScreen};
use crate::api::{Record, record_id, text, without_controls};
use crate::components::board::DetailSources;
use crate::components::detail::{field_line, heading};
use crate::keymap::Action;
use crate::lookup::Lookup;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;
use crate::theme::Theme;
use crate::when::Clock;

/// Draws the selected RFC's detail into `area`.
pub fn draw_detail(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, area: Rect) {
    let theme = ctx.env.theme;
    let board = &screen.board;
    let block = Block::default().borders(Borders::ALL).title(Line::styled(
        format!(" {} ", strings::DETAIL_TITLE),
        theme.title,
    ));
    let Some(record) = board.selected_record() else {
        frame.render_widget(
            Paragraph::new(Line::styled(strings::NOTHING_SELECTED, theme.muted)).block(block),
            area,
        );
        return;
    };
    let block = block.title_bottom(Line::styled(
        format!(
            " {} ",
            strings::rfc_detail_hint(&ctx.env.keymap.label(Action::RfcDetail))
        ),
        theme.muted,
    ));
    frame.render_widget(
        Paragraph::new(detail_lines(screen, ctx, record))
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Everything the detail shows of `record`: its fields and description,
/// then the history and the comments.
pub fn detail_lines(screen: &RfcScreen, ctx: &DrawCtx, record: &Record) -> Vec<Line<'static>> {
    let theme = ctx.env.theme;
    let sources = DetailSources {
        lookup: ctx.lookup,
        contacts: None,
        contacts_state: &Remote::Idle,
    };
    let clock = screen.queue.clock();
    let mut lines = rfcs::detail(record, &sources);
    lines.push(field_line(
        "Created",
        clock.tell(text(record, "created_at")),
    ));
    let detail = &screen.queue.detail;
    let current = detail.id.as_deref() == Some(record_id(record));
    lines.push(Line::default());
    lines.push(heading(strings::RFC_HISTORY));
    lines.extend(section(
        theme,
        current,
        &detail.history,
        &detail.history_items,
        strings::RFC_NO_HISTORY,
        |entry| history_line(entry, &clock, ctx.lookup),
    ));
    lines.push(Line::default());
    lines.push(heading(strings::RFC_COMMENTS));
    lines.extend(section(
        theme,
        current,
        &detail.comments,
        &detail.comment_items,
        strings::RFC_NO_COMMENTS,
        |c| {
            format!(
                "{} {}: {}",
                clock.tell(text(c, "when")),
                text(c, "who"),
                text(c, "text")
            )
        },
    ));
    lines
}

/// One line of the history: a workflow step with its route and note, or
/// a change of the priority or the assignee (named, not by id).
fn history_line(entry: &Record, clock: &Clock, lookup: &Lookup) -> String {
    let when = clock.tell(text(entry, "when"));
    let who = without_controls(text(entry, "who"));
    let field = text(entry, "field");
    if !field.is_empty() {
        let value = |side: &str| {
            let value = text(entry, side);
            let named = match field {
                "assignee_id" => lookup.name(value),
                _ => value.to_string(),
            };
            if named.is_empty() {
                strings::FORM_NONE.to_string()
            } else {
                without_controls(&named)
            }
        };
        return format!(
            "{when} {} {} -> {} by {who}",
            strings::rfc_history_field(field),
            value("before"),
            value("after"),
        );
    }
    let route = text(entry, "route");
    let note = text(entry, "note");
    format!(
        "{when} {} -> {}{} by {who}{}",
        text(entry, "from"),
        text(entry, "to"),
        if route.is_empty() {
            String::new()
        } else {
            format!(" ({})", strings::route_short(route))
        },
        if note.is_empty() {
            String::new()
        } else {
            format!(": {}", without_controls(note))
        },
    )
}

/// Rows the selected RFC's whole detail takes in a full-screen pane of
/// terminal `width` (lines wrapped at word boundaries), so scrolling
/// stops at the last one.
pub fn detail_rows(screen: &RfcScreen, ctx: &DrawCtx, width: u16) -> usize {
    let Some(record) = screen.board.selected_record() else {
        return 0;
    };
    let inner = usize::from(width.saturating_sub(2)).max(1);
    detail_lines(screen, ctx, record)
        .iter()
        .map(|line| wrapped_rows(&line.to_string(), inner))
        .sum()
}

/// Rows `text` takes when wrapped greedily at spaces into `width` columns.
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let needed = if used == 0 { len } else { used + 1 + len };
        if needed <= width {
            used = needed;
        } else {
            rows += 1 + len.saturating_sub(1) / width;
            used = len % width;
        }
    }
    rows
}

/// The whole detail of the selected RFC over the body, scrolled.
pub fn draw_full_detail(
    frame: &mut Frame,
    screen: &RfcScreen,
    ctx: &DrawCtx,
    area: Rect,
    scroll: usize,
) {
    let theme = ctx.env.theme;
    let Some(record) = screen.board.selected_record() else {
        return;
    };
    frame.render_widget(ratatui::widgets::Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(
            format!(" {} ", rfcs::rfc_label(record)),
            theme.title,
        ))
        .title_bottom(Line::styled(
            format!(
                " {} ",
                strings::rfc_full_detail_hint(
                    [
                        &ctx.first_key(Action::Down),
                        &ctx.first_key(Action::Up),
                        &ctx.first_key(Action::HalfPageDown),
                        &ctx.first_key(Action::HalfPageUp),
                    ],
                    &ctx.first_key(Action::Back),
                )
            ),
            theme.muted,
        ));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(detail_lines(screen, ctx, record))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// `2026-01-02T10:00:00Z` as `2026-01-02 10:00`.
fn section(
    theme: &Theme,
    current: bool,
    state: &Remote,
    items: &[Record],
    none: &'static str,
    line: impl Fn(&Record) -> String,
) -> Vec<Line<'static>> {
    match state {
        Remote::Failed(error) => vec![Line::styled(error.clone(), theme.error)],
        _ if !current || state.is_loading() && items.is_empty() => {
            vec![Line::styled(strings::LOADING, theme.muted)]
        }
        _ if items.is_empty() => vec![Line::styled(none, theme.muted)],
        _ => items.iter().map(|item| Line::from(line(item))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_shared::Collection;
    use serde_json::json;

    #[test]
    fn the_history_names_priority_and_assignee_changes() {
        let mut lookup = Lookup::default();
        let sam = json!({"id": "s1", "name": "Sam Okafor"});
        lookup.learn(
            Collection::Staff,
            &[sam.as_object().cloned().unwrap_or_default()],
        );
        let clock = Clock::fixed("2026-12-04T12:00:00Z".parse().expect("a time"));
        let entry = |value: serde_json::Value| value.as_object().cloned().unwrap_or_default();
        let assigned = entry(
            json!({"field": "assignee_id", "before": null, "after": "s1",
            "who": "Helen", "when": "2026-12-04T11:00:00Z"}),
        );
        let line = history_line(&assigned, &clock, &lookup);
        assert!(
            line.ends_with("assignee (none) -> Sam Okafor by Helen"),
            "{line}"
        );
        let priority = entry(
            json!({"field": "priority", "before": "medium", "after": "high",
            "who": "Helen", "when": "2026-12-04T11:00:00Z"}),
        );
        let line = history_line(&priority, &clock, &lookup);
        assert!(line.ends_with("priority medium -> high by Helen"), "{line}");
        let step = entry(
            json!({"from": "triaged", "to": "assessing", "note": "sizes\u{1b}[2J in",
            "who": "Helen", "when": "2026-12-04T11:00:00Z"}),
        );
        let line = history_line(&step, &clock, &lookup);
        assert!(
            line.ends_with("triaged -> assessing by Helen: sizes?[2J in"),
            "{line}"
        );
    }
}
