//! The five calls every collection has — list, create, read, merge-patch
//! update, delete — written once, generic over the collection's
//! [`Resource`]. Each follows the same verbs: parse, validate, apply, respond.

use rapport_shared::Collection;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::http::{Method, Response, StatusCode};
use crate::store::{IdempotencyKey, Link, StoredRecord, WriteBatch, WriteOp};

use super::error::{ApiError, ApiResult};
use super::lists;
use super::merge_patch::{keep_removed_names, merge_patch};
use super::request::{idempotency_key, if_match, if_none_match, json_object};
use super::resources::{self, ForEachResource, Resource};
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};
use rapport_shared::collection::{FilterFormat, FilterKind};
use rapport_shared::wire::MAX_PAGE_LIMIT;

/// Adds the five calls of every served collection ([`resources::each`]).
pub fn routes(routes: &mut Vec<Route>) {
    /// Adds one collection's calls to the table.
    struct AddRoutes<'a>(&'a mut Vec<Route>);
    impl ForEachResource for AddRoutes<'_> {
        fn visit<R: Resource>(&mut self) {
            add::<R>(self.0);
        }
    }
    resources::each(&mut AddRoutes(routes));
}

fn add<R: Resource>(routes: &mut Vec<Route>) {
    let collection = R::COLLECTION;
    let name = collection.name();
    let base = format!("/api/v1/{name}");
    let one = format!("{base}/{{id}}");
    let read = Some(rapport_shared::enums::Permission::Viewer);
    let write = Some(collection.write_permission());
    let noun = collection.noun();
    let mut sorts: Vec<&str> = collection.sorts().iter().map(|s| s.as_str()).collect();
    sorts.extend(R::EXTRA_SORTS);
    let mut list_params: Vec<QueryParam> = vec![
        QueryParam::typed("limit", value::whole(1, i64::from(MAX_PAGE_LIMIT))),
        "cursor".into(),
        "q".into(),
        QueryParam::one_of("sort", &sorts),
    ];
    list_params.extend(collection.filters().iter().map(|f| {
        let param = QueryParam::filter(f.param, f.values.unwrap_or_default());
        let param = match f.format {
            FilterFormat::RecordId => param.with_schema(value::record_id(f.me)),
            FilterFormat::Month => param.with_schema(value::month()),
            FilterFormat::Text => param,
        };
        match f.kind {
            FilterKind::Integer => param.with_schema(value::whole(i64::MIN, i64::MAX)),
            FilterKind::From | FilterKind::To => param.with_schema(value::date_or_instant()),
            _ => param,
        }
    }));
    list_params.extend(
        R::EXTRA_LIST_PARAMS
            .iter()
            .map(|(name, values)| QueryParam::one_of(*name, values)),
    );
    let doc = |summary: String,
               request: Option<&str>,
               response: Option<String>,
               status: u16,
               if_match: bool| RouteDoc {
        summary,
        request: request.map(str::to_string),
        response,
        status,
        query: Vec::new(),
        if_match,
    };
    routes.push(Route::new(
        Method::GET,
        base.clone(),
        read,
        RouteDoc {
            query: list_params.clone(),
            ..doc(
                format!("List {name}"),
                None,
                Some(format!("{name}_page")),
                200,
                false,
            )
        },
        lists::list::<R>,
    ));
    routes.push(Route::new(
        Method::GET,
        format!("{base}/count"),
        read,
        RouteDoc {
            query: list_params
                .iter()
                // The count reads the filters and `q`, not a list view's own.
                .filter(|p| !["limit", "cursor", "sort"].contains(&p.name.as_str()))
                .filter(|p| !R::EXTRA_LIST_PARAMS.iter().any(|(name, _)| *name == p.name))
                .cloned()
                .collect(),
            ..doc(
                format!("Count {name} matching the filters"),
                None,
                Some("count".to_string()),
                200,
                false,
            )
        },
        lists::count::<R>,
    ));
    routes.push(Route::new(
        Method::POST,
        base,
        write,
        doc(
            format!("Create a {noun}"),
            Some(name),
            Some(name.to_string()),
            201,
            false,
        ),
        create::<R>,
    ));
    routes.push(Route::new(
        Method::GET,
        one.clone(),
        read,
        doc(
            format!("Read a {noun}"),
            None,
            Some(name.to_string()),
            200,
            false,
        ),
        get::<R>,
    ));
    routes.push(Route::new(
        Method::PATCH,
        one.clone(),
        write,
        doc(
            format!("Change a {noun} (JSON merge patch)"),
            Some(name),
            Some(name.to_string()),
            200,
            true,
        ),
        update::<R>,
    ));
    routes.push(Route::new(
        Method::DELETE,
        one,
        write,
        doc(format!("Delete a {noun}"), None, None, 204, true),
        delete::<R>,
    ));
}

