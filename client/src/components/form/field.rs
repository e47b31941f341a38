//! One form field: its kind, the value it holds while being edited, and
//! how keys change it. Text-like fields are `ratatui-textarea` editors, so
//! cursor movement, word deletion and undo work as in any editor.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use rapport_shared::Collection;
use ratatui_textarea::TextArea;
use serde_json::Value;

use super::{Picker, RowNames, RowShape};
use crate::lookup::Lookup;
use crate::when::Clock;

/// What kind of value a field holds and how it is edited.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// One line of text.
    Line,
    /// Multi-line text.
    Text,
    /// A whole number typed as text.
    Int,
    /// A moment, typed and shown as local time (`Tue 14:00`, `2026-12-08
    /// 09:00`, `today 17:00`, read by [`Clock::read`]) and sent as the
    /// instant in RFC 3339.
    Instant,
    /// One of a closed vocabulary (the shared enum's names).
    Enum(fn() -> Vec<&'static str>),
    /// Any of a closed vocabulary.
    EnumList(fn() -> Vec<&'static str>),
    Bool,
    /// The id of a record of the collection, chosen by searching.
    Ref(Collection),
    /// A list of ids of records of the collection.
    RefList(Collection),
    /// A list of objects edited as text, one object per line with its
    /// fields in the shape's order separated by `|` (an agreement's
    /// levels: `availability | 99.5 | % | higher`).
    Rows(&'static RowShape),
}

impl FieldKind {
    /// Whether the field is edited over several lines (Enter breaks a line).
    pub fn is_multi_line(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::Rows(_))
    }
}

/// A field of a form: the record field it writes and how. Most forms'
/// fields are fixed (`&'static str` names); a form built from a record
/// (a survey's response: a field per question) names its own.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// The JSON field name; `answers.q1` writes `q1` of the object
    /// `answers` (see [`nest`](super::nest)).
    pub name: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub kind: FieldKind,
    /// For enums: no "(none)" choice.
    pub required: bool,
    /// Words shown under the field (the question a response answers).
    pub hint: Option<String>,
    /// Exact-match filters every search of a reference field keeps (a
    /// response's contact is one of the survey's audience customers').
    pub filters: Vec<(String, String)>,
}

impl FieldSpec {
    /// A field writing `name`, shown as `label`, edited as `kind`.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        kind: FieldKind,
    ) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            label: label.into(),
            kind,
            required: false,
            hint: None,
            filters: Vec::new(),
        }
    }

    /// The field with `hint` shown under it.
    pub fn hint(self, hint: impl Into<String>) -> FieldSpec {
        FieldSpec {
            hint: Some(hint.into()),
            ..self
        }
    }

    /// A reference field whose searches keep `filters`.
    pub fn filtered(self, filters: Vec<(String, String)>) -> FieldSpec {
        FieldSpec { filters, ..self }
    }

    /// The customer a record belongs to (`customer_id`), chosen by
    /// searching the customers: the first field of most forms.
    pub fn customer() -> FieldSpec {
        FieldSpec::new(
            "customer_id",
            "Customer",
            FieldKind::Ref(Collection::Customers),
        )
    }

    /// Marks an enum field as always holding a value.
    pub fn required(self) -> FieldSpec {
        FieldSpec {
            required: true,
            ..self
        }
    }
}

/// The value of a field while it is edited.
#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Box<TextArea<'static>>),
    Choice {
        options: Vec<&'static str>,
        index: Option<usize>,
        required: bool,
    },
    Flags {
        options: Vec<&'static str>,
        on: Vec<bool>,
        cursor: usize,
    },
    Bool(bool),
    Ref {
        id: Option<String>,
        label: String,
        picker: Picker,
    },
    Refs {
        items: Vec<(String, String)>,
        picker: Picker,
    },
}

