//! Guards: rules about other records that a write batch must still meet
//! when it commits. The API checks its rules before it writes, but another
//! write can land in between (one request names a staff member a team's
//! BRM while another takes that person's BRM role away); a [`Guard`] sent
//! with the batch is checked again inside the batch's transaction, so of
//! two racing writes the second fails.
//!
//! Guards are data, not code, so that every backend evaluates the same
//! ones: a backend only provides the two reads of [`GuardReads`] inside its
//! transaction and calls [`check`]. This module holds the vocabulary
//! ([`Guard`], [`Condition`]), the failure ([`Violation`]) and the check.

use std::collections::HashMap;

use rapport_shared::Collection;
use serde_json::Value;

use super::{Derivation, Source, StoreError, StoreResult, StoredRecord};

/// In a [`Guard::Requires`] message: replaced by the required record's
/// `name` field (its id when it has none).
pub const NAME: &str = "{name}";

/// In a [`Guard::NotReferenced`] message: replaced by how many records
/// break the rule.
pub const COUNT: &str = "{count}";

/// A test of one record's fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The list field `field` holds `value`.
    Contains { field: String, value: Value },
    /// The field `field` equals `value`.
    Equals { field: String, value: Value },
    /// The boolean field `field` is not false (a record without the field
    /// counts as true, as the API reads it).
    NotFalse { field: String },
    /// The record's id is `id`.
    IdIs { id: String },
    /// The list field `field` holds an object whose `item_field` equals
    /// `value` ("the agreement has a level whose metric is availability").
    HasItemWith {
        field: String,
        item_field: String,
        value: Value,
    },
}

impl Condition {
    /// Whether `record` meets the condition.
    pub fn holds(&self, record: &StoredRecord) -> bool {
        match self {
            Condition::Contains { field, value } => record
                .fields
                .get(field)
                .and_then(Value::as_array)
                .is_some_and(|items| items.contains(value)),
            Condition::Equals { field, value } => record.fields.get(field) == Some(value),
            Condition::NotFalse { field } => {
                record.fields.get(field).and_then(Value::as_bool) != Some(false)
            }
            Condition::IdIs { id } => record.id == *id,
            Condition::HasItemWith {
                field,
                item_field,
                value,
            } => record
                .fields
                .get(field)
                .and_then(Value::as_array)
                .is_some_and(|items| items.iter().any(|item| item.get(item_field) == Some(value))),
        }
    }
}

/// What a required record must meet, and the message when it does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub condition: Condition,
    /// May name the record with [`NAME`].
    pub message: String,
    /// The field the failure is reported on, when not the guard's own
    /// (a result's `metric` that its agreement has no level for).
    pub on_field: Option<String>,
}

/// A rule the batch's transaction checks before the batch's ops run.
#[derive(Debug, Clone, PartialEq)]
pub enum Guard {
    /// Record `id` of `collection` exists and meets every requirement;
    /// else the first failing message (or `missing`) is reported on `field`.
    /// "Staff member S exists, has the BRM role and is active."
    Requires {
        collection: Collection,
        id: String,
        field: String,
        missing: String,
        requirements: Vec<Requirement>,
    },
    /// No record of `collection` links to `target_id` through `via_field`,
    /// except records meeting `unless`; else `message` is reported on
    /// `field`. "No team names S as its BRM (S is losing the BRM role)."
    NotReferenced {
        collection: Collection,
        via_field: String,
        target_id: String,
        unless: Option<Condition>,
        field: String,
        /// May say how many records link with [`COUNT`].
        message: String,
    },
    /// At least one of the guards holds; else the last one's violation.
    /// "The survey's questions are unchanged, or no response refers to it."
    AnyOf(Vec<Guard>),
    /// The guard, its failure a conflict with the records as they stand
    /// (the batch fails with [`StoreError::Conflicted`], a 409) rather
    /// than bad input. "The survey is open."
    Conflict(Box<Guard>),
}

/// A guard that failed: the field and message of a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub message: String,
}

/// The reads a backend offers [`check`], made inside the write's
/// transaction so that they see what the batch will commit over.
pub trait GuardReads {
    /// One record, if it exists.
    fn record(&mut self, collection: Collection, id: &str) -> StoreResult<Option<StoredRecord>>;

