//! The list board: one generic component that every list screen is an
//! instance of (Customers, Staff, Services, Contacts and the RFC triage
//! queue). An instance is a [`BoardSpec`]: the collection, its columns,
//! how to draw the detail pane of the selected record and what `y` copies.
//!
//! What the component does for every instance:
//! - **Paging by cursor.** The first page loads on entry; the next page is
//!   asked for when the selection comes within a screen of the last loaded
//!   row, so 100,000 rows cost one page at a time and scrolling stays
//!   instant. `G` keeps loading until the last page.
//! - **A window of pages.** In the server's order a board keeps at most
//!   [`WINDOW_PAGES`] pages: going down past them drops the first, going
//!   back up loads it again (each page's cursor is kept), so the end of a
//!   100,000-row queue costs what a few pages cost. A client-side sort or
//!   a board opened on some records keeps every row it loaded.
//! - **Selection by id.** The selected record's id is kept; when rows
//!   reload, re-sort or refresh, the selection returns to the same record.
//! - **Incremental filter.** `/` edits the server-side `q` search; each
//!   keystroke asks again and answers to older keystrokes are dropped.
//! - **Sort by any column**, in the client over the loaded rows (`s` next
//!   column, `S` reverse), and a per-board choice of visible columns.
//! - **Explicit load states** ([`Remote`]) tagged with request ids.
//!
//! The board never does I/O: [`Board::handle`] and friends return a
//! [`BoardOutcome`] that its screen turns into requests, and the screen hands
//! answers back through [`Board::page_arrived`]. To build a new list
//! screen, write a `BoardSpec` in a declaration file (see
//! `screens/customers.rs`) and register it in `screens/mod.rs`.

use std::collections::{HashMap, VecDeque};

use crate::api::{ListQuery, Record, record_id, record_version};

mod keys;
mod spec;
pub mod widths;
mod window;
use crate::config::BoardConfig;
use crate::lookup::Lookup;
use crate::remote::{Remote, RequestId};
pub use spec::{BoardSpec, Column, Columns, DetailFn, DetailSources};

/// The shortest end of an id the palette takes as a short id (the RFC
/// table shows six characters): shorter text is a search.
pub const SHORT_ID_MIN: usize = 4;

/// The pages a board in the server's order keeps loaded at most.
pub const WINDOW_PAGES: usize = 5;

/// What the screen must do after its board handled something.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardOutcome {
    Nothing,
    /// Load the first page with this query (a reload or new filter).
    Load(ListQuery),
    /// Load the page after the last loaded one.
    LoadMore(ListQuery),
    /// Put this text on the clipboard.
    Copy(String),
    New,
    Edit(Record),
    Delete(Record),
    Open(Record),
    /// The selection moved to another record (detail panes may load).
    Selected(Option<String>),
}

/// The state of one list board.
pub struct Board {
    pub spec: BoardSpec,
    /// Loaded rows, in server order.
    pub rows: Vec<Record>,
    /// Position in `rows` by id, so appending a page costs the page, not
    /// the whole list (`G` on 100,000 rows stays linear).
    index: HashMap<String, usize>,
    /// Indexes into `rows` in display order (after the client sort).
    pub order: Vec<usize>,
    pub next_cursor: Option<String>,
    /// The first page (a reload replaces every row).
    pub load: Remote,
    /// The next page.
    pub more: Remote,
    /// Position in `order`.
    pub selected: usize,
    /// The selected record's id, kept across reloads.
    pub selected_id: Option<String>,
    /// First visible position (scrolling).
    pub offset: usize,
    /// Rows that fit on screen, set by the app from the layout.
    pub viewport: usize,
    pub filter: String,
    /// Whether keys currently type into the filter.
    pub filtering: bool,
    /// Exact-match filters fixed by how the board was opened.
    pub fixed_filters: Vec<(String, String)>,
    /// The records the board was opened on, by id (an agenda item's
    /// source records): the others are not shown, and pages load until
    /// every one of them has arrived. The server has no filter by id.
    pub only: Option<Vec<String>>,
    /// Column index and descending flag; `None` keeps server order.
    pub sort: Option<(usize, bool)>,
    /// Indexes of the visible columns.
    pub visible: Vec<usize>,
    pub page_size: u32,
    /// `G` was pressed: keep loading pages and stay at the bottom.
    want_bottom: bool,
    /// Rows dropped before `rows[0]` (their pages load again on the way up).
    pub base: usize,
    /// The cursor of every page seen, from the first (`None`), so a
    /// dropped page can be asked for again.
    starts: Vec<Option<String>>,
    /// The number of the window's first page.
    first_page: usize,
    /// How many rows each page in the window added, first to last.
    window: VecDeque<usize>,
    /// The page loading in `more` is the one before the window.
    asked_before: bool,
    /// The filter changed: the first page of its matches starts at the
    /// first match unless the selected record is one of them.
    new_filter: bool,
}

