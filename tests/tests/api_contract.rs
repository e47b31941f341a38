//! End-to-end: the route table against the contract — every route called
//! with every permission, the permission table as API.md states it, and the
//! served OpenAPI document listing exactly the routes and every field.

mod api_support;

use std::collections::BTreeSet;
use std::sync::Arc;

use api_support::{TestServer, id_of};
use rapport_server::api::openapi::{
    IF_MATCH_PATTERN, input_schema, patch_schema, record_properties,
};
use rapport_server::api::{Api, AppState};
use rapport_server::store::Store;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use reqwest::Method;
use serde_json::{Value, json};

const PERMISSIONS: [Permission; 4] = [
    Permission::Viewer,
    Permission::Operator,
    Permission::Manager,
    Permission::Admin,
];

/// (method, pattern, permission) of every route the server has.
fn route_table(server: &TestServer) -> Vec<(Method, String, Option<Permission>)> {
    let store: Arc<dyn Store> = server.store.clone();
    let api = Api::new(AppState::new(store));
    api.routes()
        .iter()
        .map(|route| {
            let method = Method::from_bytes(route.method.as_str().as_bytes())
                .expect("route methods are HTTP methods");
            (method, route.pattern.clone(), route.permission)
        })
        .collect()
}

/// The permission API.md gives a route: viewer reads; operator creates and
/// works RFCs and comments, and writes notices (API.md names no permission
/// for them: the service desk announces); manager customers, teams, contacts, services,
/// improvements, agreements, level results, activities, budget lines,
/// surveys, meetings; admin staff. Health needs no token; the metrics
/// need the `metrics` permission (which admin also has).
fn contract_permission(method: &Method, pattern: &str) -> Option<Permission> {
    if pattern == "/healthz" {
        return None;
    }
    if pattern == "/metrics" {
        return Some(Permission::Metrics);
    }
    if method == Method::GET {
        return Some(Permission::Viewer);
    }
    let collection = pattern
        .strip_prefix("/api/v1/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    // Survey responses are recorded by operators (and deleted by managers).
    if method == Method::POST && pattern == "/api/v1/surveys/{id}/responses" {
        return Some(Permission::Operator);
    }
    Some(match collection {
        "staff" => Permission::Admin,
        "customers" | "teams" | "contacts" | "services" | "improvements" | "agreements"
        | "level_results" | "activities" | "budget_lines" | "usage" | "surveys" | "meetings" => {
            Permission::Manager
        }
        // The service desk announces maintenance and outages.
        "rfcs" | "notices" => Permission::Operator,
        other => panic!("no contract permission for a write to {other} ({method} {pattern})"),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_permission_table_is_the_contracts() {
    let server = TestServer::start(false).await;
    let routes = route_table(&server);
    for (method, pattern, permission) in &routes {
        assert_eq!(
            *permission,
            contract_permission(method, pattern),
            "{method} {pattern}"
        );
    }
    // Every REST collection has its five calls.
    let have: BTreeSet<(String, String)> = routes
        .iter()
        .map(|(method, pattern, _)| (method.to_string(), pattern.clone()))
        .collect();
    for collection in Collection::REST {
        let base = format!("/api/v1/{}", collection.name());
        let one = format!("{base}/{{id}}");
        for (method, path) in [
            ("GET", &base),
            ("POST", &base),
            ("GET", &one),
            ("PATCH", &one),
            ("DELETE", &one),
        ] {
            assert!(
                have.contains(&(method.to_string(), path.clone())),
                "no route {method} {path}"
            );
        }
    }
    for (method, path) in [
        ("POST", "/api/v1/rfcs/{id}/transitions"),
        ("GET", "/api/v1/rfcs/{id}/history"),
        ("POST", "/api/v1/rfcs/{id}/comments"),
        ("GET", "/api/v1/rfcs/{id}/comments"),
        ("GET", "/api/v1/agreements/{id}/attainment"),
        ("POST", "/api/v1/surveys/{id}/responses"),
        ("GET", "/api/v1/surveys/{id}/responses"),
        ("DELETE", "/api/v1/surveys/{id}/responses/{response_id}"),
        ("GET", "/api/v1/surveys/{id}/results"),
        ("GET", "/api/v1/surveys/{id}/comments"),
        ("GET", "/api/v1/customers/{id}/satisfaction"),
        ("GET", "/api/v1/customers/{id}/agenda-proposal"),
        ("GET", "/api/v1/actions"),
        ("GET", "/healthz"),
        ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/metrics"),
    ] {
        assert!(
            have.contains(&(method.to_string(), path.to_string())),
            "no route {method} {path}"
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_answers_say_how_caches_may_keep_them() {
    let server = TestServer::start(false).await;
    let token = server.token_of(Permission::Admin).to_string();
    let customer = server.customer("MOF", "Ministry of Finance").await;
    for (path, policy) in [
        ("/api/v1/customers".to_string(), "private, no-cache"),
        (format!("/api/v1/customers/{customer}"), "private, no-cache"),
        ("/api/v1/customers/count".to_string(), "private, no-cache"),
        ("/api/v1/audit".to_string(), "no-store"),
        ("/api/v1/me".to_string(), "no-store"),
    ] {
        let reply = server.get(&path, &token).await;
        reply.expect(200);
        assert_eq!(reply.header("cache-control"), Some(policy), "{path}");
        assert_eq!(reply.header("vary"), Some("Authorization"), "{path}");
    }
    // Revalidation still answers 304.
    let first = server
        .get(&format!("/api/v1/customers/{customer}"), &token)
        .await;
    let again = server
        .send(
            server
                .request(
                    Method::GET,
                    &format!("/api/v1/customers/{customer}"),
                    Some(&token),
                )
                .header("if-none-match", first.etag()),
        )
        .await;
    again.expect(304);
    let health = server
        .send(server.request(Method::GET, "/healthz", None))
        .await;
    assert_eq!(health.header("vary"), None);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_count_allows_only_what_its_path_offers() {
    let server = TestServer::start(false).await;
    let token = server.token_of(Permission::Admin).to_string();
    let reply = server
        .send(server.request(Method::DELETE, "/api/v1/customers/count", Some(&token)))
        .await;
    reply.problem(405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{}", reply.text);
    // A customer's own path still offers its three calls.
    let reply = server
        .send(server.request(Method::POST, "/api/v1/customers/c1", Some(&token)))
        .await;
    reply.problem(405);
    assert_eq!(
        reply.header("allow"),
        Some("GET, PATCH, DELETE, HEAD"),
        "{}",
        reply.text
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_with_every_permission() {
    let server = TestServer::start(false).await;
    // A real record of each collection for `{id}`.
    let brm = server.staff("Bea Brm", &["brm"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let mut ids = std::collections::BTreeMap::new();
    ids.insert("staff", brm.clone());
    ids.insert("customers", customer.clone());
    let contact = server
        .create("contacts", json!({"customer_id": customer, "name": "Carl"}))
        .await;
    ids.insert("contacts", id_of(&contact));
    let team = server
        .create(
            "teams",
            json!({"name": "North", "brm_id": brm, "delivery_manager_id": dm}),
        )
        .await;
    ids.insert("teams", id_of(&team));
    let service = server.create("services", json!({"name": "Hosting"})).await;
    ids.insert("services", id_of(&service));
    let rfc = server.rfc(&customer, "More storage", json!({})).await;
    ids.insert("rfcs", id_of(&rfc));
    let improvement = server
        .create(
            "improvements",
            json!({"description": "Publish the change calendar"}),
        )
        .await;
    ids.insert("improvements", id_of(&improvement));
    let agreement = server
        .create(
            "agreements",
            json!({
                "customer_id": customer, "title": "Hosting SLA",
                "levels": [{"metric": "availability", "target": 99.5, "unit": "%"}],
            }),
        )
        .await;
    ids.insert("agreements", id_of(&agreement));
    let result = server
        .create(
            "level_results",
            json!({
                "agreement_id": id_of(&agreement), "metric": "availability",
                "month": "2026-11", "value": 99.7,
            }),
        )
        .await;
    ids.insert("level_results", id_of(&result));
    let activity = server
        .create(
            "activities",
            json!({"customer_id": customer, "title": "Annual service review"}),
        )
        .await;
    ids.insert("activities", id_of(&activity));
    let budget_line = server
        .create(
            "budget_lines",
            json!({"customer_id": customer, "year": 2026, "service_id": id_of(&service), "planned_cents": 500_000}),
        )
        .await;
    ids.insert("budget_lines", id_of(&budget_line));
    let priced = server
        .create(
            "services",
            json!({"name": "Storage", "unit_price_cents": 250}),
        )
        .await;
    let usage = server
        .create(
            "usage",
            json!({"customer_id": customer, "service_id": id_of(&priced), "month": "2026-11", "quantity": 4}),
        )
        .await;
    ids.insert("usage", id_of(&usage));
    let survey = server
        .create(
            "surveys",
            json!({
                "title": "Q4 2026", "status": "open", "customer_ids": [customer],
                "questions": [{"id": "q1", "text": "How satisfied are you?", "kind": "scale5"}],
            }),
        )
        .await;
    ids.insert("surveys", id_of(&survey));
    let notice = server
        .create(
            "notices",
            json!({"kind": "outage", "text": "Mail down", "starts_at": "2026-12-03T08:00:00Z",
                   "service_ids": [id_of(&service)]}),
        )
        .await;
    ids.insert("notices", id_of(&notice));
    let meeting = server
        .create(
            "meetings",
            json!({"kind": "follow_up", "customer_id": customer, "starts_at": "2026-12-10T09:00:00Z",
                   "attendee_contact_ids": [id_of(&contact)]}),
        )
        .await;
    ids.insert("meetings", id_of(&meeting));

    let routes = route_table(&server);
    let mut calls = 0;
    for (method, pattern, needed) in &routes {
        let collection = pattern
            .strip_prefix("/api/v1/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let path = match ids.get(collection) {
            Some(id) => pattern
                .replace("{id}", id)
                .replace("{response_id}", "no-such-response"),
            None => {
                assert!(!pattern.contains('{'), "no id for {pattern}");
                pattern.clone()
            }
        };
        let mut tokens: Vec<(Option<Permission>, Option<&str>)> = vec![(None, None)];
        tokens.extend(
            PERMISSIONS
                .iter()
                .map(|p| (Some(*p), Some(server.token_of(*p)))),
        );
        for (has, token) in tokens {
            // Writes carry an empty object and a version that is never
            // current, so an authorised call stops at 412 or 422 and the
            // records stay as they are for the next call.
            let mut request = server
                .request(method.clone(), &path, token)
                .header("if-match", "\"999\"");
            if method == Method::POST || method == Method::PATCH {
                request = request.json(&json!({}));
            }
            let response = request.send().await.expect("the server answers");
            let status = response.status().as_u16();
            // The change feed never ends: only the status matters here.
            drop(response);
            calls += 1;
            let context = format!("{method} {path} with {has:?} (needs {needed:?})");
            assert!(status < 500, "{context}: {status}");
            match (needed, has) {
                (None, _) => assert_eq!(status, 200, "{context}"),
                (Some(_), None) => assert_eq!(status, 401, "{context}"),
                (Some(needed), Some(has)) if !has.allows(*needed) => {
                    assert_eq!(status, 403, "{context}")
                }
                (Some(_), Some(_)) => {
                    assert!(status != 401 && status != 403, "{context}: {status}")
                }
            }
        }
    }
    assert_eq!(calls, routes.len() * 5);
    // Nothing was changed by the walk.
    let rfc_now = server
        .get(&format!("/api/v1/rfcs/{}", id_of(&rfc)), &server.viewer)
        .await;
    assert_eq!(rfc_now.version(), 1);
    server
        .get(&format!("/api/v1/staff/{brm}"), &server.viewer)
        .await
        .expect(200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_tokens_are_refused() {
    let server = TestServer::start(false).await;
    let secret = rapport_server::api::auth::new_secret();
    server
        .named_token("to revoke", &secret, Permission::Admin, None)
        .await;
    server.get("/api/v1/me", &secret).await.expect(200);
    server
        .store
        .revoke_token("to revoke".into())
        .await
        .expect("a token is revoked");
    // Revoked behind the server's back (as `rapportd token revoke` in
    // another process does): refused within the token recheck.
    let deadline = std::time::Instant::now() + 10 * rapport_server::api::auth::TOKEN_RECHECK;
    let reply = loop {
        let reply = server.get("/api/v1/me", &secret).await;
        if reply.status == 401 || std::time::Instant::now() > deadline {
            break reply;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    reply.problem(401);
    assert!(reply.header("www-authenticate").is_some());
    let write = server
        .post(
            "/api/v1/customers",
            &secret,
            &json!({"name": "X", "code": "XX"}),
        )
        .await;
    write.problem(401);
    // The others still work.
    server.get("/api/v1/me", &server.viewer).await.expect(200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_says_who_the_token_is() {
    let server = TestServer::start(false).await;
    let desk = server.staff("Sam Okafor", &["service_desk"]).await;
    let linked = server.token(Permission::Operator, Some(&desk)).await;
    let me = server.get("/api/v1/me", &linked).await;
    me.expect(200);
    assert_eq!(me.json["permission"], json!("operator"));
    assert_eq!(me.json["staff_id"], json!(desk));
    assert_eq!(me.json["staff_name"], json!("Sam Okafor"));
    let me = server.get("/api/v1/me", &server.viewer).await;
    assert_eq!(me.json["permission"], json!("viewer"));
    assert!(me.json["staff_id"].is_null());
    let health = server
        .send(server.request(Method::GET, "/healthz", None))
        .await;
    health.expect(200);
    assert_eq!(health.json, json!({"status": "ok"}));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_lists_exactly_the_routes_and_every_field() {
    let server = TestServer::start(false).await;
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    document.expect(200);
    assert!(
        document
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    );
    assert!(
        document.json["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    let routes: BTreeSet<(String, String)> = route_table(&server)
        .into_iter()
        .map(|(method, pattern, _)| (pattern, method.as_str().to_ascii_lowercase()))
        .collect();
    let paths = document.json["paths"]
        .as_object()
        .expect("the document has paths");
    let mut documented = BTreeSet::new();
    for (path, operations) in paths {
        for method in operations
            .as_object()
            .expect("a path item is an object")
            .keys()
        {
            documented.insert((path.clone(), method.clone()));
        }
    }
    let undocumented: Vec<_> = routes.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&routes).collect();
    assert!(
        undocumented.is_empty(),
        "routes not in the document: {undocumented:?}"
    );
    assert!(phantom.is_empty(), "documented but not routed: {phantom:?}");
    // Every `$ref` resolves.
    let schemas = document.json["components"]["schemas"]
        .as_object()
        .expect("the document has schemas");
    let mut refs = Vec::new();
    collect_refs(&document.json, &mut refs);
    for reference in refs {
        let name = reference.rsplit('/').next().unwrap_or_default();
        let resolves = if reference.starts_with("#/components/schemas/") {
            schemas.contains_key(name)
        } else {
            document.json["components"]["responses"].get(name).is_some()
        };
        assert!(resolves, "dangling $ref {reference}");
    }

    // Every field of a created record is in its collection's schema.
    let brm = server.staff("Bea Brm", &["brm", "service_owner"]).await;
    let dm = server.staff("Dan Delivery", &["delivery_manager"]).await;
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let contact = server
        .create(
            "contacts",
            json!({"customer_id": customer, "name": "Carl", "title": "CIO", "email": "carl@mof.example", "phone": "123", "role": "purchaser"}),
        )
        .await;
    let team = server
        .create(
            "teams",
            json!({"name": "North", "brm_id": brm, "delivery_manager_id": dm, "service_owner_ids": [brm]}),
        )
        .await;
    let service = server
        .create(
            "services",
            json!({"name": "Hosting", "description": "VMs", "owner_id": brm, "unit": "vm", "unit_price_cents": 100}),
        )
        .await;
    let full_customer = server
        .create(
            "customers",
            json!({"name": "Tax", "code": "TAX", "kind": "agency", "description": "d", "status": "prospect", "team_id": id_of(&team)}),
        )
        .await;
    let rfc = server
        .rfc(
            &customer,
            "More storage",
            json!({"description": "d", "service_id": id_of(&service), "requested_by_contact_id": id_of(&contact),
                   "priority": "high", "impact": "low", "category": "normal", "assignee_id": dm, "due_on": "2026-12-01"}),
        )
        .await;
    let staff = server
        .get(&format!("/api/v1/staff/{brm}"), &server.viewer)
        .await
        .json;
    let team = server
        .get(&format!("/api/v1/teams/{}", id_of(&team)), &server.viewer)
        .await
        .json;
    for (collection, record) in [
        (Collection::Staff, &staff),
        (Collection::Customers, &full_customer),
        (Collection::Contacts, &contact),
        (Collection::Teams, &team),
        (Collection::Services, &service),
        (Collection::Rfcs, &rfc),
    ] {
        let properties = record_properties(collection);
        let served: Vec<String> = schemas[collection.name()]["properties"]
            .as_object()
            .expect("a record schema has properties")
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            properties.iter().collect::<BTreeSet<_>>(),
            served.iter().collect::<BTreeSet<_>>(),
            "{collection:?}: the served schema is record_properties"
        );
        for field in record.as_object().expect("a record is an object").keys() {
            assert!(
                properties.contains(field),
                "{collection:?}.{field} is not in the schema {properties:?}"
            );
        }
    }
    server.stop().await;
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => refs.push(target.clone()),
                    _ => collect_refs(inner, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_as_strict_as_the_server() {
    let server = TestServer::start(false).await;
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    document.expect(200);
    let paths = &document.json["paths"];
    let patch = &paths["/api/v1/customers/{id}"]["patch"]["parameters"];
    let if_match = patch
        .as_array()
        .and_then(|params| params.iter().find(|p| p["name"] == "If-Match"))
        .expect("an If-Match parameter");
    let pattern = if_match["schema"]["pattern"].as_str().expect("a pattern");
    assert_eq!(pattern, IF_MATCH_PATTERN);
    let list = &paths["/api/v1/customers"]["get"]["parameters"];
    let q = list
        .as_array()
        .and_then(|params| params.iter().find(|p| p["name"] == "q"))
        .expect("a q parameter");
    // An empty `q` is no search (the server reads it so), so any text.
    assert_eq!(q["schema"], json!({"type": "string"}));
    let sort = list
        .as_array()
        .and_then(|params| params.iter().find(|p| p["name"] == "sort"))
        .expect("a sort parameter");
    assert!(sort["schema"]["enum"].is_array(), "{sort}");
    let customer = &document.json["components"]["schemas"]["customers"];
    assert_eq!(customer["properties"]["name"]["minLength"], 1, "{customer}");
    assert_eq!(customer["properties"]["code"]["minLength"], 1, "{customer}");
    server.stop().await;
}

/// The messages of a 422, field by field.
fn field_errors(reply: &Value) -> Vec<(String, String)> {
    reply["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let text = |key: &str| e[key].as_str().unwrap_or_default().to_string();
                    (text("field"), text("message"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Defect 7: a body schema declares exactly the fields the server reads
/// (and the meta fields it ignores), nothing else, so an unknown field is
/// refused by the document as by the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_bodies_declare_exactly_the_fields_the_server_accepts() {
    let server = TestServer::start(false).await;
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    document.expect(200);
    let schemas = &document.json["components"]["schemas"];
    let paths = &document.json["paths"];
    for collection in Collection::ALL {
        let name = collection.name();
        let Some(post) = paths
            .get(format!("/api/v1/{name}"))
            .and_then(|p| p.get("post"))
        else {
            continue;
        };
        let body_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].clone();
        assert_eq!(
            body_ref,
            json!(format!("#/components/schemas/{}", input_schema(name)))
        );
        let patch = &paths[format!("/api/v1/{name}/{{id}}")]["patch"];
        let patch_ref =
            patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].clone();
        assert_eq!(
            patch_ref,
            json!(format!("#/components/schemas/{}", patch_schema(name)))
        );
        let input = &schemas[input_schema(name)];
        assert_eq!(
            input["additionalProperties"],
            json!(false),
            "{name}: {input}"
        );
        assert_eq!(
            schemas[patch_schema(name)]["additionalProperties"],
            json!(false)
        );
        assert!(
            schemas[patch_schema(name)]
                .get("required")
                .is_none_or(|r| r == &json!([]))
        );
        let declared: Vec<String> = input["properties"]
            .as_object()
            .expect("an input schema has properties")
            .keys()
            .cloned()
            .collect();
        for meta in ["id", "version", "created_at", "updated_at"] {
            assert!(
                declared.iter().any(|d| d == meta),
                "{name} does not declare {meta}"
            );
        }
        // Every declared field is known to the server (null is absent)...
        let every: serde_json::Map<String, Value> = declared
            .iter()
            .map(|field| (field.clone(), Value::Null))
            .collect();
        let reply = server
            .post(
                &format!("/api/v1/{name}"),
                &server.admin,
                &Value::Object(every),
            )
            .await;
        let unknown: Vec<_> = field_errors(&reply.json)
            .into_iter()
            .filter(|(_, message)| message == "is not a known field")
            .collect();
        assert!(
            unknown.is_empty(),
            "{name}: declared but refused: {unknown:?}"
        );
        // ...and a field it does not declare is refused.
        let reply = server
            .post(
                &format!("/api/v1/{name}"),
                &server.admin,
                &json!({"not_a_field": 1}),
            )
            .await;
        reply.expect(422);
        assert!(
            field_errors(&reply.json)
                .contains(&("not_a_field".into(), "is not a known field".into())),
            "{name}: {}",
            reply.text
        );
        // A stored field the input does not read (derived, read-only) is
        // not in the create schema, and the server refuses it there.
        for field in record_properties(*collection) {
            if declared.contains(&field) {
                continue;
            }
            let reply = server
                .post(
                    &format!("/api/v1/{name}"),
                    &server.admin,
                    &json!({field.clone(): 1}),
                )
                .await;
            reply.expect(422);
            assert!(
                field_errors(&reply.json).contains(&(field.clone(), "is not a known field".into())),
                "{name}.{field} is left out of {} but accepted: {}",
                input_schema(name),
                reply.text
            );
        }
    }
    // A read-only field is in the patch, accepted with the value it has.
    let owner = server.staff("Sam Owner", &["service_owner"]).await;
    let service = server
        .create(
            "services",
            json!({"name": "Hosting", "owner_id": owner, "unit": "vm", "unit_price_cents": 100}),
        )
        .await;
    let services_patch = &schemas[patch_schema("services")]["properties"]["price_history"];
    assert_eq!(services_patch["readOnly"], json!(true), "{services_patch}");
    let reply = server
        .patch(
            &format!("/api/v1/services/{}", id_of(&service)),
            &server.admin,
            1,
            &json!({"price_history": service["price_history"], "name": "Hosting 2"}),
        )
        .await;
    reply.expect(200);
    server.stop().await;
}

/// What schemathesis found where the document and the server disagreed
/// (tests/schemathesis.sh), each now said alike by both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_says_what_schemathesis_found() {
    let server = TestServer::start(false).await;
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    document.expect(200);
    let paths = &document.json["paths"];
    let param = |path: &str, method: &str, name: &str| -> Value {
        paths[path][method]["parameters"]
            .as_array()
            .and_then(|params| params.iter().find(|p| p["name"] == name).cloned())
            .unwrap_or(Value::Null)
    };
    // `limit` is a whole number from 1 to 500, not any text.
    let limit = param("/api/v1/customers", "get", "limit");
    assert_eq!(
        limit["schema"],
        json!({"type": "integer", "minimum": 1, "maximum": 500})
    );
    server
        .get("/api/v1/customers?limit=501", &server.viewer)
        .await
        .expect(422);
    server
        .get("/api/v1/customers?limit=500", &server.viewer)
        .await
        .expect(200);
    // A count takes the filters, not a list view's own `include`.
    assert_eq!(
        param("/api/v1/customers/count", "get", "include"),
        Value::Null
    );
    assert_ne!(param("/api/v1/customers", "get", "include"), Value::Null);
    server
        .get("/api/v1/customers/count?include=health", &server.viewer)
        .await
        .expect(422);
    // An empty `q` is no search, on a count as on a list.
    assert!(
        param("/api/v1/customers/count", "get", "q")["schema"]
            .get("minLength")
            .is_none()
    );
    server
        .get("/api/v1/customers/count?q=", &server.viewer)
        .await
        .expect(200);
    // A list filter takes at least one value.
    assert_eq!(
        param("/api/v1/rfcs", "get", "status")["schema"]["minItems"],
        json!(1)
    );
    server
        .get("/api/v1/rfcs?status=", &server.viewer)
        .await
        .expect(422);
    // Dates, months, years and booleans are typed.
    assert_eq!(
        param("/api/v1/actions", "get", "done")["schema"]["enum"],
        json!(["true", "false"])
    );
    assert_eq!(
        param("/api/v1/customers/{id}/agenda-proposal", "get", "kind")["required"],
        json!(true)
    );
    assert_eq!(
        param("/api/v1/customers/{id}/budget", "get", "year")["schema"]["maximum"],
        json!(2100)
    );
    // If-Match names a version from 1: `0` is refused, as the pattern says.
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let reply = server
        .send(
            server
                .request(
                    Method::PATCH,
                    &format!("/api/v1/customers/{customer}"),
                    Some(&server.admin),
                )
                .header("if-match", "0")
                .json(&json!({"name": "Finance"})),
        )
        .await;
    reply.expect(400);
    // Idempotency-Key: 1 to 255 visible characters.
    let key = param("/api/v1/customers", "post", "Idempotency-Key");
    assert_eq!(key["schema"]["maxLength"], json!(255));
    // A blank optional date is absent, as the patch schema allows.
    let activity = &document.json["components"]["schemas"][patch_schema("activities")];
    assert!(
        activity["properties"]["starts_on"]
            .to_string()
            .contains("^\\\\s*$"),
        "{activity}"
    );
    // The audit's `cursor` is checked even when `after` is given.
    server
        .get("/api/v1/audit?after=1&cursor=null", &server.viewer)
        .await
        .expect(422);
    server
        .get("/api/v1/audit?after=1&cursor=2", &server.viewer)
        .await
        .expect(200);
    // The change feed's events are objects with id, event and data.
    let events = &document.json["components"]["schemas"]["event_stream"];
    assert_eq!(events["type"], json!("object"));
    // An id filter takes record ids (and `me` where it says so), a month
    // filter months: `customer_id=false` is refused, not searched for.
    assert_eq!(
        param("/api/v1/agreements", "get", "customer_id")["schema"]["items"]["format"],
        json!("uuid")
    );
    server
        .get("/api/v1/agreements?customer_id=false", &server.viewer)
        .await
        .expect(422);
    server
        .get(
            &format!("/api/v1/agreements?customer_id={customer}"),
            &server.viewer,
        )
        .await
        .expect(200);
    server
        .get("/api/v1/usage?month=2026-13", &server.viewer)
        .await
        .expect(422);
    server
        .get("/api/v1/usage?month=2026-12", &server.viewer)
        .await
        .expect(200);
    // A merge patch removing a name no record has is refused as unknown,
    // as the patch schema (closed) says; removing a known field is not.
    let reply = server
        .send(
            server
                .request(
                    Method::PATCH,
                    &format!("/api/v1/customers/{customer}"),
                    Some(&server.admin),
                )
                .header("if-match", "*")
                .json(&json!({"": null})),
        )
        .await;
    reply.expect(422);
    assert!(
        field_errors(&reply.json).contains(&("".into(), "is not a known field".into())),
        "{}",
        reply.text
    );
    server.stop().await;
}

/// Every object schema `schema` holds, following references, each once.
fn objects_within<'a>(
    schema: &'a Value,
    schemas: &'a Value,
    seen: &mut Vec<String>,
    found: &mut Vec<&'a Value>,
) {
    match schema {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                let name = reference.trim_start_matches("#/components/schemas/");
                if !seen.iter().any(|s| s == name) {
                    seen.push(name.to_string());
                    objects_within(&schemas[name], schemas, seen, found);
                }
            }
            if object.contains_key("properties") {
                found.push(schema);
            }
            for value in object.values() {
                objects_within(value, schemas, seen, found);
            }
        }
        Value::Array(items) => {
            for item in items {
                objects_within(item, schemas, seen, found);
            }
        }
        _ => {}
    }
}

/// The readers refuse an unknown field at every depth (a comment, a
/// survey response, a workflow step, an agreement's level), so every
/// object a request body holds is closed in the document, while the
/// records read back keep their open definitions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_object_in_a_request_body_is_closed() {
    let server = TestServer::start(false).await;
    let document = server.get("/api/v1/openapi.json", &server.viewer).await;
    document.expect(200);
    let schemas = &document.json["components"]["schemas"];
    let mut bodies = Vec::new();
    for methods in document.json["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in methods.as_object().into_iter().flat_map(|m| m.values()) {
            let body = &operation["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                bodies.push(body.clone());
            }
        }
    }
    assert!(bodies.len() > 30, "{} bodies", bodies.len());
    let mut found = Vec::new();
    let mut seen = Vec::new();
    for body in &bodies {
        objects_within(body, schemas, &mut seen, &mut found);
    }
    for object in &found {
        assert_eq!(
            object["additionalProperties"],
            json!(false),
            "open: {object}"
        );
    }
    assert!(seen.iter().any(|name| name == "Level_input"), "{seen:?}");
    assert!(schemas["Level"].get("additionalProperties").is_none());
    assert_eq!(
        schemas["agreements"]["properties"]["levels"]["items"]["$ref"],
        json!("#/components/schemas/Level")
    );

    // The server refuses what the closed schemas refuse.
    let customer = server.customer("MOF", "Ministry of Finance").await;
    let level = json!({"metric": "availability", "target": 99.5, "unit": "%", "colour": "red"});
    let reply = server
        .post(
            "/api/v1/agreements",
            &server.admin,
            &json!({"customer_id": customer, "title": "Hosting SLA", "levels": [level]}),
        )
        .await;
    reply.expect(422);
    assert!(
        reply.text.contains("colour: is not a known field"),
        "{}",
        reply.text
    );
    let rfc = server
        .create(
            "rfcs",
            json!({"customer_id": customer, "title": "More storage", "description": "For the archive"}),
        )
        .await;
    let rfc = id_of(&rfc);
    let reply = server
        .post(
            &format!("/api/v1/rfcs/{rfc}/comments"),
            &server.admin,
            &json!({"text": "Seen", "mood": "fine"}),
        )
        .await;
    reply.expect(422);
    assert!(
        field_errors(&reply.json).contains(&("mood".into(), "is not a known field".into())),
        "{}",
        reply.text
    );
    // The meta fields every reader ignores are declared as such.
    let reply = server
        .post(
            &format!("/api/v1/rfcs/{rfc}/comments"),
            &server.admin,
            &json!({"text": "Seen", "version": 3}),
        )
        .await;
    reply.expect(201);
    assert!(
        schemas["comment_input"]["properties"]
            .get("version")
            .is_some()
    );
    server.stop().await;
}
