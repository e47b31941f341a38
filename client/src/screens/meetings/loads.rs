//! The Meetings screen's requests: the boards over the range, a meeting
//! read again, my actions, the proposal (after the previous follow-up, for
//! a follow-up's period), and the writes: every change to a meeting is a
//! PATCH of the one field it changes, with the version read, checked by
//! the shared rules first.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rapport_shared::Collection;
use rapport_shared::records::MeetingInput;
use serde_json::{Value, json};

use super::{MeetingsScreen, Mode, PAGE_LIMIT, Part, Question, RANGE_DAYS, Side, items, starts};
use crate::api::views::ViewCall;
use crate::api::{ListQuery, Record, record_id, record_version, text};
use crate::components::form::rules;
use crate::messages::Command;
use crate::remote::{Remote, RequestId};
use crate::screens::{Effect, ScreenCtx};
use crate::strings;

/// The longest RFC title taken from an action's text: a title is read on
/// one line of the queue, the whole text goes into the description.
const RFC_TITLE_CHARS: usize = 120;

/// What a request of the Meetings screen is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// A page of the boards' meetings (the query, for the next page).
    Page(ListQuery),
    /// A meeting read again: it replaces the copy shown.
    Meeting,
    /// The contacts of the open meeting's customer, for their names.
    Contacts,
    /// My open actions.
    Actions,
    /// The customers matching a `meetings-with` argument.
    Customer(String),
    /// The customer's follow-ups up to meeting `id`, for its period.
    Previous(String),
    /// The agenda proposal for meeting `id`.
    Proposal(String),
    /// A PATCH of a meeting: what to say when it is taken, the item to
    /// select then, and whether it closes the editor.
    Write {
        message: String,
        select: Option<usize>,
        editor: bool,
    },
    /// A meeting read to tick its action `index` (whose text is `text`).
    Tick { index: usize, text: String },
    /// An RFC or improvement created from an action.
    Created(Collection),
}

impl MeetingsScreen {
    /// Registers a request for `what` and builds its effect.
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

    /// Loads the boards: both kinds from `RANGE_DAYS` before today to as
    /// many after, narrowed; answers to an older load are dropped.
    pub(super) fn load(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        self.pending
            .retain(|_, what| !matches!(what, Load::Page(_)));
        let today = self.now().to_zoned(TimeZone::UTC).date();
        let day = |days: i64| {
            today
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(today)
                .to_string()
        };
        let mut filters = vec![
            ("from".to_string(), day(-RANGE_DAYS)),
            ("to".to_string(), day(RANGE_DAYS)),
        ];
        filters.extend(self.narrowing.iter().cloned());
        let query = ListQuery {
            limit: PAGE_LIMIT,
            filters,
            ..ListQuery::default()
        };
        let (effect, request) = self.page(ctx, query);
        self.load = Remote::Loading(request);
        vec![effect]
    }

    /// Asks for one page of the boards' meetings.
    pub(super) fn page(&mut self, ctx: &mut ScreenCtx, query: ListQuery) -> (Effect, RequestId) {
        let sent = query.clone();
        self.send(ctx, Load::Page(sent), |request| Command::List {
            request,
            collection: Collection::Meetings,
            query,
        })
    }

    /// Everything shown, read again.
    pub(super) fn reload_all(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let mut effects = self.load(ctx);
        if let Some(id) = self.open_id.clone() {
            effects.push(self.fetch(ctx, id, Load::Meeting));
        }
        if self.mode == Mode::MyActions {
            effects.push(self.load_actions(ctx));
        }
        effects
    }

    /// Reads meeting `id` for `what`.
    pub(super) fn fetch(&mut self, ctx: &mut ScreenCtx, id: String, what: Load) -> Effect {
        self.send(ctx, what, |request| Command::Get {
            request,
            collection: Collection::Meetings,
            id,
        })
        .0
    }

