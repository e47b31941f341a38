//! PostgreSQL implementation of the store, on tokio-postgres with a
//! deadpool pool of connections.
//!
//! # Tasks, not threads
//! tokio-postgres is asynchronous: a read or a write awaits its answer
//! from the server without holding an async worker, so this backend needs
//! no threads of its own. Reads take any connection of the pool. Writes
//! pass one at a time through the store's write gate (a tokio mutex), so
//! a server waiting for the database's write lock holds one connection,
//! not one per waiting request, and the pool stays free for reads.
//!
//! # One writer at a time, in commit order
//! Every writing transaction (READ COMMITTED) starts with `SELECT last_seq
//! FROM change_counter FOR UPDATE`: the one row's lock is the database's
//! write lock, as `BEGIN IMMEDIATE` is SQLite's. Whoever holds it is the
//! only writer of every server on the database until it commits or rolls
//! back, and each of its statements (taking a fresh snapshot after the
//! lock was granted) sees every write committed before. So the checks the
//! batch makes inside its transaction (versions, links, uniques,
//! dependents, guards, derivations) are final, as on SQLite, with no
//! retry loop; and the change numbers a transaction takes from the counter
//! follow commit order: the next writer gets the lock, and the counter's
//! value, only once this one has committed (ARCHITECTURE.md says why a
//! reader never sees change 12 before change 11).
//!
//! # Schema
//! SQLite's tables, columns and indexes (`migrations/0001_initial.sql`),
//! so the shared SQL of [`crate::store::sql`] runs on both, plus the
//! `change_counter` row and pg_trgm indexes that serve `q`.
//!
//! # Modules
//! - [`schema`]: the migrations list, values and rows, errors.
//! - [`migrate`]: applies the migrations under an advisory lock.
//! - [`reads`]: every read (records, pages and counts, audit, changes,
//!   idempotency keys, tokens).
//! - [`writer`]: a batch's transaction, and the token commands.
//! - [`ops`]: create, update and delete inside it, with side rows.

mod migrate;
mod ops;
mod reads;
mod schema;
mod writer;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use futures::future::BoxFuture;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::AuditEntry;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub use schema::MIGRATIONS;

use self::schema::pool_error;
use crate::metrics::StoreMetrics;
use crate::store::{
    Change, IdempotentReplay, ListQuery, MigrationApplied, RecordPage, Store, StoreError,
    StoreResult, StoredRecord, TokenRecord, WriteBatch,
};

/// Connections the pool keeps at most: a few writers' worth and a reader
/// per request a small server answers at once. PostgreSQL's default
/// `max_connections` (100) leaves room for several servers.
pub const POOL_SIZE: usize = 16;

/// How long a request waits for a free connection before failing: long
/// enough for a burst of slow lists, short enough to answer with an error
/// while the database is unreachable.
pub const POOL_WAIT: Duration = Duration::from_secs(30);

/// How long opening one connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL store: cheap to clone, every clone shares the pool.
#[derive(Clone)]
pub struct PgStore {
    shared: Arc<Shared>,
}

