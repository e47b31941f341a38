//! `ctrl-e` in a form's multi-line field: its text goes to the user's
//! editor ([`Command::EditText`], which the runtime runs with the
//! terminal handed over) and comes back as [`Msg::Edited`](super::Msg),
//! taken back by [`take_back`]. Keys typed meanwhile wait in
//! [`App::typed_ahead`] and follow the text back into the form.

use super::{App, Command};
use crate::strings;
use crate::terminal::editor::{EditOutcome, take_back};

/// A field whose text is in the user's editor.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalEdit {
    /// The field's name (`description`).
    pub field: String,
    /// Its label, for the status line.
    pub label: String,
    /// Its text when handed over: kept if the editor fails.
    pub before: String,
}

impl App {
    /// Hands the focused multi-line field's text to the editor; `None`
    /// when the field is not multi-line, so the key does what it does
    /// there (`ctrl-e` goes to the end of a line of text).
    pub(super) fn open_in_editor(&mut self) -> Option<Vec<Command>> {
        let form = self.form.as_ref()?;
        let field = form.fields.get(form.focus)?;
        if !field.spec.kind.is_multi_line() {
            if field.value.text().is_none() {
                self.say(strings::EDITOR_MULTI_LINE_ONLY, true);
                return Some(Vec::new());
            }
            return None;
        }
        let before = field.value.text()?;
        self.external_edit = Some(ExternalEdit {
            field: field.spec.name.to_string(),
            label: field.spec.label.to_string(),
            before: before.clone(),
        });
        Some(vec![Command::EditText(before)])
    }

    /// The editor is done: the field takes the text back (or keeps its
    /// own, saying why), if its form is still open.
    pub(super) fn edited(&mut self, outcome: EditOutcome) -> Vec<Command> {
        let Some(edit) = self.external_edit.take() else {
            return Vec::new();
        };
        let failed = outcome.is_err();
        let (text, said) = take_back(&edit.before, outcome);
        let field = self
            .form
            .as_mut()
            .and_then(|form| form.fields.iter_mut().find(|f| f.spec.name == edit.field));
        let Some(field) = field else {
            return Vec::new();
        };
        if text != edit.before {
            field.value.set_text(&text);
        }
        let message = said.unwrap_or_else(|| strings::editor_took_back(&edit.label));
        // The form shows its own notice over the status line.
        if let Some(form) = self.form.as_mut() {
            form.notice = Some(message.clone());
        }
        self.say(message, failed);
        Vec::new()
    }
}
