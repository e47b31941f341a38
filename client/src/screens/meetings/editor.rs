//! Editing a meeting's parts in place: an agenda item (title, minutes set
//! aside, who leads it, its notes in the multi-line editor), the minutes,
//! a decision or an action item (text, owner, due date). The editor holds
//! the typed text only; saving turns it into the one field of the meeting
//! it changes (the whole list, since a merge patch replaces a list), which
//! the screen sends as a PATCH with the meeting's version.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;
use serde_json::{Map, Value, json};

use super::items;
use crate::api::{Record, record_id, text};
use crate::keymap::{Action, KeyMap};
use crate::lookup::Lookup;
use crate::strings;

/// What the editor changes: an item of a list (`None` adds one at the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Agenda(Option<usize>),
    Minutes,
    Decision(Option<usize>),
    Action(Option<usize>),
}

impl Target {
    /// The meeting field it writes.
    pub fn field(self) -> &'static str {
        match self {
            Target::Agenda(_) => "agenda",
            Target::Minutes => "minutes",
            Target::Decision(_) => "decisions",
            Target::Action(_) => "actions",
        }
    }

    /// The target as kept in a draft: `agenda:2`, `agenda:new`, `minutes`.
    pub fn key(self) -> String {
        let at = |at: Option<usize>| at.map_or_else(|| "new".to_string(), |at| at.to_string());
        match self {
            Target::Minutes => "minutes".to_string(),
            Target::Agenda(item) | Target::Decision(item) | Target::Action(item) => {
                format!("{}:{}", self.field(), at(item))
            }
        }
    }

    /// A target as [`Target::key`] wrote it.
    pub fn parse(key: &str) -> Option<Target> {
        if key == "minutes" {
            return Some(Target::Minutes);
        }
        let (field, at) = key.split_once(':')?;
        let at = match at {
            "new" => None,
            at => Some(at.parse().ok()?),
        };
        match field {
            "agenda" => Some(Target::Agenda(at)),
            "decisions" => Some(Target::Decision(at)),
            "actions" => Some(Target::Action(at)),
            _ => None,
        }
    }

    /// The editor's title.
    pub fn title(self) -> &'static str {
        match self {
            Target::Agenda(None) => strings::MEETING_NEW_ITEM,
            Target::Agenda(Some(_)) => strings::MEETING_EDIT_ITEM,
            Target::Minutes => strings::MEETING_MINUTES,
            Target::Decision(None) => strings::MEETING_NEW_DECISION,
            Target::Decision(Some(_)) => strings::MEETING_EDIT_DECISION,
            Target::Action(None) => strings::MEETING_NEW_ACTION,
            Target::Action(Some(_)) => strings::MEETING_EDIT_ACTION,
        }
    }
}

/// The value of one field while it is edited.
#[derive(Debug, Clone)]
pub enum EditValue {
    /// Text; Enter breaks a line only when `multi_line`.
    Text {
        area: Box<TextArea<'static>>,
        multi_line: bool,
    },
    /// One of a few choices (id and label; no id is "nobody").
    Choice {
        options: Vec<(Option<String>, String)>,
        at: usize,
    },
}

impl EditValue {
    fn text(value: &str, multi_line: bool) -> EditValue {
        let mut area = TextArea::new(value.split('\n').map(str::to_string).collect());
        if multi_line {
            // Long lines wrap at words instead of scrolling sideways.
            area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        EditValue::Text {
            area: Box::new(area),
            multi_line,
        }
    }

    /// The value as typed: text, or the chosen id ("" for nobody).
    pub fn current(&self) -> String {
        match self {
            EditValue::Text { area, .. } => area.lines().join("\n"),
            EditValue::Choice { options, at } => options
                .get(*at)
                .and_then(|(id, _)| id.clone())
                .unwrap_or_default(),
        }
    }

    /// How the value is shown when it is not being typed into.
    pub fn shown(&self) -> String {
        match self {
            EditValue::Text { area, .. } => area.lines().join("\n"),
            EditValue::Choice { options, at } => options
                .get(*at)
                .map(|(_, label)| label.clone())
                .unwrap_or_default(),
        }
    }
}

/// One field of the editor.
#[derive(Debug, Clone)]
pub struct EditField {
    pub label: &'static str,
    pub value: EditValue,
}

/// What a key did to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorKey {
    /// Keep editing.
    Typed,
    /// Send the change.
    Save,
    /// Close without saving.
    Close,
}

