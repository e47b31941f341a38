//! The teams screen's part of `update`: loading the teams and each team's
//! customers, moving a customer to a neighbouring team (and back with `u`,
//! `undo.rs`), and reloading (once per tick) when teams or customers
//! change on the server.

use std::collections::HashMap;

use rapport_shared::Collection;
use ratatui::Frame;
use serde_json::{Map, Value};

use super::undo::TeamUndo;
use super::{MEMBERS_LIMIT, TeamsBoard, TeamsOutcome};
use crate::api::{ApiError, ListQuery, Record, ServerChange, record_id, record_version, text};
use crate::components::form::rules;
use crate::config::Settings;
use crate::keymap::{Action, Context};
use crate::layout::Areas;
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};
use crate::screens::list::{say_error, write_hints};
use crate::screens::{DrawCtx, Effect, Env, Screen, ScreenCtx, ScreenEntry};
use crate::strings;
use rapport_shared::records::TeamInput;

/// The registry entry of the teams screen.
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_TEAMS,
    name: "teams",
    icon: "\u{f0e8} ",
    collection: Collection::Teams,
    go: Some(Action::GoTeams),
    context: Context::Teams,
    record: "team",
    find: false,
    short_ids: false,
    palette: &[],
    fields: super::fields,
    rules: rules::<TeamInput>,
    owned_form: None,
    defaults: Record::new,
    detail: None,
    make: |_: &Settings| Box::new(TeamsScreen::default()),
};

/// Teams loaded for the cards: enough for any real organisation.
pub const TEAMS_LIMIT: u32 = 500;

/// What a teams request is for.
#[derive(Debug, Clone, PartialEq)]
enum TeamsRequest {
    Teams,
    Members(String),
    Move(Move),
}

/// A customer moved to a team: what is sent, and what its answer says.
#[derive(Debug, Clone, PartialEq)]
struct Move {
    /// The customer and the team as the message names them.
    customer: String,
    team: String,
    customer_id: String,
    team_id: String,
    /// The team it leaves (where `u` takes it back).
    from: String,
    /// Whether this is `u` taking the last move back.
    undoing: bool,
}

/// The teams screen's state.
#[derive(Debug, Default)]
pub struct TeamsScreen {
    pub board: TeamsBoard,
    /// Teams or customers changed on the server: reload on the next tick
    /// (one reload for a burst of changes).
    stale: bool,
    pending: HashMap<RequestId, TeamsRequest>,
    /// What `u` takes back: the last move made here, if any.
    undo: Option<TeamUndo>,
}

impl TeamsScreen {
    /// Sends `what` as a PATCH of the customer's `team_id` with
    /// `If-Match` of `version`.
    fn send_move(&mut self, ctx: &mut ScreenCtx, what: Move, version: i64) -> Effect {
        let mut patch = Map::new();
        patch.insert("team_id".into(), Value::String(what.team_id.clone()));
        let id = what.customer_id.clone();
        let command = ctx.request(|request| Command::Update {
            request,
            collection: Collection::Customers,
            id,
            version,
            patch,
        });
        self.send(TeamsRequest::Move(what), command)
    }

    /// `u`: moves the customer of the last move made here back, as a new
    /// write at the version that move left; says why when there is
    /// nothing to take back.
    fn undo(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        match self.undo.take() {
            None => {
                ctx.say(strings::TEAM_NOTHING_TO_UNDO, true);
                Vec::new()
            }
            Some(TeamUndo::Queued) => {
                ctx.say(
                    strings::team_undo_queued(&ctx.env.keymap.label(Action::Outbox)),
                    true,
                );
                self.undo = Some(TeamUndo::Queued);
                Vec::new()
            }
            Some(TeamUndo::Back {
                customer,
                label,
                team_id,
                version,
            }) => {
                let what = Move {
                    customer: label,
                    team: ctx.lookup.name(&team_id),
                    customer_id: customer,
                    team_id,
                    from: String::new(),
                    undoing: true,
                };
                vec![self.send_move(ctx, what, version)]
            }
        }
    }

    /// The answer to a move (or to its undo).
    fn moved(
        &mut self,
        ctx: &mut ScreenCtx,
        what: Move,
        result: Result<Record, ApiError>,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        match result {
            Ok(record) => {
                if what.undoing {
                    ctx.say(strings::moved_back(&what.customer, &what.team), false);
                    // An undo is not undone: it leaves nothing to take back.
                    self.undo = None;
                } else {
                    ctx.say(strings::moved(&what.customer, &what.team), false);
                    self.undo = Some(TeamUndo::of_move(&record, &what.customer, &what.from));
                }
                self.board.follow(&what.customer_id, &what.team_id);
                effects.push(Effect::Put(Collection::Customers, record));
            }
            Err(ApiError::Stale) if what.undoing => {
                ctx.say(strings::team_undo_changed(&what.customer), true);
            }
            Err(error) => ctx.say(error.to_string(), true),
        }
        effects.push(self.load(ctx));
        effects
    }

    fn send(&mut self, what: TeamsRequest, command: Command) -> Effect {
        if let Some(request) = command.request() {
            self.pending.insert(request, what);
        }
        Effect::Command(command)
    }

    fn load(&mut self, ctx: &mut ScreenCtx) -> Effect {
        let query = ListQuery {
            limit: TEAMS_LIMIT,
            ..ListQuery::default()
        };
        let command = ctx.request(|request| Command::List {
            request,
            collection: Collection::Teams,
            query,
        });
        if let Some(request) = command.request() {
            self.board.load = Remote::Loading(request);
        }
        self.send(TeamsRequest::Teams, command)
    }

