//! The request bodies of the OpenAPI document, as strict as the readers
//! that take them: each collection's create and patch bodies from the
//! fields its `from_json` reads ([`request_schema`]), the side bodies
//! (a comment, a survey response, a workflow step), and every object
//! nested in a body closed (`additionalProperties: false`), since the
//! readers refuse unknown fields at every depth ([`close_bodies`]).

use std::collections::HashSet;

use rapport_shared::fields::{MAX_LINE_CHARS, MAX_TEXT_CHARS, META_FIELDS};
use serde_json::{Map, Value, json};

use super::super::resources::Resource;

/// The schema name of the body that creates a record of `collection`.
pub fn input_schema(collection: &str) -> String {
    format!("{collection}_input")
}

/// The schema name of the merge patch that changes a record of `collection`.
pub fn patch_schema(collection: &str) -> String {
    format!("{collection}_patch")
}

/// Which body a request schema describes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Create,
    Patch,
}

/// A character a single-line text may hold: no control character, no
/// bidirectional override or isolate (`fields::is_unsafe_char`).
const LINE_CHAR: &str = "[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
/// The same in a multi-line text, which keeps tabs and line breaks.
const TEXT_CHAR: &str =
    "[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
/// A character that shows (`fields::is_invisible` and white space do not).
const VISIBLE_CHAR: &str = "[^\\s\\u200b-\\u200f\\u2060\\ufeff\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";

