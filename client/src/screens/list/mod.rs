//! The one shape of every list screen (customers, staff, services,
//! contacts, improvements): a generic [`Board`] plus a [`ListDecl`] saying
//! what differs (columns, the records related to the selected one, where
//! Enter goes). A new list screen is one declaration file — a
//! [`list_screen!`] line naming its input type, title, icon and number
//! key, and its `columns()`, `detail()` (the detail pane) and `fields()`
//! (the form) — and one line in the registry.
//!
//! Submodules: `decl` holds the declaration's types; `entry` holds [`list_screen!`]; `draw` draws a list board
//! and its detail pane; `outcomes` says what a board's outcomes and the
//! change feed mean, shared with the RFC queue, which is a list board with
//! more state.

mod decl;
pub mod draw;
mod entry;
mod full;
mod outcomes;

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use rapport_shared::Collection;
use ratatui::Frame;

use super::{DrawCtx, Effect, Env, Screen, ScreenCtx};
use crate::api::{ListQuery, Record, ServerChange, record_id};
use crate::components::board::{Board, BoardOutcome};
use crate::components::form::Owner;
use crate::config::Settings;
use crate::keymap::Action;
use crate::layout::Areas;
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};

pub use decl::{ListAction, ListDecl, RELATED_LIMIT, Related, RelatedRecords, split_ids};
pub(crate) use entry::list_screen;
pub use outcomes::{change_fetch, common_outcome, fetch_record, load_page, say_error, write_hints};

/// What a list screen's request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListRequest {
    Page,
    /// A changed record to put in place.
    Refreshed,
    Related,
}

/// A list screen's state.
pub struct ListScreen {
    pub board: Board,
    pub related: RelatedRecords,
    decl: &'static ListDecl,
    pending: HashMap<RequestId, ListRequest>,
    /// A record the list's counts include changed: reload on the next tick.
    stale: bool,
    /// The last one of those saved here (the list reloaded for it already,
    /// so its echo from the change feed is not another reload).
    saved: Option<String>,
    /// The selected record's whole detail is shown (`v`), scrolled by
    /// this many rows.
    full: Option<usize>,
}

impl ListScreen {
    /// A list screen for `decl` with the user's settings.
    pub fn new(decl: &'static ListDecl, settings: &Settings) -> ListScreen {
        let mut board = Board::new(
            (decl.spec)(),
            settings.boards.get(decl.name),
            settings.page_size,
        );
        board.fixed_filters = decl
            .narrowed
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        ListScreen {
            board,
            related: RelatedRecords::default(),
            decl,
            pending: HashMap::new(),
            stale: false,
            saved: None,
            full: None,
        }
    }

    fn collection(&self) -> Collection {
        self.board.spec.collection
    }

    /// `query` with the parameters the list sends with every page.
    fn with_params(&self, mut query: ListQuery) -> ListQuery {
        query.filters.extend(
            self.decl
                .params
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string())),
        );
        query
    }

    fn load(&mut self, ctx: &mut ScreenCtx, query: ListQuery, more: bool) -> Vec<Effect> {
        let query = self.with_params(query);
        let command = load_page(ctx, &mut self.board, query, more);
        self.track(&command, ListRequest::Page);
        vec![Effect::Command(command)]
    }

    fn track(&mut self, command: &Command, what: ListRequest) {
        if let Some(request) = command.request() {
            self.pending.insert(request, what);
        }
    }

    /// Loads the records related to `id` (none: clears them).
    fn load_related(&mut self, ctx: &mut ScreenCtx, id: Option<String>) -> Vec<Effect> {
        let Some(related) = &self.decl.related else {
            return Vec::new();
        };
        self.related.of = id.clone();
        self.related.records.clear();
        let Some(id) = id else {
            self.related.load = Remote::Idle;
            return Vec::new();
        };
        let query = ListQuery {
            limit: RELATED_LIMIT,
            cursor: None,
            q: None,
            filters: vec![(related.key.to_string(), id)],
        };
        let collection = related.collection;
        let command = ctx.request(|request| Command::List {
            request,
            collection,
            query,
        });
        if let Some(request) = command.request() {
            self.related.load = Remote::Loading(request);
        }
        self.track(&command, ListRequest::Related);
        vec![Effect::Command(command)]
    }

    fn outcome(&mut self, ctx: &mut ScreenCtx, outcome: BoardOutcome) -> Vec<Effect> {
        let collection = self.collection();
        match outcome {
            BoardOutcome::Load(query) => self.load(ctx, query, false),
            BoardOutcome::LoadMore(query) => self.load(ctx, query, true),
            BoardOutcome::Selected(id) => self.load_related(ctx, id),
            BoardOutcome::Open(record) if self.decl.open.is_some() => {
                let Some((screen, key)) = self.decl.open else {
                    return Vec::new();
                };
                let filters = vec![(key.to_string(), record_id(&record).to_string())];
                vec![Effect::Show(screen, filters)]
            }
            other => common_outcome(ctx, collection, other),
        }
    }

    fn page_arrived(
        &mut self,
        ctx: &mut ScreenCtx,
        request: RequestId,
        result: Result<rapport_shared::wire::Page<Record>, crate::api::ApiError>,
    ) -> Vec<Effect> {
        if let Ok(page) = &result {
            ctx.lookup.learn(self.collection(), &page.items);
        }
        let outcome =
            self.board
                .page_arrived(request, result.map_err(|e| e.to_string()), ctx.lookup);
        let mut effects = match outcome {
            Some(outcome) => self.outcome(ctx, outcome),
            None => Vec::new(),
        };
        // The first page: load the selected record's related records.
        if self.decl.related.is_some() && self.related.of != self.board.selected_id {
            let id = self.board.selected_id.clone();
            effects.extend(self.load_related(ctx, id));
        }
        effects
    }
}

