//! What the app does on the user's behalf: open forms with sensible
//! defaults (from the screens' registry; a record that belongs to another,
//! such as a survey's response, in a form built from that record), send
//! saves, ask before deleting.

use rapport_shared::Collection;
use serde_json::Value;

use super::{App, Command, ConfirmAction, Overlay, Purpose};
use crate::api::{Record, record_id, record_version};
use crate::components::confirm::Confirm;
use crate::components::form::{Form, FormOutcome, RecordType, Submission};
use crate::lookup::label;
use crate::screens::{ScreenId, form_fields, owned_form, record_type};
use crate::strings;

impl App {
    /// Reopens a form's text kept when the app was last ended from outside
    /// (or a screen's own typed text, such as a comment, in its screen).
    pub fn restore_draft(&mut self, draft: &crate::components::form::Draft) -> Vec<Command> {
        if let Some(id) = ScreenId::of(draft.collection)
            && self.with_screen(id, |screen, ctx| screen.restore(ctx, draft))
        {
            let commands = self.switch(id);
            self.say(strings::DRAFT_RESTORED, false);
            return commands;
        }
        let form = match (&draft.owner, owned_form(draft.collection)) {
            (Some(owner), Some(owned)) => {
                let shape = (owned.shape)(&owner.record);
                let kind = RecordType {
                    collection: draft.collection,
                    rules: shape.rules,
                };
                Form::from_draft(draft, kind, shape.fields, &self.lookup)
            }
            _ => {
                let specs = form_fields(draft.collection);
                if specs.is_empty() {
                    return Vec::new();
                }
                Form::from_draft(draft, record_type(draft.collection), specs, &self.lookup)
            }
        };
        let outcome = form.picker_query(0);
        self.form = Some(form);
        self.say(strings::DRAFT_RESTORED, false);
        self.form_outcome(outcome)
    }

    /// Opens the form for a new record of `collection`; a record that
    /// belongs to another gets the form built from the record it belongs
    /// to in the screen shown (the survey selected or shown).
    pub(super) fn open_create(&mut self, collection: Collection) -> Vec<Command> {
        if let Some(owned) = owned_form(collection) {
            let Some(owner) = self.screen().owner(collection) else {
                self.say(
                    strings::owner_needed(collection.noun(), owned.owner.noun()),
                    true,
                );
                return Vec::new();
            };
            let shape = (owned.shape)(&owner.record);
            let kind = RecordType {
                collection,
                rules: shape.rules,
            };
            let key = uuid::Uuid::now_v7().to_string();
            let form =
                Form::create(kind, shape.fields, &Record::new(), &self.lookup, key).owned_by(owner);
            let outcome = form.picker_query(0);
            self.form = Some(form);
            return self.form_outcome(outcome);
        }
        let mut defaults = ScreenId::of(collection)
            .map(|id| (id.entry().defaults)())
            .unwrap_or_default();
        // A new record belongs to what the screen in view narrows to (a
        // new contact to the customer selected or shown).
        for (field, value) in self.screen().create_defaults(collection) {
            defaults.insert(field, Value::String(value));
        }
        let key = uuid::Uuid::now_v7().to_string();
        let form = Form::create(
            record_type(collection),
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
        let form = Form::edit(
            record_type(collection),
            form_fields(collection),
            record,
            &self.lookup,
        );
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

    /// Asks a question; every question the app asks is destructive (a
    /// delete, dropped text, a final move), so Enter never answers it.
    pub(super) fn ask(&mut self, question: String, on_yes: ConfirmAction) {
        self.overlay = Some(Overlay::Confirm(Confirm {
            question,
            on_yes,
            destructive: true,
        }));
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
                customer: self.lookup.name_of(record, "customer_id"),
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
            ConfirmAction::Screen(id) => self.on_screen(id, |screen, ctx| screen.confirmed(ctx)),
            ConfirmAction::SendOutbox => self.send_outbox_now(),
            ConfirmAction::SetPurchaser(offer) => self.set_purchaser(offer),
            ConfirmAction::Delete {
                collection,
                id,
                version,
                label,
                customer,
            } => {
                let purpose = Purpose::Delete {
                    collection,
                    id: id.clone(),
                    label,
                    customer,
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
        let under = self
            .form
            .as_ref()
            .and_then(|f| f.owner.as_ref())
            .map(|owner| record_id(&owner.record).to_string());
        let command = match submission {
            Submission::Create {
                body,
                idempotency_key,
            } => self.request(Purpose::Save, |request| Command::Create {
                request,
                collection,
                under,
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
}
