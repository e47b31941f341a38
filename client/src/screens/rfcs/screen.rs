//! The queue as a [`Screen`]: its registry entry and how the app's calls
//! (keys, answers, changes, ticks, drawing) reach the queue's own code.

use crossterm::event::KeyEvent;
use rapport_shared::Collection;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{CommentEditor, CommentState, RfcOverlay, RfcPurpose, RfcScreen, draw, overlays};
use crate::api::{ListQuery, Record, ServerChange};
use crate::components::board::Board;
use crate::components::form::Draft;
use crate::components::form::rules;
use crate::keymap::{Action, Context};
use crate::layout::Areas;
use crate::messages::Reply;
use crate::remote::{Remote, RequestId};
use crate::screens::list::{change_fetch, fetch_record};
use crate::screens::{DrawCtx, Effect, Env, Screen, ScreenCtx, ScreenEntry, commands};
use crate::strings;
use rapport_shared::records::RfcInput;

/// The registry entry of the RFC queue.
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_RFCS,
    name: "rfcs",
    icon: "\u{f0ad} ",
    collection: Collection::Rfcs,
    go: Some(Action::GoRfcs),
    context: Context::Rfcs,
    record: "rfc",
    find: true,
    short_ids: true,
    palette: &[
        (VIEW_WORD, strings::PALETTE_VIEW_HELP),
        (SAVE_WORD, strings::PALETTE_SAVE_HELP),
    ],
    fields: super::fields,
    rules: rules::<RfcInput>,
    owned_form: None,
    defaults: || crate::screens::record_of(&[("priority", serde_json::json!("medium"))]),
    detail: None,
    make: |settings| Box::new(RfcScreen::new(settings)),
};

/// The palette word that switches the saved view (`view mine`).
const VIEW_WORD: &str = "view";
/// The palette word that saves the view shown (`save Critical for MOF`).
const SAVE_WORD: &str = "save";

