//! What the app does on the user's behalf: open forms with sensible
//! defaults, send saves, ask before deleting, move customers between teams.

use rapport_shared::Collection;
use serde_json::{Map, Value};

use super::{App, Command, Overlay, Purpose, Tab};
use crate::api::{Record, record_id, record_version, text};
use crate::boards::teams::TeamsOutcome;
use crate::components::confirm::{Confirm, ConfirmAction};
use crate::components::form::{FieldSpec, Form, FormOutcome, Submission};
use crate::lookup::label;
use crate::strings;

/// The form fields of a collection's records.
pub fn form_fields(collection: Collection) -> Vec<FieldSpec> {
    match collection {
        Collection::Customers => crate::boards::customers::fields(),
        Collection::Staff => crate::boards::staff::fields(),
        Collection::Services => crate::boards::services::fields(),
        Collection::Contacts => crate::boards::contacts::fields(),
        Collection::Teams => crate::boards::teams::fields(),
        Collection::Rfcs => crate::boards::rfcs::fields(),
        _ => Vec::new(),
    }
}

impl App {
    /// Reopens a form's text kept when the app was last ended from outside.
    pub fn restore_draft(&mut self, draft: &crate::components::form::Draft) -> Vec<Command> {
        if let Some(target) = &draft.comment_on {
            // A comment reopens in its editor over the queue.
            let text = draft
                .values
                .get("text")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let commands = self.switch(Tab::Rfcs);
            let editor = crate::boards::rfcs::CommentEditor::new(
                target.id.clone(),
                target.label.clone(),
                text,
            );
            self.overlay = Some(Overlay::Rfc(crate::boards::rfcs::RfcOverlay::Comment(
                editor,
            )));
            self.say(strings::DRAFT_RESTORED, false);
            return commands;
        }
        let specs = form_fields(draft.collection);
        if specs.is_empty() {
            return Vec::new();
        }
        let form = Form::from_draft(draft, specs, &self.lookup);
        let outcome = form.picker_query(0);
        self.form = Some(form);
        self.say(strings::DRAFT_RESTORED, false);
        self.form_outcome(outcome)
    }

    /// Opens the form for a new record of `collection`.
    pub(super) fn open_create(&mut self, collection: Collection) -> Vec<Command> {
        let mut defaults = Map::new();
        match collection {
            Collection::Staff => {
                defaults.insert("active".into(), Value::Bool(true));
            }
            Collection::Customers => {
                defaults.insert("status".into(), Value::String("active".into()));
            }
            Collection::Rfcs => {
                defaults.insert("priority".into(), Value::String("medium".into()));
            }
            Collection::Contacts => {
                // A new contact belongs to the customer in view, if any.
                let customer = match self.tab {
                    Tab::Customers => self.boards[0].selected_id.clone(),
                    Tab::Contacts => self.boards[3]
                        .fixed_filters
                        .iter()
                        .find(|(k, _)| k == "customer_id")
                        .map(|(_, v)| v.clone()),
                    _ => None,
                };
                if let Some(id) = customer {
                    defaults.insert("customer_id".into(), Value::String(id));
                }
            }
            _ => {}
        }
        let key = uuid::Uuid::now_v7().to_string();
        let form = Form::create(
            collection,
            form_fields(collection),
            &defaults,
            &self.lookup,
            key,
        );
        let outcome = form.picker_query(0);
        self.form = Some(form);
        self.form_outcome(outcome)
    }

    /// Opens the form editing `record`.
    pub(super) fn open_edit(&mut self, collection: Collection, record: &Record) -> Vec<Command> {
        let form = Form::edit(collection, form_fields(collection), record, &self.lookup);
        let outcome = form.picker_query(0);
        self.form = Some(form);
        self.form_outcome(outcome)
    }

    /// Closes the form, asking first when it holds unsaved text.
    pub(super) fn close_form(&mut self) -> Vec<Command> {
        if self.form.as_ref().is_some_and(|f| f.is_dirty()) {
            self.ask(strings::confirm_discard(), ConfirmAction::DiscardForm);
        } else {
            self.form = None;
        }
        Vec::new()
    }

    pub(super) fn ask(&mut self, question: String, on_yes: ConfirmAction) {
        self.overlay = Some(Overlay::Confirm(Confirm { question, on_yes }));
    }

