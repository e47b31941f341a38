//! The read side of every collection: `GET /api/v1/C` (one page) and
//! `GET /api/v1/C/count`, and reading their query parameters against the
//! collection's declaration (its filters, their values, its sort orders);
//! and [`every_record`], all pages of one filter for the views built on a
//! list, and [`count_where`], how many records match.

use rapport_shared::Collection;
use rapport_shared::collection::{FilterFormat, FilterKind, FilterSpec};
use rapport_shared::wire::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, Sort};
use serde_json::json;

use crate::http::{Response, StatusCode};
use crate::store::{Actor, Filter, ListQuery, Store, StoredRecord};

use super::error::{ApiError, ApiResult};
use super::request::Query;
use super::resources::Resource;
use super::respond;
use super::route::Call;

/// Every record of `collection` whose filter `param` is `value`, oldest
/// first, reading every page.
pub async fn every_record(
    store: &dyn Store,
    collection: Collection,
    param: &str,
    value: &str,
) -> ApiResult<Vec<StoredRecord>> {
    every_record_where(store, collection, vec![Filter::is(param, value)]).await
}

/// Every record of `collection` matching all of `filters` (none: every
/// record), oldest first, reading every page.
pub async fn every_record_where(
    store: &dyn Store,
    collection: Collection,
    filters: Vec<Filter>,
) -> ApiResult<Vec<StoredRecord>> {
    let mut records = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list(ListQuery {
                collection,
                filters: filters.clone(),
                q: None,
                sort: Sort::Created,
                limit: MAX_PAGE_LIMIT,
                cursor,
            })
            .await?;
        records.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(records),
        }
    }
}

/// How many records of `collection` match every one of `filters`.
pub async fn count_where(
    store: &dyn Store,
    collection: Collection,
    filters: Vec<Filter>,
) -> ApiResult<u64> {
    let count = store
        .count(ListQuery {
            collection,
            filters,
            q: None,
            sort: Sort::Created,
            limit: 1,
            cursor: None,
        })
        .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// `GET /api/v1/C`.
pub async fn list<R: Resource>(call: Call) -> ApiResult<Response> {
    if let Some(response) = R::list_view(&call).await? {
        return Ok(response);
    }
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
        Some(text) => sort_of(collection, text)?,
    };
    let mut filters = Vec::new();
    for spec in collection.filters() {
        let Some(value) = query.get(spec.param) else {
            continue;
        };
        // `customer_id=c1,c2`: any of the values (no filter value holds a
        // comma: they are ids, vocabulary words, numbers and months).
        let values = value
            .split(',')
            .map(|value| filter_value(spec, value, actor))
            .collect::<ApiResult<Vec<String>>>()?;
        filters.push(Filter {
            param: spec.param.to_string(),
            values,
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

/// Reads `sort`: one of the orders the collection offers.
fn sort_of(collection: Collection, text: &str) -> ApiResult<Sort> {
    match Sort::parse(text) {
        Some(sort) if collection.sorts().contains(&sort) => Ok(sort),
        Some(sort) => {
            let offered: Vec<&str> = collection.sorts().iter().map(|s| s.as_str()).collect();
            Err(ApiError::invalid(
                "sort",
                format!(
                    "{sort} sorting is not offered for {collection}: use one of {}",
                    offered.join(", ")
                ),
            ))
        }
        None => Err(ApiError::invalid(
            "sort",
            format!("must be one of {}", Sort::NAMES.join(", ")),
        )),
    }
}

/// Checks one filter value against its declared values; resolves `me`
/// where the filter takes it.
fn filter_value(spec: &FilterSpec, value: &str, actor: &Actor) -> ApiResult<String> {
    if let Some(words) = spec.values.filter(|words| !words.contains(&value)) {
        return Err(ApiError::invalid(
            spec.param,
            format!("must be one of {}", words.join(", ")),
        ));
    }
    if !(spec.format.accepts(value) || spec.me && value == "me") {
        return Err(ApiError::invalid(
            spec.param,
            match spec.format {
                FilterFormat::Month => "must be a month YYYY-MM",
                _ if spec.me => "must be a record id (a UUID) or me",
                _ => "must be a record id (a UUID)",
            },
        ));
    }
    if spec.kind == FilterKind::Integer && value.parse::<i64>().is_err() {
        return Err(ApiError::invalid(spec.param, "must be a whole number"));
    }
    if matches!(spec.kind, FilterKind::From | FilterKind::To)
        && spec.kind.bound_seconds(value).is_none()
    {
        return Err(ApiError::invalid(
            spec.param,
            "must be a date YYYY-MM-DD or a time with its offset",
        ));
    }
    if spec.me && value == "me" {
        return actor.staff_id.clone().ok_or_else(|| {
            ApiError::invalid(spec.param, "me needs a token linked to a staff member")
        });
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_shared::enums::Permission;

    fn actor(staff_id: Option<&str>) -> Actor {
        Actor {
            token_id: "t1".into(),
            name: "Ann".into(),
            staff_id: staff_id.map(str::to_string),
            permission: Permission::Viewer,
        }
    }

    fn filter(collection: Collection, param: &str) -> &'static FilterSpec {
        collection
            .filters()
            .iter()
            .find(|spec| spec.param == param)
            .expect("the collection declares the filter")
    }

    #[test]
    fn sorts_are_the_declared_ones() {
        assert_eq!(
            sort_of(Collection::Rfcs, "priority").ok(),
            Some(Sort::Priority)
        );
        assert_eq!(sort_of(Collection::Teams, "age").ok(), Some(Sort::Age));
        for collection in Collection::REST {
            let refused = sort_of(*collection, "priority").is_err();
            assert_eq!(
                refused,
                !collection.sorts().contains(&Sort::Priority),
                "{collection}"
            );
        }
        assert!(sort_of(Collection::Rfcs, "random").is_err());
    }

    #[test]
    fn filter_values_come_from_the_declaration() {
        let status = filter(Collection::Customers, "status");
        assert!(filter_value(status, "prospect", &actor(None)).is_ok());
        assert!(filter_value(status, "new", &actor(None)).is_err());
        let open = filter(Collection::Rfcs, "open");
        assert!(filter_value(open, "yes", &actor(None)).is_err());
        let assignee = filter(Collection::Rfcs, "assignee_id");
        assert_eq!(
            filter_value(assignee, "me", &actor(Some("s1"))).ok(),
            Some("s1".to_string())
        );
        assert!(filter_value(assignee, "me", &actor(None)).is_err());
        // Only a filter declared with `or_me` reads `me` as the caller;
        // elsewhere an id filter takes record ids only.
        let owner = filter(Collection::Services, "owner_id");
        assert!(filter_value(owner, "me", &actor(Some("s1"))).is_err());
        assert!(filter_value(owner, "false", &actor(None)).is_err());
        let id = "01a23d17-834c-7057-84fd-9d6c76a7b4f8";
        assert_eq!(
            filter_value(owner, id, &actor(None)).ok(),
            Some(id.to_string())
        );
        let month = filter(Collection::Usage, "month");
        assert!(filter_value(month, "2026-12", &actor(None)).is_ok());
        assert!(filter_value(month, "2026-13", &actor(None)).is_err());
    }
}
