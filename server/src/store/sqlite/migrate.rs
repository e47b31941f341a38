//! Versioned migrations: each one in [`schema::MIGRATIONS`] that is not yet
//! recorded in `schema_migrations` runs in its own transaction, in order.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::schema::{self, backend};
use crate::store::StoreResult;

pub use crate::store::MigrationApplied;

/// Brings the database up to the newest schema; returns the migrations it
/// ran (none when the schema was current). Safe beside another process
/// doing the same: each step takes the write lock before it checks.
pub fn apply(conn: &mut Connection) -> StoreResult<Vec<MigrationApplied>> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )
    .map_err(backend)?;
    let mut applied = Vec::new();
    for &(version, name, sql) in schema::MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let done = tx
            .query_row(
                "SELECT 1 FROM schema_migrations WHERE version = ?1",
                [version],
                |_| Ok(()),
            )
            .optional()
            .map_err(backend)?
            .is_some();
        if done {
            continue;
        }
        tx.execute_batch(sql).map_err(backend)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, name, Timestamp::now().to_string()],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        applied.push(MigrationApplied { version, name });
    }
    Ok(applied)
}
