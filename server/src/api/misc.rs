//! Small routes: health, who am I, the audit trail.

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Me;
use serde_json::json;

use crate::http::{Method, Response, StatusCode};

use super::error::{ApiError, ApiResult};
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};
use rapport_shared::wire::MAX_PAGE_LIMIT;

/// Audit entries per page when the caller names no `limit`: an entity's
/// whole history usually fits.
const AUDIT_PAGE_LIMIT: u32 = 100;

/// Adds `/healthz`, `/api/v1/me` and `/api/v1/audit`.
pub fn routes(routes: &mut Vec<Route>) {
    let doc = |summary: &str, response: &str, query: &[&str]| RouteDoc {
        summary: summary.to_string(),
        request: None,
        response: Some(response.to_string()),
        status: 200,
        query: query.iter().map(|q| (*q).into()).collect(),
        if_match: false,
    };
    routes.push(Route::new(
        Method::GET,
        "/healthz",
        None,
        doc("Liveness", "health", &[]),
        health,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/me",
        Some(Permission::Viewer),
        doc("Who the token acts as and what it may do", "me", &[]),
        me,
    ));
    let entities: Vec<&'static str> = Collection::ALL.iter().map(|c| c.name()).collect();
    let sequence = || value::whole(0, i64::MAX);
    routes.push(Route::new(
        Method::GET,
        "/api/v1/audit",
        Some(Permission::Viewer),
        RouteDoc {
            query: vec![
                QueryParam::one_of("entity", &entities),
                "id".into(),
                QueryParam::typed("after", sequence()),
                QueryParam::typed("cursor", sequence()),
                QueryParam::typed("limit", value::whole(1, i64::from(MAX_PAGE_LIMIT))),
            ],
            ..doc("The audit trail, oldest first", "audit_page", &[])
        },
        audit,
    ));
}

/// `GET /healthz`: no token; answers as long as the process serves.
async fn health(_call: Call) -> ApiResult<Response> {
    Ok(respond::json(StatusCode::OK, &json!({"status": "ok"})))
}

/// `GET /api/v1/me`.
async fn me(call: Call) -> ApiResult<Response> {
    let actor = call.actor()?;
    let me = Me {
        token_name: actor.name.clone(),
        permission: actor.permission,
        staff_id: actor.staff_id.clone(),
        staff_name: actor.staff_id.as_ref().map(|_| actor.name.clone()),
    };
    Ok(respond::json(StatusCode::OK, &me))
}

/// `GET /api/v1/audit?entity=C&id=ID&after=SEQ&limit=N`. `cursor` is the
/// same as `after`, so a client pages it with `next_cursor` like any list.
async fn audit(call: Call) -> ApiResult<Response> {
    call.query
        .reject_unknown(&["entity", "id", "after", "cursor", "limit"])?;
    let entity = match call.query.get("entity") {
        None => None,
        Some(name) => Some(Collection::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Collection::ALL.iter().map(|c| c.name()).collect();
            ApiError::invalid("entity", format!("must be one of {}", names.join(", ")))
        })?),
    };
    // `after` and `cursor` are the same; each given is checked, `after` wins.
    let sequence = |param: &str| -> ApiResult<Option<i64>> {
        call.query
            .get(param)
            .map(|text| {
                text.parse::<i64>()
                    .ok()
                    .filter(|seq| *seq >= 0)
                    .ok_or_else(|| ApiError::invalid(param, "must be a change sequence number"))
            })
            .transpose()
    };
    let cursor = sequence("cursor")?;
    let after = sequence("after")?.or(cursor).unwrap_or(0);
    let limit = call.query.limit(AUDIT_PAGE_LIMIT)?;
    let id = call.query.get("id").map(str::to_string);
    let items = call.state.store.audit(entity, id, after, limit).await?;
    let next_cursor = if items.len() as u32 == limit {
        items.last().map(|entry| entry.seq.to_string())
    } else {
        None
    };
    Ok(respond::json(
        StatusCode::OK,
        &json!({"items": items, "next_cursor": next_cursor}),
    ))
}
