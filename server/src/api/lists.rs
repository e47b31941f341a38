//! The read side of every collection: `GET /api/v1/C` (one page) and
//! `GET /api/v1/C/count`, and reading their query parameters.

use rapport_shared::Collection;
use rapport_shared::enums::{ContactRole, CustomerStatus, JobRole, Priority, RfcRoute, RfcStatus};
use rapport_shared::wire::{DEFAULT_PAGE_LIMIT, Sort};
use serde_json::json;

use crate::http::{Response, StatusCode};
use crate::store::{Actor, Filter, ListQuery};

use super::error::{ApiError, ApiResult};
use super::request::Query;
use super::respond;
use super::router::Call;
use super::rules::Resource;

/// `GET /api/v1/C`.
pub async fn list<R: Resource>(call: Call) -> ApiResult<Response> {
    let collection = R::COLLECTION;
    let actor = call.actor()?;
    let query = list_query(collection, &call.query, actor)?;
    let store = call.state.store.as_ref();
    let page = store.list(query).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for mut record in page.items {
        R::derive(&mut record, store).await?;
        items.push(record.to_json());
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({"items": items, "next_cursor": page.next_cursor}),
    ))
}

/// `GET /api/v1/C/count`: how many records the filters and `q` match (the
/// live counts of the client's saved views).
pub async fn count<R: Resource>(call: Call) -> ApiResult<Response> {
    let query = list_query(R::COLLECTION, &call.query, call.actor()?)?;
    let count = call.state.store.count(query).await?;
    Ok(respond::json(StatusCode::OK, &json!({ "count": count })))
}

/// Reads `limit`, `cursor`, `q`, `sort` and the collection's filters.
pub fn list_query(collection: Collection, query: &Query, actor: &Actor) -> ApiResult<ListQuery> {
    let mut known = vec!["limit", "cursor", "q", "sort"];
    known.extend(collection.filters().iter().map(|f| f.param));
    query.reject_unknown(&known)?;
    let limit = query.limit(DEFAULT_PAGE_LIMIT)?;
    let sort = match query.get("sort") {
        None => Sort::Created,
        Some(text) => match Sort::parse(text) {
            Some(Sort::Priority) if collection != Collection::Rfcs => {
                return Err(ApiError::invalid(
                    "sort",
                    "priority sorting is only for RFCs",
                ));
            }
            Some(sort) => sort,
            None => {
                return Err(ApiError::invalid(
                    "sort",
                    "must be one of created, priority, age, updated",
                ));
            }
        },
    };
    let mut filters = Vec::new();
    for spec in collection.filters() {
        let Some(value) = query.get(spec.param) else {
            continue;
        };
        let value = filter_value(collection, spec.param, value, actor)?;
        filters.push(Filter {
            param: spec.param.to_string(),
            value,
        });
    }
    Ok(ListQuery {
        collection,
        filters,
        q: query
            .get("q")
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_string),
        sort,
        limit,
        cursor: query
            .get("cursor")
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    })
}

/// Checks one filter value against its vocabulary; resolves `assignee_id=me`.
fn filter_value(
    collection: Collection,
    param: &str,
    value: &str,
    actor: &Actor,
) -> ApiResult<String> {
    let vocabulary: Option<Vec<&str>> = match (collection, param) {
        (Collection::Staff, "job_role") => Some(JobRole::names()),
        (_, "active" | "open") => Some(vec!["true", "false"]),
        (Collection::Customers, "status") => Some(CustomerStatus::names()),
        (Collection::Contacts, "role") => Some(ContactRole::names()),
        (Collection::Rfcs, "status") => Some(RfcStatus::names()),
        (Collection::Rfcs, "route") => Some(RfcRoute::names()),
        (Collection::Rfcs, "priority") => Some(Priority::names()),
        _ => None,
    };
    if let Some(words) = vocabulary.filter(|words| !words.contains(&value)) {
        return Err(ApiError::invalid(
            param,
            format!("must be one of {}", words.join(", ")),
        ));
    }
    if collection == Collection::Rfcs && param == "assignee_id" && value == "me" {
        return actor.staff_id.clone().ok_or_else(|| {
            ApiError::invalid("assignee_id", "me needs a token linked to a staff member")
        });
    }
    Ok(value.to_string())
}
