//! Reads: the pool of reader connections and every query that only reads
//! (lists and counts live in [`super::query`]). Each function takes a plain
//! connection, so the writer thread can use them inside its transaction too.

use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::AuditEntry;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};
use serde_json::Value;
use tokio::sync::oneshot;

use super::schema::{self, backend, table};
use crate::store::{Change, IdempotentReplay, StoreError, StoreResult, StoredRecord, TokenRecord};

/// A read waiting for a reader thread: it runs on that thread's
/// connection and sends its own answer.
pub type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

/// A fixed set of reader threads, each owning one read-only connection
/// for the life of the store (so its prepared statements stay cached),
/// taking reads from one queue in arrival order. No connection is opened
/// per read and no thread is started per read.
pub struct Readers {
    queue: Option<mpsc::Sender<ReadJob>>,
    threads: Vec<JoinHandle<()>>,
}

/// How many reader threads a store runs: one per core, at least two (so
/// a slow list never holds up a `GET` by id), at most [`MAX_READERS`].
pub fn reader_count() -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .clamp(2, MAX_READERS)
}

/// The most reader threads a store runs, whatever the core count: beyond
/// this, SQLite readers contend on the WAL index more than they gain.
pub const MAX_READERS: usize = 8;

impl Readers {
    /// Opens `count` read-only connections to the database at `path` and
    /// starts a thread for each.
    pub fn start(path: &Path, count: usize) -> StoreResult<Readers> {
        let (queue, jobs) = mpsc::channel::<ReadJob>();
        let jobs = Arc::new(Mutex::new(jobs));
        let mut threads = Vec::with_capacity(count);
        for index in 0..count {
            let conn = open_reader(path)?;
            let jobs = Arc::clone(&jobs);
            let thread = std::thread::Builder::new()
                .name(format!("rapport-store-reader-{index}"))
                .spawn(move || serve_reads(&conn, &jobs))
                .map_err(|e| StoreError::Backend(format!("cannot start a reader thread: {e}")))?;
            threads.push(thread);
        }
        Ok(Readers {
            queue: Some(queue),
            threads,
        })
    }

    /// Queues `read`; its answer arrives on the returned receiver (which
    /// errs only when the readers have stopped).
    pub fn submit<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    ) -> oneshot::Receiver<StoreResult<T>> {
        let (reply, answer) = oneshot::channel();
        let job: ReadJob = Box::new(move |conn| {
            // A caller that gave up (dropped its receiver) is no error.
            let _ = reply.send(read(conn));
        });
        if let Some(queue) = &self.queue {
            // A send fails only when every thread has gone, and then the
            // dropped job drops `reply`, which the caller sees.
            let _ = queue.send(job);
        }
        answer
    }
}

/// One reader thread: takes the next read (holding the queue's lock only
/// while waiting for it) and runs it, until the queue closes.
fn serve_reads(conn: &Connection, jobs: &Mutex<mpsc::Receiver<ReadJob>>) {
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            // Poisoned: a thread panicked while waiting, which recv never
            // does; the queue inside is still sound.
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match job {
            Ok(job) => job(conn),
            Err(_) => return,
        }
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        // Closing the queue ends each thread after the reads already
        // queued; joining closes their connections before we return.
        self.queue.take();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn open_reader(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(backend)?;
    conn.busy_timeout(schema::BUSY_TIMEOUT).map_err(backend)?;
    conn.set_prepared_statement_cache_capacity(schema::STATEMENT_CACHE);
    Ok(conn)
}

/// One record, or `NotFound`.
pub fn get(conn: &Connection, collection: Collection, id: &str) -> StoreResult<StoredRecord> {
    super::ops::fetch(conn, collection, id)?.ok_or_else(|| StoreError::NotFound {
        collection,
        id: id.to_owned(),
    })
}

/// Ids of `collection` records whose `field` links to `id`, oldest first.
pub fn linked_from(
    conn: &Connection,
    collection: Collection,
    field: &str,
    id: &str,
) -> StoreResult<Vec<String>> {
    let mut statement = conn
        .prepare_cached(
            "SELECT from_id FROM links WHERE to_id = ?1 AND from_collection = ?2 AND field = ?3 \
             ORDER BY from_id",
        )
        .map_err(backend)?;
    let ids = statement
        .query_map(params![id, collection.name(), field], |row| row.get(0))
        .map_err(backend)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .map_err(backend)?;
    Ok(ids)
}

fn json_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Value>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    })
    .transpose()
}

