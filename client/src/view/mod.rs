//! Drawing. `view` reads the app state and draws it; it never changes
//! state and never does I/O. The layout is a pure function of the terminal
//! size, shared with `update` for mouse clicks and page sizes.
//!
//! Submodules: `board` (tables and detail panes), `teams` (team cards),
//! `form` (create/edit forms), `overlays` (help, palette, questions).

mod board;
mod form;
mod overlays;
mod rfcs;
mod teams;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Connection, Tab};
use crate::keymap::Action;
use crate::strings;

pub use rfcs::detail_rows as rfc_detail_rows;

/// Width from which the detail pane sits beside the table, not below it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub table: Rect,
    pub detail: Rect,
    /// The whole body (teams board, forms).
    pub body: Rect,
    pub hint: Rect,
    pub status: Rect,
}

impl Areas {
    /// Rows of records that fit in the table (borders and header removed).
    pub fn table_rows(&self) -> usize {
        usize::from(self.table.height.saturating_sub(3))
    }
}

/// The layout for a terminal of `area`.
pub fn layout(area: Rect) -> Areas {
    let [tabs, body, hint, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [table, detail] = if area.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
    } else {
        let detail_height = (body.height * 2 / 5).max(5);
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(body)
    };
    Areas {
        tabs,
        table,
        detail,
        body,
        hint,
        status,
    }
}

/// The tab bar's labels as drawn, in order: ` 1 Customers `, with the
/// tab's icon when `icons` is on. Drawing and mouse clicks both measure
/// these, so a click lands on the tab drawn under it.
pub fn tab_labels(icons: bool) -> impl Iterator<Item = (Tab, Span<'static>)> {
    Tab::ALL.into_iter().enumerate().map(move |(number, tab)| {
        let icon = match (icons, tab) {
            (false, _) => "",
            (true, Tab::Customers) => "\u{f0c0} ",
            (true, Tab::Teams) => "\u{f0e8} ",
            (true, Tab::Staff) => "\u{f007} ",
            (true, Tab::Services) => "\u{f013} ",
            (true, Tab::Contacts) => "\u{f2b9} ",
            (true, Tab::Rfcs) => "\u{f0ad} ",
        };
        let label = format!(" {} {icon}{} ", number + 1, tab.title());
        (tab, Span::raw(label))
    })
}

/// The blank between two tab labels.
pub const TAB_GAP: u16 = 1;

