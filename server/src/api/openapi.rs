//! The OpenAPI 3.1 document, built from the route table (so every route is
//! in it and nothing else is) and from schemas generated from
//! `rapport-shared`'s types with `schemars`: every served collection's
//! stored record ([`super::resources::each`]), RFC comments and workflow
//! steps, the bodies of `me` and of a transition, and the vocabularies they
//! name. Only the envelopes and the shapes no shared type describes (audit,
//! problems) are written here.

use rapport_shared::Collection;
use rapport_shared::agenda::Proposal;
use rapport_shared::attainment::Attainment;
use rapport_shared::budget::BudgetView;
use rapport_shared::enums::Permission;
use rapport_shared::records::{RecordInput, RfcComment, RfcTransition, SurveyResponse};
use rapport_shared::satisfaction::SurveyResults;
use rapport_shared::wire::{Me, RfcFieldChange, TransitionRequest};
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};

use crate::http::{Method, Response, StatusCode};

use super::error::{ApiError, ApiResult};
use super::request::MAX_IDEMPOTENCY_KEY_BYTES;
use super::resources::{self, ForEachResource, Resource};

mod bodies;

use super::respond;
use super::route::{Call, Route, RouteDoc};
use bodies::{Body, close_bodies, request_schema, side_bodies};
pub use bodies::{input_schema, patch_schema};

/// Adds `GET /api/v1/openapi.json`.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/openapi.json",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "This document".into(),
            response: Some("openapi".into()),
            status: 200,
            ..RouteDoc::default()
        },
        serve,
    ));
}

async fn serve(call: Call) -> ApiResult<Response> {
    let document = call
        .state
        .openapi
        .get()
        .ok_or_else(|| ApiError::Internal("the OpenAPI document was not built".into()))?;
    Ok(respond::json(StatusCode::OK, document))
}

/// What `request::if_match` reads: `*`, or a version from 1 that fits in
/// 64 bits as `"3"`, `W/"3"` or `3`.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"0*[1-9][0-9]{0,17}"|(W/)?0*[1-9][0-9]{0,17})$"#;

/// The whole document for a route table.
pub fn document(routes: &[Route]) -> Value {
    let mut paths = Map::new();
    for route in routes {
        let entry = paths
            .entry(route.pattern.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(route.method.as_str().to_ascii_lowercase(), operation(route));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "rapport",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "IT customer relationship management: customers, teams, services, Requests for Change."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
            "responses": {"problem": {
                "description": "An error (RFC 9457)",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}}
            }}
        }
    })
}

fn operation(route: &Route) -> Value {
    let doc = &route.doc;
    let mut parameters: Vec<Value> = route
        .pattern
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(doc.query.iter().map(|param| {
        let schema = match (&param.schema, param.values.is_empty()) {
            (Some(schema), _) => schema.clone(),
            // Free text: an empty value is read as no value.
            (None, true) => json!({"type": "string"}),
            (None, false) => json!({"type": "string", "enum": param.values}),
        };
        if param.any_of {
            // `customer_id=c1,c2`: any of the values, at least one.
            return json!({
                "name": param.name, "in": "query", "required": param.required,
                "style": "form", "explode": false,
                "schema": {"type": "array", "items": schema, "minItems": 1},
            });
        }
        json!({"name": param.name, "in": "query", "required": param.required, "schema": schema})
    }));
    if doc.if_match {
        // What `request::if_match` reads: `"3"`, `W/"3"`, `3` or `*`.
        parameters.push(json!({"name": "If-Match", "in": "header", "required": true,
            "schema": {"type": "string", "pattern": IF_MATCH_PATTERN}}));
    }
    // Only collection creates honour Idempotency-Key (comments do not).
    if route.method == Method::POST && doc.status == 201 && !route.pattern.contains('{') {
        parameters.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY_BYTES, "pattern": "^[!-~]([ -~]*[!-~])?$"}}));
    }
    let success = match &doc.response {
        Some(schema) if doc.status != 204 => json!({
            "description": doc.summary,
            "content": {content_type(schema): {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}
        }),
        _ => json!({"description": doc.summary}),
    };
    let mut responses = Map::new();
    responses.insert(doc.status.to_string(), success);
    responses.insert(
        "default".into(),
        json!({"$ref": "#/components/responses/problem"}),
    );
    let mut operation = json!({
        "summary": doc.summary,
        "parameters": parameters,
        "responses": responses,
        "x-permission": route.permission.map(Permission::as_str),
    });
    if let (Some(schema), Value::Object(object)) = (&doc.request, &mut operation) {
        // A collection's record is created from its input and changed by
        // its patch, each as strict as the server.
        let schema = if route.pattern == format!("/api/v1/{schema}") {
            input_schema(schema)
        } else if route.pattern == format!("/api/v1/{schema}/{{id}}") {
            patch_schema(schema)
        } else {
            schema.clone()
        };
        object.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}),
        );
    }
    if let (Some(_), Value::Object(object)) = (route.permission, &mut operation) {
        object.insert("security".into(), json!([{"bearer": []}]));
    }
    operation
}

