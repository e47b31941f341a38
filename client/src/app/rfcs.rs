//! The RFC queue's part of `update`: entering the tab (reference lists,
//! then the current view and every view's live count), the triage keys,
//! marks, choosers, the comment editor and bulk steps, and their answers.
//! Every step is one request per RFC with its own `If-Match`; the batch
//! collects each answer, then the list, the counts and the detail reload.

use rapport_shared::Collection;
use rapport_shared::enums::{Priority, RfcRoute};

use super::{App, Command, Overlay, Purpose, Tab};
use crate::api::rfcs::RfcCall;
use crate::api::{ListQuery, Record, record_id};
use crate::boards::rfcs::bulk::{self, Step};
use crate::boards::rfcs::{Choice, Chooser, CommentEditor, REFERENCE_LIMIT, RfcOverlay, rfc_label};
use crate::keymap::Action;
use crate::remote::Remote;
use crate::strings;

mod answers;
mod steps;

/// The index of the RFC queue in [`App::boards`].
pub const RFC_BOARD: usize = 4;

/// What an RFC request is for.
#[derive(Debug, Clone, PartialEq)]
pub enum RfcPurpose {
    /// Customers or services, for labels and view codes.
    Reference(Collection),
    /// A view's live count, in a round of counts.
    Count {
        view: usize,
        generation: u64,
    },
    History,
    Comments,
    /// The requester's contact record, for its name.
    Requester,
    /// One RFC of the running batch.
    Step {
        label: String,
    },
    /// A comment being posted; its text comes back to the editor if the
    /// server does not take it.
    Comment {
        id: String,
        label: String,
        text: String,
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
        self.rfcs.failed_references.clear();
        for collection in [Collection::Services, Collection::Customers] {
            let command = self.rfc_reference(collection);
            if let Command::List { request, .. } = &command {
                // The list waits for the customers (the later request).
                self.rfcs.references = Remote::Loading(*request);
            }
            commands.push(command);
        }
        // The table says "Loading" until the list itself is asked for (no
        // request has id 0, so nothing can answer this placeholder).
        if let Some(board) = self.boards.get_mut(RFC_BOARD) {
            board.load = Remote::Loading(0);
        }
        commands
    }

    /// Asks for a reference list (customers or services) of the queue.
    fn rfc_reference(&mut self, collection: Collection) -> Command {
        let query = ListQuery {
            limit: REFERENCE_LIMIT,
            ..ListQuery::default()
        };
        let purpose = Purpose::Rfc(RfcPurpose::Reference(collection));
        self.request(purpose, |request| Command::List {
            request,
            collection,
            query,
        })
    }

    /// Loads the current view's first page and every view's count, and
    /// asks again for reference lists that failed before.
    pub(super) fn rfc_load(&mut self) -> Vec<Command> {
        let failed = std::mem::take(&mut self.rfcs.failed_references);
        let mut commands: Vec<Command> = failed
            .into_iter()
            .map(|collection| self.rfc_reference(collection))
            .collect();
        let Some(view) = self.rfcs.view().cloned() else {
            return commands;
        };
        let Some(board) = self.boards.get_mut(RFC_BOARD) else {
            return commands;
        };
        commands.extend(match view.resolved(&self.rfcs.codes) {
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
        });
        commands.extend(self.rfc_counts());
        commands
    }

    /// Asks for every view's live count.
    pub(super) fn rfc_counts(&mut self) -> Vec<Command> {
        let parts: Vec<_> = self
            .rfcs
            .views
            .iter()
            .map(|view| {
                // A view naming an unknown customer code has no count.
                view.resolved(&self.rfcs.codes)
                    .map(|filters| vec![filters])
                    .unwrap_or_default()
            })
            .collect();
        let generation = self
            .rfcs
            .counting(&parts.iter().map(Vec::len).collect::<Vec<_>>());
        let mut commands = Vec::new();
        for (view, parts) in parts.into_iter().enumerate() {
            for filters in parts {
                let purpose = RfcPurpose::Count { view, generation };
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

    /// Whether the current view has its own `q=` search, and if so says
    /// why the typed filter is refused: the server takes one `q` (a
    /// second would silently replace the view's), and narrowing the rows
    /// in the client would break paging and the counts.
    pub(super) fn rfc_view_searches(&mut self) -> bool {
        let Some(q) = self.rfcs.view().and_then(|v| v.q.clone()) else {
            return false;
        };
        self.say(strings::view_has_search(&q), true);
        true
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
                if let Some(id) = self.rfc_board_rows().1.map(|r| record_id(&r).to_string())
                    && !self.rfcs.marks.remove(&id)
                {
                    self.rfcs.marks.insert(id);
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
                let targets = self.rfc_targets();
                if !targets.is_empty()
                    && targets
                        .iter()
                        .all(|r| crate::api::text(r, "status") != "new")
                {
                    self.say(strings::RFC_NOT_NEW, true);
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
            Action::RfcDetail => {
                if self.rfc_board_rows().1.is_some() {
                    self.overlay = Some(Overlay::Rfc(RfcOverlay::Detail { scroll: 0 }));
                }
                Vec::new()
            }
            Action::RfcComment => {
                if let Some(rfc) = self.rfc_board_rows().1 {
                    let editor =
                        CommentEditor::new(record_id(&rfc).to_string(), rfc_label(&rfc), "");
                    self.overlay = Some(Overlay::Rfc(RfcOverlay::Comment(editor)));
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
}

#[cfg(test)]
mod comment_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;
