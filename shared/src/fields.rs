//! Reading a JSON object field by field. A [`FieldReader`] takes each field
//! the record knows, converts it, and keeps going after a bad one, so a 422
//! names every field at fault at once. Fields it was never asked for are
//! reported as unknown, which catches typos in clients and scripts.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

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
        let value = self.value(field)?;
        let Some(text) = value.as_str() else {
            self.error(field, "must be a string");
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
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

    /// A whole number within `range`, or `None` when absent.
    pub fn optional_int(
        &mut self,
        field: &'static str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let value = self.value(field)?;
        match value.as_i64() {
            Some(number) if range.contains(&number) => Some(number),
            Some(_) => {
                self.error(
                    field,
                    format!("must be between {} and {}", range.start(), range.end()),
                );
                None
            }
            None => {
                self.error(field, "must be a whole number");
                None
            }
        }
    }

    /// A whole number within `range` that must be present (0 when it is
    /// not, with the error recorded).
    pub fn required_int(
        &mut self,
        field: &'static str,
        range: std::ops::RangeInclusive<i64>,
    ) -> i64 {
        let present = self.object.get(field).is_some_and(|v| !v.is_null());
        let number = self.optional_int(field, range);
        if !present {
            self.error(field, "is required");
        }
        number.unwrap_or_default()
    }

    /// A calendar date `YYYY-MM-DD`, or `None` when absent.
    pub fn optional_date(&mut self, field: &'static str) -> Option<Date> {
        let text = self.string(field, MAX_LINE_CHARS)?;
        match parse_date(&text) {
            Some(date) => Some(date),
            None => {
                self.error(field, "must be a date YYYY-MM-DD");
                None
            }
        }
    }

    /// A calendar date `YYYY-MM-DD` not before `earliest` (the date of
    /// field `earliest_field`, when given), or `None` when absent.
    pub fn optional_date_from(
        &mut self,
        field: &'static str,
        earliest: Option<Date>,
        earliest_field: &str,
    ) -> Option<Date> {
        let date = self.optional_date(field)?;
        if earliest.is_some_and(|earliest| date < earliest) {
            self.error(field, format!("must not be before {earliest_field}"));
        }
        Some(date)
    }

    /// An instant in RFC 3339 with its offset (`2026-12-03T22:00:00Z`,
    /// `2026-12-03T23:00:00+01:00`), or `None` when absent.
    pub fn optional_timestamp(&mut self, field: &'static str) -> Option<Timestamp> {
        let text = self.string(field, MAX_LINE_CHARS)?;
        match parse_timestamp(&text) {
            Some(instant) => Some(instant),
            None => {
                self.error(
                    field,
                    "must be a date and time with its offset, like 2026-12-03T22:00:00Z",
                );
                None
            }
        }
    }

    /// An instant that must be present ([`FieldReader::optional_timestamp`]).
    pub fn required_timestamp(&mut self, field: &'static str) -> Timestamp {
        let blank = self
            .object
            .get(field)
            .is_none_or(|v| v.is_null() || v.as_str().is_some_and(|t| t.trim().is_empty()));
        let instant = self.optional_timestamp(field);
        if blank {
            self.error(field, "is required");
        }
        instant.unwrap_or_default()
    }

    /// An instant not before `earliest` (the instant of field
    /// `earliest_field`, when given), or `None` when absent.
    pub fn optional_timestamp_from(
        &mut self,
        field: &'static str,
        earliest: Timestamp,
        earliest_field: &str,
    ) -> Option<Timestamp> {
        let instant = self.optional_timestamp(field)?;
        if instant < earliest {
            self.error(field, format!("must not be before {earliest_field}"));
        }
        Some(instant)
    }

    /// A number (whole or not) that must be present.
    pub fn required_number(&mut self, field: &'static str) -> Number {
        match self.value(field) {
            Some(Value::Number(number)) => number.clone(),
            Some(_) => {
                self.error(field, "must be a number");
                Number::from(0)
            }
            None => {
                self.error(field, "is required");
                Number::from(0)
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

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<Date> {
    if text.len() != 10 {
        return None;
    }
    text.parse::<Date>().ok()
}

/// Parses an RFC 3339 instant, which must carry its offset (`Z` or
/// `+01:00`): a time without one names no instant.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok()
}

/// The rule of an e-mail field: an address that is given must look like
/// one ([`is_email`]); a blank one is left to the field's own reading.
pub fn email_address_rule(email: &str) -> Option<&'static str> {
    (!email.is_empty() && !is_email(email))
        .then_some("must be an e-mail address like name@example.org")
}

/// Whether `text` looks like an e-mail address: one `@`, something before
/// it, a dotted domain after it, no spaces. Deliverability is not ours to judge.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("test input is an object")
    }

    #[test]
    fn collects_every_error_and_unknown_fields() {
        let input = object(json!({"name": "  ", "count": "x", "typo": 1, "id": "ignored"}));
        let mut reader = FieldReader::new(&input);
        reader.required_line("name");
        reader.optional_int("count", 0..=10);
        let errors = reader.finish().expect_err("three problems");
        assert_eq!(errors.for_field("name"), Some("is required"));
        assert_eq!(errors.for_field("count"), Some("must be a whole number"));
        assert_eq!(errors.for_field("typo"), Some("is not a known field"));
        assert_eq!(errors.0.len(), 3);
    }

    #[test]
    fn a_value_too_long_is_one_error_not_also_missing() {
        let long = "x".repeat(MAX_LINE_CHARS + 1);
        let input = object(json!({"name": long, "text": 5}));
        let mut reader = FieldReader::new(&input);
        reader.required_line("name");
        reader.required_text("text");
        let errors = reader.finish().expect_err("two problems");
        assert_eq!(
            errors.for_field("name"),
            Some("must be at most 200 characters")
        );
        assert_eq!(errors.for_field("text"), Some("must be a string"));
        assert_eq!(errors.0.len(), 2, "{errors:?}");
    }

    #[test]
    fn dates_and_emails() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(is_email("ana.ruiz@finance.example"));
        assert!(!is_email("ana ruiz@finance.example"));
        assert!(!is_email("ana@localhost"));
        assert!(!is_email("@finance.example"));
    }
}