fn content_type(schema: &str) -> &'static str {
    if schema == "event_stream" {
        "text/event-stream"
    } else if schema == "prometheus_text" {
        super::metrics::CONTENT_TYPE
    } else {
        "application/json"
    }
}

/// The property names of a collection's record schema (for the tests that
/// check records against the document).
pub fn record_properties(collection: Collection) -> Vec<String> {
    match schemas()
        .get(collection.name())
        .and_then(|schema| schema.get("properties"))
    {
        Some(Value::Object(properties)) => properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Collects the schemas generated from shared types: each served
/// collection's record and page, and the definitions they refer to.
struct GeneratedSchemas {
    generator: SchemaGenerator,
    schemas: Map<String, Value>,
}

impl GeneratedSchemas {
    fn new() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|settings| {
            settings.definitions_path = "/components/schemas".into();
            settings.meta_schema = None;
        });
        GeneratedSchemas {
            generator: settings.into_generator(),
            schemas: Map::new(),
        }
    }

    /// Adds the schema of `T` under `name`.
    fn add<T: JsonSchema>(&mut self, name: &str) {
        let schema = T::json_schema(&mut self.generator);
        self.schemas.insert(name.to_string(), schema.to_value());
    }

    /// Adds the schema of the stored records of `collection` under `name`,
    /// described in the collection's words.
    fn add_record<T: JsonSchema>(&mut self, name: &str, collection: Collection) {
        self.add::<T>(name);
        if let Some(Value::Object(schema)) = self.schemas.get_mut(name) {
            schema.insert(
                "description".into(),
                format!("One {}, as read from the server.", collection.noun()).into(),
            );
        }
    }

    /// The schemas, with every definition they refer to.
    fn finish(mut self) -> Map<String, Value> {
        let mut schemas = self.generator.take_definitions(true);
        schemas.extend(self.schemas);
        for schema in schemas.values_mut() {
            require_text(schema);
        }
        schemas
    }
}

impl ForEachResource for GeneratedSchemas {
    fn visit<R: Resource>(&mut self) {
        let name = R::COLLECTION.name();
        self.add_record::<<R as RecordInput>::Stored>(name, R::COLLECTION);
        if let Some(stored) = self.schemas.get(name).cloned() {
            let create = request_schema::<R>(&stored, Body::Create);
            let patch = request_schema::<R>(&stored, Body::Patch);
            self.schemas.insert(input_schema(name), create);
            self.schemas.insert(patch_schema(name), patch);
        }
        self.schemas.insert(
            format!("{name}_page"),
            json!({"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}},
                "next_cursor": {"type": ["string", "null"]}
            }}),
        );
    }
}

/// A required string property is refused blank by the readers, so the
/// document gives it a minimum length (in nested objects too).
fn require_text(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    let required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let is_text = property.get("type").and_then(Value::as_str) == Some("string")
                && property.get("format").is_none()
                && property.get("enum").is_none();
            if is_text
                && required.contains(name)
                && let Value::Object(property) = property
            {
                property.entry("minLength").or_insert(json!(1));
            }
            require_text(property);
        }
    }
    if let Some(items) = object.get_mut("items") {
        require_text(items);
    }
}

