//! The RFC queue's part of `update`: entering the screen (reference lists,
//! then the current view and every view's live count), switching views,
//! the triage keys, marks and the choosers. Every step is one request per
//! RFC with its own `If-Match`; `steps` runs them, `answers` collects
//! their answers, then the list, the counts and the detail reload.

use rapport_shared::Collection;
use rapport_shared::enums::{Priority, RfcRoute};

use super::bulk::{self, Step};
use super::{
    Choice, Chooser, CommentEditor, REFERENCE_LIMIT, RfcOverlay, RfcPurpose, RfcScreen, rfc_label,
};
use crate::api::rfcs::RfcCall;
use crate::api::{ListQuery, Record, record_id};
use crate::keymap::Action;
use crate::messages::Command;
use crate::remote::Remote;
use crate::screens::{Effect, ScreenCtx, commands};
use crate::strings;

impl RfcScreen {
    /// Entering the tab: customers and services first (the views may name
    /// a customer code), then the list and the counts.
    pub(super) fn rfc_enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Command> {
        if self.queue.references != Remote::Idle {
            return self.rfc_load(ctx);
        }
        let mut commands = Vec::new();
        self.queue.failed_references.clear();
        for collection in [
            Collection::Staff,
            Collection::Services,
            Collection::Customers,
        ] {
            let command = self.rfc_reference(ctx, collection);
            if let Command::List { request, .. } = &command {
                // The list waits for the customers (the later request).
                self.queue.references = Remote::Loading(*request);
            }
            commands.push(command);
        }
        // The table says "Loading" until the list itself is asked for (no
        // request has id 0, so nothing can answer this placeholder).
        self.board.load = Remote::Loading(0);
        commands
    }

    /// Asks for a reference list (customers or services) of the queue.
    fn rfc_reference(&mut self, ctx: &mut ScreenCtx, collection: Collection) -> Command {
        let query = ListQuery {
            limit: REFERENCE_LIMIT,
            ..ListQuery::default()
        };
        self.send(ctx, RfcPurpose::Reference(collection), |request| {
            Command::List {
                request,
                collection,
                query,
            }
        })
    }

    /// Loads the current view's first page and every view's count, and
    /// asks again for reference lists that failed before.
    pub(super) fn rfc_load(&mut self, ctx: &mut ScreenCtx) -> Vec<Command> {
        let failed = std::mem::take(&mut self.queue.failed_references);
        let mut commands: Vec<Command> = failed
            .into_iter()
            .map(|collection| self.rfc_reference(ctx, collection))
            .collect();
        let Some(view) = self.queue.view().cloned() else {
            return commands;
        };
        commands.extend(
            match view.resolved(&self.queue.codes, self.queue.clock().today()) {
                Ok(mut filters) => {
                    filters.push(("sort".to_string(), view.order().as_str().to_string()));
                    self.board.fixed_filters = filters;
                    let query = self.board.first_page();
                    self.load(ctx, query, false)
                }
                Err(problem) => {
                    let board = &mut self.board;
                    board.rows.clear();
                    board.order.clear();
                    board.next_cursor = None;
                    board.load = Remote::Failed(problem);
                    Vec::new()
                }
            },
        );
        commands.extend(self.rfc_counts(ctx));
        commands
    }

    /// Asks for every view's live count.
    pub(super) fn rfc_counts(&mut self, ctx: &mut ScreenCtx) -> Vec<Command> {
        let parts: Vec<_> = self
            .queue
            .views
            .iter()
            .map(|view| {
                // A view naming an unknown customer code has no count.
                view.resolved(&self.queue.codes, self.queue.clock().today())
                    .map(|filters| vec![filters])
                    .unwrap_or_default()
            })
            .collect();
        let generation = self
            .queue
            .counting(&parts.iter().map(Vec::len).collect::<Vec<_>>());
        let mut commands = Vec::new();
        for (view, parts) in parts.into_iter().enumerate() {
            for filters in parts {
                let purpose = RfcPurpose::Count { view, generation };
                commands.push(self.call(ctx, purpose, RfcCall::Count { filters }));
            }
        }
        commands
    }

