//! Every query that only reads: records, pages and counts (their SQL is
//! [`crate::store::sql`]'s, numbered for PostgreSQL), links, the audit
//! trail and change feed, idempotency keys and tokens. Each takes any
//! client, so the writer uses them inside its transaction too.

use deadpool_postgres::GenericClient;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::AuditEntry;
use tokio_postgres::Row;

use super::schema::{backend, params, parse_collection, record_from_row};
use crate::store::cursor::{PageCursor, PageOrder};
use crate::store::sql::{self, RECORD_COLUMNS, table};
use crate::store::{
    Change, IdempotentReplay, ListQuery, RecordPage, StoreError, StoreResult, StoredRecord,
    TokenRecord,
};

/// One record, if it exists.
pub async fn fetch(
    client: &impl GenericClient,
    collection: Collection,
    id: &str,
) -> StoreResult<Option<StoredRecord>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM {} WHERE id = $1",
        table(collection)
    );
    let statement = client.prepare_cached(&sql).await.map_err(backend)?;
    let row = client
        .query_opt(&statement, &[&id])
        .await
        .map_err(backend)?;
    row.as_ref().map(record_from_row).transpose()
}

/// One record, or `NotFound`.
pub async fn get(
    client: &impl GenericClient,
    collection: Collection,
    id: &str,
) -> StoreResult<StoredRecord> {
    fetch(client, collection, id)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            collection,
            id: id.to_owned(),
        })
}

/// `q` has no condition of PostgreSQL's own: the pg_trgm index serves
/// the shared `LIKE` as it stands.
fn no_index(_: &str) -> Option<(String, sql::ColumnValue)> {
    None
}

/// One page of a list.
pub async fn list(client: &impl GenericClient, query: &ListQuery) -> StoreResult<RecordPage> {
    let order = PageOrder::of(query.collection, query.sort);
    let Some((text, values)) = sql::page_sql(query, order, &no_index)? else {
        return Ok(RecordPage {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let statement = client
        .prepare_cached(&sql::numbered(&text))
        .await
        .map_err(backend)?;
    let rows = client
        .query(&statement, &params(&values))
        .await
        .map_err(backend)?;
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(rows.len().min(limit));
    let mut last_key = None;
    for row in rows.iter().take(limit) {
        if order.key_column().is_some() {
            last_key = Some(row.try_get::<_, i64>(5).map_err(backend)?);
        }
        items.push(record_from_row(row)?);
    }
    let next_cursor = match items.last() {
        Some(last) if more => Some(
            PageCursor {
                key: last_key,
                id: last.id.clone(),
            }
            .encode(order),
        ),
        _ => None,
    };
    Ok(RecordPage { items, next_cursor })
}

/// How many records match the filters and `q`.
pub async fn count(client: &impl GenericClient, query: &ListQuery) -> StoreResult<i64> {
    let Some((text, values)) = sql::count_sql(query, &no_index)? else {
        return Ok(0);
    };
    let statement = client
        .prepare_cached(&sql::numbered(&text))
        .await
        .map_err(backend)?;
    let row = client
        .query_one(&statement, &params(&values))
        .await
        .map_err(backend)?;
    row.try_get(0).map_err(backend)
}

/// Ids of `collection` records whose `field` links to `id`, oldest first.
pub async fn linked_from(
    client: &impl GenericClient,
    collection: Collection,
    field: &str,
    id: &str,
) -> StoreResult<Vec<String>> {
    let statement = client
        .prepare_cached(
            "SELECT from_id FROM links WHERE to_id = $1 AND from_collection = $2 AND field = $3 \
             ORDER BY from_id COLLATE \"C\"",
        )
        .await
        .map_err(backend)?;
    let rows = client
        .query(&statement, &[&id, &collection.name(), &field])
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| row.try_get(0).map_err(backend))
        .collect()
}

fn json_column(row: &Row, index: usize) -> StoreResult<Option<serde_json::Value>> {
    let text: Option<String> = row.try_get(index).map_err(backend)?;
    text.map(|text| {
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Backend(format!("a stored audit record is corrupt: {e}")))
    })
    .transpose()
}

/// Audit entries after `after_seq`, oldest first.
pub async fn audit(
    client: &impl GenericClient,
    collection: Option<Collection>,
    id: Option<&str>,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let mut text = String::from(
        "SELECT seq, at_ns, who, who_staff_id, entity, entity_id, action, before_json, \
         after_json FROM audit WHERE seq > ?",
    );
    let mut values = vec![sql::ColumnValue::Integer(after_seq)];
    if let Some(collection) = collection {
        text.push_str(" AND entity = ?");
        values.push(sql::ColumnValue::Text(collection.name().to_owned()));
    }
    if let Some(id) = id {
        text.push_str(" AND entity_id = ?");
        values.push(sql::ColumnValue::Text(id.to_owned()));
    }
    text.push_str(" ORDER BY seq LIMIT ?");
    values.push(sql::ColumnValue::Integer(i64::from(limit)));
    let statement = client
        .prepare_cached(&sql::numbered(&text))
        .await
        .map_err(backend)?;
    let rows = client
        .query(&statement, &params(&values))
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                seq: row.try_get(0).map_err(backend)?,
                when: sql::from_ns(row.try_get(1).map_err(backend)?)?,
                who: row.try_get(2).map_err(backend)?,
                who_staff_id: row.try_get(3).map_err(backend)?,
                entity: row.try_get(4).map_err(backend)?,
                entity_id: row.try_get(5).map_err(backend)?,
                action: row.try_get(6).map_err(backend)?,
                before: json_column(row, 7)?,
                after: json_column(row, 8)?,
            })
        })
        .collect()
}