    pub(super) fn ask_delete(&mut self, collection: Collection, record: &Record) {
        let name = label(collection, record);
        self.ask(
            strings::confirm_delete(collection.noun(), &name),
            ConfirmAction::Delete {
                collection,
                id: record_id(record).to_string(),
                version: record_version(record),
                label: name,
            },
        );
    }

    /// Carries out a confirmed question.
    pub(super) fn confirmed(&mut self, action: ConfirmAction) -> Vec<Command> {
        match action {
            ConfirmAction::Quit => {
                self.quitting = true;
                vec![Command::Quit]
            }
            ConfirmAction::DiscardForm => {
                self.form = None;
                Vec::new()
            }
            ConfirmAction::RfcMove { status, targets } => {
                self.rfc_run(crate::boards::rfcs::bulk::Step::Move(status), targets)
            }
            ConfirmAction::Delete {
                collection,
                id,
                version,
                label,
            } => {
                let purpose = Purpose::Delete {
                    collection,
                    id: id.clone(),
                    label,
                };
                vec![self.request(purpose, |request| Command::Delete {
                    request,
                    collection,
                    id,
                    version,
                })]
            }
        }
    }

    /// Validates and sends the open form.
    pub(super) fn save_form(&mut self) -> Vec<Command> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if form.save.is_loading() {
            return Vec::new();
        }
        match form.submission() {
            Some(submission) => self.send_submission(submission),
            None => Vec::new(),
        }
    }

    pub(super) fn send_submission(&mut self, submission: Submission) -> Vec<Command> {
        let Some(collection) = self.form.as_ref().map(|f| f.collection) else {
            return Vec::new();
        };
        let command = match submission {
            Submission::Create {
                body,
                idempotency_key,
            } => self.request(Purpose::Save, |request| Command::Create {
                request,
                collection,
                body,
                idempotency_key,
            }),
            Submission::Update { id, version, patch } => {
                self.request(Purpose::Save, |request| Command::Update {
                    request,
                    collection,
                    id,
                    version,
                    patch,
                })
            }
        };
        if let (Some(form), Command::Create { request, .. } | Command::Update { request, .. }) =
            (self.form.as_mut(), &command)
        {
            form.saving(*request);
        }
        vec![command]
    }

    pub(super) fn form_outcome(&mut self, outcome: FormOutcome) -> Vec<Command> {
        let FormOutcome::Pick {
            field,
            collection,
            query,
        } = outcome
        else {
            return Vec::new();
        };
        let command = self.request(Purpose::Picker(field), |request| Command::List {
            request,
            collection,
            query,
        });
        if let (Some(form), Command::List { request, .. }) = (self.form.as_mut(), &command) {
            form.picking(field, *request);
        }
        vec![command]
    }

    pub(super) fn teams_outcome(&mut self, outcome: TeamsOutcome) -> Vec<Command> {
        match outcome {
            TeamsOutcome::Nothing => Vec::new(),
            TeamsOutcome::Load => vec![self.load_teams()],
            TeamsOutcome::LoadMembers(ids) => ids
                .into_iter()
                .map(|team_id| {
                    let query = crate::api::ListQuery {
                        limit: crate::boards::teams::MEMBERS_LIMIT,
                        cursor: None,
                        q: None,
                        filters: vec![("team_id".to_string(), team_id.clone())],
                    };
                    let command =
                        self.request(Purpose::Members(team_id.clone()), |request| Command::List {
                            request,
                            collection: Collection::Customers,
                            query,
                        });
                    if let Command::List { request, .. } = &command {
                        self.teams.loading_members(&team_id, *request);
                    }
                    command
                })
                .collect(),
            TeamsOutcome::Move { customer, team_id } => {
                let mut patch = Map::new();
                patch.insert("team_id".into(), Value::String(team_id.clone()));
                let purpose = Purpose::Move {
                    customer: text(&customer, "code").to_string(),
                    team: self.lookup.name(&team_id),
                };
                let id = record_id(&customer).to_string();
                let version = record_version(&customer);
                vec![self.request(purpose, |request| Command::Update {
                    request,
                    collection: Collection::Customers,
                    id,
                    version,
                    patch,
                })]
            }
            TeamsOutcome::Copy(text) => {
                self.say(strings::copied(&text), false);
                vec![Command::Copy(text)]
            }
            TeamsOutcome::New => self.open_create(Collection::Teams),
            TeamsOutcome::Edit(team) => self.open_edit(Collection::Teams, &team),
            TeamsOutcome::Delete(team) => {
                self.ask_delete(Collection::Teams, &team);
                Vec::new()
            }
        }
    }
}
