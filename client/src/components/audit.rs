//! One record's audit trail (`T` on any screen), read from
//! `GET /api/v1/audit?entity=C&id=ID` a page at a time: each write's time
//! told as people read it, who made it (the staff member's name), and
//! field by field what it changed, before -> after, with ids named as the
//! client knows them (else by their short id) and times told, never raw
//! ids or RFC 3339 text. The app holds it as an overlay, drawn and
//! scrolled as a full detail is (`components/full_detail.rs`); scrolling
//! to its end asks for the next page (`next_cursor`).

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::wire::{AuditEntry, Page};
use serde_json::{Map, Value};

use crate::api::ApiError;
use crate::api::views::ViewCall;
use crate::components::detail::wrap_words;
use crate::components::palette::SHORT_ID_LEN;
use crate::lookup::Lookup;
use crate::remote::{Remote, RequestId};
use crate::strings;
use crate::when::Clock;

/// Fields every record has that say nothing about what changed (the
/// version and the stamps move on every write).
const META_FIELDS: [&str; 4] = ["id", "version", "created_at", "updated_at"];

/// The audit trail of one record, as far as it has been read.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditTrail {
    pub collection: Collection,
    pub id: String,
    /// How the record is named (the frame's title).
    pub label: String,
    /// Its form's field labels by field name, in the form's order: the
    /// words a change is told in.
    pub fields: Vec<(String, String)>,
    /// The entries read so far, oldest first.
    pub entries: Vec<AuditEntry>,
    /// The page on its way, or why the last one failed.
    pub load: Remote,
    /// Where the next page starts, when there is one.
    pub next: Option<String>,
    pub scroll: usize,
}

impl AuditTrail {
    /// The trail of record `id` of `collection`, nothing read yet.
    pub fn new(
        collection: Collection,
        id: impl Into<String>,
        label: impl Into<String>,
        fields: Vec<(String, String)>,
    ) -> AuditTrail {
        AuditTrail {
            collection,
            id: id.into(),
            label: label.into(),
            fields,
            entries: Vec::new(),
            load: Remote::Idle,
            next: None,
            scroll: 0,
        }
    }

    /// The call reading the next page (the first, before any arrived).
    pub fn next_call(&self) -> ViewCall {
        ViewCall::Audit {
            entity: self.collection,
            id: self.id.clone(),
            cursor: self.next.clone(),
        }
    }

    /// A page arrived; an answer to a request it no longer awaits is dropped.
    pub fn arrived(&mut self, request: RequestId, result: Result<Value, ApiError>) {
        if !self.load.awaits(request) {
            return;
        }
        let page = result.and_then(|value| {
            serde_json::from_value::<Page<AuditEntry>>(value)
                .map_err(|error| ApiError::Protocol(error.to_string()))
        });
        match page {
            Ok(page) => {
                self.entries.extend(page.items);
                self.next = page.next_cursor;
                self.load = Remote::Loaded;
            }
            Err(error) => self.load = Remote::Failed(error.to_string()),
        }
    }

    /// Whether the next page should be asked for: there is one, none is on
    /// its way, and the view of `rows` rows, `page` at a time, is at its end.
    pub fn wants_next(&self, rows: usize, page: usize) -> bool {
        self.next.is_some()
            && !self.load.is_loading()
            && !matches!(self.load, Remote::Failed(_))
            && self.scroll >= rows.saturating_sub(page)
    }

    /// The trail as lines for people, before wrapping; `bottom` names the
    /// key that goes to the end (and so loads the next page).
    pub fn lines(&self, lookup: &Lookup, clock: &Clock, bottom: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for entry in &self.entries {
            lines.extend(self.entry_lines(entry, lookup, clock));
            lines.push(String::new());
        }
        match &self.load {
            Remote::Idle | Remote::Loading(_) if self.entries.is_empty() => {
                lines.push(strings::LOADING.to_string());
            }
            Remote::Loading(_) => lines.push(strings::AUDIT_MORE_LOADING.to_string()),
            Remote::Failed(why) => lines.push(strings::audit_failed(why)),
            _ if self.next.is_some() => lines.push(strings::audit_more(bottom)),
            _ if self.entries.is_empty() => lines.push(strings::AUDIT_EMPTY.to_string()),
            _ => {}
        }
        lines
    }

    /// The trail as rows of a frame `width` wide (inside its borders):
    /// long values wrapped, their rows indented as their line is.
    pub fn rows(&self, lookup: &Lookup, clock: &Clock, bottom: &str, width: u16) -> Vec<String> {
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let mut rows = Vec::new();
        for line in self.lines(lookup, clock, bottom) {
            let text = line.trim_start_matches(' ');
            let indent = (line.len() - text.len()).min(inner / 2);
            let pad = " ".repeat(indent);
            for row in wrap_words(text, inner - indent) {
                rows.push(format!("{pad}{row}"));
            }
        }
        rows
    }