    /// The records of `collection` whose `field` links to `id`.
    fn linking(
        &mut self,
        collection: Collection,
        field: &str,
        id: &str,
    ) -> StoreResult<Vec<StoredRecord>>;
}

/// Checks every guard; fails with [`StoreError::Refused`] listing every
/// violation, in the order of the guards.
pub fn check(guards: &[Guard], reads: &mut dyn GuardReads) -> StoreResult<()> {
    let mut violations = Vec::new();
    let mut conflicts = Vec::new();
    for guard in guards {
        match violation(guard, reads)? {
            Some((violation, true)) => conflicts.push(violation),
            Some((violation, false)) => violations.push(violation),
            None => {}
        }
    }
    if !conflicts.is_empty() {
        Err(StoreError::Conflicted(conflicts))
    } else if violations.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Refused(violations))
    }
}

/// The guard's violation, if any, and whether it is a conflict.
fn violation(guard: &Guard, reads: &mut dyn GuardReads) -> StoreResult<Option<(Violation, bool)>> {
    match guard {
        Guard::AnyOf(guards) => {
            let mut last = None;
            for guard in guards {
                match violation(guard, reads)? {
                    None => return Ok(None),
                    failed => last = failed,
                }
            }
            Ok(last)
        }
        Guard::Conflict(guard) => {
            Ok(violation(guard, reads)?.map(|(violation, _)| (violation, true)))
        }
        _ => Ok(plain_violation(guard, reads)?.map(|violation| (violation, false))),
    }
}

fn plain_violation(guard: &Guard, reads: &mut dyn GuardReads) -> StoreResult<Option<Violation>> {
    let (field, message) = match guard {
        Guard::Requires {
            collection,
            id,
            field,
            missing,
            requirements,
        } => {
            let Some(record) = reads.record(*collection, id)? else {
                return Ok(Some(Violation {
                    field: field.clone(),
                    message: missing.clone(),
                }));
            };
            let Some(failed) = requirements.iter().find(|r| !r.condition.holds(&record)) else {
                return Ok(None);
            };
            let name = record
                .fields
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&record.id);
            (
                failed.on_field.as_ref().unwrap_or(field),
                failed.message.replace(NAME, name),
            )
        }
        Guard::NotReferenced {
            collection,
            via_field,
            target_id,
            unless,
            field,
            message,
        } => {
            let breaking = reads
                .linking(*collection, via_field, target_id)?
                .iter()
                .filter(|record| !unless.as_ref().is_some_and(|c| c.holds(record)))
                .count();
            if breaking == 0 {
                return Ok(None);
            }
            (field, message.replace(COUNT, &breaking.to_string()))
        }
        Guard::AnyOf(_) | Guard::Conflict(_) => return Ok(violation(guard, reads)?.map(|(v, _)| v)),
    };
    Ok(Some(Violation {
        field: field.clone(),
        message,
    }))
}

/// A read [`check`] or [`crate::store::derive::apply`] makes. Which
/// reads a batch makes follows from its guards and derivations alone
/// (never from what an earlier read found), so a backend whose reads are
/// asynchronous makes them all first ([`needed_reads`]) and answers the
/// check from them ([`ReadAhead`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Read {
    /// [`GuardReads::record`].
    Record(Collection, String),
    /// [`GuardReads::linking`]: collection, field and target id.
    Linking(Collection, String, String),
}