    fn rfc_board_rows(&self) -> (Vec<Record>, Option<Record>) {
        let board = &self.board;
        let marked = board
            .order
            .iter()
            .filter_map(|i| board.rows.get(*i))
            .filter(|r| self.queue.marks.contains(record_id(r)))
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
    pub(super) fn rfc_switch_view(&mut self, ctx: &mut ScreenCtx, index: usize) -> Vec<Command> {
        if index >= self.queue.views.len() {
            return Vec::new();
        }
        self.queue.current = index;
        self.board.only = None;
        self.queue.marks.clear();
        self.queue.anchor = None;
        let board = &mut self.board;
        board.rows.clear();
        board.order.clear();
        board.next_cursor = None;
        board.selected = 0;
        board.selected_id = None;
        board.offset = 0;
        if self.queue.references == Remote::Idle {
            return self.rfc_enter(ctx);
        }
        self.rfc_load(ctx)
    }

    /// Whether the current view has its own `q=` search, and if so says
    /// why the typed filter is refused: the server takes one `q` (a
    /// second would silently replace the view's), and narrowing the rows
    /// in the client would break paging and the counts.
    pub(super) fn rfc_view_searches(&mut self, ctx: &mut ScreenCtx) -> bool {
        let Some(q) = self.queue.view().and_then(|v| v.q.clone()) else {
            return false;
        };
        ctx.say(strings::view_has_search(&q), true);
        true
    }

    /// `:view NAME`: the first view whose name contains the text.
    pub(super) fn rfc_view_named(&mut self, ctx: &mut ScreenCtx, name: &str) -> Vec<Command> {
        let wanted = name.trim().to_lowercase();
        let found = self
            .queue
            .views
            .iter()
            .position(|v| v.name.to_lowercase().contains(&wanted));
        match found {
            Some(index) => self.rfc_switch_view(ctx, index),
            None => {
                ctx.say(format!("No saved view matches {name:?}."), true);
                Vec::new()
            }
        }
    }

    /// The queue's own actions.
    pub(super) fn rfc_action(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        let count = self.queue.views.len().max(1);
        match action {
            Action::RfcLastResult => {
                match self.queue.last_summary.clone() {
                    Some(lines) => self.overlay = Some(RfcOverlay::Summary { lines, scroll: 0 }),
                    None => ctx.say(strings::NO_BULK_RESULT, false),
                }
                Vec::new()
            }
            Action::RfcNextView => {
                commands(self.rfc_switch_view(ctx, (self.queue.current + 1) % count))
            }
            Action::RfcPrevView => {
                commands(self.rfc_switch_view(ctx, (self.queue.current + count - 1) % count))
            }
            Action::RfcMark => {
                if let Some(id) = self.rfc_board_rows().1.map(|r| record_id(&r).to_string())
                    && !self.queue.marks.remove(&id)
                {
                    self.queue.marks.insert(id);
                }
                let outcome = self.board.handle(Action::Down, ctx.lookup);
                self.outcome(ctx, outcome)
            }
            Action::RfcMarkRange => {
                self.rfc_mark_range();
                Vec::new()
            }
            Action::RfcMarkAll => {
                let board = &self.board;
                let ids: Vec<String> = board
                    .order
                    .iter()
                    .filter_map(|i| board.rows.get(*i))
                    .map(|r| record_id(r).to_string())
                    .collect();
                self.queue.marks.extend(ids);
                Vec::new()
            }
            Action::RfcTriage => {
                let targets = self.rfc_targets();
                if !targets.is_empty()
                    && targets
                        .iter()
                        .all(|r| crate::api::text(r, "status") != "new")
                {
                    ctx.say(strings::RFC_NOT_NEW, true);
                    return Vec::new();
                }
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
                        ctx.say(strings::RFC_NOTHING_LEGAL, true);
                    }
                    return Vec::new();
                }
                self.rfc_open_chooser(strings::RFC_MOVE_TITLE, choices, targets);
                Vec::new()
            }
            Action::RfcAssignMe => match ctx.env.me.and_then(|me| me.staff_id.clone()) {
                Some(staff_id) => {
                    let targets = self.rfc_targets();
                    let step = Step::Assign {
                        id: staff_id,
                        name: None,
                    };
                    self.rfc_assign(ctx, step, targets)
                }
                None => {
                    ctx.say(strings::RFC_NO_STAFF, true);
                    Vec::new()
                }
            },
            Action::RfcAssignTo => {
                let targets = self.rfc_targets();
                if targets.is_empty() {
                    return Vec::new();
                }
                if self.queue.staff.is_empty() {
                    ctx.say(strings::RFC_NO_ASSIGNEES, true);
                    return Vec::new();
                }
                let choices = super::choosers::assignee_choices(&self.queue.staff, "");
                self.rfc_open_chooser(strings::RFC_ASSIGN_TITLE, choices, targets);
                if let Some(RfcOverlay::Chooser(chooser)) = self.overlay.as_mut() {
                    chooser.narrow = Some(String::new());
                }
                Vec::new()
            }
            Action::RfcDetail => {
                if self.rfc_board_rows().1.is_some() {
                    self.overlay = Some(RfcOverlay::Detail { scroll: 0 });
                }
                Vec::new()
            }
            Action::RfcUndo => commands(self.rfc_undo(ctx)),
            Action::RfcComment => {
                if let Some(rfc) = self.rfc_board_rows().1 {
                    let editor =
                        CommentEditor::new(record_id(&rfc).to_string(), rfc_label(&rfc), "");
                    self.overlay = Some(RfcOverlay::Comment(editor));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `V`: the first press sets the anchor, the second marks every row
    /// between it and the selection.
    fn rfc_mark_range(&mut self) {
        let board = &self.board;
        let Some(selected) = board.selected_id.clone() else {
            return;
        };
        let Some(anchor) = self.queue.anchor.take() else {
            self.queue.marks.insert(selected.clone());
            self.queue.anchor = Some(selected);
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
        self.queue.marks.extend(ids);
    }

    fn rfc_choose<T: Copy>(
        &mut self,
        title: &'static str,
        make: fn(T) -> Choice,
        all: &[T],
    ) -> Vec<Effect> {
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
        self.overlay = Some(RfcOverlay::Chooser(Chooser {
            title,
            choices,
            cursor: 0,
            targets,
            narrow: None,
        }));
    }
}
