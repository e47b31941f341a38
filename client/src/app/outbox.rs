//! Writes while the server cannot be reached: a write that fails because
//! the server is unreachable, or that is made while the client is offline
//! or while earlier writes still wait, goes into the outbox
//! (`crate::outbox`) instead of being lost. Its requester gets an
//! optimistic answer at once (the record as it will be, with the pending
//! mark), the outbox is written to disk (`Command::KeepOutbox`), and once
//! the server answers again the entries are sent one at a time, in order,
//! with the `Idempotency-Key` or `If-Match` version they were made with.
//! A refusal (412, 409, 422) keeps the entry, marked, with the server's
//! words, and reopens a form's write in its form: a 412 in the conflict
//! dialog with both versions, a 409/422 with the server's words.

use rapport_shared::Collection;
use serde_json::Value;

use super::{App, Command, ConfirmAction, Connection, Overlay, Purpose, Reply};
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record, record_id};
use crate::components::confirm::Confirm;
use crate::components::form::{Draft, Form, RecordType, Submission};
use crate::keymap::Action;
use crate::lookup::label;
use crate::outbox::{Entry, PENDING_FIELD, Write, pending_id};
use crate::remote::RequestId;
use crate::screens::{ScreenId, form_fields, owned_form, record_type};
use crate::strings;

/// The outbox's list, open over the screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxList {
    pub selected: usize,
}

impl App {
    /// Entries found on disk at start for this server: held until the
    /// user says to send them (a question now, or `s` in the list).
    pub fn restore_outbox(&mut self, entries: Vec<Entry>) {
        if entries.is_empty() {
            return;
        }
        let count = entries.len();
        self.outbox.entries = entries;
        self.outbox.held = true;
        let list_key = self.keymap.label(Action::Outbox);
        self.overlay = Some(Overlay::Confirm(Confirm {
            question: strings::outbox_offer(count, &list_key),
            on_yes: ConfirmAction::SendOutbox,
            destructive: false,
        }));
    }

    /// The outbox as it must be kept on disk now.
    pub(super) fn keep_outbox(&self) -> Command {
        Command::KeepOutbox(self.outbox.entries.clone())
    }

    /// Sends the next queued entry when the server is reachable and none
    /// is on its way.
    pub(super) fn pump_outbox(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        while self.connection == Connection::Online {
            let Some(entry) = self.outbox.next_to_send().cloned() else {
                break;
            };
            match self.outbox_command(&entry) {
                Some(command) => {
                    if let Some(request) = command.request() {
                        self.outbox.sending = Some((request, entry.key.clone()));
                    }
                    commands.push(command);
                    break;
                }
                None => {
                    // A form that can no longer be built (its screen is
                    // gone): kept for the user to see and cancel.
                    self.outbox
                        .refuse(&entry.key, strings::FORM_INVALID.to_string());
                    commands.push(self.keep_outbox());
                }
            }
        }
        commands
    }

    /// The request that sends `entry`.
    fn outbox_command(&mut self, entry: &Entry) -> Option<Command> {
        let purpose = Purpose::Outbox(entry.key.clone());
        let command = match &entry.write {
            Write::Form { draft } => {
                let collection = draft.collection;
                let under = draft
                    .owner
                    .as_ref()
                    .map(|owner| record_id(&owner.record).to_string());
                match self.form_of_draft(draft)?.submission()? {
                    Submission::Create {
                        body,
                        idempotency_key,
                    } => self.request(purpose, |request| Command::Create {
                        request,
                        collection,
                        under,
                        body,
                        idempotency_key,
                    }),
                    Submission::Update { id, version, patch } => {
                        self.request(purpose, |request| Command::Update {
                            request,
                            collection,
                            id,
                            version,
                            patch,
                        })
                    }
                }
            }
            Write::Patch {
                collection,
                id,
                version,
                patch,
            } => {
                let (collection, id, version, patch) =
                    (*collection, id.clone(), *version, patch.clone());
                self.request(purpose, |request| Command::Update {
                    request,
                    collection,
                    id,
                    version,
                    patch,
                })
            }
            Write::Transition {
                id,
                version,
                to,
                route,
                note,
            } => {
                let call = RfcCall::Transition {
                    id: id.clone(),
                    version: *version,
                    to: *to,
                    route: *route,
                    note: note.clone(),
                };
                self.request(purpose, |request| Command::Rfc { request, call })
            }
            Write::Comment { id, text } => {
                let call = RfcCall::Comment {
                    id: id.clone(),
                    text: text.clone(),
                };
                self.request(purpose, |request| Command::Rfc { request, call })
            }
        };
        Some(command)
    }