/// What the server accepts in a body creating (or patching) a record of
/// `R`, exactly: the fields its `from_json` reads, with the text rules of
/// their readers; the fields it accepts unread and the meta fields, which
/// may hold anything (they are ignored); on a patch the read-only fields,
/// which must keep their value. Nothing else (`additionalProperties:
/// false`: an unknown field is a 422). An absent field and `null` are the
/// same to the readers, so every field but a required one may be `null`;
/// a patch requires nothing (what it leaves out keeps its value).
pub fn request_schema<R: Resource>(stored: &Value, body: Body) -> Value {
    let empty = Map::new();
    let stored_properties = stored
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (field, reader) in R::readers() {
        let mut property = stored_properties.get(field).cloned().unwrap_or(json!({}));
        if let Value::Object(object) = &mut property {
            object.remove("readOnly");
            object.remove("default");
        }
        let is_required = reader.starts_with("required_");
        text_rules(&mut property, reader);
        if is_required {
            if body == Body::Create {
                required.push(field);
            }
        } else if property.get("format").is_some() {
            // A blank date or time is absent, like a blank text.
            property = json!({"anyOf": [property, {"type": "null"}, {"type": "string", "pattern": "^\\s*$"}]});
        } else {
            property = json!({"anyOf": [property, {"type": "null"}]});
        }
        properties.insert(field.to_string(), property);
    }
    let ignored = META_FIELDS
        .iter()
        .chain(R::accepted_unread().iter())
        .copied()
        .collect::<Vec<_>>();
    for field in ignored {
        if !properties.contains_key(field) {
            properties.insert(
                field.to_string(),
                json!({"description": "accepted and ignored"}),
            );
        }
    }
    if body == Body::Patch {
        for field in R::READ_ONLY {
            let property = stored_properties.get(*field).cloned().unwrap_or(json!({}));
            properties.insert(
                field.to_string(),
                json!({
                    "description": "read-only: accepted only with the value it has",
                    "readOnly": true,
                    "anyOf": [property, {"type": "null"}],
                }),
            );
        }
    }
    let verb = match body {
        Body::Create => "creates",
        Body::Patch => "changes (JSON merge patch)",
    };
    json!({
        "type": "object",
        "description": format!("What {verb} one {}.", R::COLLECTION.noun()),
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The characters and lengths a text field's reader accepts.
fn text_rules(property: &mut Value, reader: &str) {
    let (char_class, max) = match reader {
        "required_line" | "optional_line" | "required_id" | "optional_id" => {
            (LINE_CHAR, MAX_LINE_CHARS)
        }
        "required_text" | "optional_text" => (TEXT_CHAR, MAX_TEXT_CHARS),
        _ => return,
    };
    let Value::Object(object) = property else {
        return;
    };
    let visible = format!("{char_class}*{VISIBLE_CHAR}{char_class}*");
    let pattern = if reader.starts_with("required_") {
        format!("^{visible}$")
    } else {
        // Blank is the same as absent.
        format!("^(\\s*|{visible})$")
    };
    let text = json!({"type": "string", "maxLength": max, "pattern": pattern});
    if object.get("type") == Some(&json!("string")) {
        object.insert("maxLength".into(), json!(max));
        object.insert("pattern".into(), json!(pattern));
        if reader.starts_with("required_") {
            object.insert("minLength".into(), json!(1));
        }
    } else {
        // `["string", "null"]`: the null is added by the caller.
        *property = text;
    }
}

/// The bodies that are not a collection's record: a comment and a survey
/// response (written here, since their readers are not `input_fields!`),
/// with the fields any `FieldReader` takes and ignores.
pub fn side_bodies() -> Map<String, Value> {
    let body = |fields: &[(&str, &str, Value)]| {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, reader, schema) in fields {
            let mut property = schema.clone();
            text_rules(&mut property, reader);
            if reader.starts_with("required_") {
                required.push(*field);
            }
            properties.insert(field.to_string(), property);
        }
        json!({"type": "object", "properties": properties, "required": required})
    };
    let mut bodies = Map::new();
    bodies.insert(
        "comment_input".into(),
        body(&[("text", "required_text", json!({"type": "string"}))]),
    );
    bodies.insert(
        "survey_response_input".into(),
        body(&[
            ("contact_id", "required_id", json!({"type": "string"})),
            (
                "answers",
                "answers",
                json!({"anyOf": [
                    {"type": "object", "additionalProperties": {"type": ["integer", "string"]}},
                    {"type": "null"}
                ]}),
            ),
        ]),
    );
    bodies
}

/// The schemas naming what a request sends: every collection's create
/// and patch body, and the side bodies.
fn is_body(name: &str) -> bool {
    name.ends_with("_input") || name.ends_with("_patch") || name == "transition"
}

/// Closes every request body: the body itself takes its fields and the
/// meta fields a `FieldReader` ignores, nothing else; an object it holds
/// (an agreement's levels, a meeting's agenda and actions, a survey's
/// questions) refers to a closed copy of its definition, `Name_input`,
/// so records read back keep the open definition.
pub fn close_bodies(schemas: &mut Map<String, Value>) {
    let bodies: Vec<String> = schemas
        .keys()
        .filter(|name| is_body(name))
        .cloned()
        .collect();
    let objects: HashSet<String> = schemas
        .iter()
        .filter(|(name, schema)| !is_body(name) && schema.get("properties").is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let mut pending = Vec::new();
    for name in &bodies {
        if let Some(Value::Object(body)) = schemas.get_mut(name) {
            if let Some(Value::Object(properties)) = body.get_mut("properties") {
                for field in META_FIELDS {
                    properties
                        .entry(field.to_string())
                        .or_insert_with(|| json!({"description": "accepted and ignored"}));
                }
            }
            body.insert("additionalProperties".into(), json!(false));
        }
        if let Some(body) = schemas.get_mut(name) {
            refer_to_closed(body, &objects, &mut pending);
        }
    }
    while let Some(definition) = pending.pop() {
        let closed = closed_name(&definition);
        if schemas.contains_key(&closed) {
            continue;
        }
        let Some(mut copy) = schemas.get(&definition).cloned() else {
            continue;
        };
        if let Value::Object(object) = &mut copy {
            object.insert("additionalProperties".into(), json!(false));
        }
        refer_to_closed(&mut copy, &objects, &mut pending);
        schemas.insert(closed, copy);
    }
}

/// The name of the closed copy of a nested object's definition.
fn closed_name(definition: &str) -> String {
    format!("{definition}_input")
}

/// Points every reference to one of the `objects` (the definitions with
/// properties: vocabularies stay as they are) at its closed copy, noting
/// which copies are needed.
fn refer_to_closed(schema: &mut Value, objects: &HashSet<String>, pending: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref")
                && let Some(definition) = reference.strip_prefix("#/components/schemas/")
                && objects.contains(definition)
            {
                let definition = definition.to_string();
                *reference = format!("#/components/schemas/{}", closed_name(&definition));
                pending.push(definition);
            }
            for value in object.values_mut() {
                refer_to_closed(value, objects, pending);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| refer_to_closed(item, objects, pending)),
        _ => {}
    }
}
