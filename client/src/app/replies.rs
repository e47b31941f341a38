//! Applying API answers. Each answer is matched to the purpose its request
//! was sent for; an answer whose request is no longer awaited (a newer
//! filter, a closed form) is dropped by the component that receives it.

use rapport_shared::Collection;

use super::{App, Command, Connection, Purpose, RETRY_SECS, Reply, Tab};
use crate::api::{ApiError, Record, record_id};
use crate::lookup::label;
use crate::remote::{Remote, RequestId};
use crate::strings;

impl App {
    pub(super) fn on_reply(&mut self, request: RequestId, reply: Reply) -> Vec<Command> {
        let Some(purpose) = self.pending.remove(&request) else {
            return Vec::new();
        };
        if let Some(error) = reply.error()
            && error.is_unreachable()
        {
            self.went_offline(error);
        }
        match (purpose, reply) {
            (Purpose::Me, Reply::Me(result)) => self.me_arrived(result),
            (Purpose::Board(index), Reply::Page(result)) => {
                if let Ok(page) = &result {
                    let collection = self.boards[index].spec.collection;
                    self.lookup.learn(collection, &page.items);
                }
                let outcome = self.boards[index].page_arrived(
                    request,
                    result.map_err(|e| e.to_string()),
                    &self.lookup,
                );
                let mut commands = match outcome {
                    Some(outcome) => self.board_outcome(index, outcome),
                    None => Vec::new(),
                };
                // The first customers page: load the selected one's contacts.
                if index == 0 && self.detail.customer_id != self.boards[0].selected_id {
                    let id = self.boards[0].selected_id.clone();
                    commands.extend(self.load_contacts_of(id));
                }
                commands
            }
            (Purpose::Lookup(collection), Reply::Page(Ok(page))) => {
                self.lookup.learn(collection, &page.items);
                Vec::new()
            }
            (Purpose::Contacts, Reply::Page(result)) => {
                if self.detail.load.awaits(request) {
                    match result {
                        Ok(page) => {
                            self.lookup.learn(Collection::Contacts, &page.items);
                            self.detail.contacts = page.items;
                            self.detail.load = Remote::Loaded;
                        }
                        Err(error) => self.detail.load = Remote::Failed(error.to_string()),
                    }
                }
                Vec::new()
            }
            (Purpose::Teams, Reply::Page(result)) => {
                if let Ok(page) = &result {
                    self.lookup.learn(Collection::Teams, &page.items);
                }
                let outcome = self
                    .teams
                    .arrived(request, result.map_err(|e| e.to_string()));
                self.teams_outcome(outcome)
            }
            (Purpose::Members(team_id), Reply::Page(result)) => {
                if let Ok(page) = &result {
                    self.lookup.learn(Collection::Customers, &page.items);
                }
                self.teams
                    .members_arrived(&team_id, request, result.map_err(|e| e.to_string()));
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
            (Purpose::Refreshed(index), Reply::Record(Ok(record))) => {
                let collection = self.boards[index].spec.collection;
                self.lookup.learn(collection, std::slice::from_ref(&record));
                self.boards[index].replace(record, &self.lookup);
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
                },
                Reply::Deleted(result),
            ) => self.deleted(collection, &id, &label, result),
            (Purpose::Move { customer, team }, Reply::Record(result)) => match result {
                Ok(record) => {
                    self.say(strings::moved(&customer, &team), false);
                    if let Some(index) = self.board_index(Collection::Customers) {
                        self.boards[index].upsert(record, &self.lookup);
                    }
                    vec![self.load_teams()]
                }
                Err(error) => {
                    self.say(error.to_string(), true);
                    vec![self.load_teams()]
                }
            },
            (Purpose::Rfc(purpose), reply) => self.rfc_reply(purpose, request, reply),
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
                Vec::new()
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
                self.form = None;
                self.lookup.learn(collection, std::slice::from_ref(&record));
                self.say(
                    strings::saved(collection.noun(), &label(collection, &record)),
                    false,
                );
                let mut commands = Vec::new();
                if let Some(index) = self.board_index(collection) {
                    self.boards[index].upsert(record, &self.lookup);
                }
                if collection == Collection::Teams || collection == Collection::Customers {
                    commands.push(self.load_teams());
                }
                if collection == Collection::Contacts {
                    let id = self.detail.customer_id.clone();
                    commands.extend(self.load_contacts_of(id));
                }
                if collection == Collection::Rfcs && self.rfcs.references == Remote::Loaded {
                    commands.extend(self.rfc_load());
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
        label: &str,
        result: Result<(), ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(()) => {
                self.say(strings::deleted(collection.noun(), label), false);
                self.lookup.forget(id);
                if let Some(index) = self.board_index(collection) {
                    self.boards[index].remove(id, &self.lookup);
                }
                if collection == Collection::Teams {
                    return vec![self.load_teams()];
                }
                Vec::new()
            }
            Err(ApiError::Stale) => {
                self.say(
                    format!(
                        "{label} changed on the server; it was reloaded, check and delete again."
                    ),
                    true,
                );
                match Tab::of(collection).and_then(|t| t.board()) {
                    Some(index) => {
                        let query = self.boards[index].first_page();
                        self.load_board(index, query, false)
                    }
                    None => vec![self.load_teams()],
                }
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
