//! `v` on a list screen: the selected record's whole detail over the
//! body, wrapped to its width and scrolled by rows (`j`/`k`,
//! `ctrl-d`/`ctrl-u`, `g`/`G`); `v` again or `Esc` closes it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{ListScreen, RelatedRecords};
use crate::api::record_id;
use crate::components::board::DetailSources;
use crate::components::detail::wrap_words;
use crate::keymap::{Action, Context};
use crate::lookup::{Lookup, label};
use crate::remote::Remote;
use crate::screens::{DrawCtx, ScreenCtx};
use crate::strings;

impl ListScreen {
    /// The selected record's detail as rows of `width` (inside borders).
    fn full_rows(&self, lookup: &Lookup, width: u16) -> Vec<String> {
        let Some(record) = self.board.selected_record() else {
            return Vec::new();
        };
        let related = self.decl.related.is_some().then_some(&self.related);
        let lines = detail_lines(self, record, lookup, related);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        lines
            .iter()
            .flat_map(|line| wrap_words(&line.to_string(), inner))
            .collect()
    }

    /// Opens the full detail of the selected record.
    pub(super) fn open_full(&mut self) {
        if self.board.selected_record().is_some() {
            self.full = Some(0);
        }
    }

    /// A key while the full detail is open.
    pub(super) fn full_key(&mut self, ctx: &mut ScreenCtx, key: KeyEvent) {
        let Some(scroll) = self.full else {
            return;
        };
        let keys = ctx.env.keymap;
        if keys.is(Action::Back, &key) || keys.is(Action::FullDetail, &key) {
            self.full = None;
            return;
        }
        let body = crate::layout::of_size(ctx.env.size).body;
        let page = usize::from(body.height.saturating_sub(2));
        let last = self
            .full_rows(ctx.lookup, body.width)
            .len()
            .saturating_sub(page);
        let action = keys.action(Context::Board, &key);
        self.full = Some(crate::components::detail::scrolled(
            action, scroll, page, last,
        ));
    }

    /// Draws the full detail over the body of `area`.
    pub(super) fn draw_full(&self, ctx: &DrawCtx, frame: &mut Frame, area: Rect) {
        let (Some(scroll), Some(record)) = (self.full, self.board.selected_record()) else {
            return;
        };
        let theme = ctx.env.theme;
        let body = crate::layout::layout(area).body;
        let hint = strings::rfc_full_detail_hint(
            [
                &ctx.first_key(Action::Down),
                &ctx.first_key(Action::Up),
                &ctx.first_key(Action::HalfPageDown),
                &ctx.first_key(Action::HalfPageUp),
            ],
            &ctx.first_key(Action::Back),
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focus_border)
            .title(Line::styled(
                format!(" {} ", label(self.board.spec.collection, record)),
                theme.title,
            ))
            .title_bottom(Line::styled(format!(" {hint} "), theme.muted));
        let rows: Vec<Line> = self
            .full_rows(ctx.lookup, body.width)
            .into_iter()
            .skip(scroll)
            .map(Line::from)
            .collect();
        frame.render_widget(Clear, body);
        frame.render_widget(Paragraph::new(rows).block(block), body);
    }
}

fn detail_lines(
    screen: &ListScreen,
    record: &crate::api::Record,
    lookup: &Lookup,
    related: Option<&RelatedRecords>,
) -> Vec<Line<'static>> {
    let idle = Remote::Idle;
    let sources = DetailSources {
        lookup,
        contacts: related
            .filter(|r| r.of.as_deref() == Some(record_id(record)))
            .map(|r| r.records.as_slice()),
        contacts_state: related.map_or(&idle, |r| &r.load),
    };
    (screen.board.spec.detail)(record, &sources)
}
