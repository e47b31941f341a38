//! The ops of a write batch inside its transaction: checks (links,
//! uniques, versions, dependents), the record row and its side rows
//! (links, uniques, list values, replaced whole on every update), and the
//! audit row that doubles as the change feed entry.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use rapport_shared::Collection;

use super::reads::fetch;
use super::schema::{backend, is_unique_violation, params, parse_collection};
use crate::store::sql::{self, ColumnValue, table};
use crate::store::{
    Actor, Dependents, Link, StoreError, StoreResult, StoredRecord, UniqueField, WriteOp,
};

/// What every op of one batch shares.
pub struct OpContext<'a, C> {
    pub client: &'a C,
    pub actor: &'a Actor,
    /// When the batch's writes happened ([`crate::store::WriteBatch::at`]).
    pub at: Timestamp,
}

/// Applies one op with change sequence number `seq`; `new_id` is called
/// only for a create. Returns the record as written (for a delete, as it was).
pub async fn apply<C: GenericClient>(
    ctx: &OpContext<'_, C>,
    op: &WriteOp,
    seq: i64,
    new_id: &mut (dyn FnMut() -> String + Send),
) -> StoreResult<StoredRecord> {
    match op {
        WriteOp::Create {
            collection,
            fields,
            links,
            unique,
        } => {
            let record = StoredRecord {
                id: new_id(),
                version: 1,
                created_at: ctx.at,
                updated_at: ctx.at,
                fields: fields.clone(),
            };
            check_links(ctx.client, links).await?;
            check_uniques(ctx.client, *collection, &record.id, unique).await?;
            write_side_rows(ctx.client, *collection, &record, links, unique).await?;
            insert_row(ctx.client, *collection, &record).await?;
            append_audit(ctx, seq, *collection, "create", None, Some(&record)).await?;
            Ok(record)
        }
        WriteOp::Update {
            collection,
            id,
            expected_version,
            fields,
            links,
            unique,
        } => {
            let before = current(ctx.client, *collection, id, *expected_version).await?;
            let record = StoredRecord {
                id: before.id.clone(),
                version: before.version + 1,
                created_at: before.created_at,
                updated_at: ctx.at,
                fields: fields.clone(),
            };
            check_links(ctx.client, links).await?;
            check_uniques(ctx.client, *collection, id, unique).await?;
            remove_side_rows(ctx.client, id).await?;
            write_side_rows(ctx.client, *collection, &record, links, unique).await?;
            update_row(ctx.client, *collection, &record).await?;
            append_audit(
                ctx,
                seq,
                *collection,
                "update",
                Some(&before),
                Some(&record),
            )
            .await?;
            Ok(record)
        }
        WriteOp::Delete {
            collection,
            id,
            expected_version,
        } => {
            let before = current(ctx.client, *collection, id, *expected_version).await?;
            let dependents = dependents(ctx.client, id).await?;
            if !dependents.is_empty() {
                return Err(StoreError::HasDependents {
                    collection: *collection,
                    dependents,
                });
            }
            remove_side_rows(ctx.client, id).await?;
            let sql = format!("DELETE FROM {} WHERE id = $1", table(*collection));
            execute(ctx.client, &sql, &[ColumnValue::Text(id.clone())]).await?;
            append_audit(ctx, seq, *collection, "delete", Some(&before), None).await?;
            Ok(before)
        }
    }
}

/// Runs a statement (prepared once per connection) with `values`.
async fn execute(
    client: &impl GenericClient,
    sql: &str,
    values: &[ColumnValue],
) -> StoreResult<u64> {
    let statement = client.prepare_cached(sql).await.map_err(backend)?;
    client
        .execute(&statement, &params(values))
        .await
        .map_err(backend)
}

/// The record to change, when it exists and is still at `expected_version`.
async fn current(
    client: &impl GenericClient,
    collection: Collection,
    id: &str,
    expected_version: i64,
) -> StoreResult<StoredRecord> {
    let record = fetch(client, collection, id)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            collection,
            id: id.to_owned(),
        })?;
    if record.version != expected_version {
        return Err(StoreError::VersionMismatch {
            collection,
            id: id.to_owned(),
            current: record.version,
        });
    }
    Ok(record)
}

/// Fails with `MissingLink` (naming the field) for the first link whose
/// target does not exist.
async fn check_links(client: &impl GenericClient, links: &[Link]) -> StoreResult<()> {
    for link in links {
        let sql = format!("SELECT 1 FROM {} WHERE id = $1", table(link.collection));
        let statement = client.prepare_cached(&sql).await.map_err(backend)?;
        let exists = client
            .query_opt(&statement, &[&link.id])
            .await
            .map_err(backend)?
            .is_some();
        if !exists {
            return Err(StoreError::MissingLink {
                field: link.field.clone(),
                collection: link.collection,
                id: link.id.clone(),
            });
        }
    }
    Ok(())
}

/// Fails with the field's taken error when another record of the
/// collection holds one of the values.
async fn check_uniques(
    client: &impl GenericClient,
    collection: Collection,
    own_id: &str,
    unique: &[UniqueField],
) -> StoreResult<()> {
    let statement = client
        .prepare_cached(
            "SELECT record_id FROM uniques WHERE collection = $1 AND field = $2 AND value = $3",
        )
        .await
        .map_err(backend)?;
    for field in unique {
        let owner = client
            .query_opt(
                &statement,
                &[&collection.name(), &field.field, &field.value],
            )
            .await
            .map_err(backend)?;
        let owner: Option<String> = owner
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(backend)?;
        if owner.is_some_and(|owner| owner != own_id) {
            return Err(field.taken_error());
        }
    }
    Ok(())
}