/// Every read the guards and derivations of a batch make, once each.
pub fn needed_reads(guards: &[Guard], derivations: &[Derivation]) -> Vec<Read> {
    fn of_guard(guard: &Guard, reads: &mut Vec<Read>) {
        match guard {
            Guard::Requires { collection, id, .. } => {
                reads.push(Read::Record(*collection, id.clone()));
            }
            Guard::NotReferenced {
                collection,
                via_field,
                target_id,
                ..
            } => reads.push(Read::Linking(
                *collection,
                via_field.clone(),
                target_id.clone(),
            )),
            Guard::AnyOf(guards) => guards.iter().for_each(|g| of_guard(g, reads)),
            Guard::Conflict(guard) => of_guard(guard, reads),
        }
    }
    let mut reads = Vec::new();
    for guard in guards {
        of_guard(guard, &mut reads);
    }
    for derivation in derivations {
        match &derivation.source {
            Source::ValueAt { collection, id, .. } | Source::FieldOf { collection, id, .. } => {
                reads.push(Read::Record(*collection, id.clone()));
            }
            Source::History { .. } | Source::Product { .. } => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    reads.retain(|read| seen.insert(read.clone()));
    reads
}

/// [`GuardReads`] answered from reads made beforehand (see [`Read`]).
#[derive(Debug, Default)]
pub struct ReadAhead {
    records: HashMap<(Collection, String), Option<StoredRecord>>,
    linking: HashMap<(Collection, String, String), Vec<StoredRecord>>,
}

impl ReadAhead {
    /// Keeps what [`Read::Record`] found.
    pub fn found_record(
        &mut self,
        collection: Collection,
        id: String,
        record: Option<StoredRecord>,
    ) {
        self.records.insert((collection, id), record);
    }

    /// Keeps what [`Read::Linking`] found.
    pub fn found_linking(
        &mut self,
        collection: Collection,
        field: String,
        id: String,
        records: Vec<StoredRecord>,
    ) {
        self.linking.insert((collection, field, id), records);
    }
}

fn not_read_ahead(what: &str) -> StoreError {
    StoreError::Backend(format!(
        "a rule read {what}, which was not read before the check"
    ))
}

impl GuardReads for ReadAhead {
    fn record(&mut self, collection: Collection, id: &str) -> StoreResult<Option<StoredRecord>> {
        self.records
            .get(&(collection, id.to_owned()))
            .cloned()
            .ok_or_else(|| not_read_ahead(&format!("the {} {id}", collection.noun())))
    }

    fn linking(
        &mut self,
        collection: Collection,
        field: &str,
        id: &str,
    ) -> StoreResult<Vec<StoredRecord>> {
        self.linking
            .get(&(collection, field.to_owned(), id.to_owned()))
            .cloned()
            .ok_or_else(|| not_read_ahead(&format!("the {collection} linking to {id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use serde_json::json;

    fn record(fields: Value) -> StoredRecord {
        StoredRecord {
            id: "a1".into(),
            version: 1,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            fields: fields.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn a_list_of_objects_has_an_item_with_a_field_equal_to_a_value() {
        let condition = |metric: &str| Condition::HasItemWith {
            field: "levels".into(),
            item_field: "metric".into(),
            value: json!(metric),
        };
        let agreement =
            record(json!({"levels": [{"metric": "availability"}, {"metric": "resolution"}]}));
        assert!(condition("resolution").holds(&agreement));
        assert!(!condition("response").holds(&agreement));
        assert!(!condition("availability").holds(&record(json!({"levels": "availability"}))));
        assert!(!condition("availability").holds(&record(json!({}))));
    }

    /// Reads over one record, `s1` of surveys, linked to by nothing.
    struct OneRecord(StoredRecord);

    impl GuardReads for OneRecord {
        fn record(&mut self, _: Collection, id: &str) -> StoreResult<Option<StoredRecord>> {
            Ok((id == self.0.id).then(|| self.0.clone()))
        }

        fn linking(&mut self, _: Collection, _: &str, _: &str) -> StoreResult<Vec<StoredRecord>> {
            Ok(vec![self.0.clone()])
        }
    }

    fn open_is(status: &str) -> Guard {
        Guard::Requires {
            collection: Collection::Surveys,
            id: "a1".into(),
            field: "survey_id".into(),
            missing: "no survey".into(),
            requirements: vec![Requirement {
                condition: Condition::Equals {
                    field: "status".into(),
                    value: json!(status),
                },
                message: format!("not {status}"),
                on_field: None,
            }],
        }
    }

    #[test]
    fn any_of_holds_when_one_holds_and_conflicts_are_their_own_failure() {
        let mut reads = OneRecord(record(json!({"status": "open"})));
        let either = Guard::AnyOf(vec![open_is("closed"), open_is("open")]);
        assert_eq!(check(&[either], &mut reads), Ok(()));
        let neither = Guard::AnyOf(vec![open_is("closed"), open_is("draft")]);
        let Err(StoreError::Refused(violations)) =
            check(std::slice::from_ref(&neither), &mut reads)
        else {
            panic!("neither holds");
        };
        assert_eq!(violations[0].message, "not draft");
        let conflict = Guard::Conflict(Box::new(neither));
        let Err(StoreError::Conflicted(violations)) = check(&[open_is("x"), conflict], &mut reads)
        else {
            panic!("a conflict outranks an invalid field");
        };
        assert_eq!(violations.len(), 1);
    }
}
