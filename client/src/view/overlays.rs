//! Drawing the app's overlays: the help (from the live key map), the command
//! palette, yes/no questions, the outbox, the notifications, and a
//! record's full detail or audit trail (both in
//! `components/full_detail.rs`'s frame).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, Overlay};
use crate::components::full_detail;
use crate::components::help::{self, HelpLine};
use crate::keymap::Action;
use crate::strings;

/// Draws the open overlay, if any.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(overlay) = &app.overlay else {
        return;
    };
    let theme = &app.theme;
    match overlay {
        Overlay::Help(state) => {
            let popup = crate::layout::centered(area, 72, area.height.saturating_sub(2));
            let lines: Vec<Line> = help::lines(&app.keymap, app.read_only())
                .into_iter()
                .map(|line| match line {
                    HelpLine::Heading(title) => Line::styled(title, theme.header),
                    HelpLine::Binding { keys, help } => Line::from(vec![
                        Span::styled(format!("  {keys:<20}"), theme.accent),
                        Span::raw(help),
                    ]),
                })
                .collect();
            let max_scroll = lines
                .len()
                .saturating_sub(usize::from(popup.height.saturating_sub(2)));
            let scroll = state.scroll.min(max_scroll) as u16;
            frame.render_widget(Clear, popup);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.focus_border)
                .title(Line::styled(
                    format!(" {} ", strings::HELP_TITLE),
                    theme.title,
                ))
                .title_bottom(Line::styled(
                    format!(
                        " {} ",
                        strings::help_footer(
                            &app.keymap.label(Action::Down),
                            &app.keymap.label(Action::Up),
                            &app.keymap.label(Action::Back)
                        )
                    ),
                    theme.muted,
                ));
            frame.render_widget(
                Paragraph::new(lines).block(block).scroll((scroll, 0)),
                popup,
            );
        }
        Overlay::Palette(palette) => {
            let height = area.height.saturating_sub(4).min(14);
            let popup = Rect::new(
                area.x + 2,
                area.y + 1,
                area.width.saturating_sub(4).min(76),
                height,
            );
            frame.render_widget(Clear, popup);
            let mut lines = vec![Line::from(vec![
                Span::styled(strings::PALETTE_PROMPT, theme.accent),
                Span::raw(palette.input.clone()),
                Span::styled("_", theme.muted),
            ])];
            if palette.matches.is_empty() {
                lines.push(Line::styled(strings::PALETTE_EMPTY, theme.muted));
            }
            let rows = usize::from(height.saturating_sub(3));
            let start = palette.cursor.saturating_sub(rows.saturating_sub(1));
            for (index, found) in palette.matches.iter().enumerate().skip(start).take(rows) {
                let Some(entry) = palette.entries.get(found.entry) else {
                    continue;
                };
                let name = if found.argument.is_empty() {
                    entry.name.clone()
                } else {
                    format!("{} {}", entry.name, found.argument)
                };
                let style = if index == palette.cursor {
                    theme.selected
                } else {
                    theme.base
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{name:<24}"), style),
                    Span::styled(format!(" {}", entry.help), theme.muted),
                ]));
            }
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.focus_border)
                .title(Line::styled(
                    format!(" {} ", strings::PALETTE_TITLE),
                    theme.title,
                ));
            frame.render_widget(Paragraph::new(lines).block(block), popup);
        }
        Overlay::Outbox(list) => draw_outbox(frame, app, list, area),
        Overlay::Detail(detail) => {
            let width = crate::layout::layout(area).body.width;
            full_detail::draw(
                frame,
                area,
                theme,
                &detail.title,
                full_detail::rows(&detail.lines, width),
                detail.scroll,
                &full_detail::hint(&app.keymap),
            );
        }
        Overlay::Audit(trail) => full_detail::draw(
            frame,
            area,
            theme,
            &strings::audit_title(&trail.label),
            app.audit_rows(trail),
            trail.scroll,
            &full_detail::hint(&app.keymap),
        ),
        Overlay::Notifications(list) => draw_notifications(frame, app, list, area),
        Overlay::Confirm(confirm) => {
            let popup = crate::layout::centered(area, 60, 6);
            frame.render_widget(Clear, popup);
            let keys = strings::confirm_keys(
                &app.keymap.label(Action::Yes),
                &app.keymap.label(Action::No),
            );
            let lines = vec![
                Line::from(confirm.question.clone()),
                Line::default(),
                Line::styled(keys, theme.accent),
            ];
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.error)
                .title(Line::styled(
                    format!(" {} ", strings::CONFIRM_TITLE),
                    theme.title,
                ));
            frame.render_widget(
                Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
                popup,
            );
        }
    }
}

/// The outbox's list: each queued write in order, a refused one with the
/// server's words, and the keys.
fn draw_outbox(frame: &mut Frame, app: &App, list: &crate::app::OutboxList, area: Rect) {
    let theme = &app.theme;
    let popup = crate::layout::centered(area, 72, area.height.saturating_sub(4).min(20));
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = Vec::new();
    if app.outbox.entries.is_empty() {
        lines.push(Line::styled(strings::OUTBOX_EMPTY, theme.muted));
    }
    for (at, entry) in app.outbox.entries.iter().enumerate() {
        let style = if at == list.selected {
            theme.selected
        } else {
            theme.base
        };
        lines.push(Line::styled(
            format!("{:>2}. {}", at + 1, entry.label),
            style,
        ));
        if let Some(why) = &entry.refused {
            lines.push(Line::styled(format!("    refused: {why}"), theme.error));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        strings::outbox_keys(
            &app.keymap.label(Action::OutboxCancel),
            &app.keymap.label(Action::OutboxSend),
            &app.keymap.label(Action::OutboxDiscard),
            &app.keymap.label(Action::OutboxOpen),
            &app.keymap.label(Action::Back),
        ),
        theme.accent,
    ));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(
            format!(" {} ", strings::OUTBOX_TITLE),
            theme.title,
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// The notifications, newest first, and the keys.
fn draw_notifications(
    frame: &mut Frame,
    app: &App,
    list: &crate::app::NotificationList,
    area: Rect,
) {
    let theme = &app.theme;
    let popup = crate::layout::centered(area, 76, area.height.saturating_sub(4).min(20));
    frame.render_widget(Clear, popup);
    let clock = crate::when::Clock {
        now: jiff::Timestamp::now(),
        zone: app.zone.clone(),
    };
    let mut lines: Vec<Line> = Vec::new();
    if app.notifications.items.is_empty() {
        lines.push(Line::styled(strings::NOTIFICATIONS_EMPTY, theme.muted));
    }
    // The selected line stays in view: the list scrolls by whole lines.
    let room = usize::from(popup.height.saturating_sub(4)).max(1);
    let first = list.selected.saturating_sub(room.saturating_sub(1));
    for (at, told) in app
        .notifications
        .items
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
    {
        let style = if at == list.selected {
            theme.selected
        } else {
            theme.base
        };
        let rfc = format!(
            "{} {}",
            crate::screens::rfcs::short_id_of(&told.rfc_id),
            told.title
        );
        let line =
            strings::notification_line(told.reason, &rfc, &told.who, &clock.tell_time(told.when));
        lines.push(Line::styled(line, style));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        strings::notifications_keys(
            &app.keymap.label(Action::Open),
            &app.keymap.label(Action::Back),
        ),
        theme.accent,
    ));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(
            format!(" {} ", strings::NOTIFICATIONS_TITLE),
            theme.title,
        ));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