/// Changes after `after_seq`, oldest first.
pub async fn changes_since(
    client: &impl GenericClient,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<Change>> {
    let statement = client
        .prepare_cached(
            "SELECT seq, entity, entity_id, version, action, at_ns FROM audit \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .await
        .map_err(backend)?;
    let rows = client
        .query(&statement, &[&after_seq, &i64::from(limit)])
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| {
            let entity: String = row.try_get(1).map_err(backend)?;
            Ok(Change {
                seq: row.try_get(0).map_err(backend)?,
                collection: parse_collection(&entity)?,
                id: row.try_get(2).map_err(backend)?,
                version: row.try_get(3).map_err(backend)?,
                action: row.try_get(4).map_err(backend)?,
                at: sql::from_ns(row.try_get(5).map_err(backend)?)?,
            })
        })
        .collect()
}

/// The newest change sequence number, 0 when there is none.
pub async fn last_seq(client: &impl GenericClient) -> StoreResult<i64> {
    let statement = client
        .prepare_cached("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM audit")
        .await
        .map_err(backend)?;
    let row = client.query_one(&statement, &[]).await.map_err(backend)?;
    row.try_get(0).map_err(backend)
}

/// Whether no collection holds a record.
pub async fn is_empty(client: &impl GenericClient) -> StoreResult<bool> {
    for collection in Collection::ALL {
        let sql = format!("SELECT 1 FROM {} LIMIT 1", table(*collection));
        if client
            .query_opt(sql.as_str(), &[])
            .await
            .map_err(backend)?
            .is_some()
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What the first request with this token and key created, if kept.
pub async fn idempotent_replay(
    client: &impl GenericClient,
    token_id: &str,
    key: &str,
) -> StoreResult<Option<IdempotentReplay>> {
    let statement = client
        .prepare_cached(
            "SELECT request_hash, collection, record_json FROM idempotency_keys \
             WHERE token_id = $1 AND key = $2",
        )
        .await
        .map_err(backend)?;
    let Some(row) = client
        .query_opt(&statement, &[&token_id, &key])
        .await
        .map_err(backend)?
    else {
        return Ok(None);
    };
    let collection: String = row.try_get(1).map_err(backend)?;
    let json: String = row.try_get(2).map_err(backend)?;
    Ok(Some(IdempotentReplay {
        request_hash: row.try_get(0).map_err(backend)?,
        collection: parse_collection(&collection)?,
        record: sql::record_from_json(&json)?,
    }))
}

const TOKEN_COLUMNS: &str = "id, name, permission, staff_id, created_ns, revoked, expires_ns";

fn token_from_row(row: &Row) -> StoreResult<TokenRecord> {
    let permission: String = row.try_get(2).map_err(backend)?;
    let expires_ns: Option<i64> = row.try_get(6).map_err(backend)?;
    Ok(TokenRecord {
        id: row.try_get(0).map_err(backend)?,
        name: row.try_get(1).map_err(backend)?,
        permission: Permission::parse(&permission).ok_or_else(|| {
            StoreError::Backend(format!("unknown permission {permission} in the database"))
        })?,
        staff_id: row.try_get(3).map_err(backend)?,
        created_at: sql::from_ns(row.try_get(4).map_err(backend)?)?,
        revoked: row.try_get::<_, i64>(5).map_err(backend)? != 0,
        expires_at: expires_ns.map(sql::from_ns).transpose()?,
    })
}

/// The newest token matching `condition` (with one parameter `$1`).
pub async fn token_where(
    client: &impl GenericClient,
    condition: &str,
    value: &str,
) -> StoreResult<Option<TokenRecord>> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM tokens WHERE {condition} ORDER BY created_ns DESC LIMIT 1"
    );
    let statement = client.prepare_cached(&sql).await.map_err(backend)?;
    let row = client
        .query_opt(&statement, &[&value])
        .await
        .map_err(backend)?;
    row.as_ref().map(token_from_row).transpose()
}

/// Every token, oldest first.
pub async fn list_tokens(client: &impl GenericClient) -> StoreResult<Vec<TokenRecord>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id COLLATE \"C\"");
    let rows = client.query(sql.as_str(), &[]).await.map_err(backend)?;
    rows.iter().map(token_from_row).collect()
}
