//! Applying API answers. An answer to a screen's request goes back to that
//! screen (the request allocator remembers which); the app's own answers
//! are matched to the purpose they were sent for. An answer whose request
//! is no longer awaited (a newer filter, a closed form) is dropped by the
//! component that receives it.

use rapport_shared::Collection;

use super::{App, Command, Connection, Purpose, RETRY_SECS, Reply};
use crate::api::{ApiError, Record, record_id};
use crate::lookup::label;
use crate::remote::{Remote, RequestId};
use crate::screens::ScreenId;
use crate::strings;

impl App {
    pub(super) fn on_reply(&mut self, request: RequestId, reply: Reply) -> Vec<Command> {
        let owner = self.requests.take_owner(request);
        let purpose = self.pending.remove(&request);
        if owner.is_none() && purpose.is_none() {
            return Vec::new();
        }
        let unreachable = reply.error().is_some_and(ApiError::is_unreachable);
        if let Some(error) = reply.error()
            && error.is_unreachable()
        {
            self.went_offline(error);
        } else {
            self.since_contact = Some(0);
        }
        if unreachable {
            // Give the request back its owner: queueing answers it.
            if let Some(id) = owner {
                self.requests.restore_owner(request, id);
            }
            if let Some(purpose) = purpose.clone() {
                self.pending.insert(request, purpose);
            }
            if let Some(commands) = self.write_unreachable(request) {
                return commands;
            }
            self.requests.take_owner(request);
            self.pending.remove(&request);
        } else {
            self.writes.remove(&request);
        }
        if let Some(Purpose::Outbox(key)) = &purpose {
            return self.outbox_answered(key, reply);
        }
        if let Some(id) = owner {
            return self.on_screen(id, |screen, ctx| screen.on_reply(ctx, request, reply));
        }
        let Some(purpose) = purpose else {
            return Vec::new();
        };
        match (purpose, reply) {
            (Purpose::Me, Reply::Me(result)) => self.me_arrived(result),
            (Purpose::Lookup(collection), Reply::Page(Ok(page))) => {
                self.lookup.learn(collection, &page.items);
                Vec::new()
            }
            (Purpose::Picker(field), Reply::Page(result)) => {
                let Some(form) = self.form.as_mut() else {
                    return Vec::new();
                };
                let collection = match form.fields.get(field).map(|f| f.spec.kind) {
                    Some(
                        crate::components::form::FieldKind::Ref(c)
                        | crate::components::form::FieldKind::RefList(c),
                    ) => c,
                    _ => return Vec::new(),
                };
                if let Ok(page) = &result {
                    self.lookup.learn(collection, &page.items);
                }
                let results = result
                    .map(|page| {
                        page.items
                            .iter()
                            .map(|r| (record_id(r).to_string(), label(collection, r)))
                            .collect()
                    })
                    .map_err(|e| e.to_string());
                if let Some(form) = self.form.as_mut() {
                    form.picker_arrived(field, request, results);
                }
                Vec::new()
            }
            (Purpose::Save, Reply::Record(result)) => self.saved(request, result),
            (Purpose::ConflictFetch, Reply::Record(result)) => {
                if let Some(form) = self.form.as_mut() {
                    match result {
                        Ok(record) => form.conflict_arrived(Some(record)),
                        Err(ApiError::Problem(p)) if p.status == 404 => form.conflict_arrived(None),
                        Err(error) => form.save_failed(&error),
                    }
                }
                Vec::new()
            }
            (
                Purpose::Delete {
                    collection,
                    id,
                    label,
                    customer,
                },
                Reply::Deleted(result),
            ) => self.deleted(collection, &id, (&label, &customer), result),
            (Purpose::PurchaserCheck(offer), Reply::Record(result)) => {
                self.purchaser_checked(offer, result);
                Vec::new()
            }
            (Purpose::PurchaserSet(offer), Reply::Record(result)) => {
                self.purchaser_set(offer, result)
            }
            (Purpose::Audit, reply) => self.audit_arrived(request, reply),
            (Purpose::Notify(seq), reply) => self.change_audited(seq, reply),
            (Purpose::Export, Reply::Exported(result)) => {
                self.exported(result);
                Vec::new()
            }
            (_, reply) => {
                if let Some(error) = reply.error() {
                    self.request_failed(error);
                }
                Vec::new()
            }
        }
    }