    /// A form rebuilt from `draft` with its collection's fields and rules
    /// (a record that belongs to another: those built from its owner).
    pub(super) fn form_of_draft(&self, draft: &Draft) -> Option<Form> {
        match (&draft.owner, owned_form(draft.collection)) {
            (Some(owner), Some(owned)) => {
                let shape = (owned.shape)(&owner.record);
                let kind = RecordType {
                    collection: draft.collection,
                    rules: shape.rules,
                };
                Some(Form::from_draft(draft, kind, shape.fields, &self.lookup))
            }
            _ => {
                let specs = form_fields(draft.collection);
                if specs.is_empty() {
                    return None;
                }
                Some(Form::from_draft(
                    draft,
                    record_type(draft.collection),
                    specs,
                    &self.lookup,
                ))
            }
        }
    }

    /// The server answered a queued entry.
    pub(super) fn outbox_answered(&mut self, key: &str, reply: Reply) -> Vec<Command> {
        if self.outbox.sending.as_ref().is_some_and(|(_, k)| k == key) {
            self.outbox.sending = None;
        }
        let result = match reply {
            Reply::Record(result) | Reply::Rfc(RfcAnswer::Record(result)) => result,
            other => Err(other
                .error()
                .cloned()
                .unwrap_or_else(|| ApiError::Protocol("an unexpected answer".into()))),
        };
        match result {
            Ok(record) => {
                let Some(entry) = self.outbox.remove(key) else {
                    return Vec::new();
                };
                let mut commands = vec![self.keep_outbox()];
                commands.extend(self.delivered(&entry, &record));
                self.say(
                    strings::outbox_sent(&entry.label, self.outbox.entries.len()),
                    false,
                );
                commands.extend(self.pump_outbox());
                commands
            }
            // Still down: the entry waits for the next contact.
            Err(error) if error.is_unreachable() => Vec::new(),
            Err(error) => {
                self.outbox.refuse(key, error.to_string());
                let mut commands = vec![self.keep_outbox()];
                if let Some(entry) = self.outbox.get(key).cloned() {
                    self.say(
                        strings::outbox_refused(&entry.label, &error.to_string()),
                        true,
                    );
                    if self.form.is_none() {
                        commands.extend(self.open_refused(&entry, Some(&error)));
                    }
                }
                commands.extend(self.pump_outbox());
                commands
            }
        }
    }

    /// A queued write reached the server: its record replaces the
    /// optimistic copy on every screen.
    fn delivered(&mut self, entry: &Entry, record: &Record) -> Vec<Command> {
        match &entry.write {
            Write::Form { draft } if draft.owner.is_none() => {
                let collection = draft.collection;
                let mut commands = Vec::new();
                if draft.base.is_none() {
                    let shown = pending_id(&entry.key);
                    commands.extend(
                        self.on_every_screen(|screen, ctx| screen.removed(ctx, collection, &shown)),
                    );
                }
                self.lookup.learn(collection, std::slice::from_ref(record));
                self.put_everywhere(collection, record);
                commands
            }
            Write::Patch { collection, .. } => {
                self.put_everywhere(*collection, record);
                Vec::new()
            }
            Write::Transition { .. } => {
                self.put_everywhere(Collection::Rfcs, record);
                Vec::new()
            }
            // A comment or a response: the change feed brings what it changed.
            Write::Form { .. } | Write::Comment { .. } => Vec::new(),
        }
    }

