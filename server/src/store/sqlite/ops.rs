//! The ops of a write batch, run by the writer thread inside the batch's
//! transaction: checks (links, uniques, versions, dependents), the record
//! row and its side rows (links, uniques, list values), and the audit row
//! that doubles as the change feed entry.

use jiff::Timestamp;
use rapport_shared::Collection;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use super::schema::{self, RECORD_COLUMNS, backend, table};
use crate::store::{
    Actor, Dependents, Link, StoreError, StoreResult, StoredRecord, UniqueField, WriteOp,
};

/// What every op of one batch shares.
pub struct OpContext<'a> {
    pub conn: &'a Connection,
    pub actor: &'a Actor,
    pub now: Timestamp,
}

/// Applies one op with change sequence number `seq`; `new_id` is called
/// only for a create. Returns the record as written (for a delete, as it was).
pub fn apply(
    ctx: &OpContext<'_>,
    op: &WriteOp,
    seq: i64,
    new_id: &mut dyn FnMut() -> String,
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
                created_at: ctx.now,
                updated_at: ctx.now,
                fields: fields.clone(),
            };
            check_links(ctx.conn, links)?;
            check_uniques(ctx.conn, *collection, &record.id, unique)?;
            insert_row(ctx.conn, *collection, &record)?;
            write_side_rows(ctx.conn, *collection, &record, links, unique)?;
            append_audit(
                ctx,
                seq,
                *collection,
                &record,
                "create",
                None,
                Some(&record),
            )?;
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
            let before = current(ctx.conn, *collection, id, *expected_version)?;
            let record = StoredRecord {
                id: before.id.clone(),
                version: before.version + 1,
                created_at: before.created_at,
                updated_at: ctx.now,
                fields: fields.clone(),
            };
            check_links(ctx.conn, links)?;
            check_uniques(ctx.conn, *collection, id, unique)?;
            update_row(ctx.conn, *collection, &record)?;
            remove_side_rows(ctx.conn, id)?;
            write_side_rows(ctx.conn, *collection, &record, links, unique)?;
            let before = Some(&before);
            append_audit(
                ctx,
                seq,
                *collection,
                &record,
                "update",
                before,
                Some(&record),
            )?;
            Ok(record)
        }
        WriteOp::Delete {
            collection,
            id,
            expected_version,
        } => {
            let before = current(ctx.conn, *collection, id, *expected_version)?;
            let dependents = dependents(ctx.conn, id)?;
            if !dependents.is_empty() {
                return Err(StoreError::HasDependents {
                    collection: *collection,
                    dependents,
                });
            }
            remove_side_rows(ctx.conn, id)?;
            ctx.conn
                .execute(
                    &format!("DELETE FROM {} WHERE id = ?1", table(*collection)),
                    [id],
                )
                .map_err(backend)?;
            append_audit(
                ctx,
                seq,
                *collection,
                &before,
                "delete",
                Some(&before),
                None,
            )?;
            Ok(before)
        }
    }
}

/// One record, if it exists.
pub fn fetch(
    conn: &Connection,
    collection: Collection,
    id: &str,
) -> StoreResult<Option<StoredRecord>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM {} WHERE id = ?1",
        table(collection)
    );
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    statement
        .query_row([id], schema::record_from_row)
        .optional()
        .map_err(backend)
}

