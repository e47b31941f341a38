//! Versioned migrations: each one in [`MIGRATIONS`] that is not yet
//! recorded in `schema_migrations` runs in its own transaction, in order,
//! while this connection holds the database's migration lock (a session
//! advisory lock), so of several servers starting at once one migrates and
//! the others find the schema current.

use jiff::Timestamp;
use tokio_postgres::{Client, NoTls};

use super::schema::{MIGRATIONS, backend};
use crate::store::{MigrationApplied, StoreError, StoreResult};

/// The advisory lock key every rapport server takes to migrate: the
/// bytes of "rapport" and a 1, so no other application's key is likely
/// to be the same.
pub const MIGRATION_LOCK: i64 = 0x7261_7070_6f72_7401;

/// Brings the database up to the newest schema; returns the migrations it
/// ran (none when the schema was current). The connection is its own,
/// closed when this returns, which also releases the lock should
/// anything fail on the way.
pub async fn apply(config: &tokio_postgres::Config) -> StoreResult<Vec<MigrationApplied>> {
    let (mut client, connection) = config.connect(NoTls).await.map_err(|error| {
        StoreError::Backend(format!(
            "cannot connect to the database: {}",
            backend(error)
        ))
    })?;
    let connection = tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(error = %backend(error), "the migration connection failed");
        }
    });
    let applied = locked(&mut client).await;
    drop(client);
    let _ = connection.await;
    applied
}

async fn locked(client: &mut Client) -> StoreResult<Vec<MigrationApplied>> {
    // "already exists, skipping" and the like are no news at every start.
    client
        .batch_execute("SET client_min_messages TO warning")
        .await
        .map_err(backend)?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(backend)?;
    let applied = pending(client).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(backend);
    let applied = applied?;
    unlocked?;
    Ok(applied)
}

async fn pending(client: &mut Client) -> StoreResult<Vec<MigrationApplied>> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )",
        )
        .await
        .map_err(backend)?;
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS {
        let tx = client.transaction().await.map_err(backend)?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .await
            .map_err(backend)?
            .is_some();
        if done {
            continue;
        }
        tx.batch_execute(sql).await.map_err(|error| {
            let error = backend(error);
            StoreError::Backend(format!("migration {version} ({name}) failed: {error}"))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&version, &name, &Timestamp::now().to_string()],
        )
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        applied.push(MigrationApplied { version, name });
    }
    Ok(applied)
}