/// The open editor.
#[derive(Debug, Clone)]
pub struct Editor {
    /// The meeting edited.
    pub meeting_id: String,
    pub target: Target,
    pub fields: Vec<EditField>,
    pub focus: usize,
    /// Esc was pressed over changed text: a second Esc drops it.
    pub asking_drop: bool,
    /// The item as it was (an agenda item keeps its source).
    original: Map<String, Value>,
    initial: Vec<String>,
}

impl Editor {
    /// An editor for `target` of `meeting`; owners are chosen among the
    /// user (`me`), the staff attending and the item's current owner.
    pub fn new(target: Target, meeting: &Record, me: Option<&str>, lookup: &Lookup) -> Editor {
        let original = match target {
            Target::Agenda(Some(at)) | Target::Action(Some(at)) => {
                items::list(meeting, target.field())
                    .get(at)
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            }
            _ => Map::new(),
        };
        let field = |name: &str| original.get(name).and_then(Value::as_str).unwrap_or("");
        let owner = || EditField {
            label: strings::MEETING_FIELD_OWNER,
            value: owner_choice(meeting, me, field("owner_id"), lookup),
        };
        let fields = match target {
            Target::Agenda(_) => vec![
                line(strings::MEETING_FIELD_TITLE, field("title")),
                line(
                    strings::MEETING_FIELD_ITEM_MINUTES,
                    &original
                        .get("minutes")
                        .and_then(Value::as_i64)
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                ),
                owner(),
                EditField {
                    label: strings::MEETING_FIELD_NOTES,
                    value: EditValue::text(field("notes"), true),
                },
            ],
            Target::Minutes => vec![EditField {
                label: strings::MEETING_MINUTES,
                value: EditValue::text(text(meeting, "minutes"), true),
            }],
            Target::Decision(at) => {
                let decisions = items::list(meeting, "decisions");
                let now = at
                    .and_then(|at| decisions.get(at))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                vec![line(strings::MEETING_FIELD_DECISION, now)]
            }
            Target::Action(_) => vec![
                line(strings::MEETING_FIELD_ACTION, field("text")),
                owner(),
                line(strings::MEETING_FIELD_DUE, field("due_on")),
            ],
        };
        let initial = fields.iter().map(|f| f.value.current()).collect();
        Editor {
            meeting_id: record_id(meeting).to_string(),
            target,
            fields,
            focus: 0,
            asking_drop: false,
            original,
            initial,
        }
    }

