//! The record form: one component driven by a list of [`FieldSpec`]s, used
//! to create and edit every record type. Field kinds: single line,
//! multi-line text (ratatui-textarea), whole number, enum picker, enum
//! flags, boolean, reference picker that searches the server as you type,
//! and a list of references.
//!
//! Before anything is sent, the form runs the same validation as the
//! server (the [`RecordType`]'s rules: `RecordInput::from_json` of the
//! collection's input type from rapport-shared, named by the screens'
//! registry, so the form names no collection) and shows each
//! message under its field; the server's 422 messages (and a 409 naming
//! a field) land in the same place. A record that belongs to another (a
//! survey's response) is written in a form built from that record, its
//! [`Owner`]: its fields and rules are a [`FormShape`], and it is created
//! under the owner. An edit sends only the changed fields as a merge patch with the
//! version it started from; when the server has moved on (412) the form
//! keeps the user's text and holds a [`Conflict`] for the user to resolve.

mod conflict;
mod draft;
mod field;
mod picker;
mod rows;
mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::records::RecordInput;
use rapport_shared::{Collection, ValidationErrors};
use serde::{Deserialize, Serialize};
use serde_json::Map;

pub use conflict::Conflict;
pub use draft::{CommentTarget, Draft};
pub use field::{FieldKind, FieldSpec, FieldValue};
pub use picker::Picker;
pub use rows::{RowNames, RowShape};
pub use values::nest;
use values::{diff, norm_value, normalise, without_nulls};

use crate::api::{ApiError, ListQuery, Record, record_id, record_version};
use crate::lookup::Lookup;
use crate::remote::{Remote, RequestId};

/// The field naming a customer's purchaser, one of its own contacts.
const PURCHASER: &str = "purchaser_contact_id";

/// How many results a reference picker shows.
pub const PICKER_LIMIT: u32 = 20;

/// One field: what it is and what it holds.
pub struct Field {
    pub spec: FieldSpec,
    pub value: FieldValue,
}

/// Whether the form creates a record or edits one.
#[derive(Debug, Clone, PartialEq)]
pub enum FormMode {
    /// The key makes a retried create harmless.
    Create { idempotency_key: String },
    /// `base` is the record as last read; `version` goes into `If-Match`.
    Edit {
        id: String,
        version: i64,
        base: Record,
    },
}

/// What the form sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    Create {
        body: Record,
        idempotency_key: String,
    },
    Update {
        id: String,
        version: i64,
        patch: Record,
    },
}

/// What the app must do after the form handled a key.
#[derive(Debug, Clone, PartialEq)]
pub enum FormOutcome {
    Nothing,
    /// Search `collection` for the reference picker of field `field`.
    Pick {
        field: usize,
        collection: Collection,
        query: ListQuery,
    },
}

/// The shared rules a record must follow, run before it is sent (on the
/// object as sent, [`nest`]ed).
pub type Rules = Arc<dyn Fn(&Record) -> Result<(), ValidationErrors> + Send + Sync>;

/// Rules that need nothing but the record: a collection's, in the registry.
pub type RuleFn = fn(&Record) -> Result<(), ValidationErrors>;

/// The shared rules of input type `I` (`rules::<CustomerInput>`).
pub fn rules<I: RecordInput>(object: &Record) -> Result<(), ValidationErrors> {
    I::from_json(object).map(drop)
}

/// What a form edits: the collection and the shared rules of its records.
#[derive(Clone)]
pub struct RecordType {
    pub collection: Collection,
    pub rules: Rules,
}

/// The record a new record belongs to and is created under (the survey
/// a response answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub collection: Collection,
    pub record: Record,
}

/// A form built from its owner: the fields and the rules (a survey's
/// response: the contact, a field per question, the answers checked
/// against the questions).
pub struct FormShape {
    pub fields: Vec<FieldSpec>,
    pub rules: Rules,
}

/// A create or edit form.
pub struct Form {
    pub collection: Collection,
    rules: Rules,
    pub mode: FormMode,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Field name to message: local validation and server rejections.
    pub errors: BTreeMap<String, String>,
    /// A message for the whole form (a failed save, "no changes").
    pub notice: Option<String>,
    pub save: Remote,
    pub conflict: Option<Conflict>,
    /// The record a new one belongs to and is created under.
    pub owner: Option<Owner>,
    /// Values when opened, to know whether there is unsaved text.
    initial: Record,
    /// The records its line fields' reference columns may name.
    names: RowNames,
}

impl Form {
    /// A form for a new record, starting from `defaults`.
    pub fn create(
        kind: RecordType,
        specs: Vec<FieldSpec>,
        defaults: &Record,
        lookup: &Lookup,
        idempotency_key: String,
    ) -> Form {
        Form::build(
            kind,
            specs,
            defaults,
            lookup,
            FormMode::Create { idempotency_key },
        )
    }

