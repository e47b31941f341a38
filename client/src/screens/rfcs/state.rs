//! The queue screen's state: its list board, the queue's own state, its
//! open overlay, and the requests it awaits with what each is for.

use std::collections::HashMap;

use super::bulk::Step;
use rapport_shared::Collection;

use super::{RfcOverlay, RfcQueue};
use crate::api::rfcs::RfcCall;
use crate::api::{ListQuery, Record};
use crate::components::board::{Board, BoardOutcome};
use crate::config::Settings;
use crate::messages::Command;
use crate::remote::RequestId;
use crate::screens::list::{common_outcome, load_page};
use crate::screens::{Effect, ScreenCtx, commands};

/// What an RFC request is for.
#[derive(Debug, Clone, PartialEq)]
pub enum RfcPurpose {
    /// A page of the queue's list.
    Page,
    /// A changed RFC to put in place.
    Refreshed,
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
    /// One RFC of the running batch; `revert` puts back what its patch
    /// changes (none for a workflow step or an undo).
    Step {
        label: String,
        revert: Option<crate::api::Record>,
    },
    /// `:save`: the view being added to the config file, and the title of
    /// a row sort it could not keep.
    SaveView {
        unsorted: Option<String>,
    },
    /// A comment being posted; its text comes back to the editor if the
    /// server does not take it.
    Comment {
        id: String,
        label: String,
        text: String,
    },
}

/// The RFC queue screen: its list board, the queue's own state, its open
/// overlay and the requests it awaits.
pub struct RfcScreen {
    pub board: Board,
    pub queue: RfcQueue,
    /// The queue's open chooser, comment editor, detail or summary.
    pub overlay: Option<RfcOverlay>,
    /// A final move waiting for the user's yes.
    pub(super) asked: Option<(Step, Vec<Record>)>,
    /// RFCs changed on the server: recount the views on the next tick
    /// (one round of counts for a burst of changes).
    pub(super) counts_stale: bool,
    /// The reload of the list a finished step asked for: keys typed ahead
    /// wait for it too ([`Screen::writing`](crate::screens::Screen::writing)),
    /// so they act on the queue as the step left it (a triaged RFC gone
    /// from the Untriaged view, the next one selected).
    pub(super) settling: Option<RequestId>,
    pending: HashMap<RequestId, RfcPurpose>,
}

impl RfcScreen {
    /// The queue with the user's saved views and board settings.
    pub fn new(settings: &Settings) -> RfcScreen {
        RfcScreen {
            board: Board::new(
                super::spec(),
                settings.boards.get("rfcs"),
                settings.page_size,
            ),
            queue: RfcQueue::new(&settings.views),
            overlay: None,
            asked: None,
            counts_stale: false,
            settling: None,
            pending: HashMap::new(),
        }
    }

    /// Registers a request for `purpose` and builds its command.
    pub(super) fn send(
        &mut self,
        ctx: &mut ScreenCtx,
        purpose: RfcPurpose,
        build: impl FnOnce(RequestId) -> Command,
    ) -> Command {
        let command = ctx.request(build);
        if let Some(request) = command.request() {
            self.track(request, purpose);
        }
        command
    }

    /// Remembers what request `request` is for.
    pub(super) fn track(&mut self, request: RequestId, purpose: RfcPurpose) {
        self.pending.insert(request, purpose);
    }

    /// The purpose of an answered request, forgetting it.
    pub(super) fn purpose(&mut self, request: RequestId) -> Option<RfcPurpose> {
        self.pending.remove(&request)
    }

    /// Registers a workflow call for `purpose`.
    pub(super) fn call(
        &mut self,
        ctx: &mut ScreenCtx,
        purpose: RfcPurpose,
        call: RfcCall,
    ) -> Command {
        self.send(ctx, purpose, |request| Command::Rfc { request, call })
    }

    /// Loads a page of the list.
    pub(super) fn load(
        &mut self,
        ctx: &mut ScreenCtx,
        query: ListQuery,
        more: bool,
    ) -> Vec<Command> {
        let command = load_page(ctx, &mut self.board, query, more);
        if let Some(request) = command.request() {
            self.track(request, RfcPurpose::Page);
        }
        vec![command]
    }

    /// What a board outcome means on the queue.
    pub(super) fn outcome(&mut self, ctx: &mut ScreenCtx, outcome: BoardOutcome) -> Vec<Effect> {
        match outcome {
            BoardOutcome::Load(query) => commands(self.load(ctx, query, false)),
            BoardOutcome::LoadMore(query) => commands(self.load(ctx, query, true)),
            BoardOutcome::Selected(id) => commands(self.rfc_selected(ctx, id)),
            other => common_outcome(ctx, Collection::Rfcs, other),
        }
    }
}