struct Shared {
    pool: Pool,
    /// Writes of this server, one at a time (see the module docs).
    write_gate: tokio::sync::Mutex<()>,
    /// The last id handed out, to keep this server's ids increasing.
    last_id: Mutex<Uuid>,
    /// Writes since idempotency keys were last pruned.
    writes_since_prune: std::sync::atomic::AtomicU32,
    metrics: StoreMetrics,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host/db`, as
    /// libpq reads it), applies pending migrations and keeps a pool.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        let config = schema::config(url)?;
        migrate::apply(&config).await?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot set up the connection pool: {e}")))?;
        let store = PgStore {
            shared: Arc::new(Shared {
                pool,
                write_gate: tokio::sync::Mutex::new(()),
                last_id: Mutex::new(Uuid::nil()),
                writes_since_prune: std::sync::atomic::AtomicU32::new(0),
                metrics: StoreMetrics::default(),
            }),
        };
        writer::prune_idempotency_keys(&store.shared).await?;
        Ok(store)
    }

    /// Applies pending migrations to the database at `url` and reports
    /// which ran: `rapportd migrate`.
    pub async fn migrate(url: &str) -> StoreResult<Vec<MigrationApplied>> {
        migrate::apply(&schema::config(url)?).await
    }

    /// Runs a read on a connection of the pool.
    fn read<T, F>(
        &self,
        read: impl FnOnce(deadpool_postgres::Object) -> F + Send + 'static,
    ) -> BoxFuture<'static, StoreResult<T>>
    where
        T: Send + 'static,
        F: std::future::Future<Output = StoreResult<T>> + Send,
    {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            let asked = Instant::now();
            let client = shared.pool.get().await.map_err(pool_error)?;
            let answer = read(client).await;
            shared.metrics.reads.observe(asked.elapsed());
            answer
        })
    }
}

impl Store for PgStore {
    fn get(
        &self,
        collection: Collection,
        id: String,
    ) -> BoxFuture<'static, StoreResult<StoredRecord>> {
        self.read(move |client| async move { reads::get(&client, collection, &id).await })
    }

    fn list(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<RecordPage>> {
        self.read(move |client| async move { reads::list(&client, &query).await })
    }

    fn count(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<i64>> {
        self.read(move |client| async move { reads::count(&client, &query).await })
    }

    fn linked_from(
        &self,
        collection: Collection,
        field: String,
        id: String,
    ) -> BoxFuture<'static, StoreResult<Vec<String>>> {
        self.read(move |client| async move {
            reads::linked_from(&client, collection, &field, &id).await
        })
    }

    fn write(&self, batch: WriteBatch) -> BoxFuture<'static, StoreResult<Vec<StoredRecord>>> {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move { writer::write(&shared, batch).await })
    }

    fn idempotent_replay(
        &self,
        token_id: String,
        key: String,
    ) -> BoxFuture<'static, StoreResult<Option<IdempotentReplay>>> {
        self.read(
            move |client| async move { reads::idempotent_replay(&client, &token_id, &key).await },
        )
    }

    fn audit(
        &self,
        collection: Option<Collection>,
        id: Option<String>,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<AuditEntry>>> {
        self.read(move |client| async move {
            reads::audit(&client, collection, id.as_deref(), after_seq, limit).await
        })
    }

    fn changes_since(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<Change>>> {
        self.read(
            move |client| async move { reads::changes_since(&client, after_seq, limit).await },
        )
    }

    fn last_seq(&self) -> BoxFuture<'static, StoreResult<i64>> {
        self.read(|client| async move { reads::last_seq(&client).await })
    }

    fn create_expiring_token(
        &self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<jiff::Timestamp>,
    ) -> BoxFuture<'static, StoreResult<TokenRecord>> {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            writer::create_token(&shared, name, permission, staff_id, secret_hash, expires_at).await
        })
    }

    fn token_by_hash(
        &self,
        secret_hash: String,
    ) -> BoxFuture<'static, StoreResult<Option<TokenRecord>>> {
        self.read(move |client| async move {
            reads::token_where(&client, "secret_hash = $1 AND revoked = 0", &secret_hash).await
        })
    }

    fn list_tokens(&self) -> BoxFuture<'static, StoreResult<Vec<TokenRecord>>> {
        self.read(|client| async move { reads::list_tokens(&client).await })
    }

    fn revoke_token(&self, id_or_name: String) -> BoxFuture<'static, StoreResult<TokenRecord>> {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move { writer::revoke_token(&shared, &id_or_name).await })
    }

    fn is_empty(&self) -> BoxFuture<'static, StoreResult<bool>> {
        self.read(|client| async move { reads::is_empty(&client).await })
    }

    fn metrics(&self) -> Option<&StoreMetrics> {
        Some(&self.shared.metrics)
    }
}