/// Draws the whole app.
pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout(frame.area());
    draw_tabs(frame, app, areas.tabs);
    match app.tab {
        Tab::Teams => teams::draw(frame, app, areas.body),
        Tab::Rfcs => rfcs::draw(frame, app, areas.table, areas.detail),
        _ => board::draw(frame, app, areas.table, areas.detail),
    }
    // A message longer than the status line also takes the hint line
    // above it while it shows, so a refusal's reason is never cut off.
    let long_message = app
        .message
        .as_ref()
        .is_some_and(|m| m.text.chars().count() + 2 > usize::from(areas.status.width));
    if long_message {
        draw_status(frame, app, areas.hint.union(areas.status));
    } else {
        draw_hint(frame, app, areas.hint);
        draw_status(frame, app, areas.status);
    }
    if let Some(form) = &app.form {
        form::draw(frame, app, form, areas.body);
    }
    overlays::draw(frame, app, frame.area());
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (tab, label) in tab_labels(theme.icons) {
        let style = if tab == app.tab {
            theme.selected.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        spans.push(label.style(style));
        spans.push(Span::raw(" ".repeat(usize::from(TAB_GAP))));
    }
    if app.read_only() {
        spans.push(Span::styled(
            format!("[{}]", strings::READ_ONLY_BADGE),
            theme.error,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The line above the status bar: the filter being typed, or key hints.
fn draw_hint(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    if let Some(board) = app.board().filter(|b| b.filtering && app.form.is_none()) {
        let line = Line::from(vec![
            Span::styled(strings::FILTER_PROMPT, theme.accent),
            Span::raw(board.filter.clone()),
            Span::styled("_", theme.muted),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let keys = &app.keymap;
    let first = |action: Action| keys.keys(action).first().map(|k| k.label());
    let hints: Vec<(Option<String>, &str)> = if app.form.is_some() {
        // In a form plain letters are text: only modified keys act, and
        // quitting takes its modified key.
        let quit = keys
            .keys(Action::Quit)
            .iter()
            .find(|k| !k.modifiers.is_empty())
            .map(|k| k.label());
        vec![
            (first(Action::Save), "save"),
            (first(Action::NextField), "next field"),
            (first(Action::PrevField), "previous field"),
            (first(Action::Back), "close"),
            (quit, "quit"),
        ]
    } else {
        let mut hints = vec![(Action::Help, "help")];
        let writable = app.can_write(app.tab.collection());
        if app.tab == Tab::Rfcs {
            hints.extend(rfcs::hints(app.read_only()));
        } else if writable {
            hints.extend([
                (Action::New, "new"),
                (Action::Edit, "edit"),
                (Action::Delete, "delete"),
            ]);
        }
        if app.tab == Tab::Teams && app.can_write(rapport_shared::Collection::Customers) {
            hints.push((Action::MoveCustomerRight, "move"));
        }
        hints.extend([
            (Action::Filter, "filter"),
            (Action::Palette, "commands"),
            (Action::Quit, "quit"),
        ]);
        hints
            .into_iter()
            .map(|(action, word)| (first(action), word))
            .collect()
    };
    // Hints are laid out by width: whole hints only, in order, as many as
    // fit (help comes first, so it always shows).
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, word) in hints {
        let Some(key) = key else {
            continue;
        };
        let word = format!(" {word}  ");
        let width = key.chars().count() + word.chars().count();
        if used + width > usize::from(area.width) + 2 {
            break;
        }
        used += width;
        spans.push(Span::styled(key, theme.accent));
        spans.push(Span::styled(word, theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let (connection, style) = match app.connection {
        Connection::Connecting => (strings::CONN_CONNECTING.to_string(), theme.muted),
        Connection::Online => (strings::CONN_ONLINE.to_string(), theme.ok),
        Connection::Offline { retry_in } => (
            format!("{} ({retry_in}s)", strings::CONN_OFFLINE),
            theme.error,
        ),
    };
    let user = app
        .me
        .as_ref()
        .map(|me| {
            let name = me
                .staff_name
                .clone()
                .unwrap_or_else(|| me.token_name.clone());
            format!("{name} ({})", me.permission)
        })
        .unwrap_or_default();
    let bar = theme.base.add_modifier(Modifier::REVERSED);
    let badge = Span::styled(format!("[{connection}] "), style);
    // A message comes first, so a refusal's reason is readable at 80
    // columns; the connection state stays at the right when it fits, the
    // server and user come back once the message is gone.
    if let Some(message) = &app.message {
        let text_style = if message.error {
            theme.error
        } else {
            theme.base
        };
        let text = Line::from(vec![
            Span::raw(" "),
            Span::styled(message.text.clone(), text_style),
        ]);
        frame.render_widget(Paragraph::new("").style(bar), area);
        let fits = text.width() + badge.width() < usize::from(area.width);
        if area.height == 1 && !fits {
            frame.render_widget(Paragraph::new(text), area);
            return;
        }
        // The badge keeps a column of its own, at the bottom right.
        let badge_width = u16::try_from(badge.width()).unwrap_or(area.width);
        let [left, right] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(badge_width)]).areas(area);
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false }),
            left,
        );
        let bottom = Rect::new(
            right.x,
            right.y + right.height.saturating_sub(1),
            right.width,
            1,
        );
        frame.render_widget(Paragraph::new(Line::from(badge)), bottom);
        return;
    }
    let server = app.server.replace("http://", "").replace("https://", "");
    let spans = vec![
        Span::styled(format!(" {server} "), theme.accent),
        Span::raw(if user.is_empty() {
            String::new()
        } else {
            format!("{user} ")
        }),
        badge,
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

/// A rectangle of `width` x `height` centred in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

#[cfg(test)]
mod tests;
