//! The customer screen's part of `update`: opening a customer loads the
//! customer, each section's records, every agreement's attainment and the
//! budget; keys move between sections and rows, drill into the budget and
//! open the usual forms; a change from the feed to anything the screen
//! shows reloads it on the next tick (one reload for a burst).

use std::collections::HashMap;

use rapport_shared::Collection;
use ratatui::Frame;

use super::{CustomerState, Drill, Section};
use crate::api::{ListQuery, Record, ServerChange, text};
use crate::keymap::Action;
use crate::layout::Areas;
use crate::messages::{Command, Reply};
use crate::remote::{Remote, RequestId};
use crate::screens::list::write_hints;
use crate::screens::{DrawCtx, Effect, Env, Screen, ScreenCtx, ScreenId};

/// What a request of the customer screen is for.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Load {
    /// The first customer, when the screen is shown before one was opened.
    First,
    Customer,
    Section(Section),
    Attainment(String),
    Budget,
    Usage,
    Satisfaction,
    Health,
}

/// The customer screen.
#[derive(Debug)]
pub struct CustomerScreen {
    pub state: CustomerState,
    pub(super) pending: HashMap<RequestId, Load>,
    /// Something shown changed on the server: reload on the next tick.
    stale: bool,
}

impl CustomerScreen {
    /// A screen showing no customer yet; `today` dates its views.
    pub fn new(today: jiff::civil::Date) -> CustomerScreen {
        CustomerScreen {
            state: CustomerState::new(today),
            pending: HashMap::new(),
            stale: false,
        }
    }

    /// Moves the selection of the focused section.
    fn move_row(&mut self, action: Action) {
        let count = self.rows();
        let row = match self.state.section {
            Section::Budget => &mut self.state.budget.row,
            Section::Health => &mut self.state.health.row,
            section => match self.state.part_mut(section) {
                Some(part) => &mut part.row,
                None => return,
            },
        };
        let last = count.saturating_sub(1);
        *row = match action {
            Action::Down => (*row + 1).min(last),
            Action::Up => row.saturating_sub(1),
            Action::HalfPageDown => (*row + 5).min(last),
            Action::HalfPageUp => row.saturating_sub(5),
            Action::Top => 0,
            Action::Bottom => last,
            _ => *row,
        };
    }

    /// Rows in the focused section.
    fn rows(&self) -> usize {
        match self.state.section {
            Section::Budget => super::budget::budget_rows(&self.state).len(),
            Section::Health => self.state.health.signals().len(),
            section => self.state.part(section).map_or(0, |p| p.items.len()),
        }
    }

