//! How a write goes into the outbox: which writes wait (offline, or
//! earlier writes still queued), the optimistic answer their requester
//! gets at once, and the words an entry is listed with.

use rapport_shared::Collection;
use serde_json::Value;

use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::api::{ApiError, Record, record_id};
use crate::app::{App, Command, Connection, Purpose, Reply};
use crate::keymap::Action;
use crate::lookup::label;
use crate::outbox::{Entry, PENDING_FIELD, Write, pending_id};
use crate::remote::RequestId;
use crate::screens::ScreenId;
use crate::strings;

impl App {
    /// Sends `commands` on, except writes that must wait in the outbox
    /// (offline, or earlier writes still queued), which are queued and
    /// answered optimistically; every write sent is remembered until it
    /// is answered, so an unreachable server queues it then.
    pub(in crate::app) fn route_writes(&mut self, commands: Vec<Command>) -> Vec<Command> {
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
    pub(in crate::app) fn write_unreachable(&mut self, request: RequestId) -> Option<Vec<Command>> {
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
}
