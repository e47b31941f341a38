//! The writer thread: the one connection that writes. Commands arrive on a
//! channel and run one after another. Writes are committed in groups: the
//! writer takes every write waiting when it begins a transaction (up to
//! [`GROUP_LIMIT`]), runs each under its own savepoint (a write that fails
//! is rolled back alone) and commits them with one sync. Replies are sent
//! only after COMMIT, so a caller that hears "ok" knows the write is
//! durable (`synchronous=FULL`). A batch's guards are checked first inside
//! the transaction ([`super::guards`]), after every earlier write of the
//! group, so of two racing writes that would together break a rule, the
//! second fails.

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::bulk::{self, Pending};
use super::guards;
use super::ops::{self, OpContext};
use super::reads;
use super::schema::{self, backend};
use crate::metrics::StoreMetrics;
use crate::store::{StoreError, StoreResult, StoredRecord, TokenRecord, WriteBatch, WriteOp};

/// How long idempotency keys are kept: a client retrying a create within
/// this window gets the first answer. The API promises at least 24 hours.
pub const IDEMPOTENCY_KEEP: SignedDuration = SignedDuration::from_hours(25);

/// Old idempotency keys are pruned at open and after this many writes:
/// often enough that the table stays small, rarely enough to cost nothing.
pub const PRUNE_EVERY_WRITES: u32 = 1000;

/// The most writes committed together: enough to share one sync among a
/// whole service desk's clients, few enough that the first waits little.
pub const GROUP_LIMIT: usize = 64;

/// Where a write's answer goes.
type Reply = oneshot::Sender<StoreResult<Vec<StoredRecord>>>;

/// The field named in the `Duplicate` error for an idempotency key that a
/// concurrent request with another body already used.
pub const IDEMPOTENCY_FIELD: &str = "Idempotency-Key";

/// Work for the writer thread, each with where to send the answer.
pub enum Command {
    Write(WriteBatch, oneshot::Sender<StoreResult<Vec<StoredRecord>>>),
    CreateToken {
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<Timestamp>,
        reply: oneshot::Sender<StoreResult<TokenRecord>>,
    },
    RevokeToken(String, oneshot::Sender<StoreResult<TokenRecord>>),
    /// A write of a bulk load ([`crate::store::Store::write_bulk`]).
    Bulk(WriteBatch, Reply),
    /// The end of a bulk load: everything committed.
    FinishBulk(oneshot::Sender<StoreResult<()>>),
}