    fn put_everywhere(&mut self, collection: Collection, record: &Record) {
        for id in ScreenId::ALL {
            self.with_screen(*id, |screen, ctx| screen.put(ctx, collection, record));
        }
    }

    /// Opens a refused (or any) form entry in its form: after a 412 the
    /// server's version is fetched for the conflict dialog; a 409/422
    /// shows the server's words next to the fields.
    pub(super) fn open_refused(&mut self, entry: &Entry, error: Option<&ApiError>) -> Vec<Command> {
        let Write::Form { draft } = &entry.write else {
            return Vec::new();
        };
        let Some(mut form) = self.form_of_draft(draft) else {
            return Vec::new();
        };
        self.outbox_form = Some(entry.key.clone());
        match (error, &draft.base) {
            (Some(ApiError::Stale), Some(base)) => {
                let collection = draft.collection;
                let id = record_id(base).to_string();
                self.form = Some(form);
                vec![
                    self.request(Purpose::ConflictFetch, |request| Command::Get {
                        request,
                        collection,
                        id,
                    }),
                ]
            }
            (Some(error), _) => {
                form.save_failed(error);
                self.form = Some(form);
                Vec::new()
            }
            (None, _) => {
                self.form = Some(form);
                Vec::new()
            }
        }
    }

    /// Sends `commands` on, except writes that must wait in the outbox
    /// (offline, or earlier writes still queued), which are queued and
    /// answered optimistically; every write sent is remembered until it
    /// is answered, so an unreachable server queues it then.
    pub(super) fn route_writes(&mut self, commands: Vec<Command>) -> Vec<Command> {
        let mut out = Vec::new();
        for command in commands {
            let Some((request, write)) = self.write_of(&command) else {
                out.push(command);
                continue;
            };
            let offline = matches!(self.connection, Connection::Offline { .. });
            if offline || self.outbox.has_waiting() {
                let answered = self.queue_write(request, write);
                out.extend(self.route_writes(answered));
            } else {
                self.writes.insert(request, write);
                out.push(command);
            }
        }
        out
    }

    /// The queued form of a write command made by the user (a form's save,
    /// a screen's edit, transition or comment); `None` for reads and for
    /// the outbox's own sends.
    fn write_of(&self, command: &Command) -> Option<(RequestId, Write)> {
        let request = command.request()?;
        let purpose = self.pending.get(&request);
        if matches!(purpose, Some(Purpose::Outbox(_))) {
            return None;
        }
        let from_form = matches!(purpose, Some(Purpose::Save));
        let write = match command {
            Command::Create { .. } | Command::Update { .. } if from_form => {
                let mut draft = self.form.as_ref()?.draft();
                if let Command::Update { version, .. } = command {
                    // An overwrite after a conflict sends the server's version.
                    if let Some(base) = draft.base.as_mut() {
                        base.insert("version".into(), Value::from(*version));
                    }
                }
                Write::Form { draft }
            }
            Command::Update {
                collection,
                id,
                version,
                patch,
                ..
            } if purpose.is_none() => Write::Patch {
                collection: *collection,
                id: id.clone(),
                version: *version,
                patch: patch.clone(),
            },
            Command::Rfc {
                call:
                    RfcCall::Transition {
                        id,
                        version,
                        to,
                        route,
                        note,
                    },
                ..
            } => Write::Transition {
                id: id.clone(),
                version: *version,
                to: *to,
                route: *route,
                note: note.clone(),
            },
            Command::Rfc {
                call: RfcCall::Comment { id, text },
                ..
            } => Write::Comment {
                id: id.clone(),
                text: text.clone(),
            },
            _ => return None,
        };
        Some((request, write))
    }

    /// A write sent earlier met an unreachable server: queued now.
    pub(super) fn write_unreachable(&mut self, request: RequestId) -> Option<Vec<Command>> {
        let write = self.writes.remove(&request)?;
        Some(self.queue_write(request, write))
    }

