//! SQLite implementation of the store.
//!
//! # Threads
//! No SQLite call runs on tokio's async workers:
//! - **One writer**: a dedicated thread owns the only writing connection
//!   ([`writer`]). `write` and the token changes are sent to it over a
//!   channel; it runs them one at a time, each in one `BEGIN IMMEDIATE`
//!   transaction, and answers on a oneshot only after COMMIT. Serialising
//!   writes in one place makes version checks, unique checks and the change
//!   sequence race-free without retry loops, and SQLite allows only one
//!   writer anyway.
//! - **Readers**: a fixed set of reader threads (one per core, at least
//!   two), each owning one read-only connection with its statement cache
//!   for the store's life, take reads from one queue ([`reads::Readers`]).
//!   No connection or thread is made per read. WAL mode lets them read the
//!   last committed state while the writer writes.
//!
//! # Schema
//! One table per collection (see `migrations/0001_initial.sql`): each has
//! the record's metadata, its fields as JSON text, a lower-cased `search`
//! column for `q` and one plain column per text, boolean or integer filter, with
//! indexes per (filter, sort) pair. Per-collection tables rather than one
//! table with a collection column keep every index small and specific to
//! its collection (a million RFCs do not slow the staff list) and let the
//! RFC table carry its own sort column (`priority_rank`). List fields that a
//! filter looks into live in `list_values`; references in `links`; unique
//! values in `uniques` (a primary key enforces them); every op appends one
//! `audit` row whose `seq` is also its change feed number.
//!
//! # Modules
//! - [`lock`]: the shared lock every open store holds on its database,
//!   and the exclusive one a restore takes.
//! - [`backup`]: `rapportd backup` and `rapportd restore`.
//! - [`schema`]: migrations list, connection settings, record <-> row.
//! - [`migrate`]: applies the migrations.
//! - [`writer`]: the writer thread and its commands.
//! - [`bulk`]: the rows of a bulk load, written once per record.
//! - [`guards`]: a batch's guards, read inside its transaction.
//! - [`ops`]: create, update and delete inside a transaction.
//! - [`side_rows`]: links, unique values and list values of a record.
//! - [`reads`]: the reader pool and simple reads.
//! - [`query`]: lists and counts (the cursor format is
//!   [`crate::store::cursor`]).

pub mod backup;
mod bulk;
mod guards;
pub mod lock;
mod migrate;
mod ops;
mod query;
mod reads;
mod schema;
mod side_rows;
mod writer;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::AuditEntry;
use rusqlite::Connection;
use tokio::sync::oneshot;

pub use migrate::MigrationApplied;
pub use schema::MIGRATIONS;
pub use writer::{IDEMPOTENCY_FIELD, IDEMPOTENCY_KEEP};

use self::reads::Readers;
use self::schema::backend;
use self::writer::{Command, Writer};
use crate::metrics::StoreMetrics;
use crate::store::{
    Change, IdempotentReplay, ListQuery, RecordPage, Store, StoreError, StoreResult, StoredRecord,
    TokenRecord, WriteBatch,
};

/// The SQLite store: cheap to clone, every clone shares the writer thread
/// and the reader pool. The writer thread stops when the last clone drops.
#[derive(Clone)]
pub struct SqliteStore {
    shared: Arc<Shared>,
}

struct Shared {
    writer: Writer,
    readers: Readers,
    /// Held for the store's life: a restore refuses while it is.
    _lock: lock::DbLock,
    metrics: Arc<StoreMetrics>,
}

impl SqliteStore {
    /// Opens (creating when missing, with its parent directory) the
    /// database at `path`, applies pending migrations and starts the writer
    /// thread. Blocking: call it before serving, or from `spawn_blocking`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let (conn, _, lock) = open_and_migrate(path)?;
        SqliteStore::start(path, conn, lock)
    }

    fn start(path: &Path, conn: Connection, lock: lock::DbLock) -> StoreResult<SqliteStore> {
        let metrics = Arc::new(StoreMetrics::default());
        let writer = Writer::start(conn, Arc::clone(&metrics))?;
        let readers = Readers::start(path, reads::reader_count())?;
        Ok(SqliteStore {
            shared: Arc::new(Shared {
                writer,
                readers,
                _lock: lock,
                metrics,
            }),
        })
    }

    /// [`SqliteStore::open`] with the database capped at `max_pages`
    /// pages, as a full disk would cap it: rehearsing a full disk (tests).
    pub fn open_capped(path: &Path, max_pages: i64) -> Result<SqliteStore, StoreError> {
        let (conn, _, lock) = open_and_migrate(path)?;
        conn.pragma_update(None, "max_page_count", max_pages)
            .map_err(backend)?;
        SqliteStore::start(path, conn, lock)
    }

    /// Applies pending migrations to the database at `path` (creating it)
    /// and reports which ran: `rapportd migrate`.
    pub fn migrate(path: &Path) -> Result<Vec<MigrationApplied>, StoreError> {
        open_and_migrate(path).map(|(_, applied, _)| applied)
    }

    /// Runs a read on one of the reader threads and waits for its answer.
    fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    ) -> BoxFuture<'static, StoreResult<T>> {
        let answer = self.shared.readers.submit(read);
        let shared = Arc::clone(&self.shared);
        let asked = Instant::now();
        Box::pin(async move {
            let answered = answer.await;
            shared.metrics.reads.observe(asked.elapsed());
            answered.map_err(|_| {
                StoreError::Backend("the store's reader threads have stopped".into())
            })?
        })
    }

    /// Sends a command to the writer thread and waits for its answer.
    fn command<T: Send + 'static>(
        &self,
        make: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> Command,
    ) -> BoxFuture<'static, StoreResult<T>> {
        let (reply, answer) = oneshot::channel();
        let sent = self.shared.writer.send(make(reply));
        let shared = Arc::clone(&self.shared);
        let asked = Instant::now();
        Box::pin(async move {
            sent?;
            let answered = answer.await;
            shared.metrics.writes.observe(asked.elapsed());
            answered.map_err(|_| writer::stopped())?
        })
    }
}