impl Screen for ListScreen {
    fn board(&self) -> Option<&Board> {
        Some(&self.board)
    }

    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        let record = self.board.selected_record()?;
        crate::screens::Selected::of(self.board.spec.collection, record)
    }

    fn is_idle(&self) -> bool {
        self.board.load == Remote::Idle
    }

    fn export_query(&self) -> Option<ListQuery> {
        let shown = !matches!(self.board.load, Remote::Idle | Remote::Failed(_));
        shown.then(|| self.with_params(self.board.first_page()))
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let query = self.board.first_page();
        self.load(ctx, query, false)
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        if action == Action::FullDetail {
            self.open_full();
            return Vec::new();
        }
        if let Some(own) = self.decl.actions.iter().find(|a| a.action == action) {
            let Some(record) = self.board.selected_record().cloned() else {
                return Vec::new();
            };
            return (own.run)(ctx, &record);
        }
        let outcome = self.board.handle(action, ctx.lookup);
        self.outcome(ctx, outcome)
    }

    fn back(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.board.only.take().is_some() {
            self.board.fixed_filters.clear();
            self.board.filter.clear();
            return self.enter(ctx);
        }
        if !self.board.fixed_filters.is_empty() {
            self.board.fixed_filters.clear();
            return self.enter(ctx);
        }
        let outcome = self.board.set_filter(String::new());
        self.outcome(ctx, outcome)
    }

    fn filter_key(&mut self, ctx: &mut ScreenCtx, key: &KeyEvent) -> Vec<Effect> {
        let outcome = self.board.filter_key(key);
        self.outcome(ctx, outcome)
    }

    fn find(&mut self, ctx: &mut ScreenCtx, text: String) -> Vec<Effect> {
        // An id (or its end) of a loaded record selects it; else a search.
        let outcome = match self.board.select_id(&text) {
            Some(outcome) => outcome,
            None => self.board.set_filter(text),
        };
        self.outcome(ctx, outcome)
    }

    fn click(&mut self, ctx: &mut ScreenCtx, row: usize) -> Vec<Effect> {
        let outcome = self.board.click(row);
        self.outcome(ctx, outcome)
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        match (what, reply) {
            (ListRequest::Page, Reply::Page(result)) => self.page_arrived(ctx, request, result),
            (ListRequest::Refreshed, Reply::Record(Ok(record))) => {
                ctx.lookup
                    .learn(self.collection(), std::slice::from_ref(&record));
                self.board.replace(record, ctx.lookup);
                Vec::new()
            }
            (ListRequest::Related, Reply::Page(result)) => {
                if self.related.load.awaits(request) {
                    match result {
                        Ok(page) => {
                            if let Some(related) = &self.decl.related {
                                ctx.lookup.learn(related.collection, &page.items);
                            }
                            self.related.records = page.items;
                            self.related.load = Remote::Loaded;
                        }
                        Err(error) => self.related.load = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (_, reply) => {
                say_error(ctx, reply.error());
                Vec::new()
            }
        }
    }

    fn on_change(&mut self, ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        let mut effects = Vec::new();
        let related_changed = self
            .decl
            .related
            .as_ref()
            .is_some_and(|r| change.collection == Some(r.collection));
        if related_changed && self.related.of.is_some() {
            let id = self.related.of.clone();
            effects.extend(self.load_related(ctx, id));
        }
        if self.decl.owns.is_some() && change.collection == self.decl.owns {
            if self.saved.as_deref() == Some(change.id.as_str()) {
                self.saved = None;
            } else {
                self.stale = self.board.load != Remote::Idle;
            }
        }
        if let Some(id) = change_fetch(ctx, &mut self.board, change) {
            let command = fetch_record(ctx, self.collection(), id);
            self.track(&command, ListRequest::Refreshed);
            effects.push(Effect::Command(command));
        }
        effects
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if !self.stale || self.board.load.is_loading() {
            return Vec::new();
        }
        self.stale = false;
        self.reload(ctx)
    }

    fn put(&mut self, ctx: &mut ScreenCtx, collection: Collection, record: &Record) {
        if self.decl.owns == Some(collection) {
            self.saved = Some(record_id(record).to_string());
        }
        if collection == self.collection() {
            self.board.upsert(record.clone(), ctx.lookup);
        }
    }

    fn saved(&mut self, ctx: &mut ScreenCtx, collection: Collection) -> Vec<Effect> {
        // A record saved here is selected (a new customer): its detail
        // pane's related records load for it.
        if collection == self.collection()
            && self.decl.related.is_some()
            && self.related.of != self.board.selected_id
        {
            let id = self.board.selected_id.clone();
            return self.load_related(ctx, id);
        }
        if self.decl.owns == Some(collection) && self.board.load != Remote::Idle {
            self.stale = false;
            return self.reload(ctx);
        }
        let related = self.decl.related.as_ref().map(|r| r.collection);
        if related == Some(collection) {
            let id = self.related.of.clone();
            return self.load_related(ctx, id);
        }
        Vec::new()
    }

    fn removed(&mut self, ctx: &mut ScreenCtx, collection: Collection, id: &str) -> Vec<Effect> {
        if collection == self.collection() {
            self.board.remove(id, ctx.lookup);
        }
        Vec::new()
    }

    fn narrow(&mut self, ctx: &mut ScreenCtx, filters: Vec<(String, String)>) -> Vec<Effect> {
        let (ids, filters) = split_ids(filters);
        self.board.fixed_filters = filters;
        self.board.filter.clear();
        // One record is searched for by its id (the server's search
        // matches the end of an id); several are picked from the pages.
        if let [id] = ids.as_slice() {
            self.board.filter = id.clone();
        }
        self.board.only = Some(ids).filter(|ids| !ids.is_empty());
        self.enter(ctx)
    }

    fn create_defaults(&self, collection: Collection) -> Vec<(String, String)> {
        // A new record belongs to what the list is narrowed to, and a new
        // related record to the selected one.
        if collection == self.collection() {
            // Only a filter on a field of its own (not `active`, read
            // from `ends_at`) says what the new record holds.
            let own_field = |key: &str| {
                collection
                    .filters()
                    .iter()
                    .any(|spec| spec.param == key && spec.field == key)
            };
            return self
                .board
                .fixed_filters
                .iter()
                .filter(|(key, _)| own_field(key))
                .cloned()
                .collect();
        }
        match (&self.decl.related, &self.board.selected_id) {
            (Some(related), Some(id)) if related.collection == collection => {
                vec![(related.key.to_string(), id.clone())]
            }
            _ => Vec::new(),
        }
    }

    fn writes(&self, action: Action) -> Option<Collection> {
        self.decl
            .actions
            .iter()
            .find(|own| own.action == action)
            .map(|own| own.writes)
    }

    fn owner(&self, collection: Collection) -> Option<Owner> {
        if self.decl.owns != Some(collection) {
            return None;
        }
        let record = self.board.selected_record()?.clone();
        Some(Owner {
            collection: self.collection(),
            record,
        })
    }

    fn resize(&mut self, rows: usize) {
        self.board.viewport = rows.max(1);
    }

    fn overlay_open(&self) -> bool {
        self.full.is_some()
    }

    fn overlay_is_detail(&self) -> bool {
        self.full.is_some()
    }

    fn overlay_key(&mut self, ctx: &mut ScreenCtx, key: KeyEvent) -> Vec<Effect> {
        self.full_key(ctx, key);
        Vec::new()
    }

    fn draw_overlay(&self, ctx: &DrawCtx, frame: &mut Frame, area: ratatui::layout::Rect) {
        self.draw_full(ctx, frame, area);
    }

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        let related = self.decl.related.is_some().then_some(&self.related);
        draw::draw(frame, ctx, &self.board, related, areas.table, areas.detail);
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        let mut hints = write_hints(env, self.collection());
        for own in self.decl.actions {
            if env.can_write(own.writes) {
                hints.push((own.action, own.hint));
            }
        }
        hints
    }
}