impl FieldValue {
    /// The editing value of a JSON value (absent fields start empty).
    pub fn from_json(spec: &FieldSpec, value: Option<&Value>, lookup: &Lookup) -> FieldValue {
        let value = value.unwrap_or(&Value::Null);
        match spec.kind {
            FieldKind::Line
            | FieldKind::Text
            | FieldKind::Int
            | FieldKind::Instant
            | FieldKind::Rows(_) => {
                let text = match value {
                    _ if let FieldKind::Rows(shape) = spec.kind => {
                        shape.format(value, &RowNames::of([shape], lookup))
                    }
                    Value::String(text) if matches!(spec.kind, FieldKind::Instant) => text
                        .parse::<Timestamp>()
                        .map_or_else(|_| text.clone(), |at| Clock::system().field_text(at)),
                    Value::String(text) => text.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                let mut area = TextArea::new(text.split('\n').map(str::to_string).collect());
                if spec.kind.is_multi_line() {
                    // Long lines wrap at words instead of scrolling sideways.
                    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
                }
                area.move_cursor(ratatui_textarea::CursorMove::Bottom);
                area.move_cursor(ratatui_textarea::CursorMove::End);
                FieldValue::Text(Box::new(area))
            }
            FieldKind::Enum(names) => {
                let options = names();
                let index = value
                    .as_str()
                    .and_then(|v| options.iter().position(|o| *o == v))
                    .or(if spec.required { Some(0) } else { None });
                FieldValue::Choice {
                    options,
                    index,
                    required: spec.required,
                }
            }
            FieldKind::EnumList(names) => {
                let options = names();
                let chosen: Vec<&str> = value
                    .as_array()
                    .map(|items| items.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let on = options.iter().map(|o| chosen.contains(o)).collect();
                FieldValue::Flags {
                    options,
                    on,
                    cursor: 0,
                }
            }
            FieldKind::Bool => FieldValue::Bool(value.as_bool().unwrap_or(false)),
            FieldKind::Ref(_) => {
                let id = value
                    .as_str()
                    .filter(|id| !id.is_empty())
                    .map(str::to_string);
                let label = id.as_deref().map(|id| lookup.name(id)).unwrap_or_default();
                FieldValue::Ref {
                    id,
                    label,
                    picker: Picker::default(),
                }
            }
            FieldKind::RefList(_) => {
                let items = value
                    .as_array()
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|id| (id.to_string(), lookup.name(id)))
                            .collect()
                    })
                    .unwrap_or_default();
                FieldValue::Refs {
                    items,
                    picker: Picker::default(),
                }
            }
        }
    }

    /// The value as JSON, as the server expects it. Text that is not a
    /// number stays text in an `Int` field, so validation can name it.
    pub fn to_json(&self) -> Value {
        match self {
            FieldValue::Text(area) => Value::String(area.lines().join("\n")),
            FieldValue::Choice { options, index, .. } => index
                .and_then(|i| options.get(i))
                .map(|o| Value::String(o.to_string()))
                .unwrap_or(Value::Null),
            FieldValue::Flags { options, on, .. } => Value::Array(
                options
                    .iter()
                    .zip(on)
                    .filter(|(_, on)| **on)
                    .map(|(o, _)| Value::String(o.to_string()))
                    .collect(),
            ),
            FieldValue::Bool(value) => Value::Bool(*value),
            FieldValue::Ref { id, .. } => id.clone().map(Value::String).unwrap_or(Value::Null),
            FieldValue::Refs { items, .. } => Value::Array(
                items
                    .iter()
                    .map(|(id, _)| Value::String(id.clone()))
                    .collect(),
            ),
        }
    }

    /// [`to_json`](Self::to_json) with `Int` text converted to a number
    /// and `Instant` text to the instant it names (text that is neither
    /// stays text, so validation can name it).
    pub fn to_json_for(&self, kind: FieldKind, names: &RowNames) -> Value {
        let value = self.to_json();
        if let (FieldKind::Rows(shape), Value::String(text)) = (kind, &value) {
            return shape.parse(text, names);
        }
        if let (FieldKind::Instant, Value::String(text)) = (kind, &value) {
            if text.trim().is_empty() {
                return Value::Null;
            }
            return Clock::system()
                .read(text)
                .map_or(value.clone(), |at| Value::String(at.to_string()));
        }
        if !matches!(kind, FieldKind::Int) {
            return value;
        }
        match &value {
            Value::String(text) if text.trim().is_empty() => Value::Null,
            Value::String(text) => text.trim().parse::<i64>().map(Value::from).unwrap_or(value),
            _ => value,
        }
    }

    /// The picker of a reference field.
    pub fn picker(&self) -> Option<&Picker> {
        match self {
            FieldValue::Ref { picker, .. } | FieldValue::Refs { picker, .. } => Some(picker),
            _ => None,
        }
    }

    /// The picker of a reference field, to change.
    pub fn picker_mut(&mut self) -> Option<&mut Picker> {
        match self {
            FieldValue::Ref { picker, .. } | FieldValue::Refs { picker, .. } => Some(picker),
            _ => None,
        }
    }

    /// The text of a text-like field (`None` for choices and references).
    pub fn text(&self) -> Option<String> {
        match self {
            FieldValue::Text(area) => Some(area.lines().join("\n")),
            _ => None,
        }
    }

    /// Puts `text` in a text-like field, the cursor at its end, as a
    /// change the field's undo can take back; `false` for other fields.
    pub fn set_text(&mut self, text: &str) -> bool {
        let FieldValue::Text(area) = self else {
            return false;
        };
        area.select_all();
        area.cut();
        area.insert_str(text);
        true
    }

    /// Why the text of an `Instant` field cannot be read as a time, if
    /// it cannot (blank is no time, which the rules judge).
    pub fn unreadable_instant(&self, kind: FieldKind) -> Option<String> {
        let (FieldKind::Instant, FieldValue::Text(area)) = (kind, self) else {
            return None;
        };
        let text = area.lines().join(" ");
        if text.trim().is_empty() {
            return None;
        }
        Clock::system().read(&text).err()
    }

    /// Whether Up and Down leave this field (rather than move inside it).
    pub fn moves_focus_vertically(&self) -> bool {
        match self {
            FieldValue::Text(_) => false,
            FieldValue::Ref { picker, .. } | FieldValue::Refs { picker, .. } => {
                picker.results.is_empty()
            }
            _ => true,
        }
    }

    /// Whether Enter picks a search result here: there are results and
    /// the user typed a search or moved through them.
    pub fn picks_on_enter(&self) -> bool {
        self.picker()
            .is_some_and(|p| !p.results.is_empty() && (p.browsed || !p.query.is_empty()))
    }

    /// Applies a key; returns whether a picker's query changed.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let plain_char = match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
            _ => None,
        };
        match self {
            FieldValue::Text(area) => {
                area.input(*key);
                false
            }
            FieldValue::Choice {
                options,
                index,
                required,
            } => {
                // The positions are the options, plus "(none)" when optional.
                let slots = options.len() + usize::from(!*required);
                let at = match index {
                    Some(i) => *i + usize::from(!*required),
                    None => 0,
                };
                let next = match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => (at + 1) % slots.max(1),
                    KeyCode::Left => (at + slots.max(1) - 1) % slots.max(1),
                    _ => return false,
                };
                *index = if *required {
                    Some(next)
                } else {
                    next.checked_sub(1)
                };
                false
            }
            FieldValue::Flags {
                options,
                on,
                cursor,
            } => {
                match key.code {
                    KeyCode::Right => *cursor = (*cursor + 1).min(options.len().saturating_sub(1)),
                    KeyCode::Left => *cursor = cursor.saturating_sub(1),
                    KeyCode::Char(' ') => {
                        if let Some(flag) = on.get_mut(*cursor) {
                            *flag = !*flag;
                        }
                    }
                    _ => {}
                }
                false
            }
            FieldValue::Bool(value) => {
                if matches!(
                    key.code,
                    KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right
                ) {
                    *value = !*value;
                }
                false
            }
            FieldValue::Ref { id, label, picker } => match (key.code, plain_char) {
                _ if picker.edit_query(key.code, plain_char) => true,
                (KeyCode::Backspace, _) => {
                    *id = None;
                    label.clear();
                    false
                }
                (KeyCode::Enter, _) => {
                    if let Some((pick, name)) = picker.results.get(picker.cursor).cloned() {
                        *id = Some(pick);
                        *label = name;
                        picker.abandon();
                    }
                    false
                }
                _ => picker.move_cursor(key.code),
            },
            FieldValue::Refs { items, picker } => match (key.code, plain_char) {
                _ if picker.edit_query(key.code, plain_char) => true,
                (KeyCode::Backspace, _) => {
                    items.pop();
                    false
                }
                (KeyCode::Enter, _) => {
                    if let Some(pick) = picker.results.get(picker.cursor).cloned()
                        && !items.iter().any(|(id, _)| *id == pick.0)
                    {
                        items.push(pick);
                        picker.abandon();
                    }
                    false
                }
                _ => picker.move_cursor(key.code),
            },
        }
    }
}
