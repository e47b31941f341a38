//! The RFC workflow: `POST /rfcs/{id}/transitions` (the only way `status`
//! and `route` change), `GET /rfcs/{id}/history` and the comments. The state
//! machine itself is [`rapport_shared::rfc`].

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::enums::{Permission, RfcRoute, RfcStatus};
use rapport_shared::fields::FieldReader;
use rapport_shared::records::{
    RecordInput, RfcCommentFields, RfcInput, RfcTransitionFields, to_object,
};
use rapport_shared::rfc::{TransitionError, check_transition, history_changes, is_finished};
use serde_json::{Map, Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::{Actor, Link, StoredRecord, WriteBatch, WriteOp};

use super::error::{ApiError, ApiResult};
use super::lists::every_record;
use super::records::{try_again, write_one};
use super::request::{if_match, json_object};
use super::respond;
use super::route::{Call, Route, RouteDoc};

/// Adds the workflow, history and comment routes.
pub fn routes(routes: &mut Vec<Route>) {
    let doc =
        |summary: &str, request: Option<&str>, response: &str, status: u16, if_match: bool| {
            RouteDoc {
                summary: summary.to_string(),
                request: request.map(str::to_string),
                response: Some(response.to_string()),
                status,
                query: Vec::new(),
                if_match,
            }
        };
    routes.push(Route::new(
        Method::POST,
        "/api/v1/rfcs/{id}/transitions",
        Some(Permission::Operator),
        doc(
            "Move an RFC to its next status",
            Some("transition"),
            "rfcs",
            200,
            true,
        ),
        transition,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/rfcs/{id}/history",
        Some(Permission::Viewer),
        doc(
            "Every workflow step of an RFC, and its priority and assignee changes",
            None,
            "history",
            200,
            false,
        ),
        history,
    ));
    routes.push(Route::new(
        Method::POST,
        "/api/v1/rfcs/{id}/comments",
        Some(Permission::Operator),
        doc(
            "Comment on an RFC",
            Some("comment_input"),
            "comment",
            201,
            false,
        ),
        add_comment,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/rfcs/{id}/comments",
        Some(Permission::Viewer),
        doc(
            "The comments on an RFC, oldest first",
            None,
            "comments",
            200,
            false,
        ),
        comments,
    ));
}

/// The body of a transition, read with every field error named.
struct TransitionBody {
    to: RfcStatus,
    route: Option<RfcRoute>,
    note: Option<String>,
}

fn read_transition(object: &Map<String, Value>) -> ApiResult<TransitionBody> {
    let mut reader = FieldReader::new(object);
    let to = reader.optional_enum("to", RfcStatus::parse, &RfcStatus::names());
    if object.get("to").is_none_or(Value::is_null) {
        reader.error("to", "is required");
    }
    let route = reader.optional_enum("route", RfcRoute::parse, &RfcRoute::names());
    let note = reader.optional_text("note");
    reader.finish()?;
    let to = to.ok_or_else(|| ApiError::invalid("to", "is required"))?;
    Ok(TransitionBody { to, route, note })
}

fn status_of(fields: &Map<String, Value>, field: &str) -> Option<String> {
    fields
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `POST /api/v1/rfcs/{id}/transitions`.
async fn transition(call: Call) -> ApiResult<Response> {
    let expected = if_match(&call.request.head.headers)?;
    let body = read_transition(&json_object(&call.request)?)?;
    let id = call.param(0)?.to_string();
    let actor = call.actor()?.clone();
    let mut attempts = 0;
    let record = loop {
        attempts += 1;
        let current = call.state.store.get(Collection::Rfcs, id.clone()).await?;
        if expected.is_some_and(|version| version != current.version) {
            return Err(ApiError::Stale {
                current_version: current.version,
            });
        }
        let ops = transition_ops(
            &current,
            body.to,
            body.route,
            body.note.clone(),
            &actor,
            Timestamp::now(),
        )?;
        let batch = WriteBatch {
            actor: actor.clone(),
            ops,
            idempotency: None,
            at: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        };
        match write_one(&call, batch).await {
            Err(ApiError::Stale { .. }) if try_again(expected, attempts) => continue,
            other => break other?,
        }
    };
    let mut response = respond::json(StatusCode::OK, &record.to_json());
    respond::set_etag(&mut response, record.version);
    Ok(response)
}

/// The writes of one workflow step: the RFC's new status and route, and
/// the history entry, which records the step as taken at `when` (now for
/// an API call; seeding passes the past time its batch is written at).
/// Refused (409 or 422) when the machine forbids it.
pub fn transition_ops(
    current: &StoredRecord,
    to: RfcStatus,
    route: Option<RfcRoute>,
    note: Option<String>,
    actor: &Actor,
    when: Timestamp,
) -> ApiResult<Vec<WriteOp>> {
    let id = current.id.clone();
    let from = status_of(&current.fields, "status")
        .and_then(|s| RfcStatus::parse(&s))
        .ok_or_else(|| ApiError::Internal(format!("RFC {id} has no readable status")))?;
    let current_route = status_of(&current.fields, "route").and_then(|s| RfcRoute::parse(&s));
    let route = check_transition(from, current_route, to, route).map_err(|error| match error {
        TransitionError::Illegal { .. } => ApiError::Conflict(error.to_string()),
        TransitionError::RouteRequired | TransitionError::RouteNotExpected => {
            ApiError::invalid("route", error.to_string())
        }
    })?;
    let mut fields = current.fields.clone();
    fields.insert("status".into(), Value::String(to.as_str().into()));
    fields.insert("open".into(), Value::Bool(!is_finished(to)));
    fields.insert(
        "route".into(),
        route.map_or(Value::Null, |r| Value::String(r.as_str().into())),
    );
    let links = links_of(&fields)?;
    let step = RfcTransitionFields {
        rfc_id: id.clone(),
        from,
        to,
        route,
        note,
        who: actor.name.clone(),
        who_staff_id: actor.staff_id.clone(),
        when,
    };
    Ok(vec![
        WriteOp::Update {
            collection: Collection::Rfcs,
            id: id.clone(),
            expected_version: current.version,
            fields,
            links,
            unique: Vec::new(),
        },
        WriteOp::Create {
            collection: Collection::RfcTransitions,
            fields: to_object(&step),
            links: vec![Link {
                field: "rfc_id".into(),
                collection: Collection::Rfcs,
                id,
            }],
            unique: Vec::new(),
        },
    ])
}

/// The links an RFC's stored fields make, re-derived so an update keeps them.
fn links_of(fields: &Map<String, Value>) -> ApiResult<Vec<Link>> {
    let input = RfcInput::from_json(fields).map_err(|errors| {
        ApiError::Internal(format!("a stored RFC does not validate: {errors}"))
    })?;
    Ok(input.references().into_iter().map(Link::from).collect())
}

/// Every record of `collection` about one RFC, oldest first.
async fn about_rfc(call: &Call, collection: Collection) -> ApiResult<Vec<Value>> {
    let rfc_id = call.param(0)?.to_string();
    // 404 for an unknown RFC rather than an empty list.
    call.state
        .store
        .get(Collection::Rfcs, rfc_id.clone())
        .await?;
    let records = every_record(call.state.store.as_ref(), collection, "rfc_id", &rfc_id).await?;
    Ok(records.iter().map(StoredRecord::to_json).collect())
}

/// Audit entries read per call while gathering an RFC's changes.
const TRAIL_PAGE: u32 = 500;

/// `GET /api/v1/rfcs/{id}/history`: the workflow steps (`items`) and the
/// priority and assignee changes (`changes`, read from the audit trail),
/// each oldest first.
async fn history(call: Call) -> ApiResult<Response> {
    let items = about_rfc(&call, Collection::RfcTransitions).await?;
    let rfc_id = call.param(0)?.to_string();
    let mut trail = Vec::new();
    let mut after = 0;
    loop {
        let page = call
            .state
            .store
            .audit(
                Some(Collection::Rfcs),
                Some(rfc_id.clone()),
                after,
                TRAIL_PAGE,
            )
            .await?;
        let full = page.len() as u32 == TRAIL_PAGE;
        after = page.last().map_or(after, |entry| entry.seq);
        trail.extend(page);
        if !full {
            break;
        }
    }
    let changes = history_changes(&trail);
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "items": items, "changes": changes }),
    ))
}

