//! The offline outbox: writes made while the server cannot be reached
//! (creates and edits from forms, which include survey responses; RFC
//! transitions and comments), kept in order and sent in that order once
//! the server answers again, each with the `Idempotency-Key` (creates) or
//! `If-Match` version (edits, transitions) it was made with. The app
//! queues and replays (`app/outbox.rs`); this module is the model and
//! [`file`] keeps it on disk after every change, so nothing typed is lost
//! to a crash, a `kill -9` or an SSH hang-up.

pub mod file;

use rapport_shared::Collection;
use rapport_shared::enums::{RfcRoute, RfcStatus};
use serde::{Deserialize, Serialize};

use crate::api::Record;
use crate::components::form::Draft;
use crate::remote::RequestId;

/// The field an optimistic copy of a record carries on screen until the
/// server's own copy replaces it (drawn as the pending mark).
pub const PENDING_FIELD: &str = "_pending";

/// The id a queued create shows under until the server gives it one.
pub fn pending_id(key: &str) -> String {
    format!("pending:{key}")
}

/// Whether `record` is an optimistic copy of a queued write.
pub fn is_pending(record: &Record) -> bool {
    record
        .get(PENDING_FIELD)
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// One queued write, as it will be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    /// A create or an edit made in a form: its draft holds the base record
    /// and version of an edit, or the `Idempotency-Key` of a create, and
    /// reopens in its form when the server refuses it.
    Form { draft: Draft },
    /// An edit made on a screen (an RFC's assignee or priority, a team's
    /// customer), if the record is still at `version`.
    Patch {
        collection: Collection,
        id: String,
        version: i64,
        patch: Record,
    },
    /// An RFC transition, if the RFC is still at `version`.
    Transition {
        id: String,
        version: i64,
        to: RfcStatus,
        route: Option<RfcRoute>,
        note: Option<String>,
    },
    /// A comment on an RFC.
    Comment { id: String, text: String },
}

impl Write {
    /// The collection the write changes.
    pub fn collection(&self) -> Collection {
        match self {
            Write::Form { draft } => draft.collection,
            Write::Patch { collection, .. } => *collection,
            Write::Transition { .. } | Write::Comment { .. } => Collection::Rfcs,
        }
    }
}

/// A queued write and what the user sees of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique in the outbox (a create's `Idempotency-Key`).
    pub key: String,
    /// What it does, in words ("edit customer MOF").
    pub label: String,
    pub write: Write,
    /// The server refused it when it was sent (a 412, 409 or 422, in the
    /// server's words): it waits for the user, who opens or cancels it,
    /// and is not sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// The queue of one server's writes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Outbox {
    pub entries: Vec<Entry>,
    /// The entry on its way and its request.
    pub sending: Option<(RequestId, String)>,
    /// Found on disk at start: nothing is sent until the user says so.
    pub held: bool,
}

impl Outbox {
    /// Entries still to send (not refused).
    pub fn waiting(&self) -> usize {
        self.entries.iter().filter(|e| e.refused.is_none()).count()
    }

    /// Whether a new write must queue behind earlier ones to keep the order.
    pub fn has_waiting(&self) -> bool {
        self.waiting() > 0
    }

    /// The next entry to send, if none is on its way and sending is allowed.
    pub fn next_to_send(&self) -> Option<&Entry> {
        if self.sending.is_some() || self.held {
            return None;
        }
        self.entries.iter().find(|e| e.refused.is_none())
    }

    /// The entry with `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Adds `entry` at the end.
    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Removes the entry with `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<Entry> {
        let at = self.entries.iter().position(|e| e.key == key)?;
        if self.sending.as_ref().is_some_and(|(_, k)| k == key) {
            self.sending = None;
        }
        Some(self.entries.remove(at))
    }

    /// Marks the entry with `key` refused with the server's words.
    pub fn refuse(&mut self, key: &str, why: String) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.key == key) {
            entry.refused = Some(why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(key: &str) -> Entry {
        Entry {
            key: key.into(),
            label: format!("comment {key}"),
            write: Write::Comment {
                id: "r1".into(),
                text: key.into(),
            },
            refused: None,
        }
    }

    #[test]
    fn sends_in_order_one_at_a_time_and_skips_refused_entries() {
        let mut outbox = Outbox::default();
        outbox.push(comment("a"));
        outbox.push(comment("b"));
        assert_eq!(outbox.next_to_send().map(|e| e.key.as_str()), Some("a"));
        outbox.sending = Some((7, "a".into()));
        assert_eq!(outbox.next_to_send(), None);
        outbox.refuse("a", "409".into());
        outbox.sending = None;
        assert_eq!(outbox.next_to_send().map(|e| e.key.as_str()), Some("b"));
        assert_eq!(outbox.waiting(), 1);
        outbox.held = true;
        assert_eq!(outbox.next_to_send(), None);
        assert!(outbox.remove("a").is_some());
        assert_eq!(outbox.entries.len(), 1);
    }

    #[test]
    fn an_optimistic_copy_is_told_by_its_mark() {
        let mut record = Record::new();
        assert!(!is_pending(&record));
        record.insert(PENDING_FIELD.into(), serde_json::Value::Bool(true));
        assert!(is_pending(&record));
        assert_eq!(pending_id("k"), "pending:k");
    }
}
