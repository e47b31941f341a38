//! Derivations: fields of a batch's records that the store computes
//! inside the write's transaction, from the write's time and from other
//! records as they stand when it commits (a usage record's unit price is
//! the service's price in force at that moment; a price change racing it
//! is either wholly before or wholly after). Like guards they are data, so
//! every backend computes the same ones: a backend calls [`apply`] with
//! the [`GuardReads`] of its open transaction before it runs the ops.

use jiff::Timestamp;
use rapport_shared::Collection;
use serde_json::{Map, Value, json};

use super::guard::GuardReads;
use super::{StoreError, StoreResult, Violation, WriteOp};

/// One field of one op's record, computed inside the transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    /// The op (its index in the batch) whose record gets the field; a
    /// create or an update.
    pub op: usize,
    /// The field set (or, for [`Source::History`], extended).
    pub field: String,
    pub source: Source,
}

/// Where a derived field's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A history of the op's own field `of`: the list already in `field`
    /// (none counts as empty), plus `{"from": <the batch's time>, <of>:
    /// <its value>}` when the value differs from the last entry's.
    History { of: String },
    /// The value of `value_field` in force at `at` (the batch's time when
    /// `None`) in the history list `history` of record `id` of
    /// `collection`: the entry with the latest `from` not after `at`. No
    /// such record, entry or value (null) fails the batch with `missing`.
    ValueAt {
        collection: Collection,
        id: String,
        history: String,
        value_field: String,
        at: Option<Timestamp>,
        missing: Violation,
    },
    /// The product of the op's whole-number `factors` (read after the
    /// derivations before this one); null when one is missing, and a
    /// refusal on `field` when it overflows.
    Product { factors: Vec<String> },
    /// The value of `field` of record `id` of `collection` as it is in
    /// the transaction (null when the record or the field is absent): a
    /// meeting's team, copied from its customer.
    FieldOf {
        collection: Collection,
        id: String,
        field: String,
    },
}

/// The ops with their derived fields set, in order; `at` is the batch's
/// time. Fails with [`StoreError::Refused`] naming every missing value.
pub fn apply(
    ops: &[WriteOp],
    derivations: &[Derivation],
    at: Timestamp,
    reads: &mut dyn GuardReads,
) -> StoreResult<Vec<WriteOp>> {
    let mut ops = ops.to_vec();
    let mut violations = Vec::new();
    for derivation in derivations {
        let fields = match ops.get_mut(derivation.op) {
            Some(WriteOp::Create { fields, .. } | WriteOp::Update { fields, .. }) => fields,
            _ => {
                return Err(StoreError::Backend(format!(
                    "derivation of {} names op {}, which is no create or update",
                    derivation.field, derivation.op
                )));
            }
        };
        match derived(derivation, fields, at, reads)? {
            Ok(value) => {
                fields.insert(derivation.field.clone(), value);
            }
            Err(violation) => violations.push(violation),
        }
    }
    if violations.is_empty() {
        Ok(ops)
    } else {
        Err(StoreError::Refused(violations))
    }
}

/// One derived value, or why it cannot be had.
fn derived(
    derivation: &Derivation,
    fields: &Map<String, Value>,
    at: Timestamp,
    reads: &mut dyn GuardReads,
) -> StoreResult<Result<Value, Violation>> {
    Ok(match &derivation.source {
        Source::History { of } => {
            let mut entries = fields
                .get(&derivation.field)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let value = fields.get(of).cloned().unwrap_or(Value::Null);
            let last = entries.last().map(|e| e.get(of).unwrap_or(&Value::Null));
            if last != Some(&value) {
                entries.push(json!({"from": at.to_string(), of.as_str(): value}));
            }
            Ok(Value::Array(entries))
        }
        Source::ValueAt {
            collection,
            id,
            history,
            value_field,
            at: when,
            missing,
        } => {
            let when = when.unwrap_or(at);
            let record = reads.record(*collection, id)?;
            let value = record
                .as_ref()
                .and_then(|r| r.fields.get(history))
                .and_then(|h| value_at(h, value_field, when));
            value.ok_or_else(|| missing.clone())
        }
        Source::FieldOf {
            collection,
            id,
            field,
        } => Ok(reads
            .record(*collection, id)?
            .and_then(|record| record.fields.get(field).cloned())
            .unwrap_or(Value::Null)),
        Source::Product { factors } => {
            let numbers: Option<Vec<i64>> = factors
                .iter()
                .map(|f| fields.get(f).and_then(Value::as_i64))
                .collect();
            match numbers {
                None => Ok(Value::Null),
                Some(numbers) => numbers
                    .into_iter()
                    .try_fold(1i64, i64::checked_mul)
                    .map(Value::from)
                    .ok_or_else(|| Violation {
                        field: derivation.field.clone(),
                        message: "is too large".into(),
                    }),
            }
        }
    })
}

/// The non-null `value_field` of the entry of `history` with the latest
/// `from` not after `when`.
pub fn value_at(history: &Value, value_field: &str, when: Timestamp) -> Option<Value> {
    history
        .as_array()?
        .iter()
        .filter_map(|entry| {
            let from: Timestamp = entry.get("from")?.as_str()?.parse().ok()?;
            (from <= when).then_some((from, entry.get(value_field)))
        })
        .max_by_key(|(from, _)| *from)
        .and_then(|(_, value)| value.filter(|v| !v.is_null()).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn the_value_in_force_is_the_latest_entry_not_after_the_time() {
        let history = json!([
            {"from": "2026-01-01T00:00:00Z", "unit_price_cents": 100},
            {"from": "2026-07-01T00:00:00Z", "unit_price_cents": 120},
            {"from": "2026-10-01T00:00:00Z", "unit_price_cents": null},
        ]);
        let price = |when| value_at(&history, "unit_price_cents", at(when));
        assert_eq!(price("2025-12-31T23:59:59Z"), None);
        assert_eq!(price("2026-06-30T23:59:59Z"), Some(json!(100)));
        assert_eq!(price("2026-07-01T00:00:00Z"), Some(json!(120)));
        assert_eq!(price("2026-11-01T00:00:00Z"), None, "the price was removed");
    }
}