    /// Enter in the budget: a service drills into its months, a month into
    /// its usage lines.
    fn drill_down(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let rows = super::budget::budget_rows(&self.state);
        let Some(key) = rows.get(self.state.budget.row).map(|r| r.key.clone()) else {
            return Vec::new();
        };
        let budget = &mut self.state.budget;
        let next = match &budget.drill {
            Drill::Services => Drill::Service(key),
            Drill::Service(service) => Drill::Month(service.clone(), key),
            Drill::Programs | Drill::Month(..) => return Vec::new(),
        };
        budget.above.push(budget.row);
        budget.row = 0;
        budget.drill = next.clone();
        match next {
            Drill::Month(service, month) => {
                self.load_usage(ctx, service, month).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Esc in the budget goes one level up; elsewhere it does nothing.
    fn drill_up(&mut self) -> bool {
        let budget = &mut self.state.budget;
        let up = match &budget.drill {
            Drill::Month(service, _) => Drill::Service(service.clone()),
            Drill::Service(_) | Drill::Programs => Drill::Services,
            Drill::Services => return false,
        };
        budget.drill = up;
        budget.row = budget.above.pop().unwrap_or(0);
        true
    }

    /// Enter on a signal: the records behind it, on this screen's own
    /// section or another screen.
    fn open_signal(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let health = &self.state.health;
        let Some(signal) = health.signals().get(health.row) else {
            return Vec::new();
        };
        let customer = self.state.customer_id.clone().unwrap_or_default();
        match super::health::target(signal, &customer) {
            Ok(super::health::Target::Section(section)) => {
                self.state.section = section;
                Vec::new()
            }
            Ok(super::health::Target::Show(effect)) => vec![effect],
            Err(message) => {
                ctx.say(message, true);
                Vec::new()
            }
        }
    }

    fn collection(&self) -> Collection {
        match (&self.state.section, &self.state.budget.drill) {
            (Section::Budget, Drill::Month(..)) => Collection::Usage,
            (section, _) => section.collection(),
        }
    }

    /// The record `e` edits in the focused section.
    fn editable(&self) -> Option<Record> {
        match self.state.section {
            Section::Overview => self.state.customer.clone(),
            Section::Budget => match &self.state.budget.drill {
                Drill::Month(..) => self
                    .state
                    .budget
                    .usage
                    .items
                    .get(self.state.budget.row)
                    .cloned(),
                _ => None,
            },
            _ => self.state.selected().cloned(),
        }
    }
}

impl Screen for CustomerScreen {
    /// The selected record of a listed section, else the customer itself.
    fn selected(&self, _lookup: &crate::lookup::Lookup) -> Option<crate::screens::Selected> {
        if let Some(record) = self.state.selected() {
            return crate::screens::Selected::of(self.state.section.collection(), record);
        }
        crate::screens::Selected::of(Collection::Customers, self.state.customer.as_ref()?)
    }

    fn is_idle(&self) -> bool {
        self.state.customer_load == Remote::Idle
    }

    fn enter(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.state.customer_id.is_some() {
            return self.load(ctx);
        }
        let query = ListQuery {
            limit: 1,
            ..ListQuery::default()
        };
        let (effect, request) = self.send(ctx, Load::First, |request| Command::List {
            request,
            collection: Collection::Customers,
            query,
        });
        self.state.customer_load = Remote::Loading(request);
        vec![effect]
    }

    fn narrow(&mut self, ctx: &mut ScreenCtx, filters: Vec<(String, String)>) -> Vec<Effect> {
        // `section` names the section to show (an agenda item's source
        // agreements open the agreements).
        let section = filters
            .iter()
            .find(|(key, _)| key == "section")
            .and_then(|(_, name)| Section::of_collection(name));
        let Some((_, id)) = filters.into_iter().find(|(key, _)| key == "id") else {
            return Vec::new();
        };
        let effects = self.open(ctx, id);
        if let Some(section) = section {
            self.state.section = section;
        }
        effects
    }

    fn act(&mut self, ctx: &mut ScreenCtx, action: Action) -> Vec<Effect> {
        if let Some(section) = Section::of_action(action) {
            self.state.section = section;
            return Vec::new();
        }
        match action {
            Action::SectionNext => self.state.section = self.state.section.step(1),
            Action::SectionPrev => self.state.section = self.state.section.step(-1),
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp => self.move_row(action),
            Action::Refresh => return self.load(ctx),
            Action::BudgetPrograms if self.state.section == Section::Budget => {
                let budget = &mut self.state.budget;
                budget.drill = if budget.drill == Drill::Programs {
                    Drill::Services
                } else {
                    Drill::Programs
                };
                budget.row = 0;
                budget.above.clear();
            }
            // `v` outside the budget, as on every screen: the whole detail
            // of the record selected, else of the customer.
            Action::BudgetPrograms | Action::FullDetail => {
                let (collection, record) = match self.state.selected() {
                    Some(record) => (self.state.section.collection(), Some(record.clone())),
                    None => (Collection::Customers, self.state.customer.clone()),
                };
                return crate::screens::show_detail(ctx, collection, record.as_ref());
            }
            Action::Open => match self.state.section {
                Section::Budget => return self.drill_down(ctx),
                Section::Health => return self.open_signal(ctx),
                Section::Contacts => {
                    let id = self.state.customer_id.clone().unwrap_or_default();
                    return vec![Effect::Show(
                        ScreenId::Contacts,
                        vec![("customer_id".to_string(), id)],
                    )];
                }
                Section::Meetings => {
                    if let Some(meeting) = self.state.selected() {
                        let id = crate::api::record_id(meeting).to_string();
                        return vec![Effect::Show(
                            ScreenId::Meetings,
                            vec![("id".to_string(), id)],
                        )];
                    }
                }
                _ => {
                    let collection = self.collection();
                    if let Some(record) = self.editable()
                        && ctx.env.can_write(collection)
                    {
                        return vec![Effect::Edit(collection, record)];
                    }
                }
            },
            Action::New if !self.state.section.is_customer_itself() => {
                return vec![Effect::Create(self.collection())];
            }
            Action::Edit => {
                if let Some(record) = self.editable() {
                    return vec![Effect::Edit(self.collection(), record)];
                }
            }
            Action::Delete if !self.state.section.is_customer_itself() => {
                if let Some(record) = self.editable() {
                    return vec![Effect::Delete(self.collection(), record)];
                }
            }
            Action::Copy => {
                if let Some(customer) = &self.state.customer {
                    let code = text(customer, "code").to_string();
                    ctx.say(crate::strings::copied(&code), false);
                    return vec![Effect::Command(Command::Copy(code))];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn back(&mut self, _ctx: &mut ScreenCtx) -> Vec<Effect> {
        if self.state.section == Section::Budget {
            self.drill_up();
        }
        Vec::new()
    }

    fn on_reply(&mut self, ctx: &mut ScreenCtx, request: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(what) = self.pending.remove(&request) else {
            return Vec::new();
        };
        super::replies::arrived(self, ctx, what, reply)
    }

    fn on_change(&mut self, _ctx: &mut ScreenCtx, change: &ServerChange) -> Vec<Effect> {
        let Some(collection) = change.collection else {
            return Vec::new();
        };
        let shown = self.state.customer_id.is_some()
            && (Section::ALL.iter().any(|s| s.collection() == collection)
                || matches!(
                    collection,
                    Collection::Usage
                        | Collection::LevelResults
                        | Collection::Teams
                        | Collection::Staff
                        // What the health's satisfaction signal reads.
                        | Collection::Surveys
                        | Collection::SurveyResponses
                ));
        if shown {
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

    fn saved(&mut self, ctx: &mut ScreenCtx, _collection: Collection) -> Vec<Effect> {
        self.load(ctx)
    }

    fn removed(&mut self, ctx: &mut ScreenCtx, _collection: Collection, _id: &str) -> Vec<Effect> {
        self.load(ctx)
    }

    fn create_defaults(&self, collection: Collection) -> Vec<(String, String)> {
        let Some(id) = self.state.customer_id.clone() else {
            return Vec::new();
        };
        // A notice names services, not a customer.
        if collection == Collection::Notices {
            return Vec::new();
        }
        let mut defaults = vec![("customer_id".to_string(), id)];
        if collection == Collection::Usage
            && let Drill::Month(service, month) = &self.state.budget.drill
        {
            defaults.push(("service_id".to_string(), service.clone()));
            defaults.push(("month".to_string(), month.clone()));
        }
        if collection == Collection::BudgetLines {
            defaults.push(("year".to_string(), self.state.today.year().to_string()));
        }
        defaults
    }

    fn resize(&mut self, _rows: usize) {}

    fn draw(&self, ctx: &DrawCtx, frame: &mut Frame, areas: &Areas) {
        super::draw::draw(frame, ctx, &self.state, areas.body);
    }

    fn hints(&self, env: &Env) -> Vec<(Action, &'static str)> {
        let mut hints = vec![(Action::SectionNext, "section")];
        if self.state.section == Section::Health {
            hints.push((Action::Open, "its records"));
        }
        if self.state.section == Section::Budget {
            hints.push((Action::Open, "drill down"));
            hints.push((Action::BudgetPrograms, "programs"));
        }
        // The health is read, not written, here.
        if self.state.section != Section::Health {
            hints.extend(write_hints(env, self.collection()));
        }
        hints
    }
}