/// `GET /api/v1/rfcs/{id}/comments`.
async fn comments(call: Call) -> ApiResult<Response> {
    let items = about_rfc(&call, Collection::RfcComments).await?;
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}

/// `POST /api/v1/rfcs/{id}/comments`.
async fn add_comment(call: Call) -> ApiResult<Response> {
    let object = json_object(&call.request)?;
    let mut reader = FieldReader::new(&object);
    let text = reader.required_text("text");
    reader.finish()?;
    let rfc_id = call.param(0)?.to_string();
    let actor = call.actor()?.clone();
    let op = comment_op(&rfc_id, &text, &actor, Timestamp::now());
    let record = match write_one(
        &call,
        WriteBatch {
            actor,
            ops: vec![op],
            idempotency: None,
            at: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        },
    )
    .await
    {
        Err(ApiError::Invalid(_)) => {
            return Err(ApiError::NotFound(format!("no RFC with id {rfc_id}")));
        }
        other => other?,
    };
    let mut response = respond::json(StatusCode::CREATED, &record.to_json());
    respond::set_location(&mut response, &format!("/api/v1/rfcs/{rfc_id}/comments"));
    Ok(response)
}

/// The write that adds a comment to an RFC, written at `when` (as for
/// [`transition_ops`]).
pub fn comment_op(rfc_id: &str, text: &str, actor: &Actor, when: Timestamp) -> WriteOp {
    let comment = RfcCommentFields {
        rfc_id: rfc_id.to_string(),
        text: text.to_string(),
        who: actor.name.clone(),
        who_staff_id: actor.staff_id.clone(),
        when,
    };
    WriteOp::Create {
        collection: Collection::RfcComments,
        fields: to_object(&comment),
        links: vec![Link {
            field: "rfc_id".into(),
            collection: Collection::Rfcs,
            id: rfc_id.to_string(),
        }],
        unique: Vec::new(),
    }
}
