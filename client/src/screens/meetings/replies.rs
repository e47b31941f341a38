//! The Meetings screen's answers: pages of meetings (read on until the
//! last), a meeting read again, my actions, the customer a palette word
//! named, the steps of a proposal, writes taken or refused, and the
//! records raised from actions.

use rapport_shared::Collection;
use serde_json::Value;

use super::loads::Load;
use super::{MeetingsScreen, Mode, items};
use crate::api::{ApiError, Record, record_id, text};
use crate::messages::Reply;
use crate::remote::{Remote, RequestId};
use crate::screens::list::say_error;
use crate::screens::{Effect, ScreenCtx};
use crate::strings;

/// Puts the answer to request `request`, sent for `what`, into the screen.
pub(super) fn arrived(
    screen: &mut MeetingsScreen,
    ctx: &mut ScreenCtx,
    request: RequestId,
    what: Load,
    reply: Reply,
) -> Vec<Effect> {
    match (what, reply) {
        (Load::Page(query), Reply::Page(Ok(page))) => {
            if query.cursor.is_none() {
                screen.meetings = page.items;
            } else {
                screen.meetings.extend(page.items);
            }
            if let Some(cursor) = page.next_cursor {
                let next = crate::api::ListQuery {
                    cursor: Some(cursor),
                    ..query
                };
                let (effect, request) = screen.page(ctx, next);
                screen.load = Remote::Loading(request);
                return vec![effect];
            }
            screen.load = Remote::Loaded;
            Vec::new()
        }
        (Load::Page(_), reply) => {
            let message = reply
                .error()
                .map_or_else(|| strings::UNEXPECTED.to_string(), ToString::to_string);
            screen.load = Remote::Failed(message);
            Vec::new()
        }
        (Load::Meeting, Reply::Record(Ok(meeting))) => {
            let mut effects = Vec::new();
            if screen.open_id.as_deref() == Some(record_id(&meeting)) {
                // Opened before it was loaded (from my actions, another
                // screen): its contacts are named once it is here.
                if screen.open.is_none() {
                    let customer = text(&meeting, "customer_id").to_string();
                    effects.push(screen.load_contacts(ctx, customer));
                }
                screen.open_load = Remote::Loaded;
            }
            screen.put(meeting);
            effects
        }
        (Load::Contacts, Reply::Page(Ok(page))) => {
            ctx.lookup.learn(Collection::Contacts, &page.items);
            Vec::new()
        }
        (Load::Meeting, Reply::Record(Err(error))) => {
            if screen.open_load.awaits(request) {
                screen.open_load = Remote::Failed(error.to_string());
            }
            say_error(ctx, Some(&error));
            Vec::new()
        }
        (Load::Actions, Reply::View(Ok(view))) => {
            screen.actions = view
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            screen.actions_load = Remote::Loaded;
            screen.action_row = screen
                .action_row
                .min(screen.actions.len().saturating_sub(1));
            Vec::new()
        }
        (Load::Actions, reply) => {
            let message = reply
                .error()
                .map_or_else(|| strings::UNEXPECTED.to_string(), ToString::to_string);
            screen.actions_load = Remote::Failed(message);
            Vec::new()
        }
        (Load::Customer(wanted), Reply::Page(Ok(page))) => {
            let exact = page
                .items
                .iter()
                .find(|c| text(c, "code").to_lowercase() == wanted);
            let Some(customer) = exact.or(page.items.first()) else {
                ctx.say(strings::meetings_nobody_matches(&wanted), true);
                return Vec::new();
            };
            ctx.lookup
                .learn(Collection::Customers, std::slice::from_ref(customer));
            screen.narrowing = vec![("customer_id".to_string(), record_id(customer).to_string())];
            screen.rows = [0, 0];
            screen.load(ctx)
        }
        (Load::Previous(id), Reply::Page(Ok(page))) => {
            let Some(meeting) = screen.meeting(&id).cloned() else {
                return Vec::new();
            };
            let previous = items::previous_start(&page.items, &meeting);
            screen.ask_proposal(ctx, &meeting, previous)
        }
        (Load::Proposal(id), Reply::View(Ok(view))) => {
            let agenda = items::agenda_of(&view);
            if agenda.is_empty() {
                ctx.say(strings::MEETING_EMPTY_PROPOSAL, true);
                return Vec::new();
            }
            let Some(meeting) = screen.meeting(&id).cloned() else {
                return Vec::new();
            };
            let message = strings::agenda_filled(agenda.len());
            let mut patch = Record::new();
            patch.insert("agenda".into(), Value::Array(agenda));
            let what = Load::Write {
                message,
                select: Some(0),
                editor: false,
            };
            screen.write(ctx, &meeting, patch, what)
        }
        (
            Load::Write {
                message,
                select,
                editor,
            },
            Reply::Record(Ok(meeting)),
        ) => {
            ctx.say(message, false);
            if editor {
                screen.editor = None;
            }
            if let Some(select) = select {
                screen.item = select;
            }
            screen.put(meeting.clone());
            let mut effects = vec![Effect::Put(Collection::Meetings, meeting)];
            if screen.mode == Mode::MyActions {
                effects.push(screen.load_actions(ctx));
            }
            effects
        }
        (Load::Write { .. }, Reply::Record(Err(ApiError::Stale))) => {
            // Someone changed the meeting meanwhile: read it again; the
            // editor keeps the text to save once more.
            ctx.say(strings::MEETING_STALE, true);
            let id = screen
                .editor
                .as_ref()
                .map(|e| e.meeting_id.clone())
                .or_else(|| screen.open_id.clone());
            match id {
                Some(id) => vec![screen.fetch(ctx, id, Load::Meeting)],
                None => screen.load(ctx),
            }
        }
        (Load::Tick { index, text: said }, Reply::Record(Ok(meeting))) => {
            let actions = items::list(&meeting, "actions");
            let same = actions
                .get(index)
                .and_then(|a| a.get("text"))
                .and_then(Value::as_str)
                == Some(said.as_str());
            screen.put(meeting.clone());
            match items::ticked(&actions, index).filter(|_| same) {
                Some(list) => {
                    let mut patch = Record::new();
                    patch.insert("actions".into(), Value::Array(list));
                    let what = Load::Write {
                        message: strings::MEETING_TICKED.to_string(),
                        select: None,
                        editor: false,
                    };
                    screen.write(ctx, &meeting, patch, what)
                }
                None => {
                    ctx.say(strings::MEETING_STALE, true);
                    vec![screen.load_actions(ctx)]
                }
            }
        }
        (Load::Created(collection), Reply::Record(Ok(record))) => {
            let label = crate::lookup::label(collection, &record);
            let label = if label.is_empty() {
                text(&record, "description")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            } else {
                label
            };
            ctx.say(strings::saved(collection.noun(), &label), false);
            vec![Effect::Put(collection, record)]
        }
        (_, reply) => {
            say_error(ctx, reply.error());
            Vec::new()
        }
    }
}
