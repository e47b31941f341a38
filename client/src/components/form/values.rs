//! What a form's values become: blank text and empty lists count as
//! absent (as the server reads them), an edit sends only what changed, and
//! a field named `answers.q1` is sent nested (`{"answers": {"q1": ..}}`).

use serde_json::{Map, Value};

use crate::api::Record;

/// Blank text counts as absent, as the server reads it.
pub(super) fn norm_value(value: Option<&Value>) -> Value {
    match value {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(text)) if text.trim().is_empty() => Value::Null,
        Some(Value::Array(items)) if items.is_empty() => Value::Null,
        Some(other) => other.clone(),
    }
}

pub(super) fn normalise(object: &Record) -> Record {
    object
        .iter()
        .map(|(k, v)| (k.clone(), norm_value(Some(v))))
        .collect()
}

/// The object as sent: a field named `answers.q1` becomes `q1` of the
/// object `answers` (the server's errors name it `answers.q1` again).
pub fn nest(object: &Record) -> Record {
    let mut nested = Record::new();
    for (key, value) in object {
        let Some((outer, inner)) = key.split_once('.') else {
            nested.insert(key.clone(), value.clone());
            continue;
        };
        let slot = nested
            .entry(outer.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(fields) = slot {
            fields.insert(inner.to_string(), value.clone());
        }
    }
    nested
}

/// A new record's body: absent fields are not sent, nested ones neither.
pub(super) fn without_nulls(object: Record) -> Record {
    object
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, value)| match value {
            Value::Object(fields) => (key, Value::Object(without_nulls(fields))),
            other => (key, other),
        })
        .collect()
}

/// The merge patch that turns `base` into `current` (fields of `current` only).
pub(super) fn diff(base: &Record, current: &Record) -> Record {
    current
        .iter()
        .filter(|(key, value)| norm_value(base.get(key.as_str())) != norm_value(Some(value)))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

pub(super) fn show(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".to_string(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{nest, without_nulls};

    #[test]
    fn dotted_names_are_sent_nested_and_a_new_record_sends_no_nulls() {
        let flat = json!({"contact_id": "p1", "answers.q1": 4, "answers.q2": null, "title": null});
        let nested = nest(flat.as_object().expect("an object"));
        assert_eq!(
            Value::Object(nested.clone()),
            json!({"contact_id": "p1", "answers": {"q1": 4, "q2": null}, "title": null})
        );
        assert_eq!(
            Value::Object(without_nulls(nested)),
            json!({"contact_id": "p1", "answers": {"q1": 4}})
        );
    }
}
