//! Reading a JSON object field by field. A [`FieldReader`] takes each field
//! the record knows, converts it, and keeps going after a bad one, so a 422
//! names every field at fault at once. Fields it was never asked for are
//! reported as unknown, which catches typos in clients and scripts.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One field at fault and what is wrong with it, in words for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every field error found in one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// A single error on `field`.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationErrors(vec![FieldError::new(field, message)])
    }

    /// The message for `field`, if it has one.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    fn describe(&self) -> String {
        self.0
            .iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The metadata every record carries; accepted and ignored on input, since
/// clients often send a record back as they read it.
pub const META_FIELDS: &[&str] = &["id", "version", "created_at", "updated_at"];

/// Longest text a single-line field may hold, in characters: long enough for
/// any name or title, short enough that a list row stays a row.
pub const MAX_LINE_CHARS: usize = 200;

/// Longest text a multi-line field may hold, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Reads the fields of one JSON object, collecting errors as it goes.
pub struct FieldReader<'a> {
    object: &'a Map<String, Value>,
    asked: BTreeSet<&'static str>,
    errors: Vec<FieldError>,
}

impl<'a> FieldReader<'a> {
    pub fn new(object: &'a Map<String, Value>) -> Self {
        FieldReader {
            object,
            asked: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    /// Records an error on `field` (for rules that span fields).
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Marks `field` as known without reading it (read-only fields).
    pub fn skip(&mut self, field: &'static str) {
        self.asked.insert(field);
    }

    /// The value of `field` when present and not null.
    fn value(&mut self, field: &'static str) -> Option<&'a Value> {
        self.asked.insert(field);
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(value) => Some(value),
        }
    }

    fn string(&mut self, field: &'static str, max: usize) -> Option<String> {
        // Multi-line texts keep line breaks and tabs; single lines nothing.
        let multiline = max == MAX_TEXT_CHARS;
        let value = self.value(field)?;
        let Some(text) = value.as_str() else {
            self.error(field, "must be a string");
            return None;
        };
        let text = text.replace("\r\n", "\n");
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(problem) = text_rule(text, multiline) {
            self.error(field, problem);
            return None;
        }
        if text.chars().count() > max {
            self.error(field, format!("must be at most {max} characters"));
            return None;
        }
        Some(text.to_string())
    }

    /// A single-line text that must be present and not blank.
    pub fn required_line(&mut self, field: &'static str) -> String {
        let blank = self
            .object
            .get(field)
            .is_none_or(|v| v.is_null() || v.as_str().is_some_and(|t| t.trim().is_empty()));
        match self.string(field, MAX_LINE_CHARS) {
            Some(text) => text,
            None => {
                // A value too long or not a string has its own error.
                if blank {
                    self.error(field, "is required");
                }
                String::new()
            }
        }
    }

    /// A single-line text; blank counts as absent.
    pub fn optional_line(&mut self, field: &'static str) -> Option<String> {
        self.string(field, MAX_LINE_CHARS)
    }

    /// A multi-line text; blank counts as absent.
    pub fn optional_text(&mut self, field: &'static str) -> Option<String> {
        self.string(field, MAX_TEXT_CHARS)
    }

    /// A multi-line text that must be present and not blank.
    pub fn required_text(&mut self, field: &'static str) -> String {
        let blank = self
            .object
            .get(field)
            .is_none_or(|v| v.is_null() || v.as_str().is_some_and(|t| t.trim().is_empty()));
        match self.string(field, MAX_TEXT_CHARS) {
            Some(text) => text,
            None => {
                if blank {
                    self.error(field, "is required");
                }
                String::new()
            }
        }
    }

    /// A reference to another record by id; blank counts as absent.
    pub fn optional_id(&mut self, field: &'static str) -> Option<String> {
        self.string(field, MAX_LINE_CHARS)
    }

    /// A reference to another record that must be present.
    pub fn required_id(&mut self, field: &'static str) -> String {
        self.required_line(field)
    }

    /// A list of record ids, without duplicates, in the order given.
    pub fn id_list(&mut self, field: &'static str) -> Vec<String> {
        let Some(value) = self.value(field) else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error(field, "must be a list of ids");
            return Vec::new();
        };
        let mut ids: Vec<String> = Vec::new();
        for item in items {
            match item.as_str().map(str::trim) {
                Some(id) if !id.is_empty() => {
                    if !ids.iter().any(|known| known == id) {
                        ids.push(id.to_string());
                    }
                }
                _ => {
                    self.error(field, "must be a list of ids");
                    return Vec::new();
                }
            }
        }
        ids
    }

    /// A value from a closed vocabulary, or `None` when absent.
    pub fn optional_enum<T>(
        &mut self,
        field: &'static str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let value = self.value(field)?;
        match value.as_str().and_then(parse) {
            Some(parsed) => Some(parsed),
            None => {
                self.error(field, format!("must be one of {}", names.join(", ")));
                None
            }
        }
    }

    /// A value from a closed vocabulary that must be present.
    pub fn required_enum<T>(
        &mut self,
        field: &'static str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let present = self.object.get(field).is_some_and(|v| !v.is_null());
        if !present {
            self.error(field, "is required");
        }
        self.optional_enum(field, parse, names)
    }

    /// A list of single-line texts, none blank (a meeting's decisions).
    pub fn line_list(&mut self, field: &'static str) -> Vec<String> {
        let Some(value) = self.value(field) else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error(field, "must be a list of strings");
            return Vec::new();
        };
        let mut lines = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let number = index + 1;
            match item.as_str().map(str::trim) {
                Some("") => {
                    self.error(field, format!("item {number}: must not be blank"));
                    return Vec::new();
                }
                Some(line) if text_rule(line, false).is_some() => {
                    let problem = text_rule(line, false).unwrap_or_default();
                    self.error(field, format!("item {number}: {problem}"));
                    return Vec::new();
                }
                Some(line) if line.chars().count() > MAX_TEXT_CHARS => {
                    self.error(
                        field,
                        format!("item {number}: must be at most {MAX_TEXT_CHARS} characters"),
                    );
                    return Vec::new();
                }
                Some(line) => lines.push(line.to_string()),
                None => {
                    self.error(field, format!("item {number}: must be a string"));
                    return Vec::new();
                }
            }
        }
        lines
    }

    /// A list of values from a closed vocabulary.
    pub fn enum_list<T: PartialEq>(
        &mut self,
        field: &'static str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Vec<T> {
        let Some(value) = self.value(field) else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error(field, format!("must be a list of {}", names.join(", ")));
            return Vec::new();
        };
        let mut parsed = Vec::new();
        for item in items {
            match item.as_str().and_then(parse) {
                Some(one) => {
                    if !parsed.contains(&one) {
                        parsed.push(one);
                    }
                }
                None => {
                    self.error(field, format!("must be a list of {}", names.join(", ")));
                    return Vec::new();
                }
            }
        }
        parsed
    }

    /// A boolean, or `default` when absent.
    pub fn bool_or(&mut self, field: &'static str, default: bool) -> bool {
        match self.value(field) {
            None => default,
            Some(Value::Bool(value)) => *value,
            Some(_) => {
                self.error(field, "must be true or false");
                default
            }
        }
    }

    /// A list of objects, each read by `read` with a reader of its own; the
    /// first item at fault is named in the field's error ("item 2: metric
    /// is required").
    pub fn object_list<T>(
        &mut self,
        field: &'static str,
        read: fn(&mut FieldReader<'_>) -> T,
    ) -> Vec<T> {
        let Some(value) = self.value(field) else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error(field, "must be a list of objects");
            return Vec::new();
        };
        let mut read_items = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let number = index + 1;
            let Some(object) = item.as_object() else {
                self.error(field, format!("item {number}: must be an object"));
                return Vec::new();
            };
            let mut reader = FieldReader::new(object);
            let one = read(&mut reader);
            if let Err(errors) = reader.finish() {
                self.error(field, format!("item {number}: {errors}"));
                return Vec::new();
            }
            read_items.push(one);
        }
        read_items
    }

    /// One object read by `read`, or `None` when absent; its errors are
    /// named after `field`.
    pub fn optional_object<T>(
        &mut self,
        field: &'static str,
        read: fn(&mut FieldReader<'_>) -> T,
    ) -> Option<T> {
        let value = self.value(field)?;
        let Some(object) = value.as_object() else {
            self.error(field, "must be an object");
            return None;
        };
        let mut reader = FieldReader::new(object);
        let one = read(&mut reader);
        match reader.finish() {
            Ok(()) => Some(one),
            Err(errors) => {
                self.error(field, errors.to_string());
                None
            }
        }
    }

    /// Ends reading: unknown fields become errors; all errors are returned.
    pub fn finish(mut self) -> Result<(), ValidationErrors> {
        for field in self.object.keys() {
            if !self.asked.contains(field.as_str()) && !META_FIELDS.contains(&field.as_str()) {
                self.errors
                    .push(FieldError::new(field.clone(), "is not a known field"));
            }
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

pub use rules::{
    email_address_rule, is_email, is_invisible, is_unsafe_char, parse_date, parse_timestamp,
    text_rule,
};

mod numbers;
mod rules;

#[cfg(test)]
mod tests;