impl Board {
    /// A board for `spec` with the user's column and sort choices.
    pub fn new(spec: BoardSpec, config: Option<&BoardConfig>, page_size: u32) -> Board {
        let index = |key: &str| spec.columns.iter().position(|c| c.key == key);
        let chosen: Vec<usize> = config
            .map(|c| c.columns.iter().filter_map(|k| index(k)).collect())
            .unwrap_or_default();
        let visible = if chosen.is_empty() {
            spec.default_columns
                .iter()
                .filter_map(|k| index(k))
                .collect()
        } else {
            chosen
        };
        let sort =
            config.and_then(|c| c.sort.as_deref().and_then(index).map(|i| (i, c.descending)));
        Board {
            spec,
            rows: Vec::new(),
            index: HashMap::new(),
            order: Vec::new(),
            next_cursor: None,
            load: Remote::Idle,
            more: Remote::Idle,
            selected: 0,
            selected_id: None,
            offset: 0,
            viewport: 10,
            filter: String::new(),
            filtering: false,
            fixed_filters: Vec::new(),
            only: None,
            sort,
            visible,
            page_size: page_size.clamp(1, rapport_shared::wire::MAX_PAGE_LIMIT),
            want_bottom: false,
            base: 0,
            starts: vec![None],
            first_page: 0,
            window: VecDeque::new(),
            asked_before: false,
            new_filter: false,
        }
    }

    /// The query for the first page.
    pub fn first_page(&self) -> ListQuery {
        ListQuery {
            limit: self.page_size,
            cursor: None,
            q: Some(self.filter.trim().to_string()).filter(|q| !q.is_empty()),
            filters: self.fixed_filters.clone(),
        }
    }

