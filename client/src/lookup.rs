//! What the client knows about records it is not showing: labels for ids
//! (a team's name for a customer's `team_id`) and the teams themselves, for
//! detail panes. Filled from every list that arrives, so lookups never
//! cause a request of their own while drawing.

use std::collections::HashMap;

use rapport_shared::Collection;

use crate::api::{Record, record_id, text};

/// Labels and reference records by id.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    labels: HashMap<String, String>,
    /// The collection of each id learnt from a list.
    kinds: HashMap<String, Collection>,
    /// Every team seen, by id.
    pub teams: HashMap<String, Record>,
}

/// How a record is named in lists, pickers and messages.
pub fn label(collection: Collection, record: &Record) -> String {
    match collection {
        Collection::Customers => {
            format!("{} {}", text(record, "code"), text(record, "name"))
        }
        Collection::Rfcs | Collection::Surveys => text(record, "title").to_string(),
        // A record without a name goes by its title (a meeting).
        _ if text(record, "name").is_empty() => text(record, "title").to_string(),
        _ => text(record, "name").to_string(),
    }
}

impl Lookup {
    /// Learns the labels of `records`.
    pub fn learn(&mut self, collection: Collection, records: &[Record]) {
        for record in records {
            let id = record_id(record);
            if id.is_empty() {
                continue;
            }
            self.labels
                .insert(id.to_string(), label(collection, record));
            self.kinds.insert(id.to_string(), collection);
            if collection == Collection::Teams {
                self.teams.insert(id.to_string(), record.clone());
            }
        }
    }

    /// Learns `label` for `id` unless a label is known for it already.
    pub fn remember(&mut self, id: &str, label: &str) {
        if !id.is_empty() {
            self.labels
                .entry(id.to_string())
                .or_insert_with(|| label.to_string());
        }
    }

    /// Forgets a deleted record.
    pub fn forget(&mut self, id: &str) {
        self.labels.remove(id);
        self.kinds.remove(id);
        self.teams.remove(id);
    }

    /// The label of `id`, or the id itself when unknown; "" for no id.
    pub fn name(&self, id: &str) -> String {
        if id.is_empty() {
            return String::new();
        }
        self.labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The ids and labels of every record of `collection` learnt from a
    /// list.
    pub fn labels_of(&self, collection: Collection) -> impl Iterator<Item = (&str, &str)> {
        self.kinds
            .iter()
            .filter(move |(_, kind)| **kind == collection)
            .filter_map(|(id, _)| Some((id.as_str(), self.labels.get(id)?.as_str())))
    }

    /// The label of the id held in `field` of `record`.
    pub fn name_of(&self, record: &Record, field: &str) -> String {
        self.name(text(record, field))
    }
}
