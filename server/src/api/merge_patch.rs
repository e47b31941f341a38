//! RFC 7396 JSON merge patch, as a `PATCH` of any record applies it, and
//! what the field readers need to see of a patch afterwards.

use serde_json::{Map, Value};

/// RFC 7396 JSON merge patch: objects merge key by key, `null` removes,
/// anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Puts back, as `null`, every name the patch removed that the merged
/// object no longer holds, at every depth. The readers take `null` as
/// absent, so a known field reads as removed, while a name no record has
/// (`{"": null}`) is still seen, and refused as unknown.
pub fn keep_removed_names(merged: &mut Value, patch: &Map<String, Value>) {
    let Value::Object(merged) = merged else {
        return;
    };
    for (name, value) in patch {
        match value {
            Value::Null => {
                merged.entry(name.clone()).or_insert(Value::Null);
            }
            Value::Object(inner) => {
                if let Some(target) = merged.get_mut(name) {
                    keep_removed_names(target, inner);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_removed_name_stays_visible_to_the_reader() {
        let mut merged = json!({"name": "A", "address": {"street": "x"}});
        let patch = json!({"": null, "name": "B", "address": {"zz": null}});
        let Value::Object(patch) = patch else {
            panic!("the patch is an object");
        };
        merge_patch(&mut merged, &Value::Object(patch.clone()));
        keep_removed_names(&mut merged, &patch);
        assert_eq!(
            merged,
            json!({"": null, "name": "B", "address": {"street": "x", "zz": null}})
        );
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        // The examples of RFC 7396, appendix A (a selection).
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (json!(["a"]), json!({"a": "b"}), json!({"a": "b"})),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
        ];
        for (mut target, patch, expected) in cases {
            merge_patch(&mut target, &patch);
            assert_eq!(target, expected);
        }
    }
}