fn schemas() -> Map<String, Value> {
    let mut generated = GeneratedSchemas::new();
    resources::each(&mut generated);
    generated.add::<TransitionRequest>("transition");
    generated.add::<Me>("me");
    generated.add::<RfcFieldChange>("rfc_change");
    generated.add::<Attainment>("attainment");
    generated.add::<BudgetView>("budget");
    generated.add::<Proposal>("agenda_proposal");
    generated.add::<rapport_shared::health::Health>("customer_health");
    generated.add_record::<RfcComment>("comment", Collection::RfcComments);
    generated.add_record::<RfcTransition>("rfc_transition", Collection::RfcTransitions);
    generated.add_record::<SurveyResponse>("survey_response", Collection::SurveyResponses);
    generated.add::<SurveyResults>("survey_results");
    let mut schemas = generated.finish();
    let extra = json!({
        "history": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/rfc_transition"}},
            "changes": {"type": "array", "items": {"$ref": "#/components/schemas/rfc_change"}}
        }},
        "comments": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/comment"}}}},
        "survey_responses": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/survey_response"}}}},
        "survey_comments": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "question_id": {"type": "string"}, "text": {"type": "string"}, "contact_id": {"type": "string"},
            "customer_id": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}
        }}}}},
        "satisfaction": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "survey_id": {"type": "string"}, "title": {"type": "string"}, "period_end": {"type": ["string", "null"], "format": "date"},
            "mean": {"type": ["number", "null"]}, "nps": {"type": ["number", "null"]}, "responses": {"type": "integer", "minimum": 0}
        }}}}},
        "week_ahead": {"type": "object", "properties": {
            "staff_id": {"type": "string"}, "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
            "days": {"type": "array", "items": {"type": "object", "properties": {
                "date": {"type": "string", "format": "date"},
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"enum": ["meeting", "review", "expiry", "milestone", "notice", "action", "overdue_action"]},
                    "title": {"type": "string"}, "customer_id": {"type": ["string", "null"]},
                    "source": {"type": "object", "properties": {"collection": {"type": "string"}, "ids": {"type": "array", "items": {"type": "string"}}}}
                }}}
            }}},
            "customers": {"type": "array", "items": {"type": "object", "properties": {
                "customer_id": {"type": "string"}, "state": {"enum": ["good", "watch", "act", "unknown"]}
            }}}
        }},
        "actions": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "meeting_id": {"type": "string"}, "index": {"type": "integer", "minimum": 0}, "text": {"type": "string"},
            "owner_id": {"type": ["string", "null"]}, "due_on": {"type": ["string", "null"], "format": "date"},
            "done": {"type": "boolean"}, "overdue": {"type": "boolean"}, "customer_id": {"type": "string"},
            "kind": {"enum": ["forward_looking", "follow_up"]}
        }}}}},
        "health": {"type": "object", "properties": {"status": {"const": "ok"}}},
        "count": {"type": "object", "properties": {"count": {"type": "integer", "minimum": 0}}},
        "audit_page": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "seq": {"type": "integer"}, "when": {"type": "string", "format": "date-time"}, "who": {"type": "string"},
                "who_staff_id": {"type": ["string", "null"]}, "entity": {"type": "string"}, "entity_id": {"type": "string"},
                "action": {"enum": ["create", "update", "delete"]}, "before": {}, "after": {}
            }}},
            "next_cursor": {"type": ["string", "null"]}
        }},
        "event_stream": {"type": "object", "description": "One event of the text/event-stream: id = change sequence, event = collection, data = {\"id\",\"version\",\"action\"}",
            "properties": {"id": {"type": "string", "pattern": "^[0-9]+$"}, "event": {"type": "string"}, "data": {"type": "string"}}},
        "prometheus_text": {"type": "string", "description": "The Prometheus text exposition format 0.0.4: rapport_http_requests_total{method,route,status}, rapport_http_request_duration_seconds{method,route} (histogram), rapport_store_operation_duration_seconds{operation} (histogram), rapport_store_writer_queue_depth, rapport_http_connections_open, rapport_event_stream_subscribers"},
        "openapi": {"type": "object"},
        "problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "message": {"type": "string"}
            }}}
        }}
    });
    if let Value::Object(extra) = extra {
        schemas.extend(extra);
    }
    schemas.extend(side_bodies());
    close_bodies(&mut schemas);
    schemas
}

#[cfg(test)]
mod tests {
    use rapport_shared::fields::META_FIELDS;

    use super::*;

    /// Checks each served collection's schema against its declaration and
    /// its rules.
    struct CheckAgainstDeclaration(Map<String, Value>);

    impl ForEachResource for CheckAgainstDeclaration {
        fn visit<R: Resource>(&mut self) {
            let collection = R::COLLECTION;
            let properties = &self.0[collection.name()]["properties"];
            let read_only = |field: &str| properties[field]["readOnly"] == json!(true);
            for field in META_FIELDS.iter().chain(R::READ_ONLY) {
                assert!(read_only(field), "{collection}.{field} is not readOnly");
            }
            let declared = collection
                .filters()
                .iter()
                .map(|filter| filter.field)
                .chain(collection.search_fields().iter().copied());
            for field in declared {
                assert!(
                    properties.get(field).is_some(),
                    "{collection} filters or searches {field}, which its records lack"
                );
            }
        }
    }

    #[test]
    fn record_schemas_agree_with_the_declarations() {
        resources::each(&mut CheckAgainstDeclaration(schemas()));
    }
}