/// Writes the record's links (deduplicated), unique values and list values.
async fn write_side_rows(
    client: &impl GenericClient,
    collection: Collection,
    record: &StoredRecord,
    links: &[Link],
    unique: &[UniqueField],
) -> StoreResult<()> {
    let mut seen = std::collections::HashSet::new();
    let insert_link = client
        .prepare_cached(
            "INSERT INTO links (from_collection, from_id, field, to_collection, to_id) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .await
        .map_err(backend)?;
    for link in links {
        if !seen.insert((link.field.as_str(), link.id.as_str())) {
            continue;
        }
        client
            .execute(
                &insert_link,
                &[
                    &collection.name(),
                    &record.id,
                    &link.field,
                    &link.collection.name(),
                    &link.id,
                ],
            )
            .await
            .map_err(backend)?;
    }
    let insert_unique = client
        .prepare_cached(
            "INSERT INTO uniques (collection, field, value, record_id) VALUES ($1, $2, $3, $4)",
        )
        .await
        .map_err(backend)?;
    for field in unique {
        client
            .execute(
                &insert_unique,
                &[&collection.name(), &field.field, &field.value, &record.id],
            )
            .await
            .map_err(|error| {
                // Two unique values of the same field in one op.
                if is_unique_violation(&error) {
                    field.taken_error()
                } else {
                    backend(error)
                }
            })?;
    }
    let insert_value = client
        .prepare_cached(
            "INSERT INTO list_values (collection, field, value, record_id) VALUES ($1, $2, $3, $4)",
        )
        .await
        .map_err(backend)?;
    for spec in sql::list_filters(collection) {
        for value in sql::list_values(spec, &record.fields) {
            client
                .execute(
                    &insert_value,
                    &[&collection.name(), &spec.field, &value, &record.id],
                )
                .await
                .map_err(backend)?;
        }
    }
    Ok(())
}

/// Removes the rows [`write_side_rows`] wrote for a record.
async fn remove_side_rows(client: &impl GenericClient, id: &str) -> StoreResult<()> {
    for sql in [
        "DELETE FROM links WHERE from_id = $1",
        "DELETE FROM uniques WHERE record_id = $1",
        "DELETE FROM list_values WHERE record_id = $1",
    ] {
        execute(client, sql, &[ColumnValue::Text(id.to_owned())]).await?;
    }
    Ok(())
}

/// How many records of each collection and field link to `id` (besides
/// the record itself).
async fn dependents(client: &impl GenericClient, id: &str) -> StoreResult<Vec<Dependents>> {
    let statement = client
        .prepare_cached(
            "SELECT from_collection, field, COUNT(DISTINCT from_id)::BIGINT FROM links \
             WHERE to_id = $1 AND from_id <> $1 \
             GROUP BY from_collection, field \
             ORDER BY from_collection COLLATE \"C\", field COLLATE \"C\"",
        )
        .await
        .map_err(backend)?;
    let rows = client.query(&statement, &[&id]).await.map_err(backend)?;
    rows.iter()
        .map(|row| {
            let collection: String = row.try_get(0).map_err(backend)?;
            Ok(Dependents {
                collection: parse_collection(&collection)?,
                field: row.try_get(1).map_err(backend)?,
                count: row.try_get(2).map_err(backend)?,
            })
        })
        .collect()
}

/// Inserts the record's row, with the columns derived from its fields.
async fn insert_row(
    client: &impl GenericClient,
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<()> {
    let (statement, values) = sql::insert_row(collection, record)?;
    execute(client, &sql::numbered(&statement), &values).await?;
    Ok(())
}

/// Rewrites the record's row (all but id and creation time).
async fn update_row(
    client: &impl GenericClient,
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<()> {
    let (statement, values) = sql::update_row(collection, record)?;
    execute(client, &sql::numbered(&statement), &values).await?;
    Ok(())
}

/// Appends the op's audit row, which is also its change feed entry: the
/// entity and version are the record's after the op (before it, for a
/// delete).
async fn append_audit<C: GenericClient>(
    ctx: &OpContext<'_, C>,
    seq: i64,
    collection: Collection,
    action: &str,
    before: Option<&StoredRecord>,
    after: Option<&StoredRecord>,
) -> StoreResult<()> {
    let Some(record) = after.or(before) else {
        return Ok(());
    };
    let json = |record: Option<&StoredRecord>| record.map(StoredRecord::to_json_text);
    let statement = ctx
        .client
        .prepare_cached(
            "INSERT INTO audit (seq, at_ns, who, who_staff_id, entity, entity_id, version, \
             action, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .await
        .map_err(backend)?;
    ctx.client
        .execute(
            &statement,
            &[
                &seq,
                &sql::to_ns(ctx.at)?,
                &ctx.actor.name,
                &ctx.actor.staff_id,
                &collection.name(),
                &record.id,
                &record.version,
                &action,
                &json(before),
                &json(after),
            ],
        )
        .await
        .map_err(backend)?;
    Ok(())
}
