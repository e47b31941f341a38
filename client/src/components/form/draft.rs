//! Drafts: a form's unsaved text kept on disk when the app is ended from
//! outside (SIGTERM, or SIGHUP when an SSH connection drops), and reopened
//! at the next start. An edit keeps the version it was based on, so if the
//! record changed meanwhile the next save meets the usual conflict dialog
//! and nothing is overwritten blindly.

use rapport_shared::Collection;
use serde::{Deserialize, Serialize};

use super::{FieldSpec, FieldValue, Form, FormMode};
use crate::api::Record;
use crate::lookup::Lookup;

/// A form's unsaved state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub collection: Collection,
    /// For an edit: the record as it was read (its id and version).
    pub base: Option<Record>,
    /// For a create: the key that makes a repeated create harmless.
    pub idempotency_key: Option<String>,
    /// The values typed so far.
    pub values: Record,
}

impl Form {
    /// The form's unsaved state.
    pub fn draft(&self) -> Draft {
        let (base, idempotency_key) = match &self.mode {
            FormMode::Create { idempotency_key } => (None, Some(idempotency_key.clone())),
            FormMode::Edit { base, .. } => (Some(base.clone()), None),
        };
        Draft {
            collection: self.collection,
            base,
            idempotency_key,
            values: self.object(),
        }
    }

    /// Reopens a draft with the collection's `specs`.
    pub fn from_draft(draft: &Draft, specs: Vec<FieldSpec>, lookup: &Lookup) -> Form {
        let mut form = match (&draft.base, &draft.idempotency_key) {
            (Some(base), _) => Form::edit(draft.collection, specs, base, lookup),
            (None, key) => Form::create(
                draft.collection,
                specs,
                &Record::new(),
                lookup,
                key.clone()
                    .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            ),
        };
        for field in &mut form.fields {
            if let Some(value) = draft.values.get(field.spec.name) {
                field.value = FieldValue::from_json(&field.spec, Some(value), lookup);
            }
        }
        form
    }
}