impl Screen for RfcScreen {
    fn board(&self) -> Option<&Board> {
        Some(&self.board)
    }

    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        crate::screens::Selected::of(Collection::Rfcs, self.board.selected_record()?)
    }

    fn export_query(&self) -> Option<ListQuery> {
        // Until the view's filters are resolved the board's are not the view's.
        let shown = !matches!(self.board.load, Remote::Idle | Remote::Failed(_));
        shown.then(|| self.board.first_page())
    }

    fn is_idle(&self) -> bool {
        self.board.load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        commands(self.rfc_enter(ctx))
    }

    fn reload(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let query = self.board.first_page();
        commands(self.load(ctx, query, false))
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        match action {
            Action::Refresh => self.enter(ctx),
            Action::Filter if self.rfc_view_searches(ctx) => Vec::new(),
            action if action.context() == Context::Rfcs => self.rfc_action(ctx, action),
            action => {
                let outcome = self.board.handle(action, ctx.lookup);
                self.outcome(ctx, outcome)
            }
        }
    }

    fn back(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.rfc_back(ctx)
    }

    fn filter_key(&mut self, ctx: &mut ScreenCtx, key: &KeyEvent) -> Vec<Effect> {
        let outcome = self.board.filter_key(key);
        self.outcome(ctx, outcome)
    }

    fn find(&mut self, ctx: &mut ScreenCtx, text: String) -> Vec<Effect> {
        // A short id of a loaded RFC selects it; else a search.
        if let Some(outcome) = self.board.select_id(&text) {
            return self.outcome(ctx, outcome);
        }
        if self.rfc_view_searches(ctx) {
            return Vec::new();
        }
        // A search from the palette looks at every RFC in every status
        // (a short id of a closed one finds it): the All view.
        let all = self
            .queue
            .views
            .iter()
            .position(|view| view.name == strings::VIEW_ALL);
        if let Some(all) = all.filter(|all| *all != self.queue.current) {
            self.board.filter = text;
            return commands(self.rfc_switch_view(ctx, all));
        }
        let outcome = self.board.set_filter(text);
        self.outcome(ctx, outcome)
    }

    fn narrow(&mut self, ctx: &mut ScreenCtx, filters: Vec<(String, String)>) -> Vec<Effect> {
        // Opened on some RFCs (an agenda item's sources): the All view,
        // searched for the one or paged through for several.
        let (ids, _) = crate::screens::list::split_ids(filters);
        if ids.is_empty() {
            return Vec::new();
        }
        self.board.filter = match ids.as_slice() {
            [one] => one.clone(),
            _ => String::new(),
        };
        let all = self
            .queue
            .views
            .iter()
            .position(|view| view.name == strings::VIEW_ALL)
            .unwrap_or(self.queue.current);
        let load = self.rfc_switch_view(ctx, all);
        self.board.only = Some(ids);
        commands(load)
    }

    fn click(&mut self, ctx: &mut ScreenCtx, row: usize) -> Vec<Effect> {
        let outcome = self.board.click(row);
        self.outcome(ctx, outcome)
    }

    fn lines_above_rows(&self) -> u16 {
        // The saved views' line.
        1
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(purpose) = self.purpose(request) else {
            return Vec::new();
        };
        if self.settling == Some(request) {
            self.settling = None;
        }
        match (purpose, reply) {
            (RfcPurpose::Page, Reply::Page(result)) => {
                if let Ok(page) = &result {
                    ctx.lookup.learn(Collection::Rfcs, &page.items);
                }
                let outcome =
                    self.board
                        .page_arrived(request, result.map_err(|e| e.to_string()), ctx.lookup);
                match outcome {
                    Some(outcome) => self.outcome(ctx, outcome),
                    None => Vec::new(),
                }
            }
            (RfcPurpose::Refreshed, Reply::Record(Ok(record))) => {
                ctx.lookup
                    .learn(Collection::Rfcs, std::slice::from_ref(&record));
                self.board.replace(record, ctx.lookup);
                Vec::new()
            }
            (RfcPurpose::SaveView { unsorted }, Reply::ViewSaved(saved)) => {
                commands(self.rfc_view_saved(ctx, saved, unsorted))
            }
            (purpose, reply) => commands(self.rfc_reply(ctx, purpose, request, reply)),
        }
    }

    fn on_change(&mut self, ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        if change.collection == Some(Collection::Rfcs) && self.queue.references != Remote::Idle {
            self.counts_stale = true;
        }
        let Some(id) = change_fetch(ctx, &mut self.board, change) else {
            return Vec::new();
        };
        let command = fetch_record(ctx, Collection::Rfcs, id);
        if let Some(request) = command.request() {
            self.track(request, RfcPurpose::Refreshed);
        }
        vec![Effect::Command(command)]
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.counts_stale && self.queue.references == Remote::Loaded {
            self.counts_stale = false;
            return commands(self.rfc_counts(ctx));
        }
        Vec::new()
    }

    fn put(&mut self, ctx: &mut ScreenCtx, collection: Collection, record: &Record) {
        if collection == Collection::Rfcs {
            self.board.upsert(record.clone(), ctx.lookup);
        }
    }

    fn saved(&mut self, ctx: &mut ScreenCtx, collection: Collection) -> Vec<Effect> {
        if collection == Collection::Rfcs && self.queue.references == Remote::Loaded {
            return commands(self.rfc_load(ctx));
        }
        Vec::new()
    }

    fn removed(&mut self, ctx: &mut ScreenCtx, collection: Collection, id: &str) -> Vec<Effect> {
        if collection == Collection::Rfcs {
            self.board.remove(id, ctx.lookup);
        }
        Vec::new()
    }

    fn confirmed(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        match self.asked.take() {
            Some((step, targets)) => commands(self.rfc_run(ctx, step, targets)),
            None => Vec::new(),
        }
    }

    fn resize(&mut self, rows: usize) {
        // The queue draws its saved views on a line above its table.
        self.board.viewport = rows.saturating_sub(1).max(1);
    }

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        draw::draw(frame, self, ctx, areas.table, areas.detail);
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        draw::hints(env.read_only)
    }

    fn writing(&self) -> bool {
        let posting = matches!(&self.overlay,
            Some(RfcOverlay::Comment(comment)) if comment.state == CommentState::Posting);
        // A view still loading its first page has no RFC to act on yet:
        // keys typed meanwhile wait for the page, so `6 a` or `] p 4`
        // typed in one go act on the view's first RFC.
        let loading =
            self.board.rows.is_empty() && self.board.load.is_loading() && !self.board.filtering;
        self.queue.batch.is_some() || self.settling.is_some() || posting || loading
    }

    fn overlay_open(&self) -> bool {
        self.overlay.is_some()
    }

    fn overlay_is_detail(&self) -> bool {
        matches!(self.overlay, Some(RfcOverlay::Detail { .. }))
    }

    fn overlay_key(&mut self, ctx: &mut ScreenCtx, key: KeyEvent) -> Vec<Effect> {
        match self.overlay.take() {
            Some(overlay) => self.rfc_overlay_key(ctx, overlay, key),
            None => Vec::new(),
        }
    }

    fn edited(&mut self, _ctx: &mut ScreenCtx, text: String) -> Vec<Effect> {
        // The comment editor handed its text over (`ctrl-e`): keys wait
        // meanwhile, so it is still open, writing, when the text is back.
        if let Some(RfcOverlay::Comment(comment)) = self.overlay.as_mut() {
            comment.set_text(&text);
        }
        Vec::new()
    }

    fn draw_overlay(&self, ctx: &DrawCtx, frame: &mut Frame, area: Rect) {
        if let Some(overlay) = &self.overlay {
            overlays::draw_overlay(frame, self, ctx, overlay, area);
        }
    }

    fn unsaved(&self) -> Option<Draft> {
        match &self.overlay {
            Some(RfcOverlay::Comment(comment)) if comment.has_text() => Some(Draft::comment(
                Collection::Rfcs,
                &comment.id,
                &comment.label,
                &comment.text(),
            )),
            _ => None,
        }
    }

    fn restore(&mut self, _ctx: &mut ScreenCtx, draft: &Draft) -> bool {
        let Some(target) = &draft.comment_on else {
            return false;
        };
        // A comment reopens in its editor over the queue.
        let text = draft
            .values
            .get("text")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let editor = CommentEditor::new(target.id.clone(), target.label.clone(), text);
        self.overlay = Some(RfcOverlay::Comment(editor));
        true
    }

    fn palette(&mut self, ctx: &mut ScreenCtx, word: &str, argument: &str) -> Vec<Effect> {
        match word {
            VIEW_WORD => commands(self.rfc_view_named(ctx, argument)),
            SAVE_WORD => commands(self.rfc_save_view(ctx, argument)),
            _ => Vec::new(),
        }
    }
}
