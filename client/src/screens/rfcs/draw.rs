//! Drawing the RFC queue: the saved views with their live counts on one
//! line, the dense table coloured by priority and age (marks in the first
//! column); `detail` draws the detail pane and the whole detail full
//! screen, `overlays` the queue's overlays.

use rapport_shared::enums::Priority;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{self as rfcs, AGE_ALARM_DAYS, AGE_WARNING_DAYS, RfcScreen};
use crate::api::{Record, record_id, text};
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
    super::detail::draw_detail(frame, screen, ctx, detail);
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
    let width = usize::from(area.width);
    let shorten = full > width;
    let labels: Vec<String> = screen
        .queue
        .views
        .iter()
        .enumerate()
        .map(|(index, view)| {
            let name = if let Some(short) = view.short.filter(|_| shorten) {
                short.to_string()
            } else if shorten && view.name.chars().count() > SHORT_NAME {
                view.name
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .flat_map(char::to_uppercase)
                    .collect()
            } else {
                view.name.clone()
            };
            label(index, &name)
        })
        .collect();
    let widths: Vec<usize> = labels.iter().map(|l| l.chars().count() + 1).collect();
    let (start, end) = visible_views(&widths, screen.queue.current, width);
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::styled(MORE_LEFT, theme.muted));
    }
    for (index, label) in labels.into_iter().enumerate().take(end).skip(start) {
        let style = if index == screen.queue.current {
            theme.selected.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled("│", theme.muted));
    }
    if end < widths.len() {
        spans.push(Span::styled(MORE_RIGHT, theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Marks that more views lie to the left or right of those shown.
const MORE_LEFT: &str = "‹";
const MORE_RIGHT: &str = " ›";

/// The views `start..end` to show in `width` columns: all when they fit,
/// else as many as fit around the `current` one (always shown), leaving
/// room for the marks saying more lie beyond.
fn visible_views(widths: &[usize], current: usize, width: usize) -> (usize, usize) {
    if widths.iter().sum::<usize>() <= width || current >= widths.len() {
        return (0, widths.len());
    }
    let room = width.saturating_sub(MORE_LEFT.chars().count() + MORE_RIGHT.chars().count());
    let (mut start, mut end) = (current, current + 1);
    let mut used = widths[current];
    while end < widths.len() && used + widths[end] <= room {
        used += widths[end];
        end += 1;
    }
    while start > 0 && used + widths[start - 1] <= room {
        start -= 1;
        used += widths[start];
    }
    (start, end)
}

fn draw_table(frame: &mut Frame, screen: &RfcScreen, ctx: &DrawCtx, area: Rect) {
    let theme = ctx.env.theme;
    let board = &screen.board;
    let now = screen.queue.now();
    let mut title = format!(" {} ", strings::TAB_RFCS);
    title.push_str(&format!(
        "({}) ",
        strings::row_count(board.rows_through(), board.next_cursor.is_some())
    ));
    if board.only.is_some() {
        title.push_str(strings::OPENED_ON_SOURCES);
    } else if !board.filter.is_empty() {
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
    let shown_columns = columns_shown(screen);
    let columns: Vec<_> = shown_columns.iter().map(|(_, c)| *c).collect();
    let titles: Vec<String> = shown_columns
        .iter()
        .map(|(at, c)| strings::column_header(c.title, sorted_on(screen, *at, c.key)))
        .collect();
    let header = Row::new(
        std::iter::once(Cell::from(" ")).chain(titles.iter().map(|t| Cell::from(t.clone()))),
    )
    .style(theme.header);
    let shown: Vec<(usize, &crate::api::Record, Vec<String>)> = board
        .order
        .iter()
        .enumerate()
        .skip(board.offset)
        .take(board.viewport.max(1))
        .filter_map(|(position, index)| board.rows.get(*index).map(|r| (position, r)))
        .map(|(position, record)| {
            let texts = columns
                .iter()
                .map(|c| match c.key {
                    "age" => rfcs::age_text(record, now),
                    _ => c.value(record, ctx.lookup),
                })
                .collect();
            (position, record, texts)
        })
        .collect();
    let content = crate::components::board::widths::content(
        &titles,
        shown.iter().map(|(_, _, texts)| texts.as_slice()),
    );
    // A column's declared width leaves room for its header's sort mark.
    let declared: Vec<_> = columns
        .iter()
        .zip(&titles)
        .map(|(c, title)| match c.width {
            Constraint::Length(n) => {
                Constraint::Length(n.max(u16::try_from(title.chars().count()).unwrap_or(n)))
            }
            width => width,
        })
        .collect();
    // The mark column and its spacing come first.
    let fitted = crate::components::board::widths::fitted(
        &declared,
        &content,
        area.width.saturating_sub(2 + 2),
        1,
    );
    let rows = shown.into_iter().map(|(position, record, texts)| {
        let marked = screen.queue.marks.contains(record_id(record));
        let mark = if crate::outbox::is_pending(record) {
            strings::PENDING_MARK.trim_end()
        } else if marked {
            "*"
        } else {
            " "
        };
        let mark = Cell::from(mark).style(theme.accent);
        let cells = columns.iter().zip(texts).map(|(c, text)| match c.key {
            "age" => Cell::from(text).style(age_style(theme, record, now)),
            "priority" => Cell::from(text).style(priority_style(theme, record)),
            _ => Cell::from(text),
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
        .chain(fitted)
        .collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        area,
    );
}

/// The server's sort column of the current view (key, descending), while
/// no column sort of the loaded rows (`s`) replaces its order.
fn server_sort(screen: &RfcScreen) -> Option<(&'static str, bool)> {
    if screen.board.sort.is_some() {
        return None;
    }
    screen
        .queue
        .view()
        .and_then(|view| super::views::sort_column(view.order()))
}

/// The board's visible columns, and the column the view sorts by when it
/// is not one of them (a view sorted by due date shows the Due column).
fn columns_shown(screen: &RfcScreen) -> Vec<(usize, &crate::components::board::Column)> {
    let board = &screen.board;
    let mut shown: Vec<_> = board.columns().collect();
    if let Some((key, _)) = server_sort(screen)
        && !shown.iter().any(|(_, c)| c.key == key)
        && let Some((at, column)) = board
            .spec
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.key == key)
    {
        shown.push((at, column));
    }
    shown
}

/// How column `at` (`key`) is sorted, for its header: by `s`, or as the
/// server orders the view.
fn sorted_on(screen: &RfcScreen, at: usize, key: &str) -> Option<bool> {
    match server_sort(screen) {
        Some((sorted, descending)) if sorted == key => Some(descending),
        Some(_) => None,
        None => screen.board.sorted_on(at),
    }
}

#[cfg(test)]
mod view_line_tests {
    use super::visible_views;

    #[test]
    fn the_current_view_is_always_shown() {
        let widths = [12, 12, 12, 12, 12];
        assert_eq!(visible_views(&widths, 4, 100), (0, 5));
        assert_eq!(visible_views(&widths, 0, 40), (0, 3));
        assert_eq!(visible_views(&widths, 4, 40), (2, 5));
        assert_eq!(visible_views(&widths, 2, 30), (2, 4));
        assert_eq!(visible_views(&widths, 1, 5), (1, 2));
    }
}
