//! The week ahead (`:week`): the signed-in staff member's days ahead
//! (`GET /week-ahead?days=7`), by day — each item its kind, title and
//! customer — and the customers of their teams whose health changed since
//! this screen (or `rapport agenda`) last showed it. What was shown is
//! kept in the data directory (`health-seen.json`, the format the command
//! line reads) through `Command::ReadSeen` and `Command::KeepSeen`, so the
//! screen does no I/O of its own. Enter on an item opens its records, as an
//! agenda item's sources open on the Meetings screen.
//!
//! Submodules: `draw` (the lines), `fixtures` and `tests`.

mod draw;
#[cfg(test)]
pub mod fixtures;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use rapport_shared::Collection;
use ratatui::Frame;
use serde_json::Value;

use crate::api::Record;
use crate::api::views::ViewCall;
use crate::components::detail::field_line;
use crate::components::form::FieldSpec;
use crate::components::full_detail::FullDetail;
use crate::config::Settings;
use crate::keymap::{Action, Context};
use crate::layout::Areas;
use crate::messages::{Command, Reply, SeenHealth};
use crate::remote::{Remote, RequestId};
use crate::screens::list::say_error;
use crate::screens::{DrawCtx, Effect, Env, Screen, ScreenCtx, ScreenEntry};
use crate::strings;

/// The registry entry of the week ahead: no number key, `:week`.
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_WEEK,
    name: "week",
    icon: "\u{f073} ",
    // The registry keys screens by collection, one each. The week lists
    // several and writes none; level results have no screen of their own
    // (they open on the customer screen's agreements), so they stand for it.
    collection: Collection::LevelResults,
    go: None,
    context: Context::Board,
    record: "",
    find: false,
    short_ids: false,
    palette: &[],
    fields: no_fields,
    rules: |_| Ok(()),
    owned_form: None,
    defaults: Record::new,
    detail: None,
    make: |_: &Settings| Box::new(WeekScreen::default()),
};

fn no_fields() -> Vec<FieldSpec> {
    Vec::new()
}

/// Days the screen looks ahead, today included.
pub const DAYS: i64 = 7;

/// What a request of the screen was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Week,
    Seen,
}

/// A customer whose health differs from what was last shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub customer_id: String,
    pub before: String,
    pub now: String,
}

/// The week ahead's state.
#[derive(Debug, Default)]
pub struct WeekScreen {
    pub load: Remote,
    /// The week as the server sent it.
    pub week: Option<Value>,
    /// The health states last shown, as read when the screen first
    /// loaded (kept for the session, so a change stays listed after a reload).
    pub seen: Option<SeenHealth>,
    /// The customers whose health changed since `seen`.
    pub changed: Vec<Changed>,
    /// The selected item, counted over every day's items.
    pub row: usize,
    pending: HashMap<RequestId, Load>,
    /// Something the week reads changed: reload on the next tick.
    stale: bool,
}

impl WeekScreen {
    /// Every item of the week, in order, with its day's date.
    pub fn items(&self) -> Vec<&Value> {
        days(self.week.as_ref())
            .iter()
            .flat_map(|day| day_items(day).iter())
            .collect()
    }

    /// `v`: the selected item's whole detail (its day, kind, title and customer).
    fn item_detail(&self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let mut at = self.row;
        for day in days(self.week.as_ref()) {
            let items = day_items(day);
            let Some(item) = items.get(at) else {
                at -= items.len();
                continue;
            };
            let word = |value: &Value, field: &str| {
                crate::api::without_controls(
                    value.get(field).and_then(Value::as_str).unwrap_or_default(),
                )
            };
            let title = word(item, "title");
            let customer = ctx.lookup.name(&word(item, "customer_id"));
            let lines = vec![
                field_line(strings::WEEK_DETAIL_DAY, word(day, "date")),
                field_line(
                    strings::WEEK_DETAIL_KIND,
                    word(item, "kind").replace('_', " "),
                ),
                field_line(strings::WEEK_DETAIL_TITLE, title.clone()),
                field_line(strings::WEEK_DETAIL_CUSTOMER, customer),
            ];
            return vec![Effect::Detail(FullDetail::new(title, lines))];
        }
        ctx.say(strings::DETAIL_NOTHING_SELECTED, false);
        Vec::new()
    }

    fn send(&mut self, what: Load, command: Command) -> Effect {
        let request = command.request().unwrap_or(0);
        self.pending.insert(request, what);
        if what == Load::Week {
            self.load = Remote::Loading(request);
        }
        Effect::Command(command)
    }

    fn load(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if no_staff(&ctx.env) {
            self.load = Remote::Failed(strings::WEEK_NO_STAFF.to_string());
            return Vec::new();
        }
        self.pending.clear();
        let mut effects = Vec::new();
        if self.seen.is_none() {
            let read = ctx.request(|request| Command::ReadSeen { request });
            effects.push(self.send(Load::Seen, read));
        }
        let call = ViewCall::WeekAhead { days: DAYS };
        let week = ctx.request(|request| Command::View { request, call });
        effects.push(self.send(Load::Week, week));
        effects
    }