    /// What is typed in each field, in order (a choice: its id).
    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.value.current()).collect()
    }

    /// Puts back values [`Editor::values`] gave (a kept draft); a choice
    /// no longer offered keeps its current one.
    pub fn restore(&mut self, values: &[String]) {
        for (field, value) in self.fields.iter_mut().zip(values) {
            match &mut field.value {
                EditValue::Text { multi_line, .. } => {
                    field.value = EditValue::text(value, *multi_line);
                }
                EditValue::Choice { options, at } => {
                    let wanted = Some(value.as_str()).filter(|v| !v.is_empty());
                    if let Some(found) = options.iter().position(|(id, _)| id.as_deref() == wanted)
                    {
                        *at = found;
                    }
                }
            }
        }
    }

    /// Whether the text differs from what the editor opened with.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(|f| f.value.current())
            .ne(self.initial.iter().cloned())
    }

    /// Applies a key.
    pub fn key(&mut self, keymap: &KeyMap, key: &KeyEvent) -> EditorKey {
        if self.asking_drop {
            self.asking_drop = false;
            if keymap.is(Action::Back, key) {
                return EditorKey::Close;
            }
        }
        if keymap.is(Action::Save, key) {
            return EditorKey::Save;
        }
        if keymap.is(Action::Back, key) {
            if self.is_dirty() {
                self.asking_drop = true;
                return EditorKey::Typed;
            }
            return EditorKey::Close;
        }
        let count = self.fields.len().max(1);
        if keymap.is(Action::NextField, key) {
            self.focus = (self.focus + 1) % count;
            return EditorKey::Typed;
        }
        if keymap.is(Action::PrevField, key) {
            self.focus = (self.focus + count - 1) % count;
            return EditorKey::Typed;
        }
        let last = self.focus + 1 >= count;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return EditorKey::Typed;
        };
        let mut advance = false;
        match &mut field.value {
            EditValue::Text {
                multi_line: false, ..
            } if key.code == KeyCode::Enter => {
                // Enter on the last field saves; elsewhere it moves on.
                if last {
                    return EditorKey::Save;
                }
                advance = true;
            }
            EditValue::Text { area, .. } => {
                area.input(*key);
            }
            EditValue::Choice { options, at } => {
                let slots = options.len().max(1);
                match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => *at = (*at + 1) % slots,
                    KeyCode::Left => *at = (*at + slots - 1) % slots,
                    KeyCode::Enter => advance = !last,
                    _ => {}
                }
            }
        }
        if advance {
            self.focus += 1;
        }
        EditorKey::Typed
    }

    /// The field's value as typed.
    fn value(&self, at: usize) -> String {
        self.fields
            .get(at)
            .map(|f| f.value.current())
            .unwrap_or_default()
    }

    /// The meeting field the editor writes and its new value, built from
    /// `meeting` as it is now; an error names what is missing.
    pub fn change(&self, meeting: &Record) -> Result<(&'static str, Value), &'static str> {
        let field = self.target.field();
        let trimmed = |at: usize| self.value(at).trim().to_string();
        let put = |at: Option<usize>, item: Value| {
            let mut list = items::list(meeting, field);
            match at {
                Some(at) if at < list.len() => list[at] = item,
                _ => list.push(item),
            }
            Value::Array(list)
        };
        match self.target {
            Target::Minutes => {
                let minutes = self.value(0);
                let value = if minutes.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(minutes)
                };
                Ok((field, value))
            }
            Target::Decision(at) => {
                let decision = trimmed(0);
                if decision.is_empty() {
                    return Err(strings::MEETING_EMPTY_DECISION);
                }
                Ok((field, put(at, Value::String(decision))))
            }
            Target::Agenda(at) => {
                let title = trimmed(0);
                if title.is_empty() {
                    return Err(strings::MEETING_EMPTY_TITLE);
                }
                let mut item = self.original.clone();
                item.insert("title".into(), json!(title));
                let minutes = trimmed(1);
                match minutes.parse::<i64>() {
                    Ok(minutes) => set(&mut item, "minutes", json!(minutes)),
                    Err(_) if minutes.is_empty() => set(&mut item, "minutes", Value::Null),
                    Err(_) => return Err(strings::MEETING_BAD_MINUTES),
                }
                set(&mut item, "owner_id", optional(self.value(2)));
                let notes = self.value(3);
                let notes = if notes.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(notes.trim_end().to_string())
                };
                set(&mut item, "notes", notes);
                Ok((field, put(at, Value::Object(item))))
            }
            Target::Action(at) => {
                let action = trimmed(0);
                if action.is_empty() {
                    return Err(strings::MEETING_EMPTY_ACTION);
                }
                let mut item = self.original.clone();
                item.insert("text".into(), json!(action));
                set(&mut item, "owner_id", optional(self.value(1)));
                set(&mut item, "due_on", optional(trimmed(2)));
                if !item.contains_key("done") {
                    item.insert("done".into(), json!(false));
                }
                Ok((field, put(at, Value::Object(item))))
            }
        }
    }
}

/// A one-line text field.
fn line(label: &'static str, value: &str) -> EditField {
    EditField {
        label,
        value: EditValue::text(value, false),
    }
}

/// Text as an optional JSON string (blank is absent).
fn optional(value: String) -> Value {
    let value = value.trim();
    if value.is_empty() {
        Value::Null
    } else {
        Value::String(value.to_string())
    }
}

/// Sets `key`, or removes it for null (the item keeps only what it has).
fn set(item: &mut Map<String, Value>, key: &str, value: Value) {
    if value.is_null() {
        item.remove(key);
    } else {
        item.insert(key.to_string(), value);
    }
}

/// Who may carry an item: nobody, the user, the staff attending and
/// whoever carries it now, each once, with the current owner chosen.
fn owner_choice(meeting: &Record, me: Option<&str>, current: &str, lookup: &Lookup) -> EditValue {
    let mut options: Vec<(Option<String>, String)> = vec![(None, strings::NOBODY.to_string())];
    let attending = meeting
        .get("attendee_staff_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    let candidates = me.into_iter().chain(attending).chain(Some(current));
    for id in candidates.filter(|id| !id.is_empty()) {
        if !options
            .iter()
            .any(|(known, _)| known.as_deref() == Some(id))
        {
            options.push((Some(id.to_string()), lookup.name(id)));
        }
    }
    let at = options
        .iter()
        .position(|(id, _)| id.as_deref() == Some(current))
        .unwrap_or(0);
    EditValue::Choice { options, at }
}