    /// A form editing `record`.
    pub fn edit(kind: RecordType, specs: Vec<FieldSpec>, record: &Record, lookup: &Lookup) -> Form {
        let mode = FormMode::Edit {
            id: record_id(record).to_string(),
            version: record_version(record),
            base: record.clone(),
        };
        Form::build(kind, specs, record, lookup, mode)
    }

    fn build(
        kind: RecordType,
        specs: Vec<FieldSpec>,
        values: &Record,
        lookup: &Lookup,
        mode: FormMode,
    ) -> Form {
        let creating = matches!(mode, FormMode::Create { .. });
        let names = RowNames::of(
            specs.iter().filter_map(|spec| match spec.kind {
                FieldKind::Rows(shape) => Some(shape),
                _ => None,
            }),
            lookup,
        );
        let fields = specs
            .into_iter()
            .map(|spec| {
                // A customer's purchaser is one of its contacts, which a
                // new customer does not have yet: the field says so.
                let spec = if creating && spec.name == PURCHASER {
                    spec.hint(crate::strings::PURCHASER_NEW_CUSTOMER)
                } else {
                    spec
                };
                let value = FieldValue::from_json(&spec, values.get(spec.name.as_ref()), lookup);
                Field { spec, value }
            })
            .collect();
        let mut form = Form {
            collection: kind.collection,
            rules: kind.rules,
            mode,
            fields,
            focus: 0,
            errors: BTreeMap::new(),
            notice: None,
            save: Remote::Idle,
            conflict: None,
            owner: None,
            initial: Map::new(),
            names,
        };
        form.initial = form.object();
        form
    }

    /// The form writing a record that belongs to `owner`.
    pub fn owned_by(self, owner: Owner) -> Form {
        Form {
            owner: Some(owner),
            ..self
        }
    }

    /// The current values as a JSON object of the form's fields.
    pub fn object(&self) -> Record {
        self.fields
            .iter()
            .map(|f| {
                let value = f.value.to_json_for(f.spec.kind, &self.names);
                (f.spec.name.to_string(), value)
            })
            .collect()
    }

    /// Whether the user typed something not yet saved.
    pub fn is_dirty(&self) -> bool {
        normalise(&self.object()) != normalise(&self.initial)
    }

    /// The record's label for the title (`New customer`, `Edit MOF`).
    pub fn is_new(&self) -> bool {
        matches!(self.mode, FormMode::Create { .. })
    }

    /// Runs the shared validation; marks every field at fault.
    pub fn validate(&mut self) -> bool {
        let object = nest(&normalise(&self.object()));
        self.errors.clear();
        if let Err(errors) = (self.rules)(&object) {
            for error in errors.0 {
                self.errors.entry(error.field).or_insert(error.message);
            }
        }
        // A time that cannot be read says so in people's words, not as
        // the rules' "must be an RFC 3339 time".
        for field in &self.fields {
            if let Some(message) = field.value.unreadable_instant(field.spec.kind) {
                self.errors.insert(field.spec.name.to_string(), message);
            }
        }
        self.errors.is_empty()
    }

    /// What to send, after validation; `None` when invalid or unchanged.
    pub fn submission(&mut self) -> Option<Submission> {
        self.notice = None;
        if !self.validate() {
            self.notice = Some(crate::strings::FORM_INVALID.to_string());
            if let Some(at) = self
                .fields
                .iter()
                .position(|f| self.errors.contains_key(f.spec.name.as_ref()))
            {
                self.focus = at;
            }
            return None;
        }
        let object = normalise(&self.object());
        match &self.mode {
            FormMode::Create { idempotency_key } => Some(Submission::Create {
                body: without_nulls(nest(&object)),
                idempotency_key: idempotency_key.clone(),
            }),
            FormMode::Edit { id, version, base } => {
                let patch = diff(base, &object);
                if patch.is_empty() {
                    self.notice = Some("No changes to save.".to_string());
                    return None;
                }
                Some(Submission::Update {
                    id: id.clone(),
                    version: *version,
                    patch: nest(&patch),
                })
            }
        }
    }

    /// The save was sent as `request`.
    pub fn saving(&mut self, request: RequestId) {
        self.save = Remote::Loading(request);
    }

    /// The save failed: field errors go next to their fields.
    pub fn save_failed(&mut self, error: &ApiError) {
        self.save = Remote::Failed(error.to_string());
        let field_errors = error.field_errors();
        self.notice = Some(error.to_string());
        for fe in field_errors {
            if let Some(at) = self.fields.iter().position(|f| f.spec.name == fe.field) {
                self.focus = at;
            }
            self.errors.insert(fe.field, fe.message);
        }
    }

