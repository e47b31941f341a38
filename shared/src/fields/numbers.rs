//! The readers of numbers, dates and instants.

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Number, Value};

use super::{FieldReader, MAX_LINE_CHARS, parse_date, parse_timestamp};

impl FieldReader<'_> {
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
}
