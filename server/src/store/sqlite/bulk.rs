//! The writer's bulk load ([`crate::store::Store::write_bulk`]): batches
//! run as normal writes do (checks, side rows, audit rows and change
//! numbers at once), but the record rows they create or update are kept
//! here, the last version of each, and written once when the bulk is
//! flushed. An RFC raised and moved along three workflow steps in one
//! bulk is inserted once with its final version (its 15 indexes and its
//! search index written once) instead of inserted and rewritten three
//! times. Reads inside the bulk (the record an update changes, the
//! target of a link) look here first.

use std::collections::HashMap;

use rapport_shared::Collection;
use rusqlite::Connection;
use rusqlite::config::DbConfig;

use super::ops;
use super::schema;
use crate::store::{Link, StoreResult, StoredRecord, UniqueField};

/// Bulk writes between commits: bounds the records kept here (a few tens
/// of megabytes) and the WAL a commit leaves to checkpoint.
pub const COMMIT_EVERY_OPS: usize = 40_000;

/// The page cache of the writer during a bulk load, in KiB (SQLite's
/// default is 2 MiB): the RFC table's indexes stay in memory.
pub const BULK_CACHE_KIB: i64 = 131_072;

/// SQLite's default page cache, in KiB, restored after a bulk load.
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// A record row not written yet.
struct Row {
    collection: Collection,
    record: StoredRecord,
    /// Whether the table already has a row for it (an update, not an insert).
    in_table: bool,
    /// The links and unique values its side rows hold, when written in
    /// this bulk (so an update that keeps them leaves them alone).
    side: Option<(Vec<Link>, Vec<UniqueField>)>,
}

/// The rows of a bulk load not written yet, in the order first written.
#[derive(Default)]
pub struct Pending {
    rows: Vec<Row>,
    by_id: HashMap<String, usize>,
    /// Ops since the last commit.
    pub ops: usize,
}

impl Pending {
    /// The last version of a record written in this bulk.
    pub fn get(&self, collection: Collection, id: &str) -> Option<&StoredRecord> {
        let row = &self.rows[*self.by_id.get(id)?];
        (row.collection == collection).then_some(&row.record)
    }

    /// Whether the side rows written for `id` in this bulk are exactly
    /// `links` and `unique` (then an update keeping them rewrites none).
    pub fn same_side_rows(&self, id: &str, links: &[Link], unique: &[UniqueField]) -> bool {
        self.by_id
            .get(id)
            .and_then(|&index| self.rows[index].side.as_ref())
            .is_some_and(|(l, u)| l == links && u == unique)
    }

    /// Keeps `record` as the row to write for it; `in_table` says whether
    /// the table has it already (ignored when it is kept here already).
    pub fn put(
        &mut self,
        collection: Collection,
        record: StoredRecord,
        in_table: bool,
        side: (Vec<Link>, Vec<UniqueField>),
    ) {
        match self.by_id.get(&record.id) {
            Some(&index) => {
                let row = &mut self.rows[index];
                row.record = record;
                row.side = Some(side);
            }
            None => {
                self.by_id.insert(record.id.clone(), self.rows.len());
                self.rows.push(Row {
                    collection,
                    record,
                    in_table,
                    side: Some(side),
                });
            }
        }
    }

    /// Writes every kept row and forgets them. Updates first, as any
    /// write does; then the new rows in the order created (so the tables
    /// grow at their end) with triggers off, and their search index rows
    /// in one statement per collection: the search triggers would flush
    /// FTS5's index once per row (the statement savepoint of each insert).
    pub fn flush(&mut self, conn: &Connection) -> StoreResult<()> {
        let rows = std::mem::take(&mut self.rows);
        self.by_id.clear();
        let mut searched: Vec<(Collection, i64)> = Vec::new();
        for row in &rows {
            if row.in_table {
                ops::update_row(conn, row.collection, &row.record)?;
            } else if schema::SEARCH_INDEXED.contains(&row.collection)
                && !searched.iter().any(|(c, _)| *c == row.collection)
            {
                let sql = format!(
                    "SELECT COALESCE(MAX(rowid), 0) FROM {}",
                    schema::table(row.collection)
                );
                let last: i64 = conn
                    .query_row(&sql, [], |r| r.get(0))
                    .map_err(schema::backend)?;
                searched.push((row.collection, last));
            }
        }
        set_triggers(conn, false)?;
        let inserted = rows
            .iter()
            .filter(|row| !row.in_table)
            .try_for_each(|row| ops::insert_row(conn, row.collection, &row.record));
        set_triggers(conn, true)?;
        inserted?;
        for (collection, last) in searched {
            let table = schema::table(collection);
            let sql = format!(
                "INSERT INTO {table}_search (rowid, text) \
                 SELECT rowid, search || char(10) || id FROM {table} WHERE rowid > ?1"
            );
            conn.execute(&sql, [last]).map_err(schema::backend)?;
        }
        Ok(())
    }
}

/// Turns the connection's triggers on or off.
fn set_triggers(conn: &Connection, on: bool) -> StoreResult<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, on)
        .map(|_| ())
        .map_err(schema::backend)
}

/// The writer connection's settings for a bulk load: no sync per commit
/// (the bulk is durable once [`end`] has synced it) and a large page cache.
pub fn begin(conn: &Connection) -> StoreResult<()> {
    conn.pragma_update(None, "synchronous", "OFF")
        .and_then(|()| conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB))
        .map_err(schema::backend)
}

/// Back to the normal settings, and the WAL checkpointed into the
/// database with a sync (so the bulk is durable) and truncated.
pub fn end(conn: &Connection) -> StoreResult<()> {
    conn.pragma_update(None, "synchronous", "FULL")
        .and_then(|()| conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB))
        .map_err(schema::backend)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(schema::backend)
}