/// The handle the store keeps: dropping it stops the thread after the
/// commands already sent have run.
pub struct Writer {
    sender: Option<mpsc::Sender<Command>>,
    /// Its queue's depth is kept here for `GET /metrics`.
    metrics: Arc<StoreMetrics>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread that owns `conn` (already migrated).
    pub fn start(conn: Connection, metrics: Arc<StoreMetrics>) -> StoreResult<Writer> {
        let mut state = WriterState::new(conn, Arc::clone(&metrics))?;
        state.prune_idempotency_keys()?;
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("rapport-store-writer".into())
            .spawn(move || state.run(&receiver))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            sender: Some(sender),
            metrics,
            thread: Some(thread),
        })
    }

    /// Queues a command; fails only when the thread has stopped.
    pub fn send(&self, command: Command) -> StoreResult<()> {
        let sender = self.sender.as_ref().ok_or_else(stopped)?;
        // Counted before it is sent, so the thread never takes it off first.
        self.metrics.writer_queue.fetch_add(1, Ordering::Relaxed);
        sender.send(command).map_err(|_| {
            self.metrics.writer_queue.fetch_sub(1, Ordering::Relaxed);
            stopped()
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once the queue is empty;
        // joining makes sure its connection is closed before we return, so a
        // store reopened right after sees every write.
        self.sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A new UUID v7, greater than `last` (and every id before it in this
/// process); updates `last`.
fn next_id(last: &mut Uuid) -> String {
    let mut id = Uuid::now_v7();
    if id <= *last {
        // Same millisecond and the v7 counter did not help (or the clock
        // went back): step just past the last id, which keeps it a valid v7
        // unless its random bits were all ones.
        id = Uuid::from_u128(last.as_u128().saturating_add(1));
    }
    *last = id;
    id.to_string()
}

/// The error for a command the writer thread can no longer answer.
pub fn stopped() -> StoreError {
    StoreError::Backend("the store's writer thread has stopped".into())
}

struct WriterState {
    conn: Connection,
    /// The sequence number the next op gets.
    next_seq: i64,
    /// The last id handed out, to keep ids strictly increasing.
    last_id: Uuid,
    writes_since_prune: u32,
    metrics: Arc<StoreMetrics>,
    /// During a bulk load, its rows not written yet; its transaction is
    /// open while `Pending::ops` is above zero.
    bulk: Option<RefCell<Pending>>,
}

impl WriterState {
    fn new(conn: Connection, metrics: Arc<StoreMetrics>) -> StoreResult<WriterState> {
        let last_seq = reads::last_seq(&conn)?;
        Ok(WriterState {
            conn,
            next_seq: last_seq + 1,
            last_id: Uuid::nil(),
            writes_since_prune: 0,
            metrics,
            bulk: None,
        })
    }

    /// One command off the queue.
    fn taken(&self) {
        self.metrics.writer_queue.fetch_sub(1, Ordering::Relaxed);
    }

    fn run(mut self, receiver: &mpsc::Receiver<Command>) {
        let mut next = None;
        loop {
            let command = match next.take() {
                Some(command) => command,
                None => match receiver.recv() {
                    Ok(command) => {
                        self.taken();
                        command
                    }
                    Err(_) => {
                        // The store was dropped during a bulk load.
                        if let Err(error) = self.finish_bulk() {
                            tracing::warn!(%error, "committing the bulk load failed");
                        }
                        return;
                    }
                },
            };
            // Any other command ends a bulk load first.
            if !matches!(command, Command::Bulk(..) | Command::FinishBulk(_))
                && let Err(error) = self.finish_bulk()
            {
                tracing::warn!(%error, "committing the bulk load failed");
            }
            // A caller that gave up (dropped its receiver) is no error here.
            match command {
                Command::Write(batch, reply) => {
                    // Every write already waiting joins this one's commit.
                    let mut group = vec![(batch, reply)];
                    while group.len() < GROUP_LIMIT {
                        match receiver.try_recv() {
                            Ok(Command::Write(batch, reply)) => {
                                self.taken();
                                group.push((batch, reply));
                            }
                            Ok(other) => {
                                self.taken();
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.write_group(group);
                }
                Command::CreateToken {
                    name,
                    permission,
                    staff_id,
                    secret_hash,
                    expires_at,
                    reply,
                } => {
                    let token =
                        self.create_token(name, permission, staff_id, secret_hash, expires_at);
                    let _ = reply.send(token);
                }
                Command::RevokeToken(id_or_name, reply) => {
                    let _ = reply.send(self.revoke_token(&id_or_name));
                }
                Command::Bulk(batch, reply) => {
                    let _ = reply.send(self.write_bulk(&batch));
                }
                Command::FinishBulk(reply) => {
                    let _ = reply.send(self.finish_bulk());
                }
            }
        }
    }

    /// Writes `group` in one transaction, each batch under a savepoint of
    /// its own (a batch that fails its checks is rolled back alone), and
    /// answers every batch only after the one COMMIT.
    fn write_group(&mut self, group: Vec<(WriteBatch, Reply)>) {
        let mut answers = Vec::with_capacity(group.len());
        let committed = self.write_all(&group, &mut answers);
        for ((_, reply), answer) in group.into_iter().zip(answers) {
            let answer = match &committed {
                Ok(()) => answer,
                Err(error) => Err(error.clone()),
            };
            let _ = reply.send(answer);
        }
        if committed.is_ok() {
            self.writes_since_prune += 1;
            if self.writes_since_prune >= PRUNE_EVERY_WRITES {
                // Pruning is housekeeping: the writes themselves have committed.
                if let Err(error) = self.prune_idempotency_keys() {
                    tracing::warn!(%error, "pruning idempotency keys failed");
                }
            }
        }
    }

    /// The transaction of [`Self::write_group`]: one answer per batch in
    /// `answers`, and `Err` with the reason when the transaction itself
    /// failed (then nothing of the group was written).
    fn write_all(
        &mut self,
        group: &[(WriteBatch, Reply)],
        answers: &mut Vec<StoreResult<Vec<StoredRecord>>>,
    ) -> Result<(), StoreError> {
        // A full disk stays a full disk for every batch of the group.
        let fail_all = |answers: &mut Vec<_>, error: &StoreError| {
            answers.clear();
            answers.extend(group.iter().map(|_| Err(error.clone())));
            error.clone()
        };
        let mut tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(error) => return Err(fail_all(answers, &backend(error))),
        };
        // Another process (a second server, the CLI) may have written since
        // our last write; the write lock we now hold makes this read final.
        let mut next_seq = match reads::last_seq(&tx) {
            Ok(last) => self.next_seq.max(last + 1),
            Err(error) => return Err(fail_all(answers, &error)),
        };
        let mut last_id = self.last_id;
        for (batch, _) in group {
            let answer = match tx.savepoint() {
                Ok(mut savepoint) => {
                    savepoint.set_drop_behavior(rusqlite::DropBehavior::Rollback);
                    let mut ids = last_id;
                    let answer = write_batch(&savepoint, batch, next_seq, &mut ids, None);
                    match answer {
                        Ok((records, used)) => match savepoint.commit() {
                            Ok(()) => {
                                next_seq += used;
                                last_id = ids;
                                Ok(records)
                            }
                            Err(error) => Err(backend(error)),
                        },
                        // Dropping the savepoint rolls this batch back.
                        Err(error) => Err(error),
                    }
                }
                Err(error) => Err(backend(error)),
            };
            answers.push(answer);
        }
        if let Err(error) = tx.commit() {
            // A full disk makes SQLite roll the whole transaction back, so
            // the commit fails for want of one: the disk is the cause.
            let full = answers.iter().find_map(|answer| match answer {
                Err(full @ StoreError::DiskFull(_)) => Some(full.clone()),
                _ => None,
            });
            return Err(fail_all(answers, &full.unwrap_or_else(|| backend(error))));
        }
        self.next_seq = next_seq;
        self.last_id = last_id;
        Ok(())
    }

    /// One write of a bulk load: in the bulk's transaction (begun when
    /// none is open), its rows kept in [`Pending`]; every
    /// [`bulk::COMMIT_EVERY_OPS`] ops the rows are written and committed.
    /// A failure rolls back the bulk since its last commit and ends it.
    fn write_bulk(&mut self, batch: &WriteBatch) -> StoreResult<Vec<StoredRecord>> {
        let answer = self.try_write_bulk(batch);
        if answer.is_err() {
            if !self.conn.is_autocommit()
                && let Err(error) = self.conn.execute_batch("ROLLBACK")
            {
                tracing::warn!(%error, "rolling the bulk load back failed");
            }
            self.bulk = None;
            if let Ok(last) = reads::last_seq(&self.conn) {
                self.next_seq = last + 1;
            }
            if let Err(error) = bulk::end(&self.conn) {
                tracing::warn!(%error, "restoring the connection after a bulk load failed");
            }
        }
        answer
    }

    fn try_write_bulk(&mut self, batch: &WriteBatch) -> StoreResult<Vec<StoredRecord>> {
        if self.bulk.is_none() {
            bulk::begin(&self.conn)?;
            self.bulk = Some(RefCell::new(Pending::default()));
        }
        if self.conn.is_autocommit() {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(backend)?;
            self.next_seq = self.next_seq.max(reads::last_seq(&self.conn)? + 1);
        }
        let pending = self.bulk.as_ref().ok_or_else(stopped)?;
        let mut last_id = self.last_id;
        let (records, used) = write_batch(
            &self.conn,
            batch,
            self.next_seq,
            &mut last_id,
            Some(pending),
        )?;
        self.next_seq += used;
        self.last_id = last_id;
        let due = {
            let mut pending = pending.borrow_mut();
            pending.ops += batch.ops.len();
            pending.ops >= bulk::COMMIT_EVERY_OPS
        };
        if due {
            self.commit_bulk()?;
        }
        Ok(records)
    }

    /// Writes the bulk's kept rows and commits its transaction.
    fn commit_bulk(&mut self) -> StoreResult<()> {
        let Some(pending) = &self.bulk else {
            return Ok(());
        };
        let mut pending = pending.borrow_mut();
        if self.conn.is_autocommit() {
            return Ok(());
        }
        pending.flush(&self.conn)?;
        pending.ops = 0;
        self.conn.execute_batch("COMMIT").map_err(backend)
    }

    /// Commits the bulk load, if one is under way, and ends it.
    fn finish_bulk(&mut self) -> StoreResult<()> {
        if self.bulk.is_none() {
            return Ok(());
        }
        let committed = self.commit_bulk();
        if committed.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.bulk = None;
        let ended = bulk::end(&self.conn);
        committed.and(ended)
    }

    fn prune_idempotency_keys(&mut self) -> StoreResult<()> {
        self.writes_since_prune = 0;
        let cutoff = schema::to_ns(Timestamp::now() - IDEMPOTENCY_KEEP)?;
        self.conn
            .execute(
                "DELETE FROM idempotency_keys WHERE created_ns < ?1",
                [cutoff],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn create_token(
        &mut self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<Timestamp>,
    ) -> StoreResult<TokenRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        if let Some(staff_id) = &staff_id
            && ops::fetch(&tx, Collection::Staff, staff_id)?.is_none()
        {
            return Err(StoreError::MissingLink {
                field: "staff_id".into(),
                collection: Collection::Staff,
                id: staff_id.clone(),
            });
        }
        let taken = tx
            .query_row(
                "SELECT 1 FROM tokens WHERE name = ?1 AND revoked = 0",
                [&name],
                |_| Ok(()),
            )
            .optional()
            .map_err(backend)?
            .is_some();
        if taken {
            return Err(StoreError::Duplicate {
                field: "name".into(),
                value: name,
            });
        }
        let token = TokenRecord {
            id: next_id(&mut self.last_id),
            name,
            permission,
            staff_id,
            created_at: Timestamp::now(),
            revoked: false,
            expires_at,
        };
        let expires_ns = token.expires_at.map(schema::to_ns).transpose()?;
        tx.execute(
            "INSERT INTO tokens (id, name, permission, staff_id, secret_hash, created_ns, revoked, expires_ns) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
            params![
                token.id,
                token.name,
                token.permission.as_str(),
                token.staff_id,
                secret_hash,
                schema::to_ns(token.created_at)?,
                expires_ns,
            ],
        )
        .map_err(|error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate {
                field: "secret".into(),
                value: "(hidden)".into(),
            },
            _ => backend(error),
        })?;
        tx.commit().map_err(backend)?;
        Ok(token)
    }

    fn revoke_token(&mut self, id_or_name: &str) -> StoreResult<TokenRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // An id wins over a name; by name, only a live token is meant.
        let token = match reads::token_where(&tx, "id = ?1", id_or_name)? {
            Some(token) => token,
            None => reads::token_where(&tx, "name = ?1 AND revoked = 0", id_or_name)?
                .ok_or_else(|| StoreError::UnknownToken(id_or_name.to_owned()))?,
        };
        tx.execute("UPDATE tokens SET revoked = 1 WHERE id = ?1", [&token.id])
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(TokenRecord {
            revoked: true,
            ..token
        })
    }
}

/// One batch inside the group's transaction (`conn` is its savepoint):
/// its records and how many change numbers it used, from `first_seq`.
fn write_batch(
    conn: &Connection,
    batch: &WriteBatch,
    first_seq: i64,
    last_id: &mut Uuid,
    pending: Option<&RefCell<Pending>>,
) -> StoreResult<(Vec<StoredRecord>, i64)> {
    // What reads the tables beyond a record and its links (guards,
    // derivations, idempotency keys, dependents) sees a bulk's rows
    // only once they are written.
    if let Some(pending) = pending {
        let reads_tables = !batch.guards.is_empty()
            || !batch.derivations.is_empty()
            || batch.idempotency.is_some()
            || batch
                .ops
                .iter()
                .any(|op| matches!(op, WriteOp::Delete { .. }));
        if reads_tables {
            pending.borrow_mut().flush(conn)?;
        }
    }
    let mut idempotency = None;
    if let Some(key) = &batch.idempotency {
        let Some(WriteOp::Create { collection, .. }) = batch.ops.first() else {
            return Err(StoreError::Backend(
                "an idempotent write must start with a create".into(),
            ));
        };
        idempotency = Some((key, *collection));
        // A concurrent request with the same key got here first (the
        // caller's replay check ran before it committed), possibly in
        // this same group.
        if let Some(replay) = reads::idempotent_replay(conn, &key.token_id, &key.key)? {
            if replay.request_hash == key.request_hash {
                return Ok((vec![replay.record], 0));
            }
            return Err(StoreError::Duplicate {
                field: IDEMPOTENCY_FIELD.into(),
                value: key.key.clone(),
            });
        }
    }
    // The rules about other records, now that no other write can land
    // between this check and the commit.
    guards::check(conn, &batch.guards)?;
    // Idempotency keys are kept for a while of real time, whenever the
    // batch says its writes happened.
    let now = Timestamp::now();
    let at = batch.at.unwrap_or(now);
    let ops = guards::derive(conn, &batch.ops, &batch.derivations, at)?;
    let ctx = OpContext {
        conn,
        actor: &batch.actor,
        at,
        pending,
    };
    let mut records = Vec::with_capacity(batch.ops.len());
    let mut new_id = || next_id(last_id);
    for (offset, op) in (0i64..).zip(&ops) {
        records.push(ops::apply(&ctx, op, first_seq + offset, &mut new_id)?);
    }
    if let (Some((key, collection)), Some(first)) = (idempotency, records.first()) {
        conn.execute(
            "INSERT INTO idempotency_keys (token_id, key, request_hash, collection, \
             record_json, created_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                key.token_id,
                key.key,
                key.request_hash,
                collection.name(),
                first.to_json().to_string(),
                schema::to_ns(now)?,
            ],
        )
        .map_err(backend)?;
    }
    let used = i64::try_from(ops.len()).unwrap_or(i64::MAX);
    Ok((records, used))
}

#[cfg(test)]
mod tests;
