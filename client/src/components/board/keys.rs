//! What a board's keys do: moving the selection, sorting, filtering, the
//! record actions, a click, and selecting a record by its id.

use super::{Board, BoardOutcome, SHORT_ID_MIN};
use crate::api::{Record, record_id};
use crate::keymap::Action;
use crate::lookup::Lookup;

impl Board {
    /// Handles a board action.
    pub fn handle(&mut self, action: Action, lookup: &Lookup) -> BoardOutcome {
        let half = (self.viewport / 2).max(1);
        match action {
            Action::Down => self.moved(self.selected + 1),
            Action::Up => self.moved(self.selected.saturating_sub(1)),
            Action::HalfPageDown => self.moved(self.selected + half),
            Action::HalfPageUp => self.moved(self.selected.saturating_sub(half)),
            Action::Top if self.base > 0 => {
                // The first pages were dropped from the window: load them again.
                self.selected_id = None;
                self.selected = 0;
                self.offset = 0;
                BoardOutcome::Load(self.first_page())
            }
            Action::Top => self.moved(0),
            Action::Bottom => {
                self.want_bottom = self.next_cursor.is_some();
                self.moved(self.order.len().saturating_sub(1))
            }
            Action::Filter => {
                self.filtering = true;
                BoardOutcome::Nothing
            }
            Action::SortNext => {
                let next = match self.sort {
                    None => self.visible.first().copied(),
                    Some((current, _)) => {
                        let at = self.visible.iter().position(|c| *c == current);
                        at.and_then(|at| self.visible.get(at + 1).copied())
                    }
                };
                self.sort = next.map(|column| (column, false));
                self.reorder(lookup);
                BoardOutcome::Nothing
            }
            Action::SortReverse => {
                self.sort = Some(match self.sort {
                    Some((column, descending)) => (column, !descending),
                    None => (self.visible.first().copied().unwrap_or(0), true),
                });
                self.reorder(lookup);
                BoardOutcome::Nothing
            }
            Action::Refresh => BoardOutcome::Load(self.first_page()),
            Action::Copy => match self.selected_record() {
                Some(record) => {
                    let field = crate::api::text(record, self.spec.copy_field);
                    let text = if field.is_empty() {
                        record_id(record)
                    } else {
                        field
                    };
                    BoardOutcome::Copy(text.to_string())
                }
                None => BoardOutcome::Nothing,
            },
            Action::New => BoardOutcome::New,
            Action::Edit => self.with_selected(BoardOutcome::Edit),
            Action::Delete => self.with_selected(BoardOutcome::Delete),
            Action::Open => self.with_selected(BoardOutcome::Open),
            _ => BoardOutcome::Nothing,
        }
    }

    fn with_selected(&self, outcome: fn(Record) -> BoardOutcome) -> BoardOutcome {
        self.selected_record()
            .cloned()
            .map(outcome)
            .unwrap_or(BoardOutcome::Nothing)
    }

    /// A key typed while filtering. Returns a reload when the text changed.
    pub fn filter_key(&mut self, key: &crossterm::event::KeyEvent) -> BoardOutcome {
        use crossterm::event::{KeyCode, KeyModifiers};
        match key.code {
            KeyCode::Enter => {
                self.filtering = false;
                BoardOutcome::Nothing
            }
            KeyCode::Esc => {
                self.filtering = false;
                self.set_filter(String::new())
            }
            KeyCode::Backspace => {
                let mut text = self.filter.clone();
                text.pop();
                self.set_filter(text)
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                let text = format!("{}{c}", self.filter);
                self.set_filter(text)
            }
            _ => BoardOutcome::Nothing,
        }
    }

    /// Sets the filter text; a change reloads from the first page.
    pub fn set_filter(&mut self, text: String) -> BoardOutcome {
        if text == self.filter {
            return BoardOutcome::Nothing;
        }
        self.filter = text;
        self.new_filter = true;
        BoardOutcome::Load(self.first_page())
    }

    /// Selects the loaded record whose id is `text` or ends with it (a
    /// short id, at least [`SHORT_ID_MIN`] characters); `None` when no
    /// loaded record has such an id.
    pub fn select_id(&mut self, text: &str) -> Option<BoardOutcome> {
        let text = text.trim();
        if text.chars().count() < SHORT_ID_MIN || text.contains(char::is_whitespace) {
            return None;
        }
        let position = self.order.iter().position(|i| {
            self.rows
                .get(*i)
                .is_some_and(|r| record_id(r).ends_with(text))
        })?;
        Some(self.moved(position))
    }

    /// Selects a row by screen position (mouse click), relative to the first row.
    pub fn click(&mut self, row: usize) -> BoardOutcome {
        let position = self.offset + row;
        if position < self.order.len() {
            self.moved(position)
        } else {
            BoardOutcome::Nothing
        }
    }
}