    /// Once both the week and what was seen have arrived: the customers
    /// whose state changed, and the states now shown kept for the next look.
    fn compare(&mut self) -> Vec<Effect> {
        let (Some(week), Some(seen)) = (&self.week, &self.seen) else {
            return Vec::new();
        };
        let mut now_seen = seen.clone();
        self.changed.clear();
        for customer in week
            .get("customers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let word = |field: &str| {
                customer
                    .get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let (id, now) = (word("customer_id"), word("state"));
            if id.is_empty() {
                continue;
            }
            if let Some(before) = seen.get(&id)
                && *before != now
            {
                self.changed.push(Changed {
                    customer_id: id.clone(),
                    before: before.clone(),
                    now: now.clone(),
                });
            }
            now_seen.insert(id, now);
        }
        vec![Effect::Command(Command::KeepSeen(now_seen))]
    }
}

/// Whether the user is known to have no staff member behind the token.
fn no_staff(env: &Env) -> bool {
    env.me.is_some_and(|me| me.staff_id.is_none())
}

/// The days of a week-ahead answer.
pub fn days(week: Option<&Value>) -> &[Value] {
    week.and_then(|w| w.get("days"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The items of one day.
pub fn day_items(day: &Value) -> &[Value] {
    day.get("items")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

impl Screen for WeekScreen {
    /// The record behind the selected item (its source's first record).
    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        let item = *self.items().get(self.row)?;
        let source = item.get("source")?;
        let collection = Collection::parse(source.get("collection")?.as_str()?)?;
        let id = source.get("ids")?.as_array()?.first()?.as_str()?;
        let title = item
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some(crate::screens::Selected {
            collection,
            id: id.to_string(),
            label: crate::api::without_controls(title),
        })
    }

    fn is_idle(&self) -> bool {
        self.load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        let last = self.items().len().saturating_sub(1);
        match action {
            Action::Down => self.row = (self.row + 1).min(last),
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::HalfPageDown => self.row = (self.row + 5).min(last),
            Action::HalfPageUp => self.row = self.row.saturating_sub(5),
            Action::Top => self.row = 0,
            Action::Bottom => self.row = last,
            Action::Refresh => return self.load(ctx),
            Action::FullDetail => return self.item_detail(ctx),
            Action::Open => {
                let Some(item) = self.items().get(self.row).copied().cloned() else {
                    ctx.say(strings::WEEK_NO_SELECTION, false);
                    return Vec::new();
                };
                // An item names its customer, as a meeting does.
                let owner: Record = item.as_object().cloned().unwrap_or_default();
                match crate::screens::meetings::items::source_screen(&item, &owner) {
                    Ok(effect) => return vec![effect],
                    Err(message) => ctx.say(message, true),
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn back(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        Vec::new()
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        match (what, reply) {
            (Load::Seen, Reply::Seen(seen)) => {
                self.seen = Some(seen);
                self.compare()
            }
            (Load::Week, Reply::View(Ok(week))) => {
                self.week = Some(week);
                self.load = Remote::Loaded;
                self.row = self.row.min(self.items().len().saturating_sub(1));
                self.compare()
            }
            (Load::Week, reply) => {
                let message = reply
                    .error()
                    .map_or_else(|| "unexpected answer".to_string(), |e| e.to_string());
                self.load = Remote::Failed(message);
                say_error(ctx, reply.error());
                Vec::new()
            }
            (Load::Seen, _) => {
                // Nothing kept could be read: every state counts as new.
                self.seen = Some(SeenHealth::new());
                self.compare()
            }
        }
    }

    fn on_change(
        &mut self,
        _ctx: &mut ScreenCtx,
        change: &crate::api::ServerChange,
    ) -> Vec<Effect> {
        let read = matches!(
            change.collection,
            Some(
                // The items' records, and what the customers' health reads.
                Collection::Meetings
                    | Collection::Agreements
                    | Collection::Activities
                    | Collection::Notices
                    | Collection::Teams
                    | Collection::Customers
                    | Collection::LevelResults
                    | Collection::Rfcs
                    | Collection::Surveys
                    | Collection::SurveyResponses
                    | Collection::BudgetLines
                    | Collection::Usage
            )
        );
        if read && self.week.is_some() {
            self.stale = true;
        }
        Vec::new()
    }

    fn on_tick(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.stale && self.pending.is_empty() {
            self.stale = false;
            return self.load(ctx);
        }
        Vec::new()
    }

    fn resize(&mut self, _rows: usize) {}

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        draw::draw(frame, ctx, self, areas.body);
    }

    fn hints(&self, _env: &Env) -> Vec<(Action, &'static str)> {
        vec![(Action::Open, "its records"), (Action::Refresh, "reload")]
    }
}
