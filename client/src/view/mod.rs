//! Drawing. `view` reads the app state and draws it; it never changes
//! state and never does I/O. It draws the tab bar (from the screens'
//! registry), asks the screen shown to draw its body and its overlay, and
//! draws the hint and status lines; the layout is `crate::layout`.
//!
//! Submodules: `form` (create/edit forms), `overlays` (help, palette,
//! questions).

mod form;
mod overlays;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Connection};
use crate::keymap::Action;
use crate::layout::layout;
use crate::screens::{DrawCtx, TAB_GAP};
use crate::strings;

/// Draws the whole app.
pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout(frame.area());
    draw_tabs(frame, app, areas.tabs);
    let ctx = DrawCtx {
        env: app.env(),
        lookup: &app.lookup,
    };
    app.screen().draw(&ctx, frame, &areas);
    // A message longer than the status line gets rows of its own above
    // the hint line, over the bottom of the body, so a refusal's reason is
    // never cut off and the key hints and the connection stay in view.
    let long_message = app
        .message
        .as_ref()
        .filter(|m| !fits_status_line(app, m, areas.status.width));
    draw_hint(frame, app, areas.hint);
    draw_status(frame, app, areas.status, long_message.is_none());
    if let Some(form) = &app.form {
        form::draw(frame, app, form, areas.body);
    }
    if let Some(message) = long_message {
        draw_long_message(frame, app, message, areas.body);
    }
    if let Some(id) = app.overlay_screen() {
        app.screens.get(id).draw_overlay(&ctx, frame, frame.area());
    }
    overlays::draw(frame, app, frame.area());
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (tab, label) in app.tab_labels(area.width) {
        let style = if tab == app.tab {
            theme.selected.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        spans.push(label.style(style));
        spans.push(Span::raw(" ".repeat(usize::from(TAB_GAP))));
    }
    if app.read_only() {
        spans.push(Span::styled(strings::read_only_badge(), theme.error));
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
        hints.extend(app.screen().hints(&app.env()));
        // Only a list board filters.
        if app.screen().board().is_some() {
            hints.push((Action::Filter, "filter"));
        }
        hints.extend([(Action::Palette, "commands"), (Action::Quit, "quit")]);
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

/// Rows a long message takes at most above the hint line; a longer one
/// ends in an ellipsis.
const MESSAGE_ROWS: usize = 4;

/// The connection badge of the status line (`[live]`, the outbox).
fn connection_badge(app: &App) -> Span<'static> {
    let theme = &app.theme;
    let (mut connection, style) = match app.connection {
        Connection::Connecting if app.since_contact.is_some() => {
            (strings::CONN_RECONNECTING.to_string(), theme.muted)
        }
        Connection::Connecting => (strings::CONN_CONNECTING.to_string(), theme.muted),
        Connection::Online => (strings::CONN_LIVE.to_string(), theme.ok),
        Connection::Offline { retry_in } => (
            strings::offline_since(app.since_contact, retry_in),
            theme.error,
        ),
    };
    if !app.outbox.entries.is_empty() {
        let refused = app.outbox.entries.len() - app.outbox.waiting();
        connection = format!(
            "{connection}] [{}",
            strings::outbox_badge(app.outbox.waiting(), refused)
        );
    }
    if app.notifications.unseen > 0 {
        let key = app.keymap.label(Action::Notifications);
        connection = format!(
            "{connection}] [{}",
            strings::notifications_badge(app.notifications.unseen, &key)
        );
    }
    Span::styled(format!("[{connection}] "), style)
}

/// Whether `message` fits the status line beside the connection badge.
fn fits_status_line(app: &App, message: &crate::screens::StatusMessage, width: u16) -> bool {
    let used = message.text.chars().count() + 1 + connection_badge(app).width();
    used < usize::from(width)
}

/// A message too long for the status line, wrapped in rows at the bottom
/// of `body` (just above the hint line).
fn draw_long_message(
    frame: &mut Frame,
    app: &App,
    message: &crate::screens::StatusMessage,
    body: Rect,
) {
    let theme = &app.theme;
    let width = usize::from(body.width.saturating_sub(2)).max(1);
    let room = usize::from(body.height.saturating_sub(1)).clamp(1, MESSAGE_ROWS);
    let mut rows = crate::components::detail::wrap_words(&message.text, width);
    if rows.len() > room {
        rows.truncate(room);
        if let Some(last) = rows.last_mut() {
            let kept: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{kept}\u{2026}");
        }
    }
    let height = u16::try_from(rows.len())
        .unwrap_or(body.height)
        .min(body.height);
    let area = Rect::new(body.x, body.bottom() - height, body.width, height);
    let style = if message.error {
        theme.error
    } else {
        theme.base
    };
    let bar = theme.base.add_modifier(Modifier::REVERSED);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|row| Line::from(vec![Span::raw(" "), Span::styled(row, style)]))
        .collect();
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(Paragraph::new("").style(bar), area);
    frame.render_widget(Paragraph::new(lines), area);
}

/// The status line: the message when it fits (`with_message`) and the
/// connection badge at the right; else the server, the user and the badge.
fn draw_status(frame: &mut Frame, app: &App, area: Rect, with_message: bool) {
    let theme = &app.theme;
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
    let badge = connection_badge(app);
    // A message comes first; the connection state stays at the right, the
    // server and user come back once the message is gone.
    if let Some(message) = app.message.as_ref().filter(|_| with_message) {
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
        let badge_width = u16::try_from(badge.width()).unwrap_or(area.width);
        let [left, right] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(badge_width)]).areas(area);
        frame.render_widget(Paragraph::new(text), left);
        frame.render_widget(Paragraph::new(Line::from(badge)), right);
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

#[cfg(test)]
mod tests;