/// Opens the database with its shared lock held (taken first, so a
/// restore in progress is refused before the database is touched).
fn open_and_migrate(path: &Path) -> StoreResult<(Connection, Vec<MigrationApplied>, lock::DbLock)> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", parent.display())))?;
    }
    let lock = lock::shared(path).map_err(|error| match error {
        lock::LockError::Held(db) => StoreError::Backend(format!(
            "{} is being restored (rapportd restore holds it); try again when it is done",
            db.display()
        )),
        other => StoreError::Backend(other.to_string()),
    })?;
    let mut conn = Connection::open(path).map_err(backend)?;
    schema::configure(&conn).map_err(backend)?;
    let applied = migrate::apply(&mut conn)?;
    Ok((conn, applied, lock))
}

impl Store for SqliteStore {
    fn get(
        &self,
        collection: Collection,
        id: String,
    ) -> BoxFuture<'static, StoreResult<StoredRecord>> {
        self.read(move |conn| reads::get(conn, collection, &id))
    }

    fn list(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<RecordPage>> {
        self.read(move |conn| query::list(conn, &query))
    }

    fn count(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<i64>> {
        self.read(move |conn| query::count(conn, &query))
    }

    fn linked_from(
        &self,
        collection: Collection,
        field: String,
        id: String,
    ) -> BoxFuture<'static, StoreResult<Vec<String>>> {
        self.read(move |conn| reads::linked_from(conn, collection, &field, &id))
    }

    fn write(&self, batch: WriteBatch) -> BoxFuture<'static, StoreResult<Vec<StoredRecord>>> {
        self.command(|reply| Command::Write(batch, reply))
    }

    fn write_bulk(&self, batch: WriteBatch) -> BoxFuture<'static, StoreResult<Vec<StoredRecord>>> {
        self.command(|reply| Command::Bulk(batch, reply))
    }

    fn finish_bulk(&self) -> BoxFuture<'static, StoreResult<()>> {
        self.command(Command::FinishBulk)
    }

    fn idempotent_replay(
        &self,
        token_id: String,
        key: String,
    ) -> BoxFuture<'static, StoreResult<Option<IdempotentReplay>>> {
        self.read(move |conn| reads::idempotent_replay(conn, &token_id, &key))
    }

    fn audit(
        &self,
        collection: Option<Collection>,
        id: Option<String>,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<AuditEntry>>> {
        self.read(move |conn| reads::audit(conn, collection, id.as_deref(), after_seq, limit))
    }

    fn changes_since(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<Change>>> {
        self.read(move |conn| reads::changes_since(conn, after_seq, limit))
    }

    fn last_seq(&self) -> BoxFuture<'static, StoreResult<i64>> {
        self.read(reads::last_seq)
    }

    fn create_expiring_token(
        &self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<jiff::Timestamp>,
    ) -> BoxFuture<'static, StoreResult<TokenRecord>> {
        self.command(|reply| Command::CreateToken {
            name,
            permission,
            staff_id,
            secret_hash,
            expires_at,
            reply,
        })
    }

    fn token_by_hash(
        &self,
        secret_hash: String,
    ) -> BoxFuture<'static, StoreResult<Option<TokenRecord>>> {
        self.read(move |conn| {
            reads::token_where(conn, "secret_hash = ?1 AND revoked = 0", &secret_hash)
        })
    }

    fn list_tokens(&self) -> BoxFuture<'static, StoreResult<Vec<TokenRecord>>> {
        self.read(reads::list_tokens)
    }

    fn revoke_token(&self, id_or_name: String) -> BoxFuture<'static, StoreResult<TokenRecord>> {
        self.command(|reply| Command::RevokeToken(id_or_name, reply))
    }

    fn is_empty(&self) -> BoxFuture<'static, StoreResult<bool>> {
        self.read(reads::is_empty)
    }

    fn metrics(&self) -> Option<&StoreMetrics> {
        Some(&self.shared.metrics)
    }
}

#[cfg(test)]
mod tests;
