//! Drawing the selected RFC's detail: its fields and description, then
//! its history and comments, in the pane beside (or below) the table and
//! full screen (`v`), scrolled, where it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{self as rfcs, RfcScreen};
use crate::api::{Record, record_id, text};
use crate::components::board::DetailSources;
use crate::components::detail::{field_line, heading};
use crate::keymap::Action;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;
use crate::theme::Theme;

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
        |entry| {
            let route = text(entry, "route");
            let note = text(entry, "note");
            format!(
                "{} {} -> {}{} by {}{}",
                clock.tell(text(entry, "when")),
                text(entry, "from"),
                text(entry, "to"),
                if route.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", strings::route_short(route))
                },
                text(entry, "who"),
                if note.is_empty() {
                    String::new()
                } else {
                    format!(": {note}")
                },
            )
        },
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
