//! The RFC queue's part of `update`: entering the tab (reference lists,
//! then the current view and every view's live count), the triage keys,
//! marks, choosers, the comment editor and bulk steps, and their answers.
//! Every step is one request per RFC with its own `If-Match`; the batch
//! collects each answer, then the list, the counts and the detail reload.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::{Priority, RfcRoute};

use super::{App, Command, Overlay, Purpose, Reply, Tab};
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, ListQuery, Record, record_id};
use crate::boards::rfcs::bulk::{self, Batch, Step, Work};
use crate::boards::rfcs::{self, Choice, Chooser, REFERENCE_LIMIT, RfcOverlay, rfc_label};
use crate::keymap::{Action, Context};
use crate::remote::{Remote, RequestId};
use crate::strings;

/// The index of the RFC queue in [`App::boards`].
pub const RFC_BOARD: usize = 4;

/// What an RFC request is for.
#[derive(Debug, Clone, PartialEq)]
pub enum RfcPurpose {
    /// Customers or services, for labels and view codes.
    Reference(Collection),
    /// One part of a view's count, with its sign.
    Count {
        view: usize,
        generation: u64,
        sign: i64,
    },
    History,
    Comments,
    /// The requester's contact record, for its name.
    Requester,
    /// One RFC of the running batch.
    Step {
        label: String,
    },
    Comment {
        label: String,
    },
}

impl App {
    fn rfc_request(&mut self, purpose: RfcPurpose, call: RfcCall) -> Command {
        self.request(Purpose::Rfc(purpose), |request| Command::Rfc {
            request,
            call,
        })
    }

    /// Entering the tab: customers and services first (the views may name
    /// a customer code), then the list and the counts.
    pub(super) fn rfc_enter(&mut self) -> Vec<Command> {
        if self.rfcs.references != Remote::Idle {
            return self.rfc_load();
        }
        let mut commands = Vec::new();
        for collection in [Collection::Services, Collection::Customers] {
            let query = ListQuery {
                limit: REFERENCE_LIMIT,
                ..ListQuery::default()
            };
            let purpose = Purpose::Rfc(RfcPurpose::Reference(collection));
            let command = self.request(purpose, |request| Command::List {
                request,
                collection,
                query,
            });
            if let Command::List { request, .. } = &command {
                // The list waits for the customers (the later request).
                self.rfcs.references = Remote::Loading(*request);
            }
            commands.push(command);
        }
        if let Some(board) = self.boards.get_mut(RFC_BOARD) {
            board.load = Remote::Loading(0);
        }
        commands
    }

    /// Loads the current view's first page and every view's count.
    pub(super) fn rfc_load(&mut self) -> Vec<Command> {
        let Some(view) = self.rfcs.view().cloned() else {
            return Vec::new();
        };
        let Some(board) = self.boards.get_mut(RFC_BOARD) else {
            return Vec::new();
        };
        board.keep = view
            .open_only
            .then_some(rfcs::is_open as fn(&Record) -> bool);
        let mut commands = match view.resolved(&self.rfcs.codes) {
            Ok(mut filters) => {
                filters.push(("sort".to_string(), "priority".to_string()));
                board.fixed_filters = filters;
                let query = board.first_page();
                self.load_board(RFC_BOARD, query, false)
            }
            Err(problem) => {
                board.rows.clear();
                board.order.clear();
                board.next_cursor = None;
                board.load = Remote::Failed(problem);
                Vec::new()
            }
        };
        commands.extend(self.rfc_counts());
        commands
    }

    /// Asks for every view's live count.
    fn rfc_counts(&mut self) -> Vec<Command> {
        let parts: Vec<_> = self
            .rfcs
            .views
            .iter()
            .map(|view| {
                view.resolved(&self.rfcs.codes)
                    .map(|base| view.count_parts(&base))
                    .unwrap_or_default()
            })
            .collect();
        let generation = self
            .rfcs
            .counting(&parts.iter().map(Vec::len).collect::<Vec<_>>());
        let mut commands = Vec::new();
        for (view, parts) in parts.into_iter().enumerate() {
            for (filters, sign) in parts {
                let purpose = RfcPurpose::Count {
                    view,
                    generation,
                    sign,
                };
                commands.push(self.rfc_request(purpose, RfcCall::Count { filters }));
            }
        }
        commands
    }

