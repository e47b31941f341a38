//! The rows kept beside a record: its links (checked on write, counted on
//! delete), its unique values and the values of its list fields. They are
//! replaced whole on every update.

use std::cell::RefCell;

use rapport_shared::Collection;
use rusqlite::{Connection, OptionalExtension, params};

use super::bulk::Pending;
use super::schema::{self, backend, table};
use crate::store::{Dependents, Link, StoreError, StoreResult, StoredRecord, UniqueField};

/// Fails with `MissingLink` (naming the field) for the first link whose
/// target does not exist.
/// In a bulk load, a record in `pending` (not written yet) exists.
pub fn check_links(
    conn: &Connection,
    pending: Option<&RefCell<Pending>>,
    links: &[Link],
) -> StoreResult<()> {
    for link in links {
        if pending.is_some_and(|p| p.borrow().get(link.collection, &link.id).is_some()) {
            continue;
        }
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

/// Fails with `Duplicate` when another record of the collection holds one
/// of the values.
pub fn check_uniques(
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
            return Err(field.taken_error());
        }
    }
    Ok(())
}

/// Writes the record's links (deduplicated), unique values and list values.
pub fn write_side_rows(
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
                Some(rusqlite::ErrorCode::ConstraintViolation) => field.taken_error(),
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
pub fn remove_side_rows(conn: &Connection, id: &str) -> StoreResult<()> {
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