/// `POST /api/v1/C`.
async fn create<R: Resource>(call: Call) -> ApiResult<Response> {
    let collection = R::COLLECTION;
    let actor = call.actor()?.clone();
    let store = call.state.store.clone();
    let idempotency = match idempotency_key(&call.request.head.headers)? {
        None => None,
        Some(key) => {
            let request_hash = request_hash(&call);
            if let Some(replay) = store
                .idempotent_replay(actor.token_id.clone(), key.clone())
                .await?
            {
                return replay_response::<R>(
                    &call,
                    replay.request_hash == request_hash,
                    replay.collection,
                    replay.record,
                )
                .await;
            }
            Some(IdempotencyKey {
                token_id: actor.token_id.clone(),
                key,
                request_hash,
            })
        }
    };
    let object = json_object(&call.request)?;
    let input = R::from_json(&object)?;
    input.check(store.as_ref(), None).await?;
    let guards = input.guards(None);
    let derivations = input.derivations(None);
    let mut fields = input.to_object();
    fields.extend(R::initial_fields(&actor));
    let op = WriteOp::Create {
        collection,
        fields,
        links: input.references().into_iter().map(Link::from).collect(),
        unique: input.unique(),
    };
    let record = write_one(
        &call,
        WriteBatch {
            actor,
            ops: vec![op],
            idempotency,
            at: None,
            guards,
            derivations,
        },
    )
    .await?;
    respond_record::<R>(&call, record, StatusCode::CREATED).await
}

/// Answers a repeated `Idempotency-Key`: the first response when the
/// request is the same, 422 when the key was used for another request.
async fn replay_response<R: Resource>(
    call: &Call,
    same: bool,
    collection: Collection,
    record: StoredRecord,
) -> ApiResult<Response> {
    if !same || collection != R::COLLECTION {
        return Err(ApiError::invalid(
            "Idempotency-Key",
            "this key was already used for a different request; use a new key for a new record",
        ));
    }
    respond_record::<R>(call, record, StatusCode::CREATED).await
}