    fn me_arrived(&mut self, result: Result<rapport_shared::wire::Me, ApiError>) -> Vec<Command> {
        match result {
            Ok(me) => {
                let was_offline = self.connection != Connection::Online;
                self.me = Some(me);
                self.connection = Connection::Online;
                if was_offline && matches!(self.message, Some(ref m) if m.error) {
                    self.message = None;
                }
                self.pump_outbox()
            }
            Err(ApiError::Unreachable(_)) => Vec::new(),
            Err(error) => {
                self.connection = Connection::Online;
                self.say(error.to_string(), true);
                Vec::new()
            }
        }
    }

    /// Tells the user a request (or the change feed) failed: a server
    /// that cannot be reached puts the client offline, to be retried;
    /// any other refusal is shown in the status bar.
    pub(super) fn request_failed(&mut self, error: &ApiError) {
        if error.is_unreachable() {
            self.went_offline(error);
        } else {
            self.say(error.to_string(), true);
        }
    }

    fn went_offline(&mut self, error: &ApiError) {
        if matches!(self.connection, Connection::Offline { .. }) {
            return;
        }
        self.connection = Connection::Offline {
            retry_in: RETRY_SECS,
        };
        let reason = match error {
            ApiError::Unreachable(reason) => reason.clone(),
            other => other.to_string(),
        };
        let text = strings::server_unreachable(&reason, RETRY_SECS);
        self.say(text, true);
    }

    fn saved(&mut self, request: RequestId, result: Result<Record, ApiError>) -> Vec<Command> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if !form.save.awaits(request) {
            return Vec::new();
        }
        let collection = form.collection;
        match result {
            Ok(record) => {
                let said = match self.form.take().and_then(|f| f.owner) {
                    Some(owner) => strings::saved_under(
                        collection.noun(),
                        &label(owner.collection, &owner.record),
                    ),
                    None => strings::saved(collection.noun(), &label(collection, &record)),
                };
                self.lookup.learn(collection, std::slice::from_ref(&record));
                self.say(said, false);
                for id in ScreenId::ALL {
                    self.with_screen(*id, |screen, ctx| screen.put(ctx, collection, &record));
                }
                let mut commands = self.outbox_form_saved();
                commands.extend(self.on_every_screen(|screen, ctx| screen.saved(ctx, collection)));
                if collection == Collection::Contacts {
                    commands.extend(self.check_purchaser(&record));
                }
                commands
            }
            Err(ApiError::Stale) => {
                let FormModeId(id) = form_id(form);
                form.save = Remote::Idle;
                vec![
                    self.request(Purpose::ConflictFetch, |request| Command::Get {
                        request,
                        collection,
                        id,
                    }),
                ]
            }
            Err(error) => {
                form.save_failed(&error);
                Vec::new()
            }
        }
    }

    fn deleted(
        &mut self,
        collection: Collection,
        id: &str,
        (label, customer): (&str, &str),
        result: Result<(), ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(()) => {
                self.say(strings::deleted(collection.noun(), label), false);
                self.lookup.forget(id);
                self.on_every_screen(|screen, ctx| screen.removed(ctx, collection, id))
            }
            Err(ApiError::Stale) => {
                self.say(
                    format!(
                        "{label} changed on the server; it was reloaded, check and delete again."
                    ),
                    true,
                );
                match ScreenId::of(collection) {
                    Some(screen) => self.on_screen(screen, |screen, ctx| screen.reload(ctx)),
                    None => Vec::new(),
                }
            }
            Err(ApiError::Problem(problem)) => {
                self.say(strings::refusal_naming(&problem, customer), true);
                Vec::new()
            }
            Err(error) => {
                self.say(error.to_string(), true);
                Vec::new()
            }
        }
    }
}

struct FormModeId(String);

fn form_id(form: &crate::components::form::Form) -> FormModeId {
    match &form.mode {
        crate::components::form::FormMode::Edit { id, .. } => FormModeId(id.clone()),
        crate::components::form::FormMode::Create { .. } => FormModeId(String::new()),
    }
}
