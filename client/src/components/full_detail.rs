//! A record's whole detail over the body: its lines wrapped to the width
//! and scrolled by rows (`j`/`k`, `ctrl-d`/`ctrl-u`, `g`/`G`), `v` or
//! `Esc` closing it. The list screens draw their `v` with it, the screens
//! without a list of their own (teams, meetings, the week, a survey's
//! results, the customer) hand it to the app as an overlay
//! ([`FullDetail`]), and the audit trail (`T`) is drawn in the same frame.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::components::detail::{scrolled, wrap_words};
use crate::keymap::{Action, Context, KeyMap};
use crate::theme::Theme;

/// A detail shown full screen by the app, for a screen without a list
/// board of its own: the lines as the screen gave them when `v` was
/// pressed, and how far it is scrolled.
#[derive(Debug, Clone, PartialEq)]
pub struct FullDetail {
    /// The frame's title (the record's label, already made safe).
    pub title: String,
    pub lines: Vec<Line<'static>>,
    pub scroll: usize,
}

/// What a key did to an open full detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// Still open (maybe scrolled).
    Open,
    /// `v` or `Esc`: closed.
    Closed,
}

impl FullDetail {
    /// A detail of `lines` under `title`, scrolled to the top.
    pub fn new(title: impl Into<String>, lines: Vec<Line<'static>>) -> FullDetail {
        FullDetail {
            title: title.into(),
            lines,
            scroll: 0,
        }
    }

    /// A key while it is open, in a terminal of `size`.
    pub fn key(&mut self, keymap: &KeyMap, size: (u16, u16), key: &KeyEvent) -> Keyed {
        if closes(keymap, key) {
            return Keyed::Closed;
        }
        let body = crate::layout::of_size(size).body;
        let rows = rows(&self.lines, body.width).len();
        self.scroll = scroll(keymap, key, self.scroll, rows, size);
        Keyed::Open
    }
}

/// Whether `key` closes a full view (`v`, `Esc`).
pub fn closes(keymap: &KeyMap, key: &KeyEvent) -> bool {
    keymap.is(Action::Back, key) || keymap.is(Action::FullDetail, key)
}

/// Rows of a page of the body of a terminal of `size`, inside the borders.
pub fn page(size: (u16, u16)) -> usize {
    usize::from(crate::layout::of_size(size).body.height.saturating_sub(2))
}

/// Where a view of `rows` rows scrolled to `at` is after `key`.
pub fn scroll(keymap: &KeyMap, key: &KeyEvent, at: usize, rows: usize, size: (u16, u16)) -> usize {
    let page = page(size);
    let last = rows.saturating_sub(page);
    scrolled(keymap.action(Context::Board, key), at, page, last)
}

/// `lines` as rows of a frame `width` wide (inside its borders).
pub fn rows(lines: &[Line<'_>], width: u16) -> Vec<String> {
    let inner = usize::from(width.saturating_sub(2)).max(1);
    lines
        .iter()
        .flat_map(|line| wrap_words(&line.to_string(), inner))
        .collect()
}

/// The keys a full view's bottom border names.
pub fn hint(keymap: &KeyMap) -> String {
    let first = |action: Action| {
        keymap
            .keys(action)
            .first()
            .map(|k| k.label())
            .unwrap_or_default()
    };
    crate::strings::rfc_full_detail_hint(
        [
            &first(Action::Down),
            &first(Action::Up),
            &first(Action::HalfPageDown),
            &first(Action::HalfPageUp),
        ],
        &first(Action::Back),
    )
}

/// Draws `rows` from `scroll` on in a frame titled `title` over the body
/// of `area`, the keys in its bottom border.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    rows: Vec<String>,
    scroll: usize,
    hint: &str,
) {
    let body = crate::layout::layout(area).body;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(format!(" {title} "), theme.title))
        .title_bottom(Line::styled(format!(" {hint} "), theme.muted));
    let shown: Vec<Line> = rows.into_iter().skip(scroll).map(Line::from).collect();
    frame.render_widget(Clear, body);
    frame.render_widget(Paragraph::new(shown).block(block), body);
}