    fn rfc_board_rows(&self) -> (Vec<Record>, Option<Record>) {
        let Some(board) = self.boards.get(RFC_BOARD) else {
            return (Vec::new(), None);
        };
        let marked = board
            .order
            .iter()
            .filter_map(|i| board.rows.get(*i))
            .filter(|r| self.rfcs.marks.contains(record_id(r)))
            .cloned()
            .collect();
        (marked, board.selected_record().cloned())
    }

    /// The RFCs a step applies to: the marked ones, else the selected one.
    fn rfc_targets(&self) -> Vec<Record> {
        let (marked, selected) = self.rfc_board_rows();
        if marked.is_empty() {
            selected.into_iter().collect()
        } else {
            marked
        }
    }

    /// Switches to view `index` and loads it.
    pub(super) fn rfc_switch_view(&mut self, index: usize) -> Vec<Command> {
        if index >= self.rfcs.views.len() {
            return Vec::new();
        }
        self.rfcs.current = index;
        self.rfcs.marks.clear();
        self.rfcs.anchor = None;
        if let Some(board) = self.boards.get_mut(RFC_BOARD) {
            board.rows.clear();
            board.order.clear();
            board.next_cursor = None;
            board.selected = 0;
            board.selected_id = None;
            board.offset = 0;
        }
        self.tab = Tab::Rfcs;
        if self.rfcs.references == Remote::Idle {
            return self.rfc_enter();
        }
        self.rfc_load()
    }

    /// `:view NAME`: the first view whose name contains the text.
    pub(super) fn rfc_view_named(&mut self, name: &str) -> Vec<Command> {
        let wanted = name.trim().to_lowercase();
        let found = self
            .rfcs
            .views
            .iter()
            .position(|v| v.name.to_lowercase().contains(&wanted));
        match found {
            Some(index) => self.rfc_switch_view(index),
            None => {
                self.say(format!("No saved view matches {name:?}."), true);
                Vec::new()
            }
        }
    }

