//! Drafts: a form's unsaved text kept on disk when the app is ended from
//! outside (SIGTERM, or SIGHUP when an SSH connection drops), and reopened
//! at the next start. An edit keeps the version it was based on, so if the
//! record changed meanwhile the next save meets the usual conflict dialog
//! and nothing is overwritten blindly. A comment being typed on a record
//! (an RFC) outside a form is kept the same way; the screen of its
//! collection reopens it in its editor.

use std::collections::BTreeMap;

use rapport_shared::Collection;
use serde::{Deserialize, Serialize};

use super::{FieldSpec, FieldValue, Form, FormMode, Owner, RecordType};
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
    /// The values typed so far (for a comment: `text`).
    pub values: Record,
    /// Set when the draft is a comment on a record of `collection`
    /// rather than a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_on: Option<CommentTarget>,
    /// For a record that belongs to another (a survey's response): that
    /// record as the form was opened on it, which the form is built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// The names the references in `values` were shown with (a team's,
    /// a purchaser's), by id: a draft reopens at start, before the lists
    /// that name them have loaded, and must not show their ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// The record a drafted comment was written for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentTarget {
    pub id: String,
    pub label: String,
}

impl Draft {
    /// A comment's unsaved text on record `id` of `collection` (shown as
    /// `label`).
    pub fn comment(collection: Collection, id: &str, label: &str, text: &str) -> Draft {
        let mut values = Record::new();
        values.insert("text".into(), serde_json::Value::String(text.to_string()));
        Draft {
            collection,
            base: None,
            idempotency_key: None,
            values,
            comment_on: Some(CommentTarget {
                id: id.to_string(),
                label: label.to_string(),
            }),
            owner: None,
            labels: BTreeMap::new(),
        }
    }
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
            comment_on: None,
            owner: self.owner.clone(),
            labels: self.labels(),
        }
    }

    /// The names the form's reference fields show, by id.
    fn labels(&self) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        for field in &self.fields {
            match &field.value {
                FieldValue::Ref {
                    id: Some(id),
                    label,
                    ..
                } if !label.is_empty() && label != id => {
                    labels.insert(id.clone(), label.clone());
                }
                FieldValue::Refs { items, .. } => {
                    for (id, label) in items {
                        if !label.is_empty() && label != id {
                            labels.insert(id.clone(), label.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        labels
    }

    /// Reopens a draft with the collection's rules (`kind`) and `specs`
    /// (for an owned record, those built from the draft's owner).
    pub fn from_draft(
        draft: &Draft,
        kind: RecordType,
        specs: Vec<FieldSpec>,
        lookup: &Lookup,
    ) -> Form {
        // What the app knows now wins over the names kept with the draft.
        let mut known = lookup.clone();
        for (id, label) in &draft.labels {
            known.remember(id, label);
        }
        let lookup = &known;
        let mut form = match (&draft.base, &draft.idempotency_key) {
            (Some(base), _) => Form::edit(kind, specs, base, lookup),
            (None, key) => Form::create(
                kind,
                specs,
                &Record::new(),
                lookup,
                key.clone()
                    .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            ),
        };
        form.owner = draft.owner.clone();
        for field in &mut form.fields {
            if let Some(value) = draft.values.get(field.spec.name.as_ref()) {
                field.value = FieldValue::from_json(&field.spec, Some(value), lookup);
            }
        }
        form
    }
}