/// What makes two requests "the same" for idempotency: method, path, body.
pub(super) fn request_hash(call: &Call) -> String {
    let mut hasher = Sha256::new();
    hasher.update(call.request.head.method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(call.request.head.path.as_bytes());
    hasher.update(b"\n");
    hasher.update(&call.request.body);
    super::auth::hex(&hasher.finalize())
}

/// `GET /api/v1/C/{id}`.
async fn get<R: Resource>(call: Call) -> ApiResult<Response> {
    let record = call
        .state
        .store
        .get(R::COLLECTION, call.param(0)?.to_string())
        .await?;
    if if_none_match(&call.request.head.headers, record.version) {
        let mut response = Response::empty(StatusCode::NOT_MODIFIED);
        respond::set_etag(&mut response, record.version);
        return Ok(response);
    }
    respond_record::<R>(&call, record, StatusCode::OK).await
}

/// How often a write under `If-Match: *` is tried when other writes land
/// between its read and its write: `*` matches any version, so losing that
/// race is no conflict of the caller's. Every lost race means another write
/// went through, so this many tries outlast that many concurrent writers.
const ANY_VERSION_ATTEMPTS: usize = 16;

/// Whether a write that found its version stale should be tried again:
/// only under `If-Match: *` (`expected` is `None`), a few times.
pub fn try_again(expected: Option<i64>, attempts: usize) -> bool {
    expected.is_none() && attempts < ANY_VERSION_ATTEMPTS
}

/// `PATCH /api/v1/C/{id}`: JSON merge patch under `If-Match`.
async fn update<R: Resource>(call: Call) -> ApiResult<Response> {
    let expected = if_match(&call.request.head.headers)?;
    let patch = json_object(&call.request)?;
    let mut attempts = 0;
    let record = loop {
        attempts += 1;
        match patch_once::<R>(&call, &patch, expected).await {
            Err(ApiError::Stale { .. }) if try_again(expected, attempts) => continue,
            other => break other?,
        }
    };
    respond_record::<R>(&call, record, StatusCode::OK).await
}

/// Reads the record, merges the patch, validates and writes it once.
async fn patch_once<R: Resource>(
    call: &Call,
    patch: &Map<String, Value>,
    expected: Option<i64>,
) -> ApiResult<StoredRecord> {
    let collection = R::COLLECTION;
    let id = call.param(0)?.to_string();
    let store = call.state.store.clone();
    let current = store.get(collection, id.clone()).await?;
    if expected.is_some_and(|version| version != current.version) {
        return Err(ApiError::Stale {
            current_version: current.version,
        });
    }
    let mut merged = Value::Object(current.fields.clone());
    merge_patch(&mut merged, &Value::Object(patch.clone()));
    keep_removed_names(&mut merged, patch);
    let Value::Object(mut merged) = merged else {
        return Err(ApiError::Internal(
            "a merge patch of two objects gave a non-object".into(),
        ));
    };
    let mut kept = Map::new();
    for field in R::READ_ONLY {
        let before = current.fields.get(*field).unwrap_or(&Value::Null);
        let after = merged.remove(*field).unwrap_or(Value::Null);
        if &after != before {
            return Err(ApiError::invalid(field, R::read_only_message(field)));
        }
        kept.insert(field.to_string(), before.clone());
    }
    let input = R::from_json(&merged)?;
    input.check(store.as_ref(), Some(&id)).await?;
    let guards = input.guards(Some(&id));
    let derivations = input.derivations(Some(&current));
    let mut fields = input.to_object();
    fields.extend(kept);
    let op = WriteOp::Update {
        collection,
        id,
        expected_version: current.version,
        fields,
        links: input.references().into_iter().map(Link::from).collect(),
        unique: input.unique(),
    };
    write_one(
        call,
        WriteBatch {
            actor: call.actor()?.clone(),
            ops: vec![op],
            idempotency: None,
            at: None,
            guards,
            derivations,
        },
    )
    .await
}

/// `DELETE /api/v1/C/{id}` under `If-Match`.
async fn delete<R: Resource>(call: Call) -> ApiResult<Response> {
    let collection = R::COLLECTION;
    let expected = if_match(&call.request.head.headers)?;
    let id = call.param(0)?.to_string();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let expected_version = match expected {
            Some(version) => version,
            None => call.state.store.get(collection, id.clone()).await?.version,
        };
        let op = WriteOp::Delete {
            collection,
            id: id.clone(),
            expected_version,
        };
        let batch = WriteBatch {
            actor: call.actor()?.clone(),
            ops: vec![op],
            idempotency: None,
            at: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        };
        match write_one(&call, batch).await {
            Err(ApiError::Stale { .. }) if try_again(expected, attempts) => continue,
            other => break other.map(drop)?,
        }
    }
    Ok(Response::empty(StatusCode::NO_CONTENT))
}

/// Applies a batch and returns its first record; wakes the change feed.
pub async fn write_one(call: &Call, batch: WriteBatch) -> ApiResult<StoredRecord> {
    let records = call.state.store.write(batch).await?;
    call.state.notify_write();
    records
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::Internal("a write returned no record".into()))
}

/// A record response with `ETag` (and `Location` on create).
async fn respond_record<R: Resource>(
    call: &Call,
    mut record: StoredRecord,
    status: StatusCode,
) -> ApiResult<Response> {
    R::derive(&mut record, call.state.store.as_ref()).await?;
    let mut response = respond::json(status, &record.to_json());
    respond::set_etag(&mut response, record.version);
    if status == StatusCode::CREATED {
        respond::set_location(
            &mut response,
            &format!("/api/v1/{}/{}", R::COLLECTION.name(), record.id),
        );
    }
    Ok(response)
}