    /// Asks for my open actions.
    pub(super) fn load_actions(&mut self, ctx: &mut ScreenCtx) -> Effect {
        let call = ViewCall::Actions {
            owner_id: Some("me".to_string()),
            done: Some(false),
            customer_id: None,
        };
        let (effect, request) = self.send(ctx, Load::Actions, |request| Command::View {
            request,
            call,
        });
        self.actions_load = Remote::Loading(request);
        effect
    }

    /// The meeting with this id, as shown.
    pub(super) fn meeting(&self, id: &str) -> Option<&Record> {
        self.open
            .as_ref()
            .filter(|m| record_id(m) == id)
            .or_else(|| self.meetings.iter().find(|m| record_id(m) == id))
    }

    /// Opens meeting `id` on part `part`, read again from the server.
    pub(super) fn open_meeting(
        &mut self,
        ctx: &mut ScreenCtx,
        id: String,
        part: Part,
        item: usize,
    ) -> Vec<Effect> {
        self.open = self.meeting(&id).cloned();
        self.open_id = Some(id.clone());
        self.mode = Mode::Meeting;
        self.part = part;
        self.item = item;
        let effect = self.fetch(ctx, id, Load::Meeting);
        if let Effect::Command(command) = &effect {
            self.open_load = Remote::Loading(command.request().unwrap_or(0));
        }
        let mut effects = vec![effect];
        let customer = self
            .open
            .as_ref()
            .map(|m| text(m, "customer_id").to_string());
        effects.extend(customer.map(|customer| self.load_contacts(ctx, customer)));
        effects
    }

    /// Asks for the contacts of `customer`, so the attendees are named
    /// (the app knows only the purchasers).
    pub(super) fn load_contacts(&mut self, ctx: &mut ScreenCtx, customer: String) -> Effect {
        let query = ListQuery {
            limit: PAGE_LIMIT,
            filters: vec![("customer_id".to_string(), customer)],
            ..ListQuery::default()
        };
        self.send(ctx, Load::Contacts, |request| Command::List {
            request,
            collection: Collection::Contacts,
            query,
        })
        .0
    }

    /// Sends `patch` for `meeting` (after the shared rules accept the
    /// result), saying `message` once the server takes it.
    pub(super) fn write(
        &mut self,
        ctx: &mut ScreenCtx,
        meeting: &Record,
        patch: Record,
        what: Load,
    ) -> Vec<Effect> {
        if self.write.is_some() {
            ctx.say(strings::MEETING_WRITING, true);
            return Vec::new();
        }
        let mut merged = meeting.clone();
        for (key, value) in &patch {
            if value.is_null() {
                merged.remove(key);
            } else {
                merged.insert(key.clone(), value.clone());
            }
        }
        if let Err(errors) = rules::<MeetingInput>(&merged) {
            let reason = errors
                .0
                .first()
                .map(|e| format!("{}: {}", e.field, e.message))
                .unwrap_or_default();
            ctx.say(strings::meeting_refused(&reason), true);
            return Vec::new();
        }
        let id = record_id(meeting).to_string();
        let version = record_version(meeting);
        let (effect, request) = self.send(ctx, what, |request| Command::Update {
            request,
            collection: Collection::Meetings,
            id,
            version,
            patch,
        });
        self.write = Some(request);
        vec![effect]
    }

    /// A PATCH of one list field, saying `message` when taken.
    pub(super) fn write_list(
        &mut self,
        ctx: &mut ScreenCtx,
        meeting: &Record,
        field: &str,
        list: Vec<Value>,
        message: &str,
        select: Option<usize>,
    ) -> Vec<Effect> {
        let mut patch = Record::new();
        patch.insert(field.to_string(), Value::Array(list));
        let what = Load::Write {
            message: message.to_string(),
            select,
            editor: false,
        };
        self.write(ctx, meeting, patch, what)
    }

    /// `P`: fills the agenda from the proposal, asking first when the
    /// meeting has one already.
    pub(super) fn propose(&mut self, ctx: &mut ScreenCtx) -> Vec<Effect> {
        let Some(meeting) = self.current(ctx.lookup).cloned() else {
            ctx.say(strings::MEETING_PICK, true);
            return Vec::new();
        };
        let agenda = items::list(&meeting, "agenda").len();
        if agenda > 0 {
            self.asked = Some(Question::ReplaceAgenda(record_id(&meeting).to_string()));
            return vec![Effect::Ask(strings::replace_agenda(agenda))];
        }
        self.start_proposal(ctx, &meeting)
    }

