//! When the server changed a record while it was being edited (a 412),
//! the form keeps every keystroke and holds a [`Conflict`]: what the server
//! changed, and three ways on: reload and reapply the user's changes on the
//! server's version, overwrite the server's version, or keep editing.

use super::values::{diff, norm_value, normalise, show};
use super::{Form, FormMode, Submission};
use crate::api::{Record, record_version};
use crate::components::form::FieldValue;
use crate::lookup::Lookup;
use crate::remote::Remote;

/// The server changed the record while it was being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The record as the server has it now; `None` when it was deleted.
    pub server: Option<Record>,
    /// Fields the server changed: name, value when editing began, value now.
    pub changes: Vec<(String, String, String)>,
}

impl Form {
    /// The server's current record arrived after a 412 (or `None`: deleted).
    pub fn conflict_arrived(&mut self, server: Option<Record>) {
        self.save = Remote::Idle;
        let changes = match (&self.mode, &server) {
            (FormMode::Edit { base, .. }, Some(current)) => self
                .fields
                .iter()
                .filter_map(|f| {
                    let name = f.spec.name.as_ref();
                    let was = norm_value(base.get(name));
                    let now = norm_value(current.get(name));
                    (was != now).then(|| (name.to_string(), show(&was), show(&now)))
                })
                .collect(),
            _ => Vec::new(),
        };
        self.conflict = Some(Conflict { server, changes });
    }

    /// Conflict: take the server's record as the new base and apply the
    /// user's changes on top of it; the user keeps editing.
    pub fn reapply(&mut self, lookup: &Lookup) {
        let Some(Conflict {
            server: Some(server),
            ..
        }) = self.conflict.take()
        else {
            return;
        };
        let FormMode::Edit { base, .. } = &self.mode else {
            return;
        };
        let mine = diff(base, &normalise(&self.object()));
        let mut merged = server.clone();
        for (key, value) in mine {
            merged.insert(key, value);
        }
        for field in &mut self.fields {
            field.value =
                FieldValue::from_json(&field.spec, merged.get(field.spec.name.as_ref()), lookup);
        }
        self.rebase(server);
        self.notice = Some("Reloaded the server's version and reapplied your edit.".to_string());
    }

    /// Conflict: keep the user's values and base them on the server's
    /// version, so the next save overwrites. Returns that save.
    pub fn overwrite(&mut self) -> Option<Submission> {
        let Some(Conflict {
            server: Some(server),
            ..
        }) = self.conflict.take()
        else {
            return None;
        };
        self.rebase(server);
        self.submission()
    }

    /// Conflict: close the dialog and keep editing as before.
    pub fn keep_editing(&mut self) {
        self.conflict = None;
    }

    fn rebase(&mut self, server: Record) {
        if let FormMode::Edit { version, base, .. } = &mut self.mode {
            *version = record_version(&server);
            *base = server;
        }
    }
}
