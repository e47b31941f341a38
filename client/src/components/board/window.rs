//! A board's window of pages: in the server's order it keeps at most
//! [`WINDOW_PAGES`](super::WINDOW_PAGES) pages, dropping the first on the
//! way down and loading it again, from its kept cursor, on the way up.

use super::{Board, WINDOW_PAGES};
use crate::api::{ListQuery, Record, record_id};

impl Board {
    /// The query for the page before the window, if one was dropped and
    /// none is loading.
    pub(super) fn previous_page(&mut self) -> Option<ListQuery> {
        if self.first_page == 0 || self.more.is_loading() || self.load.is_loading() {
            return None;
        }
        let cursor = self.starts.get(self.first_page - 1)?.clone();
        self.asked_before = true;
        Some(ListQuery {
            cursor,
            ..self.first_page()
        })
    }

    /// Whether the board keeps a window of pages rather than every row:
    /// in the server's order, not opened on some records.
    pub(super) fn windowed(&self) -> bool {
        self.sort.is_none() && self.only.is_none()
    }

    /// Puts the page before the window in front of it, dropping the
    /// window's last page when the window is full.
    pub(super) fn page_before(&mut self, items: Vec<Record>) {
        let fresh: Vec<Record> = items
            .into_iter()
            .filter(|r| !self.index.contains_key(record_id(r)))
            .collect();
        let added = fresh.len();
        self.rows.splice(0..0, fresh);
        self.window.push_front(added);
        self.first_page = self.first_page.saturating_sub(1);
        self.base = self.base.saturating_sub(added);
        self.selected += added;
        self.offset += added;
        if self.window.len() > WINDOW_PAGES
            && let Some(last) = self.window.pop_back()
        {
            self.rows.truncate(self.rows.len().saturating_sub(last));
            self.next_cursor = self
                .starts
                .get(self.first_page + self.window.len())
                .cloned()
                .flatten();
        }
        self.reindex();
    }

    /// Drops the window's first page (the selection stays on its record).
    pub(super) fn drop_first_page(&mut self) {
        let Some(dropped) = self.window.pop_front() else {
            return;
        };
        let dropped = dropped.min(self.rows.len());
        self.rows.drain(..dropped);
        self.base += dropped;
        self.first_page += 1;
        self.selected = self.selected.saturating_sub(dropped);
        self.offset = self.offset.saturating_sub(dropped);
        self.reindex();
    }

    /// Rebuilds the position of every row by id.
    pub(super) fn reindex(&mut self) {
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(at, r)| (record_id(r).to_string(), at))
            .collect();
    }
}
