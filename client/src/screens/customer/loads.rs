//! The customer screen's loads: opening a customer asks for the customer,
//! each listed section's records by `customer_id`, the budget of this
//! year, its health and, once the agreements arrive, each agreement's attainment over the
//! last months. Every request is remembered with what it is for; a reload
//! forgets the older ones, so their answers are dropped.

use rapport_shared::Collection;
use rapport_shared::month::Month;

use super::update::{CustomerScreen, Load};
use super::{ATTAINMENT_MONTHS, CustomerState, Drill, SECTION_LIMIT, Section};
use crate::api::views::ViewCall;
use crate::api::{ListQuery, record_id};
use crate::messages::Command;
use crate::remote::{Remote, RequestId};
use crate::screens::{Effect, ScreenCtx};

impl CustomerScreen {
    pub(super) fn send(
        &mut self,
        ctx: &mut ScreenCtx,
        what: Load,
        build: impl FnOnce(RequestId) -> Command,
    ) -> (Effect, RequestId) {
        let command = ctx.request(build);
        let request = command.request().unwrap_or(0);
        self.pending.insert(request, what);
        (Effect::Command(command), request)
    }

    fn list(
        &mut self,
        ctx: &mut ScreenCtx,
        what: Load,
        collection: Collection,
        filters: Vec<(String, String)>,
    ) -> (Effect, RequestId) {
        let query = ListQuery {
            limit: SECTION_LIMIT,
            filters,
            ..ListQuery::default()
        };
        self.send(ctx, what, |request| Command::List {
            request,
            collection,
            query,
        })
    }

    /// Opens customer `id`: every section loads again.
    pub fn open(&mut self, ctx: &mut ScreenCtx, id: String) -> Vec<Effect> {
        if self.state.customer_id.as_deref() != Some(id.as_str()) {
            let today = self.state.today;
            self.state = CustomerState::new(today);
            self.state.customer_id = Some(id);
        }
        self.load(ctx)
    }

    /// Loads everything about the customer shown (answers to older loads are dropped).
    pub(super) fn load(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let Some(id) = self.state.customer_id.clone() else {
            return Vec::new();
        };
        self.pending.clear();
        let mut effects = Vec::new();
        let customer_id = id.clone();
        let (effect, request) = self.send(ctx, Load::Customer, |request| Command::Get {
            request,
            collection: Collection::Customers,
            id: customer_id,
        });
        self.state.customer_load = Remote::Loading(request);
        effects.push(effect);
        for section in Section::LISTED {
            let filters = section.filters(&id);
            let (effect, request) =
                self.list(ctx, Load::Section(section), section.collection(), filters);
            if let Some(part) = self.state.part_mut(section) {
                part.load = Remote::Loading(request);
            }
            effects.push(effect);
        }
        effects.push(self.load_budget(ctx));
        let call = ViewCall::Health {
            customer_id: id.clone(),
        };
        let (effect, request) =
            self.send(ctx, Load::Health, |request| Command::View { request, call });
        self.state.health.load = Remote::Loading(request);
        effects.push(effect);
        let call = ViewCall::Satisfaction {
            customer_id: id.clone(),
        };
        let (effect, _) = self.send(ctx, Load::Satisfaction, |request| Command::View {
            request,
            call,
        });
        effects.push(effect);
        if let Drill::Month(service, month) = self.state.budget.drill.clone() {
            effects.extend(self.load_usage(ctx, service, month));
        }
        effects
    }

    fn load_budget(&mut self, ctx: &mut ScreenCtx) -> Effect {
        let call = ViewCall::Budget {
            customer_id: self.state.customer_id.clone().unwrap_or_default(),
            year: i32::from(self.state.today.year()),
        };
        let (effect, request) =
            self.send(ctx, Load::Budget, |request| Command::View { request, call });
        self.state.budget.load = Remote::Loading(request);
        effect
    }

    pub(super) fn load_usage(
        &mut self,
        ctx: &mut ScreenCtx,
        service: String,
        month: String,
    ) -> Option<Effect> {
        let filters = vec![
            (
                "customer_id".to_string(),
                self.state.customer_id.clone().unwrap_or_default(),
            ),
            ("service_id".to_string(), service),
            ("month".to_string(), month),
        ];
        let usage = Collection::Usage;
        let (effect, request) = self.list(ctx, Load::Usage, usage, filters);
        self.state.budget.usage.load = Remote::Loading(request);
        Some(effect)
    }

    pub(super) fn load_attainment(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let to = Month::of(self.state.today);
        let from = to.minus(ATTAINMENT_MONTHS - 1);
        let ids: Vec<String> = self
            .state
            .agreements
            .items
            .iter()
            .map(|a| record_id(a).to_string())
            .collect();
        ids.into_iter()
            .map(|agreement_id| {
                let call = ViewCall::Attainment {
                    agreement_id: agreement_id.clone(),
                    from: from.to_string(),
                    to: to.to_string(),
                };
                self.send(ctx, Load::Attainment(agreement_id), |request| {
                    Command::View { request, call }
                })
                .0
            })
            .collect()
    }
}