    /// Queues `write` (request `request`), keeps the outbox on disk and
    /// answers whoever made it as if the server had taken it.
    fn queue_write(&mut self, request: RequestId, write: Write) -> Vec<Command> {
        let key = uuid::Uuid::now_v7().to_string();
        let entry = Entry {
            key: key.clone(),
            label: self.write_label(&write),
            write,
            refused: None,
        };
        // A refused entry saved again from its form is replaced by the new one.
        if let Some(old) = self.outbox_form.take() {
            self.outbox.remove(&old);
        }
        self.outbox.push(entry.clone());
        let mut commands = vec![self.keep_outbox()];
        let owner = self.requests.take_owner(request);
        let purpose = self.pending.remove(&request);
        let optimistic = self.optimistic(&entry);
        match (owner, purpose) {
            (_, Some(Purpose::Save)) => {
                self.form = None;
                if let Some(record) = &optimistic {
                    self.put_everywhere(entry.write.collection(), record);
                }
            }
            (Some(screen), _) => {
                let result = optimistic
                    .ok_or_else(|| ApiError::Unreachable(strings::queued(&entry.label, "O")));
                let reply = match &entry.write {
                    Write::Patch { .. } | Write::Form { .. } => Reply::Record(result),
                    Write::Transition { .. } | Write::Comment { .. } => {
                        Reply::Rfc(RfcAnswer::Record(result))
                    }
                };
                commands.extend(self.on_screen(screen, |s, ctx| s.on_reply(ctx, request, reply)));
            }
            _ => {}
        }
        let list_key = self.keymap.label(Action::Outbox);
        self.say(strings::queued(&entry.label, &list_key), false);
        commands
    }

    /// What a queued write's record will look like, marked pending; `None`
    /// when it cannot be told (a record no screen shows).
    fn optimistic(&self, entry: &Entry) -> Option<Record> {
        let mut record = match &entry.write {
            Write::Form { draft } => {
                let mut record = draft.base.clone().unwrap_or_else(|| {
                    let mut fresh = Record::new();
                    fresh.insert("id".into(), Value::String(pending_id(&entry.key)));
                    fresh.insert("version".into(), Value::from(0));
                    fresh
                });
                record.extend(draft.values.clone());
                record
            }
            Write::Patch {
                collection,
                id,
                patch,
                ..
            } => {
                let mut record = self.shown(*collection, id)?;
                record.extend(patch.clone());
                record
            }
            Write::Transition { id, to, route, .. } => {
                let mut record = self.shown(Collection::Rfcs, id)?;
                record.insert("status".into(), serde_json::to_value(to).ok()?);
                if let Some(route) = route {
                    record.insert("route".into(), serde_json::to_value(route).ok()?);
                }
                record
            }
            Write::Comment { id, text } => {
                let mut record = Record::new();
                record.insert("id".into(), Value::String(pending_id(&entry.key)));
                record.insert("rfc_id".into(), Value::String(id.clone()));
                record.insert("text".into(), Value::String(text.clone()));
                record
            }
        };
        record.insert(PENDING_FIELD.into(), Value::Bool(true));
        Some(record)
    }

    /// The record `id` of `collection` as some screen's board shows it.
    fn shown(&self, collection: Collection, id: &str) -> Option<Record> {
        ScreenId::ALL
            .iter()
            .filter(|screen| screen.collection() == collection)
            .filter_map(|screen| self.screens.board(*screen))
            .flat_map(|board| board.rows.iter())
            .find(|record| record_id(record) == id)
            .cloned()
    }

