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
//!
//! - `queue`: which writes wait, and their optimistic answers;
//! - `list`: the outbox's list (`O`);
//! - this module: sending the entries and reading their answers.

use rapport_shared::Collection;

use super::{App, Command, ConfirmAction, Connection, Overlay, Purpose, Reply};
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record, record_id};
use crate::components::confirm::Confirm;
use crate::components::form::{Draft, Form, RecordType, Submission};
use crate::keymap::Action;
use crate::outbox::{Entry, Write, pending_id};
use crate::screens::{ScreenId, form_fields, owned_form, record_type};
use crate::strings;

mod list;
mod queue;

pub use list::OutboxList;

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

    pub(super) fn put_everywhere(&mut self, collection: Collection, record: &Record) {
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
}