    /// Asks for the proposal of `meeting`: a follow-up first finds the
    /// customer's previous follow-up, which starts its period.
    pub(super) fn start_proposal(&mut self, ctx: &mut ScreenCtx, meeting: &Record) -> Vec<Effect> {
        let id = record_id(meeting).to_string();
        ctx.say(strings::MEETING_PROPOSING, false);
        match Side::of(meeting) {
            Some(Side::FollowUp) => {
                let query = ListQuery {
                    limit: PAGE_LIMIT,
                    filters: vec![
                        ("kind".to_string(), Side::FollowUp.kind().to_string()),
                        (
                            "customer_id".to_string(),
                            text(meeting, "customer_id").to_string(),
                        ),
                        ("to".to_string(), text(meeting, "starts_at").to_string()),
                    ],
                    ..ListQuery::default()
                };
                let (effect, _) = self.send(ctx, Load::Previous(id), |request| Command::List {
                    request,
                    collection: Collection::Meetings,
                    query,
                });
                vec![effect]
            }
            _ => self.ask_proposal(ctx, meeting, None),
        }
    }

    /// Asks for the proposal over the meeting's period.
    pub(super) fn ask_proposal(
        &mut self,
        ctx: &mut ScreenCtx,
        meeting: &Record,
        previous: Option<Timestamp>,
    ) -> Vec<Effect> {
        let (Some(side), Some(start)) = (Side::of(meeting), starts(meeting)) else {
            ctx.say(strings::MEETING_NO_START, true);
            return Vec::new();
        };
        let zone = ctx.env.zone;
        let day = start.to_zoned(zone.clone()).date();
        let previous = previous.map(|at| at.to_zoned(zone.clone()).date());
        let (from, to) = items::period(side, day, previous);
        let call = ViewCall::AgendaProposal {
            customer_id: text(meeting, "customer_id").to_string(),
            kind: side.kind().to_string(),
            from: from.to_string(),
            to: to.to_string(),
        };
        let id = record_id(meeting).to_string();
        let (effect, _) = self.send(ctx, Load::Proposal(id), |request| Command::View {
            request,
            call,
        });
        vec![effect]
    }

    /// Creates an RFC or an improvement from an action of a meeting of
    /// customer `customer` (`kind`, told `when`).
    pub(super) fn raise_from_action(
        &mut self,
        ctx: &mut ScreenCtx,
        collection: Collection,
        action: &Value,
        customer: &str,
        origin: &str,
    ) -> Vec<Effect> {
        if !ctx.env.can_write(collection) {
            ctx.say(strings::read_only_refusal(), true);
            return Vec::new();
        }
        let field = |name: &str| action.get(name).and_then(Value::as_str).unwrap_or("");
        let said = field("text").trim().to_string();
        if said.is_empty() {
            ctx.say(strings::MEETING_NO_ACTION, true);
            return Vec::new();
        }
        let mut body = Record::new();
        body.insert("customer_id".into(), json!(customer));
        let description = format!("{said}\n\n{}", strings::from_meeting(origin));
        if collection == Collection::Rfcs {
            let title: String = said.chars().take(RFC_TITLE_CHARS).collect();
            body.insert("title".into(), json!(title));
            body.insert("description".into(), json!(description));
        } else {
            body.insert("description".into(), json!(description));
            body.insert("source".into(), json!("meeting"));
            if !field("owner_id").is_empty() {
                body.insert("owner_id".into(), json!(field("owner_id")));
            }
        }
        let idempotency_key = uuid::Uuid::now_v7().to_string();
        let (effect, _) = self.send(ctx, Load::Created(collection), |request| Command::Create {
            request,
            collection,
            under: None,
            body,
            idempotency_key,
        });
        vec![effect]
    }
}