    fn entry_lines(&self, entry: &AuditEntry, lookup: &Lookup, clock: &Clock) -> Vec<String> {
        let who = entry
            .who_staff_id
            .as_deref()
            .and_then(|staff| known_name(staff, lookup))
            .unwrap_or_else(|| one_line(&entry.who));
        let mut lines = vec![strings::audit_heading(
            &clock.tell_time(entry.when),
            &who,
            &entry.action,
        )];
        let empty = Map::new();
        let before = entry.before.as_ref().and_then(Value::as_object);
        let after = entry.after.as_ref().and_then(Value::as_object);
        let tell = |value: Option<&Value>| {
            value.map_or_else(
                || strings::FORM_NONE.to_string(),
                |value| value_text(value, lookup, clock),
            )
        };
        match entry.action.as_str() {
            "create" => {
                for field in self.field_order(after.unwrap_or(&empty), &empty) {
                    let value = after.and_then(|a| a.get(&field));
                    if value.is_some_and(is_blank) {
                        continue;
                    }
                    lines.push(strings::audit_set(&self.label_of(&field), &tell(value)));
                }
            }
            "delete" => {}
            _ => {
                let (before, after) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
                let mut changed = false;
                for field in self.field_order(before, after) {
                    let (was, now) = (before.get(&field), after.get(&field));
                    if was == now || (was.is_none_or(is_blank) && now.is_none_or(is_blank)) {
                        continue;
                    }
                    changed = true;
                    lines.push(strings::audit_change(
                        &self.label_of(&field),
                        &tell(was),
                        &tell(now),
                    ));
                }
                if !changed {
                    lines.push(strings::AUDIT_NO_FIELDS.to_string());
                }
            }
        }
        lines
    }

    fn field_order(&self, one: &Map<String, Value>, other: &Map<String, Value>) -> Vec<String> {
        field_order(&self.fields, one, other)
    }

    fn label_of(&self, field: &str) -> String {
        field_label(&self.fields, field)
    }
}

/// A record's fields one per line, `Label: value`, as the trail tells
/// values (ids named, times told, text made safe): a record's whole
/// detail where its screen has no pane of its own.
pub fn record_lines(
    record: &Map<String, Value>,
    fields: &[(String, String)],
    lookup: &Lookup,
    clock: &Clock,
) -> Vec<ratatui::text::Line<'static>> {
    field_order(fields, record, &Map::new())
        .into_iter()
        .filter_map(|field| {
            let value = record.get(&field).filter(|value| !is_blank(value))?;
            Some(crate::components::detail::field_line(
                &field_label(fields, &field),
                value_text(value, lookup, clock),
            ))
        })
        .collect()
}

/// The fields of `one` and `other` worth telling: the form's first, in
/// its order, then the rest by name; never the meta fields.
fn field_order(
    fields: &[(String, String)],
    one: &Map<String, Value>,
    other: &Map<String, Value>,
) -> Vec<String> {
    let present = |name: &str| one.contains_key(name) || other.contains_key(name);
    let mut order: Vec<String> = fields
        .iter()
        .map(|(name, _)| name.clone())
        .filter(|name| present(name))
        .collect();
    let mut rest: Vec<String> = one
        .keys()
        .chain(other.keys())
        .filter(|name| !META_FIELDS.contains(&name.as_str()) && !name.starts_with('_'))
        .filter(|name| !order.contains(name))
        .cloned()
        .collect();
    rest.sort();
    rest.dedup();
    order.extend(rest);
    order
}

/// A field's words: its form label (without the hint in brackets), else
/// its name read as words (`team_id` is "Team").
fn field_label(fields: &[(String, String)], field: &str) -> String {
    if let Some((_, label)) = fields.iter().find(|(name, _)| name == field) {
        return label.split(" (").next().unwrap_or(label).to_string();
    }
    let words = field
        .trim_end_matches("_ids")
        .trim_end_matches("_id")
        .replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether a value says nothing (null, empty text or list).
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A value as people read it.
fn value_text(value: &Value, lookup: &Lookup, clock: &Clock) -> String {
    match value {
        Value::Null => strings::FORM_NONE.to_string(),
        Value::Bool(yes) => strings::yes_no(*yes).to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => text_value(text, lookup, clock),
        Value::Array(items) if items.is_empty() => strings::FORM_NONE.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| value_text(item, lookup, clock))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, value)| !is_blank(value))
            .map(|(name, value)| {
                let name = field_label(&[], name);
                format!("{name}: {}", value_text(value, lookup, clock))
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A text value: an id named (or shortened), a time told, else the text
/// made safe and put on one line.
fn text_value(text: &str, lookup: &Lookup, clock: &Clock) -> String {
    if text.is_empty() {
        return strings::FORM_NONE.to_string();
    }
    if let Some(name) = known_name(text, lookup) {
        return name;
    }
    if is_record_id(text) {
        let short: String = text
            .chars()
            .skip(text.chars().count().saturating_sub(SHORT_ID_LEN))
            .collect();
        return strings::unnamed_record(&short);
    }
    if let Ok(at) = text.parse::<Timestamp>() {
        return clock.tell_time(at);
    }
    // A word of a vocabulary (`forward_looking`) reads as words.
    if text.contains('_') && text.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return text.replace('_', " ");
    }
    one_line(text)
}

/// The name the client knows for record `id`, if any.
fn known_name(id: &str, lookup: &Lookup) -> Option<String> {
    let name = lookup.name(id);
    (!name.is_empty() && name != id).then(|| one_line(&name))
}

/// Whether `text` is a record id as the server makes them (a UUID:
/// 8-4-4-4-12 hexadecimal digits).
fn is_record_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Text from a record safe for the terminal and on one line: control
/// characters shown as `?`, tabs as spaces, line breaks as ` / `.
fn one_line(text: &str) -> String {
    crate::api::without_controls(text)
        .replace('\t', " ")
        .replace('\r', "\n")
        .lines()
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests;
