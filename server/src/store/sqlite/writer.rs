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

use jiff::Timestamp;
use rapport_shared::enums::Permission;
use rusqlite::{Connection, TransactionBehavior, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::bulk::Pending;
use super::guards;
use super::ops::{self, OpContext};
use super::reads;
use super::schema::{self, backend};
use crate::metrics::StoreMetrics;
pub use crate::store::{IDEMPOTENCY_FIELD, IDEMPOTENCY_KEEP, PRUNE_EVERY_WRITES};
use crate::store::{
    StoreError, StoreResult, StoredRecord, TokenRecord, WriteBatch, WriteOp, next_id,
};

/// The most writes committed together: enough to share one sync among a
/// whole service desk's clients, few enough that the first waits little.
pub const GROUP_LIMIT: usize = 64;

/// Where a write's answer goes.
type Reply = oneshot::Sender<StoreResult<Vec<StoredRecord>>>;

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

mod bulk_load;
mod tokens;

#[cfg(test)]
mod tests;