    /// Moves the focus by `step` fields; entering a reference field loads
    /// its first choices.
    pub fn move_focus(&mut self, forward: bool) -> FormOutcome {
        self.check_left_field();
        let count = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % count
        } else {
            (self.focus + count - 1) % count
        };
        self.picker_query(self.focus)
    }

    /// Runs the shared validation when the user leaves a field they
    /// changed, and shows that field's message at once (other fields are
    /// judged when they are left, or on save).
    fn check_left_field(&mut self) {
        let Some(field) = self.fields.get(self.focus) else {
            return;
        };
        let name = field.spec.name.to_string();
        let now = norm_value(Some(&field.value.to_json_for(field.spec.kind, &self.names)));
        if now == norm_value(self.initial.get(&name)) {
            return;
        }
        if let Some(message) = field.value.unreadable_instant(field.spec.kind) {
            self.errors.insert(name, message);
            return;
        }
        match (self.rules)(&nest(&normalise(&self.object()))) {
            Ok(()) => {
                self.errors.remove(&name);
            }
            Err(errors) => match errors.for_field(&name) {
                Some(message) => {
                    self.errors.insert(name, message.to_string());
                }
                None => {
                    self.errors.remove(&name);
                }
            },
        }
    }

    /// The search for the picker of field `at`, when it is a reference.
    pub fn picker_query(&self, at: usize) -> FormOutcome {
        let Some(field) = self.fields.get(at) else {
            return FormOutcome::Nothing;
        };
        let (FieldKind::Ref(collection) | FieldKind::RefList(collection)) = field.spec.kind else {
            return FormOutcome::Nothing;
        };
        let query = field
            .value
            .picker()
            .map(|p| p.query.clone())
            .unwrap_or_default();
        let mut filters = field.spec.filters.clone();
        // A customer's purchaser is one of its own contacts; a new
        // customer has none to offer (its hint says what to do).
        if field.spec.name == PURCHASER {
            let FormMode::Edit { id, .. } = &self.mode else {
                return FormOutcome::Nothing;
            };
            filters.push(("customer_id".to_string(), id.clone()));
        }
        // An RFC's requester, and a meeting's contacts, are contacts of
        // the record's customer.
        if matches!(
            field.spec.name.as_ref(),
            "requested_by_contact_id" | "attendee_contact_ids"
        ) && let Some(customer) = self.fields.iter().find(|f| f.spec.name == "customer_id")
            && let Some(id) = customer.value.to_json().as_str()
        {
            filters.push(("customer_id".to_string(), id.to_string()));
        }
        FormOutcome::Pick {
            field: at,
            collection,
            query: ListQuery {
                limit: PICKER_LIMIT,
                cursor: None,
                q: Some(query).filter(|q| !q.is_empty()),
                filters,
            },
        }
    }

    /// A picker search was sent as `request`.
    pub fn picking(&mut self, field: usize, request: RequestId) {
        if let Some(picker) = self
            .fields
            .get_mut(field)
            .and_then(|f| f.value.picker_mut())
        {
            picker.load = Remote::Loading(request);
        }
    }

    /// Picker results arrived; stale ones are dropped.
    pub fn picker_arrived(
        &mut self,
        field: usize,
        request: RequestId,
        result: Result<Vec<(String, String)>, String>,
    ) {
        let Some(picker) = self
            .fields
            .get_mut(field)
            .and_then(|f| f.value.picker_mut())
        else {
            return;
        };
        if !picker.load.awaits(request) {
            return;
        }
        match result {
            Ok(results) => {
                picker.results = results;
                picker.cursor = 0;
                picker.load = Remote::Loaded;
            }
            Err(error) => picker.load = Remote::Failed(error),
        }
    }

    /// A key for the focused field.
    pub fn key(&mut self, key: &KeyEvent) -> FormOutcome {
        let at = self.focus;
        let Some(field) = self.fields.get_mut(at) else {
            return FormOutcome::Nothing;
        };
        let multi_line = field.spec.kind.is_multi_line();
        let one_line = matches!(
            field.spec.kind,
            FieldKind::Line | FieldKind::Int | FieldKind::Instant
        );
        let vertical = one_line || field.value.moves_focus_vertically();
        match key.code {
            KeyCode::Enter if !multi_line && !field.value.picks_on_enter() => {
                return self.move_focus(true);
            }
            KeyCode::Down if vertical => return self.move_focus(true),
            KeyCode::Up if vertical => return self.move_focus(false),
            _ => {}
        }
        let query_changed = field.value.key(key);
        self.errors.remove(self.fields[at].spec.name.as_ref());
        if query_changed {
            self.picker_query(at)
        } else {
            FormOutcome::Nothing
        }
    }
}

#[cfg(test)]
mod tests;
