//! A customer's health: `GET /api/v1/customers/{id}/health?as_of=`, and
//! on the customers list `sort=health` (worst first) and `include=health`
//! (each record's `health` state). The signals and their thresholds are
//! [`rapport_shared::health`]'s; this module reads the query and has the
//! customer's facts gathered ([`super::facts`]).
//!
//! `sort=health` reads every customer the filters match and judges each,
//! so it costs a few reads per customer: fine for the hundreds of customers
//! of an IT organisation, not for a million records.

use jiff::Zoned;
use jiff::civil::Date;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::fields::parse_date;
use rapport_shared::health::{Health, Thresholds, health, level_months};
use rapport_shared::wire::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT};
use serde_json::{Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::Store;

use super::error::{ApiError, ApiResult};
use super::facts::{Wanted, gather};
use super::lists::list_query;
use super::request::Query;
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};

/// Adds the health route.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/customers/{id}/health",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "A customer's health: each signal with its value, threshold, state and reason"
                .into(),
            request: None,
            response: Some("customer_health".into()),
            status: 200,
            query: vec![QueryParam::typed("as_of", value::date())],
            if_match: false,
        },
        health_route,
    ));
}

/// `GET /api/v1/customers/{id}/health?as_of=YYYY-MM-DD` (default today).
async fn health_route(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["as_of"])?;
    let as_of = as_of(&call.query)?;
    let store = call.state.store.as_ref();
    let customer_id = call.param(0)?.to_string();
    store
        .get(Collection::Customers, customer_id.clone())
        .await?;
    let body = health_of(store, &call.state.health, &customer_id, as_of).await?;
    Ok(respond::json(StatusCode::OK, &body))
}

/// Reads `as_of`: a date, today when absent.
fn as_of(query: &Query) -> ApiResult<Date> {
    match query.get("as_of") {
        None => Ok(Zoned::now().date()),
        Some(text) => {
            parse_date(text).ok_or_else(|| ApiError::invalid("as_of", "must be a date YYYY-MM-DD"))
        }
    }
}

/// Customer `customer_id`'s health on `as_of`.
pub async fn health_of(
    store: &dyn Store,
    thresholds: &Thresholds,
    customer_id: &str,
    as_of: Date,
) -> ApiResult<Health> {
    let wanted = Wanted {
        closings: false,
        attainment: Some(level_months(as_of)),
        money_and_scores: Some(i32::from(as_of.year())),
        plan: false,
    };
    let facts = gather(store, customer_id, &wanted, as_of).await?;
    Ok(health(&facts, as_of, thresholds))
}

/// The customers list when it asks for health (`sort=health` or
/// `include=health`); `None` leaves the list to the generic call.
pub async fn customers_list(call: &Call) -> ApiResult<Option<Response>> {
    let sorted = call.query.get("sort") == Some("health");
    let include = match call.query.get("include") {
        None => false,
        Some("health") => true,
        Some(_) => return Err(ApiError::invalid("include", "must be health")),
    };
    if !sorted && !include {
        return Ok(None);
    }
    let store = call.state.store.as_ref();
    let thresholds = &call.state.health;
    let today = Zoned::now().date();
    // Any other `sort` (an empty one too) is the generic list's to judge.
    let rest = if sorted {
        call.query.without(&["sort", "include"])
    } else {
        call.query.without(&["include"])
    };
    let mut query = list_query(Collection::Customers, &rest, call.actor()?)?;
    if !sorted {
        let page = store.list(query).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for record in page.items {
            let judged = health_of(store, thresholds, &record.id, today).await?;
            let mut item = record.to_json();
            item["health"] = json!(judged.state);
            items.push(item);
        }
        return Ok(Some(respond::json(
            StatusCode::OK,
            &json!({"items": items, "next_cursor": page.next_cursor}),
        )));
    }
    // Worst first: every customer matching, judged, then one page of them.
    let offset = match rest.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => cursor
            .strip_prefix("health:")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this list gave"))?,
    };
    let limit = rest.limit(DEFAULT_PAGE_LIMIT)? as usize;
    query.cursor = None;
    query.limit = MAX_PAGE_LIMIT;
    let mut judged = Vec::new();
    loop {
        let page = store.list(query.clone()).await?;
        for record in page.items {
            let state = health_of(store, thresholds, &record.id, today).await?.state;
            let code = record
                .fields
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            judged.push((state, code, record));
        }
        match page.next_cursor {
            Some(next) => query.cursor = Some(next),
            None => break,
        }
    }
    judged
        .sort_by(|(a, code_a, _), (b, code_b, _)| b.rank().cmp(&a.rank()).then(code_a.cmp(code_b)));
    let total = judged.len();
    let items: Vec<Value> = judged
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(state, _, record)| {
            let mut item = record.to_json();
            if include {
                item["health"] = json!(state);
            }
            item
        })
        .collect();
    let next = (offset + limit < total).then(|| format!("health:{}", offset + limit));
    Ok(Some(respond::json(
        StatusCode::OK,
        &json!({"items": items, "next_cursor": next}),
    )))
}
