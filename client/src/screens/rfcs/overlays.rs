//! Drawing the queue's overlays: choosers, the comment editor and the
//! bulk summary (refusals in the error style).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{self as rfcs, CommentState, RfcOverlay, RfcScreen};
use crate::keymap::Action;
use crate::screens::DrawCtx;
use crate::strings;

/// Draws a queue overlay over `area`.
pub fn draw_overlay(
    frame: &mut Frame,
    screen: &RfcScreen,
    ctx: &DrawCtx,
    overlay: &RfcOverlay,
    area: Rect,
) {
    let theme = ctx.env.theme;
    let block = |title: &str| {
        Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border)
            .title(Line::styled(format!(" {title} "), theme.title))
    };
    match overlay {
        RfcOverlay::Chooser(chooser) => {
            let height =
                chooser.choices.len() as u16 + 5 + if chooser.narrow.is_some() { 2 } else { 0 };
            let popup = crate::layout::centered(area, 50, height);
            frame.render_widget(Clear, popup);
            let mut lines = vec![Line::styled(
                match chooser.targets.as_slice() {
                    [one] => rfcs::rfc_label(one),
                    many => strings::marked(many.len()),
                },
                theme.muted,
            )];
            for (index, choice) in chooser.choices.iter().enumerate() {
                let style = if index == chooser.cursor {
                    theme.selected
                } else {
                    theme.base
                };
                lines.push(Line::styled(
                    format!(" {} {}", index + 1, choice.label(&screen.queue.staff)),
                    style,
                ));
            }
            if let Some(typed) = &chooser.narrow {
                if chooser.choices.is_empty() {
                    lines.push(Line::styled(strings::RFC_NOBODY_MATCHES, theme.muted));
                }
                lines.push(Line::styled(format!(" > {typed}"), theme.base));
            }
            lines.push(Line::default());
            let hint = if chooser.narrow.is_some() {
                strings::RFC_ASSIGN_HINT.to_string()
            } else if chooser.title == strings::RFC_TRIAGE_TITLE {
                strings::triage_chooser_hint(
                    &ctx.env.keymap.label(Action::RouteChange),
                    &ctx.env.keymap.label(Action::RouteService),
                )
            } else {
                strings::RFC_CHOOSER_HINT.to_string()
            };
            lines.push(Line::styled(hint, theme.muted));
            frame.render_widget(Paragraph::new(lines).block(block(chooser.title)), popup);
        }
        RfcOverlay::Comment(comment) => {
            let popup = crate::layout::centered(area, 72, 10);
            frame.render_widget(Clear, popup);
            let mut outer = block(strings::RFC_COMMENT_TITLE);
            let footer = match comment.state {
                CommentState::Editing => None,
                CommentState::Posting => {
                    Some((strings::RFC_COMMENT_POSTING.to_string(), theme.muted))
                }
                CommentState::AskingDrop => Some((
                    strings::comment_drop_question(
                        &ctx.env.keymap.label(Action::Yes),
                        &ctx.env.keymap.label(Action::No),
                    ),
                    theme.error,
                )),
            };
            if let Some((text, style)) = footer {
                outer = outer.title_bottom(Line::styled(format!(" {text} "), style));
            }
            let inner = outer.inner(popup);
            frame.render_widget(outer, popup);
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            frame.render_widget(
                Paragraph::new(Line::styled(comment.label.clone(), theme.muted)),
                head,
            );
            frame.render_widget(&*comment.editor, body);
        }
        RfcOverlay::Note(note) => {
            let popup = crate::layout::centered(area, 72, 5);
            frame.render_widget(Clear, popup);
            let outer = block(strings::RFC_NOTE_TITLE).title_bottom(Line::styled(
                format!(
                    " {} ",
                    strings::note_hint(&ctx.env.keymap.label(Action::Back))
                ),
                theme.muted,
            ));
            let inner = outer.inner(popup);
            frame.render_widget(outer, popup);
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            let targets = match note.targets.as_slice() {
                [one] => rfcs::rfc_label(one),
                many => strings::marked(many.len()),
            };
            frame.render_widget(
                Paragraph::new(Line::styled(
                    strings::note_target(&targets, note.status.as_str()),
                    theme.muted,
                )),
                head,
            );
            frame.render_widget(&*note.editor, body);
        }
        RfcOverlay::Detail { scroll } => {
            super::detail::draw_full_detail(
                frame,
                screen,
                ctx,
                crate::layout::layout(area).body,
                *scroll,
            );
        }
        RfcOverlay::Summary { lines, scroll } => {
            let height = (lines.len() as u16 + 4).min(area.height.saturating_sub(2));
            let popup =
                crate::layout::centered(area, area.width.saturating_sub(4).min(100), height);
            frame.render_widget(Clear, popup);
            let shown: Vec<Line> = lines
                .iter()
                .map(|line| {
                    let style = if line.starts_with("refused") {
                        theme.error
                    } else {
                        theme.base
                    };
                    Line::styled(line.clone(), style)
                })
                .collect();
            let max_scroll = shown
                .len()
                .saturating_sub(usize::from(popup.height.saturating_sub(2)));
            let block = block(strings::RFC_SUMMARY_TITLE).title_bottom(Line::styled(
                format!(" {} ", strings::RFC_SUMMARY_HINT),
                theme.muted,
            ));
            frame.render_widget(
                Paragraph::new(shown)
                    .block(block)
                    .wrap(Wrap { trim: false })
                    .scroll(((*scroll).min(max_scroll) as u16, 0)),
                popup,
            );
        }
    }
}