/// The record to change, when it exists and is still at `expected_version`.
fn current(
    conn: &Connection,
    collection: Collection,
    id: &str,
    expected_version: i64,
) -> StoreResult<StoredRecord> {
    let record = fetch(conn, collection, id)?.ok_or_else(|| StoreError::NotFound {
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

fn check_links(conn: &Connection, links: &[Link]) -> StoreResult<()> {
    for link in links {
        let sql = format!("SELECT 1 FROM {} WHERE id = ?1", table(link.collection));
        let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
        let exists = statement
            .query_row([&link.id], |_| Ok(()))
            .optional()
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

fn check_uniques(
    conn: &Connection,
    collection: Collection,
    own_id: &str,
    unique: &[UniqueField],
) -> StoreResult<()> {
    let mut statement = conn
        .prepare_cached(
            "SELECT record_id FROM uniques WHERE collection = ?1 AND field = ?2 AND value = ?3",
        )
        .map_err(backend)?;
    for field in unique {
        let owner: Option<String> = statement
            .query_row(
                params![collection.name(), field.field, field.value],
                |row| row.get(0),
            )
            .optional()
            .map_err(backend)?;
        if owner.is_some_and(|owner| owner != own_id) {
            return Err(StoreError::Duplicate {
                field: field.field.clone(),
                value: field.value.clone(),
            });
        }
    }
    Ok(())
}

/// The values of the derived columns, in the order of [`derived_columns`].
fn derived_values(
    collection: Collection,
    fields: &Map<String, Value>,
) -> Vec<rusqlite::types::Value> {
    let mut values = vec![rusqlite::types::Value::Text(schema::search_text(
        collection, fields,
    ))];
    if schema::has_priority(collection) {
        values.push(rusqlite::types::Value::Integer(schema::priority_rank(
            fields,
        )));
    }
    values.extend(
        schema::column_filters(collection).map(|spec| schema::filter_column_value(spec, fields)),
    );
    values
}

/// The columns derived from the fields: search, rank, filter columns.
fn derived_columns(collection: Collection) -> Vec<&'static str> {
    let mut columns = vec!["search"];
    if schema::has_priority(collection) {
        columns.push("priority_rank");
    }
    columns.extend(schema::column_filters(collection).map(|spec| spec.field));
    columns
}

fn fields_text(record: &StoredRecord) -> StoreResult<String> {
    serde_json::to_string(&record.fields).map_err(|e| StoreError::Backend(e.to_string()))
}

fn insert_row(conn: &Connection, collection: Collection, record: &StoredRecord) -> StoreResult<()> {
    let columns = derived_columns(collection);
    let sql = format!(
        "INSERT INTO {} (id, version, created_ns, updated_ns, fields, {}) VALUES (?, ?, ?, ?, ?{})",
        table(collection),
        columns.join(", "),
        ", ?".repeat(columns.len()),
    );
    let mut values: Vec<rusqlite::types::Value> = vec![
        record.id.clone().into(),
        record.version.into(),
        schema::to_ns(record.created_at)?.into(),
        schema::to_ns(record.updated_at)?.into(),
        fields_text(record)?.into(),
    ];
    values.extend(derived_values(collection, &record.fields));
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    statement
        .execute(rusqlite::params_from_iter(values))
        .map_err(backend)?;
    Ok(())
}

fn update_row(conn: &Connection, collection: Collection, record: &StoredRecord) -> StoreResult<()> {
    let assignments: String = derived_columns(collection)
        .iter()
        .map(|column| format!(", {column} = ?"))
        .collect();
    let sql = format!(
        "UPDATE {} SET version = ?, updated_ns = ?, fields = ?{assignments} WHERE id = ?",
        table(collection),
    );
    let mut values: Vec<rusqlite::types::Value> = vec![
        record.version.into(),
        schema::to_ns(record.updated_at)?.into(),
        fields_text(record)?.into(),
    ];
    values.extend(derived_values(collection, &record.fields));
    values.push(record.id.clone().into());
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    statement
        .execute(rusqlite::params_from_iter(values))
        .map_err(backend)?;
    Ok(())
}

/// Writes the record's links (deduplicated), unique values and list values.
fn write_side_rows(
    conn: &Connection,
    collection: Collection,
    record: &StoredRecord,
    links: &[Link],
    unique: &[UniqueField],
) -> StoreResult<()> {
    let mut seen = std::collections::HashSet::new();
    let mut insert_link = conn
        .prepare_cached(
            "INSERT INTO links (from_collection, from_id, field, to_collection, to_id) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(backend)?;
    for link in links {
        if !seen.insert((link.field.as_str(), link.id.as_str())) {
            continue;
        }
        insert_link
            .execute(params![
                collection.name(),
                record.id,
                link.field,
                link.collection.name(),
                link.id
            ])
            .map_err(backend)?;
    }
    let mut insert_unique = conn
        .prepare_cached(
            "INSERT INTO uniques (collection, field, value, record_id) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(backend)?;
    for field in unique {
        insert_unique
            .execute(params![
                collection.name(),
                field.field,
                field.value,
                record.id
            ])
            .map_err(|error| match error.sqlite_error_code() {
                // Two unique values of the same field in one op.
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate {
                    field: field.field.clone(),
                    value: field.value.clone(),
                },
                _ => backend(error),
            })?;
    }
    let mut insert_value = conn
        .prepare_cached(
            "INSERT INTO list_values (collection, field, value, record_id) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(backend)?;
    for spec in schema::list_filters(collection) {
        for value in schema::list_values(spec, &record.fields) {
            insert_value
                .execute(params![collection.name(), spec.field, value, record.id])
                .map_err(backend)?;
        }
    }
    Ok(())
}

/// Removes the rows [`write_side_rows`] wrote for a record.
fn remove_side_rows(conn: &Connection, id: &str) -> StoreResult<()> {
    for sql in [
        "DELETE FROM links WHERE from_id = ?1",
        "DELETE FROM uniques WHERE record_id = ?1",
        "DELETE FROM list_values WHERE record_id = ?1",
    ] {
        conn.prepare_cached(sql)
            .and_then(|mut statement| statement.execute([id]))
            .map_err(backend)?;
    }
    Ok(())
}

/// How many records of each collection and field link to `id` (besides
/// the record itself).
pub fn dependents(conn: &Connection, id: &str) -> StoreResult<Vec<Dependents>> {
    let mut statement = conn
        .prepare_cached(
            "SELECT from_collection, field, COUNT(DISTINCT from_id) FROM links \
             WHERE to_id = ?1 AND from_id <> ?1 \
             GROUP BY from_collection, field ORDER BY from_collection, field",
        )
        .map_err(backend)?;
    let rows = statement
        .query_map([id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .map_err(backend)?;
    let mut dependents = Vec::new();
    for row in rows {
        let (collection, field, count) = row.map_err(backend)?;
        let collection = Collection::parse(&collection).ok_or_else(|| {
            StoreError::Backend(format!("unknown collection {collection} in links"))
        })?;
        dependents.push(Dependents {
            collection,
            field,
            count,
        });
    }
    Ok(dependents)
}

/// Appends the op's audit row, which is also its change feed entry.
fn append_audit(
    ctx: &OpContext<'_>,
    seq: i64,
    collection: Collection,
    record: &StoredRecord,
    action: &str,
    before: Option<&StoredRecord>,
    after: Option<&StoredRecord>,
) -> StoreResult<()> {
    let json = |record: Option<&StoredRecord>| record.map(|r| r.to_json().to_string());
    let mut statement = ctx
        .conn
        .prepare_cached(
            "INSERT INTO audit (seq, at_ns, who, who_staff_id, entity, entity_id, version, \
             action, before_json, after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .map_err(backend)?;
    statement
        .execute(params![
            seq,
            schema::to_ns(ctx.now)?,
            ctx.actor.name,
            ctx.actor.staff_id,
            collection.name(),
            record.id,
            record.version,
            action,
            json(before),
            json(after),
        ])
        .map_err(backend)?;
    Ok(())
}