    /// The query for the next page, if there is one and none is loading.
    fn next_page(&mut self) -> Option<ListQuery> {
        if self.more.is_loading() || self.load.is_loading() {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        self.asked_before = false;
        Some(ListQuery {
            cursor: Some(cursor),
            ..self.first_page()
        })
    }

    /// Rows loaded so far, counting those dropped before the window.
    pub fn rows_through(&self) -> usize {
        self.base + self.order.len()
    }

    /// The selected record.
    pub fn selected_record(&self) -> Option<&Record> {
        self.order
            .get(self.selected)
            .and_then(|i| self.rows.get(*i))
    }

    /// A reload was sent as `request`.
    pub fn loading(&mut self, request: RequestId) {
        self.load = Remote::Loading(request);
        self.more = Remote::Idle;
    }

    /// A next page was sent as `request`.
    pub fn loading_more(&mut self, request: RequestId) {
        self.more = Remote::Loading(request);
    }

    /// A page arrived. Returns `None` when it was stale (and dropped),
    /// else what to do next (another page for `G`, a detail load).
    pub fn page_arrived(
        &mut self,
        request: RequestId,
        result: Result<rapport_shared::wire::Page<Record>, String>,
        lookup: &Lookup,
    ) -> Option<BoardOutcome> {
        let first = self.load.awaits(request);
        if !first && !self.more.awaits(request) {
            return None;
        }
        let page = match result {
            Ok(page) => page,
            Err(message) => {
                if first {
                    self.load = Remote::Failed(message);
                } else {
                    self.more = Remote::Failed(message);
                }
                self.want_bottom = false;
                return Some(BoardOutcome::Nothing);
            }
        };
        let before = self.selected_id.clone();
        if first {
            self.rows.clear();
            self.index.clear();
            self.load = Remote::Loaded;
            self.base = 0;
            self.starts = vec![None];
            self.first_page = 0;
            self.window.clear();
        } else {
            self.more = Remote::Loaded;
        }
        if !first && self.asked_before {
            self.page_before(page.items);
        } else {
            let had = self.rows.len();
            for item in page.items {
                self.put(item);
            }
            self.window.push_back(self.rows.len() - had);
            let number = self.first_page + self.window.len();
            match self.starts.get_mut(number) {
                Some(start) => *start = page.next_cursor.clone(),
                None => self.starts.push(page.next_cursor.clone()),
            }
            self.next_cursor = page.next_cursor;
            while self.windowed() && self.window.len() > WINDOW_PAGES {
                self.drop_first_page();
            }
        }
        if first && std::mem::take(&mut self.new_filter) {
            let kept = before
                .as_ref()
                .is_some_and(|id| self.index.contains_key(id));
            if !kept {
                self.selected_id = None;
                self.selected = 0;
                self.offset = 0;
            }
        }
        self.reorder(lookup);
        if self.want_bottom {
            self.select(self.order.len().saturating_sub(1));
            if let Some(query) = self.next_page() {
                return Some(BoardOutcome::LoadMore(query));
            }
            self.want_bottom = false;
        }
        if self.only.is_some() {
            // Opened on some records: page on until they are all here,
            // then show the selected one's detail.
            return Some(match self.maybe_more() {
                BoardOutcome::Nothing => BoardOutcome::Selected(self.selected_id.clone()),
                more => more,
            });
        }
        if self.selected_id != before {
            return Some(BoardOutcome::Selected(self.selected_id.clone()));
        }
        Some(self.maybe_more())
    }

    /// Adds a row, or replaces the row with the same id (a page may
    /// re-deliver rows this board already has).
    fn put(&mut self, record: Record) {
        let id = record_id(&record).to_string();
        match self.index.get(&id) {
            Some(at) => self.rows[*at] = record,
            None => {
                self.index.insert(id, self.rows.len());
                self.rows.push(record);
            }
        }
    }

    /// Whether `record` is older than the copy shown: answers can arrive
    /// out of order (a change-feed fetch overtaken by a later one, a save
    /// answer after someone else's newer write), and an older copy must
    /// not replace a newer one.
    fn is_older(&self, record: &Record) -> bool {
        self.index
            .get(record_id(record))
            .and_then(|at| self.rows.get(*at))
            .is_some_and(|shown| record_version(record) < record_version(shown))
    }

    /// Replaces one row after a save (or adds it when new) and selects it.
    pub fn upsert(&mut self, record: Record, lookup: &Lookup) {
        let id = record_id(&record).to_string();
        if !self.is_older(&record) {
            self.put(record);
        }
        self.selected_id = Some(id);
        self.reorder(lookup);
    }

    /// Puts a changed row in place, leaving the selection where it is.
    pub fn replace(&mut self, record: Record, lookup: &Lookup) {
        if self.is_older(&record) {
            return;
        }
        self.put(record);
        self.reorder(lookup);
    }

    /// Removes a deleted row; the selection moves to its neighbour.
    pub fn remove(&mut self, id: &str, lookup: &Lookup) {
        let position = self.selected;
        if let Some(at) = self.index.get(id).copied() {
            self.rows.remove(at);
            // The row's page holds one row fewer.
            let mut before = 0;
            for len in self.window.iter_mut() {
                if at < before + *len {
                    *len -= 1;
                    break;
                }
                before += *len;
            }
        }
        self.reindex();
        if self.selected_id.as_deref() == Some(id) {
            self.selected_id = None;
        }
        self.reorder(lookup);
        if self.selected_id.is_none() {
            self.select(position.min(self.order.len().saturating_sub(1)));
        }
    }

    /// Recomputes the display order and finds the selected record again.
    fn reorder(&mut self, lookup: &Lookup) {
        let mut order: Vec<usize> = (0..self.rows.len())
            .filter(|at| {
                self.only
                    .as_ref()
                    .is_none_or(|ids| ids.iter().any(|id| id == record_id(&self.rows[*at])))
            })
            .collect();
        if let Some((column, descending)) = self.sort
            && let Some(col) = self.spec.columns.get(column)
        {
            sort_order(&mut order, &self.rows, col, descending, lookup);
        }
        self.order = order;
        let position = self.selected_id.as_deref().and_then(|id| {
            self.order
                .iter()
                .position(|i| record_id(&self.rows[*i]) == id)
        });
        self.select(position.unwrap_or(self.selected.min(self.order.len().saturating_sub(1))));
    }

    /// Moves the selection to `position` (clamped) and scrolls to it.
    fn select(&mut self, position: usize) {
        self.selected = position.min(self.order.len().saturating_sub(1));
        self.selected_id = self.selected_record().map(|r| record_id(r).to_string());
        let viewport = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + viewport {
            self.offset = self.selected + 1 - viewport;
        }
        // Never scrolled past the last screenful: rows above stay in view
        // when fewer rows follow (a narrower filter's matches).
        self.offset = self.offset.min(self.order.len().saturating_sub(viewport));
    }

    /// Asks for the next page when the selection is within a screen of the end.
    fn maybe_more(&mut self) -> BoardOutcome {
        let all_found = self
            .only
            .as_ref()
            .is_some_and(|ids| ids.iter().all(|id| self.index.contains_key(id)));
        if all_found {
            return BoardOutcome::Nothing;
        }
        if self.selected + self.viewport.max(1) >= self.order.len()
            && let Some(query) = self.next_page()
        {
            return BoardOutcome::LoadMore(query);
        }
        if self.selected < self.viewport.max(1)
            && let Some(query) = self.previous_page()
        {
            return BoardOutcome::LoadMore(query);
        }
        BoardOutcome::Nothing
    }

    fn moved(&mut self, position: usize) -> BoardOutcome {
        let before = self.selected_id.clone();
        self.select(position);
        let more = self.maybe_more();
        if more != BoardOutcome::Nothing {
            return more;
        }
        if self.selected_id != before {
            BoardOutcome::Selected(self.selected_id.clone())
        } else {
            BoardOutcome::Nothing
        }
    }

    /// Whether the board is sorted by column `at`: `Some(descending)`.
    pub fn sorted_on(&self, at: usize) -> Option<bool> {
        self.sort
            .filter(|(column, _)| *column == at)
            .map(|(_, descending)| descending)
    }

    /// The visible columns.
    pub fn columns(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.visible
            .iter()
            .filter_map(|i| self.spec.columns.get(*i).map(|c| (*i, c)))
    }
}

/// Sorts `order` (indexes into `rows`) by `column` as `s` sorts a board:
/// the board's display order and an export's rows alike.
pub fn sort_order(
    order: &mut [usize],
    rows: &[Record],
    column: &Column,
    descending: bool,
    lookup: &Lookup,
) {
    let keys: Vec<String> = rows.iter().map(|r| column.sort_value(r, lookup)).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    if descending {
        order.reverse();
    }
}

#[cfg(test)]
mod tests;
