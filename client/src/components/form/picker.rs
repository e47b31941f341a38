//! The search state of a reference picker field: what the user typed, the
//! matches, and whether the user moved through them.

use crossterm::event::KeyCode;

use crate::remote::Remote;

/// Search state of a reference picker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picker {
    /// What the user typed.
    pub query: String,
    /// Matching records: id and label.
    pub results: Vec<(String, String)>,
    pub cursor: usize,
    pub load: Remote,
    /// Whether the user moved through the results since the field's
    /// value was last set. Enter picks only what the user searched for or
    /// moved to: on an untouched lookup it keeps the value (an edit's
    /// customer) and moves on.
    pub browsed: bool,
}

impl Picker {
    /// Drops the search text and the browsing: the field is untouched
    /// again (after a pick, or Esc abandoning the search).
    pub fn abandon(&mut self) {
        self.query.clear();
        self.browsed = false;
    }

    /// Types into or erases from the search text; `true` when the key did
    /// (the search then runs again), `false` when it is the field's to handle.
    pub(super) fn edit_query(&mut self, code: KeyCode, plain_char: Option<char>) -> bool {
        match (code, plain_char) {
            (_, Some(c)) => {
                self.query.push(c);
                true
            }
            (KeyCode::Backspace, _) => self.query.pop().is_some(),
            _ => false,
        }
    }

    pub(super) fn move_cursor(&mut self, code: KeyCode) -> bool {
        match code {
            KeyCode::Down => {
                self.cursor = (self.cursor + 1).min(self.results.len().saturating_sub(1));
                self.browsed = true;
            }
            KeyCode::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                self.browsed = true;
            }
            _ => {}
        }
        false
    }
}