    /// The queue's own actions.
    pub(super) fn rfc_action(&mut self, action: Action) -> Vec<Command> {
        let count = self.rfcs.views.len().max(1);
        match action {
            Action::RfcNextView => self.rfc_switch_view((self.rfcs.current + 1) % count),
            Action::RfcPrevView => self.rfc_switch_view((self.rfcs.current + count - 1) % count),
            Action::RfcMark => {
                if let Some(id) = self.rfc_board_rows().1.map(|r| record_id(&r).to_string()) {
                    if !self.rfcs.marks.remove(&id) {
                        self.rfcs.marks.insert(id);
                    }
                }
                self.act(Action::Down)
            }
            Action::RfcMarkRange => {
                self.rfc_mark_range();
                Vec::new()
            }
            Action::RfcMarkAll => {
                if let Some(board) = self.boards.get(RFC_BOARD) {
                    let ids: Vec<String> = board
                        .order
                        .iter()
                        .filter_map(|i| board.rows.get(*i))
                        .map(|r| record_id(r).to_string())
                        .collect();
                    self.rfcs.marks.extend(ids);
                }
                Vec::new()
            }
            Action::RfcTriage => {
                self.rfc_choose(strings::RFC_TRIAGE_TITLE, Choice::Route, RfcRoute::ALL)
            }
            Action::RfcPriority => {
                self.rfc_choose(strings::RFC_PRIORITY_TITLE, Choice::Priority, Priority::ALL)
            }
            Action::RfcMove => {
                let targets = self.rfc_targets();
                let choices: Vec<Choice> = bulk::move_choices(&targets)
                    .into_iter()
                    .map(Choice::Status)
                    .collect();
                if choices.is_empty() {
                    if !targets.is_empty() {
                        self.say(strings::RFC_NOTHING_LEGAL, true);
                    }
                    return Vec::new();
                }
                self.rfc_open_chooser(strings::RFC_MOVE_TITLE, choices, targets);
                Vec::new()
            }
            Action::RfcAssignMe => match self.me.as_ref().and_then(|me| me.staff_id.clone()) {
                Some(staff_id) => {
                    let targets = self.rfc_targets();
                    self.rfc_run(Step::Assign(staff_id), targets)
                }
                None => {
                    self.say(strings::RFC_NO_STAFF, true);
                    Vec::new()
                }
            },
            Action::RfcComment => {
                if let Some(rfc) = self.rfc_board_rows().1 {
                    let mut editor = ratatui_textarea::TextArea::default();
                    editor.set_placeholder_text(strings::RFC_COMMENT_TITLE);
                    self.overlay = Some(Overlay::Rfc(RfcOverlay::Comment {
                        id: record_id(&rfc).to_string(),
                        label: rfc_label(&rfc),
                        editor: Box::new(editor),
                    }));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `V`: the first press sets the anchor, the second marks every row
    /// between it and the selection.
    fn rfc_mark_range(&mut self) {
        let Some(board) = self.boards.get(RFC_BOARD) else {
            return;
        };
        let Some(selected) = board.selected_id.clone() else {
            return;
        };
        let Some(anchor) = self.rfcs.anchor.take() else {
            self.rfcs.marks.insert(selected.clone());
            self.rfcs.anchor = Some(selected);
            return;
        };
        let position = |id: &str| {
            board
                .order
                .iter()
                .position(|i| board.rows.get(*i).is_some_and(|r| record_id(r) == id))
        };
        let (Some(from), Some(to)) = (position(&anchor), position(&selected)) else {
            return;
        };
        let ids: Vec<String> = board.order[from.min(to)..=from.max(to)]
            .iter()
            .filter_map(|i| board.rows.get(*i))
            .map(|r| record_id(r).to_string())
            .collect();
        self.rfcs.marks.extend(ids);
    }

    fn rfc_choose<T: Copy>(
        &mut self,
        title: &'static str,
        make: fn(T) -> Choice,
        all: &[T],
    ) -> Vec<Command> {
        let targets = self.rfc_targets();
        self.rfc_open_chooser(title, all.iter().copied().map(make).collect(), targets);
        Vec::new()
    }

    fn rfc_open_chooser(
        &mut self,
        title: &'static str,
        choices: Vec<Choice>,
        targets: Vec<Record>,
    ) {
        if targets.is_empty() {
            return;
        }
        self.overlay = Some(Overlay::Rfc(RfcOverlay::Chooser(Chooser {
            title,
            choices,
            cursor: 0,
            targets,
        })));
    }

    /// Keys while a queue overlay is open.
    pub(super) fn rfc_overlay_key(&mut self, overlay: RfcOverlay, key: KeyEvent) -> Vec<Command> {
        let back = self.keymap.is(Action::Back, &key);
        match overlay {
            RfcOverlay::Chooser(mut chooser) => {
                let picked = match (key.code, self.keymap.action(Context::Triage, &key)) {
                    (_, Some(Action::RouteChange))
                        if chooser.title == strings::RFC_TRIAGE_TITLE =>
                    {
                        Some(Choice::Route(RfcRoute::ChangeManagement))
                    }
                    (_, Some(Action::RouteService))
                        if chooser.title == strings::RFC_TRIAGE_TITLE =>
                    {
                        Some(Choice::Route(RfcRoute::ServiceLevelManagement))
                    }
                    (KeyCode::Char(c), _) if c.is_ascii_digit() => c
                        .to_digit(10)
                        .and_then(|n| chooser.choices.get((n as usize).wrapping_sub(1)).copied()),
                    (KeyCode::Enter, _) => chooser.choices.get(chooser.cursor).copied(),
                    _ => None,
                };
                if let Some(choice) = picked {
                    return self.rfc_run(choice.step(), chooser.targets);
                }
                if back {
                    return Vec::new();
                }
                match self.keymap.action(Context::Board, &key) {
                    Some(Action::Down) => {
                        chooser.cursor =
                            (chooser.cursor + 1).min(chooser.choices.len().saturating_sub(1))
                    }
                    Some(Action::Up) => chooser.cursor = chooser.cursor.saturating_sub(1),
                    _ => {}
                }
                self.overlay = Some(Overlay::Rfc(RfcOverlay::Chooser(chooser)));
                Vec::new()
            }
            RfcOverlay::Comment {
                id,
                label,
                mut editor,
            } => {
                if back {
                    return Vec::new();
                }
                if self.keymap.is(Action::Save, &key) {
                    let text = editor.lines().join("\n");
                    if text.trim().is_empty() {
                        self.overlay =
                            Some(Overlay::Rfc(RfcOverlay::Comment { id, label, editor }));
                        return Vec::new();
                    }
                    return vec![self.rfc_request(
                        RfcPurpose::Comment { label },
                        RfcCall::Comment { id, text },
                    )];
                }
                editor.input(key);
                self.overlay = Some(Overlay::Rfc(RfcOverlay::Comment { id, label, editor }));
                Vec::new()
            }
            RfcOverlay::Summary { lines, mut scroll } => {
                if back || key.code == KeyCode::Enter {
                    return Vec::new();
                }
                match self.keymap.action(Context::Board, &key) {
                    Some(Action::Down) => scroll += 1,
                    Some(Action::Up) => scroll = scroll.saturating_sub(1),
                    _ => {}
                }
                self.overlay = Some(Overlay::Rfc(RfcOverlay::Summary { lines, scroll }));
                Vec::new()
            }
        }
    }

    /// Plans `step` for each target and sends the legal ones.
    fn rfc_run(&mut self, step: Step, targets: Vec<Record>) -> Vec<Command> {
        let mut batch = Batch {
            what: step.what(),
            pending: 0,
            done: Vec::new(),
            refused: Vec::new(),
            asked: targets.len(),
        };
        let mut commands = Vec::new();
        for rfc in &targets {
            let label = rfc_label(rfc);
            match bulk::plan(&step, rfc) {
                Err(reason) => batch.refused.push((label, reason)),
                Ok(Work::Call(call)) => {
                    batch.pending += 1;
                    commands.push(self.rfc_request(RfcPurpose::Step { label }, call));
                }
                Ok(Work::Patch { id, version, patch }) => {
                    batch.pending += 1;
                    let purpose = Purpose::Rfc(RfcPurpose::Step { label });
                    commands.push(self.request(purpose, |request| Command::Update {
                        request,
                        collection: Collection::Rfcs,
                        id,
                        version,
                        patch,
                    }));
                }
            }
        }
        self.rfcs.batch = Some(batch);
        if commands.is_empty() {
            return self.rfc_batch_finished();
        }
        commands
    }

    /// The answers to the queue's requests.
    pub(super) fn rfc_reply(
        &mut self,
        purpose: RfcPurpose,
        request: RequestId,
        reply: Reply,
    ) -> Vec<Command> {
        match (purpose, reply) {
            (RfcPurpose::Reference(collection), Reply::Page(result)) => {
                let Ok(page) = result else {
                    if self.rfcs.references.awaits(request) {
                        self.rfcs.references = Remote::Loaded;
                        return self.rfc_load();
                    }
                    return Vec::new();
                };
                self.lookup.learn(collection, &page.items);
                if collection == Collection::Customers {
                    self.rfcs.learn_codes(&page.items);
                }
                if self.rfcs.references.awaits(request) {
                    self.rfcs.references = Remote::Loaded;
                    return self.rfc_load();
                }
                Vec::new()
            }
            (
                RfcPurpose::Count {
                    view,
                    generation,
                    sign,
                },
                Reply::Rfc(RfcAnswer::Count(result)),
            ) => {
                let signed = result.ok().map(|n| sign * n as i64);
                self.rfcs.count_arrived(view, generation, signed);
                Vec::new()
            }
            (RfcPurpose::History, Reply::Rfc(RfcAnswer::Items(result))) => {
                let detail = &mut self.rfcs.detail;
                if detail.history.awaits(request) {
                    match result {
                        Ok(items) => {
                            detail.history_items = items;
                            detail.history = Remote::Loaded;
                        }
                        Err(error) => detail.history = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (RfcPurpose::Comments, Reply::Rfc(RfcAnswer::Items(result))) => {
                let detail = &mut self.rfcs.detail;
                if detail.comments.awaits(request) {
                    match result {
                        Ok(items) => {
                            detail.comment_items = items;
                            detail.comments = Remote::Loaded;
                        }
                        Err(error) => detail.comments = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (RfcPurpose::Requester, Reply::Record(Ok(contact))) => {
                self.lookup
                    .learn(Collection::Contacts, std::slice::from_ref(&contact));
                Vec::new()
            }
            (
                RfcPurpose::Step { label },
                Reply::Rfc(RfcAnswer::Record(result)) | Reply::Record(result),
            ) => self.rfc_step_answered(label, result),
            (RfcPurpose::Comment { label }, Reply::Rfc(RfcAnswer::Record(result))) => {
                match result {
                    Ok(_) => {
                        self.say(strings::commented(&label), false);
                        let id = self.rfcs.detail.id.clone();
                        self.rfc_selected(id)
                    }
                    Err(error) => {
                        self.say(error.to_string(), true);
                        Vec::new()
                    }
                }
            }
            (_, reply) => {
                if let Some(error) = reply_error(&reply)
                    && !error.is_unreachable()
                {
                    self.say(error.to_string(), true);
                }
                Vec::new()
            }
        }
    }

    fn rfc_step_answered(
        &mut self,
        label: String,
        result: Result<Record, ApiError>,
    ) -> Vec<Command> {
        let Some(batch) = self.rfcs.batch.as_mut() else {
            return Vec::new();
        };
        batch.pending = batch.pending.saturating_sub(1);
        match result {
            Ok(record) => {
                batch.done.push(label);
                self.rfcs.marks.remove(record_id(&record));
                if let Some(board) = self.boards.get_mut(RFC_BOARD) {
                    board.upsert(record);
                }
            }
            Err(error) => batch.refused.push((label, error.to_string())),
        }
        if self.rfcs.batch.as_ref().is_some_and(Batch::finished) {
            return self.rfc_batch_finished();
        }
        Vec::new()
    }

    /// Every answer is in: report, then reload the list, counts and detail.
    /// Refused RFCs stay marked so the step can be retried on them.
    fn rfc_batch_finished(&mut self) -> Vec<Command> {
        let Some(batch) = self.rfcs.batch.take() else {
            return Vec::new();
        };
        if batch.asked > 1 {
            self.say(
                strings::bulk_outcome(&batch.what, batch.done.len(), batch.refused.len()),
                !batch.refused.is_empty(),
            );
            self.overlay = Some(Overlay::Rfc(RfcOverlay::Summary {
                lines: batch.summary(),
                scroll: 0,
            }));
        } else if let Some((label, reason)) = batch.refused.first() {
            self.say(strings::rfc_step_refused(&batch.what, label, reason), true);
        } else if let Some(label) = batch.done.first() {
            self.say(strings::rfc_step_done(&batch.what, label), false);
        }
        self.rfcs.anchor = None;
        let mut commands = self.rfc_load();
        let id = self
            .boards
            .get(RFC_BOARD)
            .and_then(|b| b.selected_id.clone());
        commands.extend(self.rfc_selected(id));
        commands
    }

    /// The selection moved: load the RFC's history, comments and requester.
    pub(super) fn rfc_selected(&mut self, id: Option<String>) -> Vec<Command> {
        let detail = &mut self.rfcs.detail;
        if detail.id != id {
            detail.history_items.clear();
            detail.comment_items.clear();
        }
        detail.id = id.clone();
        let Some(id) = id else {
            detail.history = Remote::Idle;
            detail.comments = Remote::Idle;
            return Vec::new();
        };
        let history = self.rfc_request(RfcPurpose::History, RfcCall::History { id: id.clone() });
        let comments = self.rfc_request(RfcPurpose::Comments, RfcCall::Comments { id: id.clone() });
        for (command, history_side) in [(&history, true), (&comments, false)] {
            if let Command::Rfc { request, .. } = command {
                let state = if history_side {
                    &mut self.rfcs.detail.history
                } else {
                    &mut self.rfcs.detail.comments
                };
                *state = Remote::Loading(*request);
            }
        }
        let mut commands = vec![history, comments];
        let requester = self
            .boards
            .get(RFC_BOARD)
            .and_then(|b| b.selected_record())
            .map(|r| crate::api::text(r, "requested_by_contact_id").to_string())
            .filter(|c| !c.is_empty() && self.lookup.name(c) == *c);
        if let Some(contact) = requester {
            commands.push(
                self.request(Purpose::Rfc(RfcPurpose::Requester), |request| {
                    Command::Get {
                        request,
                        collection: Collection::Contacts,
                        id: contact,
                    }
                }),
            );
        }
        commands
    }

    /// Esc on the queue: drop the marks first, then the filter text.
    pub(super) fn rfc_back(&mut self) -> Vec<Command> {
        if !self.rfcs.marks.is_empty() || self.rfcs.anchor.is_some() {
            self.rfcs.marks.clear();
            self.rfcs.anchor = None;
            return Vec::new();
        }
        let outcome = self.boards[RFC_BOARD].set_filter(String::new());
        self.board_outcome(RFC_BOARD, outcome)
    }
}

fn reply_error(reply: &Reply) -> Option<&ApiError> {
    match reply {
        Reply::Page(Err(e))
        | Reply::Record(Err(e))
        | Reply::Deleted(Err(e))
        | Reply::Me(Err(e)) => Some(e),
        Reply::Rfc(answer) => answer.error(),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
