//! The OpenAPI 3.1 document, built from the route table (so every route is
//! in it and nothing else is) and from the record schemas below, whose
//! vocabularies come from `rapport-shared`'s enums.

use rapport_shared::Collection;
use rapport_shared::enums::{
    ContactRole, CustomerStatus, JobRole, Permission, Priority, RfcCategory, RfcRoute, RfcStatus,
};
use serde_json::{Map, Value, json};

use crate::http::{Method, Response, StatusCode};

use super::error::{ApiError, ApiResult};
use super::respond;
use super::router::{Call, Route, RouteDoc};

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
    parameters.extend(
        doc.query
            .iter()
            .map(|name| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}})),
    );
    if doc.if_match {
        parameters.push(json!({"name": "If-Match", "in": "header", "required": true, "schema": {"type": "string"}}));
    }
    // Only collection creates honour Idempotency-Key (comments do not).
    if route.method == Method::POST && doc.status == 201 && !route.pattern.contains('{') {
        parameters.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string"}}));
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
    } else {
        "application/json"
    }
}

fn text() -> Value {
    json!({"type": ["string", "null"]})
}

fn id() -> Value {
    json!({"type": ["string", "null"], "description": "id of another record"})
}

fn one_of(names: Vec<&str>) -> Value {
    json!({"type": ["string", "null"], "enum": names})
}

fn ids() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

/// A record schema: metadata plus `fields`, with `required` fields.
fn record(fields: Value, required: &[&str]) -> Value {
    let mut properties = json!({
        "id": {"type": "string", "readOnly": true},
        "version": {"type": "integer", "readOnly": true},
        "created_at": {"type": "string", "format": "date-time", "readOnly": true},
        "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
    });
    if let (Value::Object(all), Value::Object(extra)) = (&mut properties, fields) {
        all.extend(extra);
    }
    json!({"type": "object", "properties": properties, "required": required})
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

fn schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    let records = [
        (
            Collection::Staff,
            record(
                json!({
                    "name": {"type": "string"}, "email": {"type": "string", "format": "email"},
                    "job_roles": {"type": "array", "items": {"enum": JobRole::names()}},
                    "active": {"type": "boolean", "default": true}
                }),
                &["name", "email"],
            ),
        ),
        (
            Collection::Customers,
            record(
                json!({
                    "name": {"type": "string"}, "code": {"type": "string", "pattern": "^[A-Z0-9-]{2,16}$"},
                    "kind": text(), "description": text(), "status": one_of(CustomerStatus::names()),
                    "purchaser_contact_id": id(), "team_id": id()
                }),
                &["name", "code"],
            ),
        ),
        (
            Collection::Contacts,
            record(
                json!({
                    "customer_id": {"type": "string"}, "name": {"type": "string"}, "title": text(),
                    "email": text(), "phone": text(), "role": one_of(ContactRole::names())
                }),
                &["customer_id", "name"],
            ),
        ),
        (
            Collection::Teams,
            record(
                json!({
                    "name": {"type": "string"}, "brm_id": {"type": "string"}, "delivery_manager_id": {"type": "string"},
                    "service_owner_ids": ids(), "customer_ids": {"type": "array", "items": {"type": "string"}, "readOnly": true}
                }),
                &["name", "brm_id", "delivery_manager_id"],
            ),
        ),
        (
            Collection::Services,
            record(
                json!({
                    "name": {"type": "string"}, "description": text(), "owner_id": id(), "unit": text(),
                    "unit_price_cents": {"type": ["integer", "null"], "minimum": 0}
                }),
                &["name"],
            ),
        ),
        (
            Collection::Rfcs,
            record(
                json!({
                        "customer_id": {"type": "string"}, "title": {"type": "string"}, "description": text(),
                        "service_id": id(), "agreement_id": id(), "requested_by_contact_id": id(),
                        "priority": one_of(Priority::names()), "impact": text(), "category": one_of(RfcCategory::names()),
                        "assignee_id": id(), "due_on": {"type": ["string", "null"], "format": "date"},
                        "status": {"enum": RfcStatus::names(), "readOnly": true},
                        "route": {"type": ["string", "null"], "enum": RfcRoute::names(), "readOnly": true},
                        "raised_by_id": {"type": ["string", "null"], "readOnly": true},
                "open": {"type": "boolean", "readOnly": true, "description": "false once closed or withdrawn"}
                    }),
                &["customer_id", "title"],
            ),
        ),
    ];
    for (collection, schema) in records {
        let name = collection.name();
        schemas.insert(
            format!("{name}_page"),
            json!({"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}},
                "next_cursor": {"type": ["string", "null"]}
            }}),
        );
        schemas.insert(name.to_string(), schema);
    }
    let step = json!({"type": "object", "properties": {
        "id": {"type": "string"}, "rfc_id": {"type": "string"},
        "from": {"enum": RfcStatus::names()}, "to": {"enum": RfcStatus::names()},
        "route": {"type": ["string", "null"]}, "note": text(), "who": {"type": "string"},
        "who_staff_id": text(), "when": {"type": "string", "format": "date-time"}
    }});
    let comment = json!({"type": "object", "properties": {
        "id": {"type": "string"}, "rfc_id": {"type": "string"}, "text": {"type": "string"},
        "who": {"type": "string"}, "who_staff_id": text(), "when": {"type": "string", "format": "date-time"}
    }});
    let extra = json!({
        "transition": {"type": "object", "required": ["to"], "properties": {
            "to": {"enum": RfcStatus::names()}, "route": {"enum": RfcRoute::names()}, "note": {"type": "string"}
        }},
        "history": {"type": "object", "properties": {"items": {"type": "array", "items": step}}},
        "comment_input": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "comment": comment,
        "comments": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/comment"}}}},
        "health": {"type": "object", "properties": {"status": {"const": "ok"}}},
        "count": {"type": "object", "properties": {"count": {"type": "integer", "minimum": 0}}},
        "me": {"type": "object", "properties": {
            "token_name": {"type": "string"}, "permission": {"enum": Permission::names()},
            "staff_id": text(), "staff_name": text()
        }},
        "audit_page": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "seq": {"type": "integer"}, "when": {"type": "string", "format": "date-time"}, "who": {"type": "string"},
                "who_staff_id": text(), "entity": {"type": "string"}, "entity_id": {"type": "string"},
                "action": {"enum": ["create", "update", "delete"]}, "before": {}, "after": {}
            }}},
            "next_cursor": {"type": ["string", "null"]}
        }},
        "event_stream": {"type": "string", "description": "text/event-stream: id = change sequence, event = collection, data = {\"id\",\"version\",\"action\"}"},
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
    schemas
}
