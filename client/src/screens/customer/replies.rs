//! The customer screen's answers: each puts what arrived into its part of
//! the state; agreements arriving ask for their attainment.

use rapport_shared::Collection;

use super::update::{CustomerScreen, Load};
use crate::api::{Record, record_id};
use crate::messages::Reply;
use crate::remote::Remote;
use crate::screens::list::say_error;
use crate::screens::{Effect, ScreenCtx};

/// Puts the answer to a request for `what` into the screen.
pub(super) fn arrived(
    screen: &mut CustomerScreen,
    ctx: &mut ScreenCtx,
    what: Load,
    reply: Reply,
) -> Vec<Effect> {
    let state = &mut screen.state;
    match (what, reply) {
        (Load::First, Reply::Page(Ok(page))) => {
            ctx.lookup.learn(Collection::Customers, &page.items);
            state.customer_load = Remote::Idle;
            match page.items.first() {
                Some(first) => screen.open(ctx, record_id(first).to_string()),
                None => {
                    state.customer_load = Remote::Loaded;
                    Vec::new()
                }
            }
        }
        (Load::Customer, Reply::Record(Ok(customer))) => {
            ctx.lookup
                .learn(Collection::Customers, std::slice::from_ref(&customer));
            state.customer = Some(customer);
            state.customer_load = Remote::Loaded;
            Vec::new()
        }
        (Load::Section(section), Reply::Page(Ok(page))) => {
            ctx.lookup.learn(section.collection(), &page.items);
            let mut items = page.items;
            if section == super::Section::Notices {
                let id = state.customer_id.clone().unwrap_or_default();
                items.retain(|notice| super::reaches(notice, &id));
            }
            if section == super::Section::Meetings {
                // The latest first.
                items.sort_by_key(|meeting| {
                    std::cmp::Reverse(crate::screens::meetings::starts(meeting))
                });
            }
            if let Some(part) = state.part_mut(section) {
                part.items = items;
                part.load = Remote::Loaded;
                part.row = part.row.min(part.items.len().saturating_sub(1));
            }
            if section == super::Section::Agreements {
                return screen.load_attainment(ctx);
            }
            Vec::new()
        }
        (Load::Attainment(agreement), Reply::View(Ok(view))) => {
            state.attainment.insert(agreement, view);
            Vec::new()
        }
        (Load::Budget, Reply::View(Ok(view))) => {
            state.budget.view = Some(view);
            state.budget.load = Remote::Loaded;
            Vec::new()
        }
        (Load::Health, Reply::View(Ok(view))) => {
            let health = &mut state.health;
            health.view = Some(view);
            health.load = Remote::Loaded;
            health.row = health.row.min(health.signals().len().saturating_sub(1));
            Vec::new()
        }
        (Load::Satisfaction, Reply::View(Ok(view))) => {
            state.satisfaction = Some(view);
            Vec::new()
        }
        (Load::Usage, Reply::Page(Ok(page))) => {
            let usage = &mut state.budget.usage;
            usage.items = page.items;
            usage.load = Remote::Loaded;
            Vec::new()
        }
        (what, reply) => {
            let message = reply
                .error()
                .map_or_else(|| "unexpected answer".to_string(), |e| e.to_string());
            let failed = Remote::Failed(message);
            match what {
                Load::First | Load::Customer => state.customer_load = failed,
                Load::Section(section) => {
                    if let Some(part) = state.part_mut(section) {
                        part.load = failed;
                    }
                }
                Load::Budget => state.budget.load = failed,
                Load::Health => state.health.load = failed,
                Load::Usage => state.budget.usage.load = failed,
                Load::Attainment(_) | Load::Satisfaction => {}
            }
            say_error(ctx, reply.error());
            Vec::new()
        }
    }
}

/// The agreement's attainment, if it arrived.
pub fn attainment<'a>(
    screen: &'a super::CustomerState,
    agreement: &Record,
) -> Option<&'a serde_json::Value> {
    screen.attainment.get(record_id(agreement))
}
