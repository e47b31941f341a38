//! `v` on a list screen: the selected record's whole detail over the
//! body, drawn and scrolled by `components/full_detail.rs` as every
//! screen's `v` is; `v` again or `Esc` closes it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{ListScreen, RelatedRecords};
use crate::api::record_id;
use crate::components::board::DetailSources;
use crate::components::full_detail;
use crate::lookup::{Lookup, label};
use crate::remote::Remote;
use crate::screens::{DrawCtx, ScreenCtx};

impl ListScreen {
    /// The selected record's detail as rows of `width` (inside borders).
    fn full_rows(&self, lookup: &Lookup, width: u16) -> Vec<String> {
        let Some(record) = self.board.selected_record() else {
            return Vec::new();
        };
        let related = self.decl.related.is_some().then_some(&self.related);
        full_detail::rows(&detail_lines(self, record, lookup, related), width)
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
        if full_detail::closes(keys, &key) {
            self.full = None;
            return;
        }
        let width = crate::layout::of_size(ctx.env.size).body.width;
        let rows = self.full_rows(ctx.lookup, width).len();
        self.full = Some(full_detail::scroll(keys, &key, scroll, rows, ctx.env.size));
    }

    /// Draws the full detail over the body of `area`.
    pub(super) fn draw_full(&self, ctx: &DrawCtx, frame: &mut Frame, area: Rect) {
        let (Some(scroll), Some(record)) = (self.full, self.board.selected_record()) else {
            return;
        };
        let body = crate::layout::layout(area).body;
        full_detail::draw(
            frame,
            area,
            ctx.env.theme,
            &label(self.board.spec.collection, record),
            self.full_rows(ctx.lookup, body.width),
            scroll,
            &full_detail::hint(ctx.env.keymap),
        );
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
