//! Drawing the RFC queue: the saved views with their live counts on one
//! line, the dense table coloured by priority and age (marks in the first
//! column), the detail pane with history and comments, and the whole
//! detail full screen; `overlays` draws the queue's overlays.

use rapport_shared::enums::Priority;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{self as rfcs, AGE_ALARM_DAYS, AGE_WARNING_DAYS, RfcScreen};
use crate::api::{Record, record_id, text};
use crate::components::board::DetailSources;
use crate::components::detail::heading;
use crate::keymap::Action;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;
use crate::theme::Theme;

/// The warning style: yellow, or bold without colour.
fn warning(theme: &Theme) -> Style {
    if theme.selected.bg.is_none() {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(Color::Yellow)
    }
}

fn priority_style(theme: &Theme, record: &Record) -> Style {
    match Priority::parse(text(record, "priority")) {
        Some(Priority::Critical) => theme.error.add_modifier(Modifier::BOLD),
        Some(Priority::High) => warning(theme),
        Some(Priority::Low) => theme.muted,
        _ => theme.base,
    }
}

fn age_style(theme: &Theme, record: &Record, now: jiff::Timestamp) -> Style {
    if !rfcs::is_open(record) {
        return theme.muted;
    }
    match rfcs::age_days(record, now) {
        Some(days) if days > AGE_ALARM_DAYS => theme.error,
        Some(days) if days > AGE_WARNING_DAYS => warning(theme),
        _ => theme.base,
    }
}

/// The key hints of the queue, in the hint line.
pub fn hints(read_only: bool) -> Vec<(crate::keymap::Action, &'static str)> {
    use crate::keymap::Action;
    // The triage steps first: they are what the queue is for.
    let mut hints = Vec::new();
    if !read_only {
        hints.extend([
            (Action::RfcTriage, "triage"),
            (Action::RfcAssignMe, "assign me"),
            (Action::RfcPriority, "priority"),
            (Action::RfcMove, "move"),
            (Action::RfcComment, "comment"),
        ]);
    }
    hints.extend([
        (Action::RfcDetail, "detail"),
        (Action::RfcNextView, "view"),
        (Action::RfcMark, "mark"),
    ]);
    if !read_only {
        hints.push((Action::New, "new"));
    }
    hints
}

/// Draws the queue into `table` (views line and table) and `detail`.
pub fn draw(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, table: Rect, detail: Rect) {
    let [views_line, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(table);
    draw_views(frame, screen, ctx, views_line);
    draw_table(frame, screen, ctx, table);
    draw_detail(frame, screen, ctx, detail);
}

/// Names longer than this are shortened to their initials when the views
/// do not fit on one line ("Service level management" becomes "SLM").
const SHORT_NAME: usize = 10;

fn draw_views(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, area: Rect) {
    let theme = ctx.env.theme;
    let label = |index: usize, name: &str| {
        let count = screen.queue.counts.get(index).and_then(|c| c.shown);
        format!(" {} ", strings::view_with_count(name, count))
    };
    let full: usize = screen
        .queue
        .views
        .iter()
        .enumerate()
        .map(|(i, v)| label(i, &v.name).chars().count() + 1)
        .sum();
    let shorten = full > usize::from(area.width);
    let mut spans = Vec::new();
    for (index, view) in screen.queue.views.iter().enumerate() {
        let name = if shorten && view.name.chars().count() > SHORT_NAME {
            view.name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_uppercase)
                .collect()
        } else {
            view.name.clone()
        };
        let label = label(index, &name);
        let style = if index == screen.queue.current {
            theme.selected.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled("│", theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_table(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, area: Rect) {
    let theme = ctx.env.theme;
    let board = &screen.board;
    let now = screen.queue.now();
    let mut title = format!(" {} ", strings::TAB_RFCS);
    title.push_str(&format!(
        "({}) ",
        strings::row_count(board.order.len(), board.next_cursor.is_some())
    ));
    if !board.filter.is_empty() {
        title.push_str(&format!("/{} ", board.filter));
    }
    if board.load.is_loading() || board.more.is_loading() {
        title.push_str(&format!("{} ", strings::LOADING));
    }
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.title))
        .border_style(theme.focus_border);
    if !screen.queue.marks.is_empty() {
        block = block.title_bottom(Line::styled(
            format!(" {} ", strings::marked(screen.queue.marks.len())),
            theme.accent,
        ));
    }
    let empty = match &board.load {
        Remote::Failed(error) => Some((error.clone(), theme.error)),
        Remote::Loading(_) | Remote::Idle if board.order.is_empty() => {
            Some((strings::LOADING.to_string(), theme.muted))
        }
        _ if board.order.is_empty() => Some((strings::NO_RECORDS.to_string(), theme.muted)),
        _ => None,
    };
    if let Some((message, style)) = empty {
        frame.render_widget(
            Paragraph::new(Line::styled(message, style))
                .block(block)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let columns: Vec<_> = board.columns().map(|(_, c)| *c).collect();
    let header = Row::new(
        std::iter::once(Cell::from(" ")).chain(columns.iter().map(|c| Cell::from(c.title))),
    )
    .style(theme.header);
    let rows = board
        .order
        .iter()
        .enumerate()
        .skip(board.offset)
        .take(board.viewport.max(1))
        .filter_map(|(position, index)| board.rows.get(*index).map(|r| (position, r)))
        .map(|(position, record)| {
            let marked = screen.queue.marks.contains(record_id(record));
            let mark = Cell::from(if marked { "*" } else { " " }).style(theme.accent);
            let cells = columns.iter().map(|c| match c.key {
                "age" => {
                    Cell::from(rfcs::age_text(record, now)).style(age_style(theme, record, now))
                }
                "priority" => {
                    Cell::from(c.value(record, ctx.lookup)).style(priority_style(theme, record))
                }
                _ => Cell::from(c.value(record, ctx.lookup)),
            });
            let row = Row::new(std::iter::once(mark).chain(cells));
            if position == board.selected {
                row.style(theme.selected)
            } else if marked {
                row.style(Style::default().add_modifier(Modifier::BOLD))
            } else {
                row
            }
        });
    let widths: Vec<_> = std::iter::once(Constraint::Length(1))
        .chain(columns.iter().map(|c| c.width))
        .collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        area,
    );
}

fn draw_detail(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, area: Rect) {
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
    let mut lines = rfcs::detail(record, &sources);
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
                short_time(text(entry, "when")),
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
                short_time(text(c, "when")),
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
                        &first_key(ctx, Action::Down),
                        &first_key(ctx, Action::Up),
                        &first_key(ctx, Action::HalfPageDown),
                        &first_key(ctx, Action::HalfPageUp),
                    ],
                    &first_key(ctx, Action::Back),
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

/// The first key bound to `action`, for short hints.
fn first_key(ctx: &DrawCtx, action: Action) -> String {
    ctx.env
        .keymap
        .keys(action)
        .first()
        .map(|k| k.label())
        .unwrap_or_default()
}

/// `2026-01-02T10:00:00Z` as `2026-01-02 10:00`.
fn short_time(at: &str) -> String {
    at.get(..16)
        .map(|t| t.replace('T', " "))
        .unwrap_or_else(|| at.to_string())
}

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
