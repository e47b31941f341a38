//! The ops of a write batch, run by the writer thread inside the batch's
//! transaction: checks (links, uniques, versions, dependents), the record
//! row and its side rows (links, uniques, list values), and the audit row
//! that doubles as the change feed entry.

use std::cell::RefCell;

use jiff::Timestamp;
use rapport_shared::Collection;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use super::bulk::Pending;
use super::schema::{self, RECORD_COLUMNS, backend, table};
use super::side_rows::{check_links, check_uniques, dependents, remove_side_rows, write_side_rows};
use crate::store::sql::{self, ColumnValue};
use crate::store::{Actor, StoreError, StoreResult, StoredRecord, WriteOp};

/// What every op of one batch shares.
pub struct OpContext<'a> {
    pub conn: &'a Connection,
    pub actor: &'a Actor,
    /// When the batch's writes happened ([`crate::store::WriteBatch::at`]).
    pub at: Timestamp,
    /// In a bulk load, the record rows not written yet (see [`super::bulk`]).
    pub pending: Option<&'a RefCell<Pending>>,
}

/// What an op did, as the audit trail and change feed name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
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
                created_at: ctx.at,
                updated_at: ctx.at,
                fields: fields.clone(),
            };
            check_links(ctx.conn, ctx.pending, links)?;
            check_uniques(ctx.conn, *collection, &record.id, unique)?;
            write_side_rows(ctx.conn, *collection, &record, links, unique)?;
            append_audit(ctx, seq, *collection, Action::Create, None, Some(&record))?;
            match ctx.pending {
                Some(pending) => pending.borrow_mut().put(
                    *collection,
                    record.clone(),
                    false,
                    (links.clone(), unique.clone()),
                ),
                None => insert_row(ctx.conn, *collection, &record)?,
            }
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
            let before = current(ctx, *collection, id, *expected_version)?;
            let record = StoredRecord {
                id: before.id.clone(),
                version: before.version + 1,
                created_at: before.created_at,
                updated_at: ctx.at,
                fields: fields.clone(),
            };
            check_links(ctx.conn, ctx.pending, links)?;
            check_uniques(ctx.conn, *collection, id, unique)?;
            // In a bulk load, side rows this bulk wrote and the update
            // keeps are left as they are (list values follow the fields).
            let keeps_side_rows = ctx.pending.is_some_and(|pending| {
                pending.borrow().same_side_rows(id, links, unique)
                    && same_list_values(*collection, &before.fields, &record.fields)
            });
            if !keeps_side_rows {
                remove_side_rows(ctx.conn, id)?;
                write_side_rows(ctx.conn, *collection, &record, links, unique)?;
            }
            match ctx.pending {
                Some(pending) => pending.borrow_mut().put(
                    *collection,
                    record.clone(),
                    true,
                    (links.clone(), unique.clone()),
                ),
                None => update_row(ctx.conn, *collection, &record)?,
            }
            append_audit(
                ctx,
                seq,
                *collection,
                Action::Update,
                Some(&before),
                Some(&record),
            )?;
            Ok(record)
        }
        WriteOp::Delete {
            collection,
            id,
            expected_version,
        } => {
            let before = current(ctx, *collection, id, *expected_version)?;
            let dependents = dependents(ctx.conn, id)?;
            if !dependents.is_empty() {
                return Err(StoreError::HasDependents {
                    collection: *collection,
                    dependents,
                });
            }
            remove_side_rows(ctx.conn, id)?;
            let sql = format!("DELETE FROM {} WHERE id = ?1", table(*collection));
            ctx.conn.execute(&sql, [id]).map_err(backend)?;
            append_audit(ctx, seq, *collection, Action::Delete, Some(&before), None)?;
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
    ctx: &OpContext<'_>,
    collection: Collection,
    id: &str,
    expected_version: i64,
) -> StoreResult<StoredRecord> {
    let kept = ctx
        .pending
        .and_then(|pending| pending.borrow().get(collection, id).cloned());
    let record = match kept {
        Some(record) => record,
        None => fetch(ctx.conn, collection, id)?.ok_or_else(|| StoreError::NotFound {
            collection,
            id: id.to_owned(),
        })?,
    };
    if record.version != expected_version {
        return Err(StoreError::VersionMismatch {
            collection,
            id: id.to_owned(),
            current: record.version,
        });
    }
    Ok(record)
}

/// Whether two versions of a record have the same list values.
fn same_list_values(
    collection: Collection,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> bool {
    schema::list_filters(collection)
        .all(|spec| schema::list_values(spec, before) == schema::list_values(spec, after))
}

/// Inserts the record's row, with the columns derived from its fields.
pub fn insert_row(
    conn: &Connection,
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<()> {
    let (sql, values) = sql::insert_row(collection, record)?;
    run(conn, &sql, values)
}

/// Rewrites the record's row (all but id and creation time).
pub fn update_row(
    conn: &Connection,
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<()> {
    let (sql, values) = sql::update_row(collection, record)?;
    run(conn, &sql, values)
}

/// Runs a statement of [`crate::store::sql`] with its parameters.
fn run(conn: &Connection, sql: &str, values: Vec<ColumnValue>) -> StoreResult<()> {
    let mut statement = conn.prepare_cached(sql).map_err(backend)?;
    statement
        .execute(rusqlite::params_from_iter(values))
        .map_err(backend)?;
    Ok(())
}

/// Appends the op's audit row, which is also its change feed entry: the
/// entity and version are the record's after the op (before it, for a
/// delete).
fn append_audit(
    ctx: &OpContext<'_>,
    seq: i64,
    collection: Collection,
    action: Action,
    before: Option<&StoredRecord>,
    after: Option<&StoredRecord>,
) -> StoreResult<()> {
    let Some(record) = after.or(before) else {
        return Ok(());
    };
    let json = |record: Option<&StoredRecord>| record.map(StoredRecord::to_json_text);
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
            schema::to_ns(ctx.at)?,
            ctx.actor.name,
            ctx.actor.staff_id,
            collection.name(),
            record.id,
            record.version,
            action.as_str(),
            json(before),
            json(after),
        ])
        .map_err(backend)?;
    Ok(())
}
