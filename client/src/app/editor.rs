//! `ctrl-e` in a multi-line text (a form's multi-line field, an RFC's
//! comment being written): its text goes to the user's editor
//! ([`Command::EditText`], which the runtime runs with the terminal handed
//! over) and comes back as [`Msg::Edited`](super::Msg), taken back by
//! [`take_back`] into the field, or handed to the screen that asked
//! ([`Effect::EditText`](crate::screens::Effect), `Screen::edited`). Keys
//! typed meanwhile wait in [`App::typed_ahead`] and follow the text back.

use super::{App, Command};
use crate::screens::ScreenId;
use crate::strings;
use crate::terminal::editor::{EditOutcome, take_back};

/// Where a text in the user's editor goes back to.
#[derive(Debug, Clone, PartialEq)]
pub enum EditTarget {
    /// The open form's field of this name (`description`).
    Field(String),
    /// The screen that handed it over (its `edited` takes it).
    Screen(ScreenId),
}

/// A text in the user's editor.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalEdit {
    pub target: EditTarget,
    /// What the status line says when the text comes back changed.
    pub taken: String,
    /// Its text when handed over: kept if the editor fails.
    pub before: String,
}

impl App {
    /// Hands `text` to the user's editor, to come back to `target`
    /// (saying `taken` when it comes back changed).
    pub(super) fn hand_to_editor(
        &mut self,
        target: EditTarget,
        taken: String,
        text: String,
    ) -> Vec<Command> {
        self.external_edit = Some(ExternalEdit {
            target,
            taken,
            before: text.clone(),
        });
        vec![Command::EditText(text)]
    }

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
        let target = EditTarget::Field(field.spec.name.to_string());
        let taken = strings::editor_took_back(&field.spec.label);
        Some(self.hand_to_editor(target, taken, before))
    }

    /// The editor is done: the field or screen takes the text back (or
    /// keeps its own, saying why), if it is still open.
    pub(super) fn edited(&mut self, outcome: EditOutcome) -> Vec<Command> {
        let Some(edit) = self.external_edit.take() else {
            return Vec::new();
        };
        let failed = outcome.is_err();
        let (text, said) = take_back(&edit.before, outcome);
        let message = said.unwrap_or(edit.taken);
        let commands = match edit.target {
            EditTarget::Field(name) => {
                let field = self
                    .form
                    .as_mut()
                    .and_then(|form| form.fields.iter_mut().find(|f| f.spec.name == name));
                let Some(field) = field else {
                    return Vec::new();
                };
                if text != edit.before {
                    field.value.set_text(&text);
                }
                // The form shows its own notice over the status line.
                if let Some(form) = self.form.as_mut() {
                    form.notice = Some(message.clone());
                }
                Vec::new()
            }
            EditTarget::Screen(id) => self.on_screen(id, |screen, ctx| screen.edited(ctx, text)),
        };
        self.say(message, failed);
        commands
    }
}