    fn write_label(&self, write: &Write) -> String {
        let rfc = |id: &str| {
            self.shown(Collection::Rfcs, id)
                .map(|r| label(Collection::Rfcs, &r))
                .unwrap_or_else(|| id.to_string())
        };
        match write {
            Write::Form { draft } => {
                let (kind, name) = match &draft.base {
                    Some(base) => ("edit", label(draft.collection, base)),
                    None => ("new", label(draft.collection, &draft.values)),
                };
                strings::write_label(kind, draft.collection.noun(), &name)
            }
            Write::Patch { collection, id, .. } => {
                let name = self
                    .shown(*collection, id)
                    .map(|r| label(*collection, &r))
                    .unwrap_or_else(|| id.clone());
                strings::write_label("edit", collection.noun(), &name)
            }
            Write::Transition { id, to, .. } => {
                strings::write_label(&format!("move to {to}:"), "RFC", &rfc(id))
            }
            Write::Comment { id, .. } => strings::write_label("comment on", "RFC", &rfc(id)),
        }
    }

    /// Opens the outbox's list.
    pub(super) fn open_outbox(&mut self) {
        self.overlay = Some(Overlay::Outbox(OutboxList::default()));
    }

    /// A key in the outbox's list.
    pub(super) fn outbox_key(
        &mut self,
        mut list: OutboxList,
        key: crossterm::event::KeyEvent,
    ) -> Vec<Command> {
        use crate::keymap::Context;
        let count = self.outbox.entries.len();
        let action = self
            .keymap
            .action(Context::Outbox, &key)
            .or_else(|| self.keymap.action(Context::Board, &key));
        let mut commands = Vec::new();
        match action {
            Some(Action::Back | Action::Quit | Action::Outbox) => return Vec::new(),
            Some(Action::Down) => list.selected = (list.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Up) => list.selected = list.selected.saturating_sub(1),
            Some(Action::OutboxCancel) => {
                if let Some(entry) = self.outbox.entries.get(list.selected).cloned() {
                    self.cancel_entry(&entry);
                    commands.push(self.keep_outbox());
                    self.say(strings::outbox_cancelled(&entry.label), false);
                }
                list.selected = list
                    .selected
                    .min(self.outbox.entries.len().saturating_sub(1));
            }
            Some(Action::OutboxDiscard) => {
                for entry in self.outbox.entries.clone() {
                    self.cancel_entry(&entry);
                }
                commands.push(self.keep_outbox());
                list.selected = 0;
            }
            Some(Action::OutboxSend) => commands.extend(self.send_outbox_now()),
            Some(Action::OutboxOpen) => {
                if let Some(entry) = self.outbox.entries.get(list.selected).cloned()
                    && matches!(entry.write, Write::Form { .. })
                {
                    return self.open_refused(&entry, None);
                }
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Outbox(list));
        commands
    }

    /// Drops `entry` from the outbox, and its optimistic copy from the screens.
    fn cancel_entry(&mut self, entry: &Entry) {
        self.outbox.remove(&entry.key);
        if let Write::Form { draft } = &entry.write
            && draft.base.is_none()
        {
            let (collection, shown) = (draft.collection, pending_id(&entry.key));
            for id in ScreenId::ALL {
                self.with_screen(*id, |screen, ctx| {
                    screen.removed(ctx, collection, &shown);
                });
            }
        }
        if self.outbox_form.as_deref() == Some(entry.key.as_str()) {
            self.outbox_form = None;
        }
    }

    /// The user said send: held and refused entries go again, in order.
    pub(super) fn send_outbox_now(&mut self) -> Vec<Command> {
        self.outbox.held = false;
        for entry in &mut self.outbox.entries {
            entry.refused = None;
        }
        let mut commands = vec![self.keep_outbox()];
        if self.connection == Connection::Online {
            commands.extend(self.pump_outbox());
        } else if matches!(self.connection, Connection::Offline { .. }) {
            // Try the server now rather than at the end of the countdown.
            self.connection = Connection::Connecting;
            commands.extend(self.start());
        }
        commands
    }

    /// A form opened from a refused entry was saved: the entry is done.
    pub(super) fn outbox_form_saved(&mut self) -> Vec<Command> {
        match self.outbox_form.take() {
            Some(key) if self.outbox.remove(&key).is_some() => vec![self.keep_outbox()],
            _ => Vec::new(),
        }
    }
}