    fn outcome(&mut self, ctx: &mut ScreenCtx, outcome: TeamsOutcome) -> Vec<Effect> {
        match outcome {
            TeamsOutcome::Nothing => Vec::new(),
            TeamsOutcome::Load => vec![self.load(ctx)],
            TeamsOutcome::LoadMembers(ids) => ids
                .into_iter()
                .map(|team_id| {
                    let query = ListQuery {
                        limit: MEMBERS_LIMIT,
                        cursor: None,
                        q: None,
                        filters: vec![("team_id".to_string(), team_id.clone())],
                    };
                    let command = ctx.request(|request| Command::List {
                        request,
                        collection: Collection::Customers,
                        query,
                    });
                    if let Some(request) = command.request() {
                        self.board.loading_members(&team_id, request);
                    }
                    self.send(TeamsRequest::Members(team_id), command)
                })
                .collect(),
            TeamsOutcome::Move { customer, team_id } => {
                let what = Move {
                    customer: text(&customer, "code").to_string(),
                    team: ctx.lookup.name(&team_id),
                    customer_id: record_id(&customer).to_string(),
                    team_id,
                    from: text(&customer, "team_id").to_string(),
                    undoing: false,
                };
                vec![self.send_move(ctx, what, record_version(&customer))]
            }
            TeamsOutcome::Copy(text) => {
                ctx.say(strings::copied(&text), false);
                vec![Effect::Command(Command::Copy(text))]
            }
            TeamsOutcome::New => vec![Effect::Create(Collection::Teams)],
            TeamsOutcome::Edit(team) => vec![Effect::Edit(Collection::Teams, team)],
            TeamsOutcome::Delete(team) => vec![Effect::Delete(Collection::Teams, team)],
        }
    }
}

impl Screen for TeamsScreen {
    /// The selected customer, else the selected team.
    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        match self.board.customer() {
            Some(customer) => crate::screens::Selected::of(Collection::Customers, customer),
            None => crate::screens::Selected::of(Collection::Teams, self.board.team()?),
        }
    }

    fn is_idle(&self) -> bool {
        self.board.load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        vec![self.load(ctx)]
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        if action == Action::FullDetail {
            return match self.board.customer() {
                Some(customer) => {
                    crate::screens::show_detail(ctx, Collection::Customers, Some(customer))
                }
                None => crate::screens::show_detail(ctx, Collection::Teams, self.board.team()),
            };
        }
        if action == Action::TeamUndo {
            return self.undo(ctx);
        }
        let outcome = self.board.handle(action);
        self.outcome(ctx, outcome)
    }

    fn back(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        Vec::new()
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        match (what, reply) {
            (TeamsRequest::Teams, Reply::Page(result)) => {
                if let Ok(page) = &result {
                    ctx.lookup.learn(Collection::Teams, &page.items);
                }
                let outcome = self
                    .board
                    .arrived(request, result.map_err(|e| e.to_string()));
                self.outcome(ctx, outcome)
            }
            (TeamsRequest::Members(team_id), Reply::Page(result)) => {
                if let Ok(page) = &result {
                    ctx.lookup.learn(Collection::Customers, &page.items);
                }
                self.board
                    .members_arrived(&team_id, request, result.map_err(|e| e.to_string()));
                Vec::new()
            }
            (TeamsRequest::Move(what), Reply::Record(result)) => self.moved(ctx, what, result),
            (_, reply) => {
                say_error(ctx, reply.error());
                Vec::new()
            }
        }
    }

    fn on_change(&mut self, _ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        let ours = matches!(
            change.collection,
            Some(Collection::Teams | Collection::Customers)
        );
        if ours && self.board.load != Remote::Idle {
            self.stale = true;
        }
        Vec::new()
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.stale && !self.board.load.is_loading() {
            self.stale = false;
            return vec![self.load(ctx)];
        }
        Vec::new()
    }

    fn saved(&mut self, ctx: &mut ScreenCtx, collection: Collection) -> Vec<Effect> {
        if matches!(collection, Collection::Teams | Collection::Customers) {
            return vec![self.load(ctx)];
        }
        Vec::new()
    }

    fn removed(&mut self, ctx: &mut ScreenCtx, collection: Collection, _id: &str) -> Vec<Effect> {
        if collection == Collection::Teams {
            return vec![self.load(ctx)];
        }
        Vec::new()
    }

    fn resize(&mut self, _rows: usize) {}

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        super::draw::draw(frame, ctx, &self.board, areas.body);
    }

    fn writes(&self, action: Action) -> Option<Collection> {
        matches!(
            action,
            Action::MoveCustomerLeft | Action::MoveCustomerRight | Action::TeamUndo
        )
        .then_some(Collection::Customers)
    }

    fn writing(&self) -> bool {
        // A move on its way, or the reload after it that puts the moved
        // customer under the selection: `L L` or `L u` typed in one go
        // act on the customer where the first key left it.
        let moving = self
            .pending
            .values()
            .any(|what| matches!(what, TeamsRequest::Move(_)));
        let settling = self.board.following.is_some()
            && (self.board.load.is_loading()
                || self
                    .board
                    .team()
                    .and_then(|team| self.board.members.get(record_id(team)))
                    .is_some_and(|members| members.load.is_loading()));
        moving || settling
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        let mut hints = write_hints(env, Collection::Teams);
        if env.can_write(Collection::Customers) {
            hints.push((Action::MoveCustomerRight, "move"));
        }
        hints
    }
}