/// Audit entries after `after_seq`, oldest first.
pub fn audit(
    conn: &Connection,
    collection: Option<Collection>,
    id: Option<&str>,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let mut sql = String::from(
        "SELECT seq, at_ns, who, who_staff_id, entity, entity_id, action, before_json, \
         after_json FROM audit WHERE seq > ?",
    );
    let mut values: Vec<rusqlite::types::Value> = vec![after_seq.into()];
    if let Some(collection) = collection {
        sql.push_str(" AND entity = ?");
        values.push(collection.name().to_owned().into());
    }
    if let Some(id) = id {
        sql.push_str(" AND entity_id = ?");
        values.push(id.to_owned().into());
    }
    sql.push_str(" ORDER BY seq LIMIT ?");
    values.push(i64::from(limit).into());
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    let entries = statement
        .query_map(rusqlite::params_from_iter(values), |row| {
            Ok(AuditEntry {
                seq: row.get(0)?,
                when: schema::from_ns(row.get(1)?)?,
                who: row.get(2)?,
                who_staff_id: row.get(3)?,
                entity: row.get(4)?,
                entity_id: row.get(5)?,
                action: row.get(6)?,
                before: json_column(row, 7)?,
                after: json_column(row, 8)?,
            })
        })
        .map_err(backend)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(backend)?;
    Ok(entries)
}

/// Changes after `after_seq`, oldest first.
pub fn changes_since(conn: &Connection, after_seq: i64, limit: u32) -> StoreResult<Vec<Change>> {
    let mut statement = conn
        .prepare_cached(
            "SELECT seq, entity, entity_id, version, action, at_ns FROM audit \
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .map_err(backend)?;
    let rows = statement
        .query_map(params![after_seq, i64::from(limit)], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                schema::from_ns(row.get(5)?)?,
            ))
        })
        .map_err(backend)?;
    let mut changes = Vec::new();
    for row in rows {
        let (seq, entity, id, version, action, at) = row.map_err(backend)?;
        changes.push(Change {
            seq,
            collection: parse_collection(&entity)?,
            id,
            version,
            action,
            at,
        });
    }
    Ok(changes)
}

fn parse_collection(name: &str) -> StoreResult<Collection> {
    Collection::parse(name)
        .ok_or_else(|| StoreError::Backend(format!("unknown collection {name} in the database")))
}

/// The newest change sequence number, 0 when there is none.
pub fn last_seq(conn: &Connection) -> StoreResult<i64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit", [], |row| {
        row.get(0)
    })
    .map_err(backend)
}

/// Whether no collection holds a record.
pub fn is_empty(conn: &Connection) -> StoreResult<bool> {
    for collection in Collection::ALL {
        let sql = format!("SELECT 1 FROM {} LIMIT 1", table(*collection));
        let any = conn
            .query_row(&sql, [], |_| Ok(()))
            .optional()
            .map_err(backend)?;
        if any.is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What the first request with this token and key created, if kept.
pub fn idempotent_replay(
    conn: &Connection,
    token_id: &str,
    key: &str,
) -> StoreResult<Option<IdempotentReplay>> {
    let row = conn
        .query_row(
            "SELECT request_hash, collection, record_json FROM idempotency_keys \
             WHERE token_id = ?1 AND key = ?2",
            [token_id, key],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()
        .map_err(backend)?;
    let Some((request_hash, collection, json)) = row else {
        return Ok(None);
    };
    Ok(Some(IdempotentReplay {
        request_hash,
        collection: parse_collection(&collection)?,
        record: crate::store::sql::record_from_json(&json)?,
    }))
}

const TOKEN_COLUMNS: &str = "id, name, permission, staff_id, created_ns, revoked, expires_ns";

fn token_from_row(row: &Row<'_>) -> rusqlite::Result<TokenRecord> {
    let permission: String = row.get(2)?;
    Ok(TokenRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        permission: Permission::parse(&permission).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown permission {permission}").into(),
            )
        })?,
        staff_id: row.get(3)?,
        created_at: schema::from_ns(row.get(4)?)?,
        revoked: row.get::<_, i64>(5)? != 0,
        expires_at: row
            .get::<_, Option<i64>>(6)?
            .map(schema::from_ns)
            .transpose()?,
    })
}

/// The newest token matching `condition` (with one parameter `?1`).
pub fn token_where(
    conn: &Connection,
    condition: &str,
    value: &str,
) -> StoreResult<Option<TokenRecord>> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM tokens WHERE {condition} ORDER BY created_ns DESC LIMIT 1"
    );
    conn.query_row(&sql, [value], token_from_row)
        .optional()
        .map_err(backend)
}

/// Every token, oldest first.
pub fn list_tokens(conn: &Connection) -> StoreResult<Vec<TokenRecord>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id");
    let mut statement = conn.prepare(&sql).map_err(backend)?;
    let tokens = statement
        .query_map([], token_from_row)
        .map_err(backend)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(backend)?;
    Ok(tokens)
}
