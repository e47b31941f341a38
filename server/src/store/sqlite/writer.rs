//! The writer thread: the one connection that writes. Commands arrive on a
//! channel and run one after another, each in its own transaction; the
//! reply is sent only after COMMIT, so a caller that hears "ok" knows the
//! write is durable (`synchronous=FULL`). A batch's guards are checked
//! first inside its transaction ([`super::guards`]).

use std::sync::mpsc;
use std::thread::JoinHandle;

use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::guards;
use super::ops::{self, OpContext};
use super::reads;
use super::schema::{self, backend};
use crate::store::{StoreError, StoreResult, StoredRecord, TokenRecord, WriteBatch, WriteOp};

/// How long idempotency keys are kept: a client retrying a create within
/// this window gets the first answer. The API promises at least 24 hours.
pub const IDEMPOTENCY_KEEP: SignedDuration = SignedDuration::from_hours(25);

/// Old idempotency keys are pruned at open and after this many writes:
/// often enough that the table stays small, rarely enough to cost nothing.
pub const PRUNE_EVERY_WRITES: u32 = 1000;

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
        reply: oneshot::Sender<StoreResult<TokenRecord>>,
    },
    RevokeToken(String, oneshot::Sender<StoreResult<TokenRecord>>),
}

/// The handle the store keeps: dropping it stops the thread after the
/// commands already sent have run.
pub struct Writer {
    sender: Option<mpsc::Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread that owns `conn` (already migrated).
    pub fn start(conn: Connection) -> StoreResult<Writer> {
        let mut state = WriterState::new(conn)?;
        state.prune_idempotency_keys()?;
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("rapport-store-writer".into())
            .spawn(move || state.run(&receiver))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            sender: Some(sender),
            thread: Some(thread),
        })
    }

    /// Queues a command; fails only when the thread has stopped.
    pub fn send(&self, command: Command) -> StoreResult<()> {
        self.sender
            .as_ref()
            .ok_or_else(stopped)?
            .send(command)
            .map_err(|_| stopped())
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
}

impl WriterState {
    fn new(conn: Connection) -> StoreResult<WriterState> {
        let last_seq = reads::last_seq(&conn)?;
        Ok(WriterState {
            conn,
            next_seq: last_seq + 1,
            last_id: Uuid::nil(),
            writes_since_prune: 0,
        })
    }

    fn run(mut self, receiver: &mpsc::Receiver<Command>) {
        while let Ok(command) = receiver.recv() {
            // A caller that gave up (dropped its receiver) is no error here.
            match command {
                Command::Write(batch, reply) => {
                    let _ = reply.send(self.write(&batch));
                }
                Command::CreateToken {
                    name,
                    permission,
                    staff_id,
                    secret_hash,
                    reply,
                } => {
                    let _ = reply.send(self.create_token(name, permission, staff_id, secret_hash));
                }
                Command::RevokeToken(id_or_name, reply) => {
                    let _ = reply.send(self.revoke_token(&id_or_name));
                }
            }
        }
    }

    fn write(&mut self, batch: &WriteBatch) -> StoreResult<Vec<StoredRecord>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // Another process (a second server, the CLI) may have written since
        // our last write; the write lock we now hold makes this read final.
        self.next_seq = self.next_seq.max(reads::last_seq(&tx)? + 1);
        let mut idempotency = None;
        if let Some(key) = &batch.idempotency {
            let Some(WriteOp::Create { collection, .. }) = batch.ops.first() else {
                return Err(StoreError::Backend(
                    "an idempotent write must start with a create".into(),
                ));
            };
            idempotency = Some((key, *collection));
            // A concurrent request with the same key got here first (the
            // caller's replay check ran before it committed).
            if let Some(replay) = reads::idempotent_replay(&tx, &key.token_id, &key.key)? {
                if replay.request_hash == key.request_hash {
                    return Ok(vec![replay.record]);
                }
                return Err(StoreError::Duplicate {
                    field: IDEMPOTENCY_FIELD.into(),
                    value: key.key.clone(),
                });
            }
        }
        // The rules about other records, now that no other write can land
        // between this check and the commit.
        guards::check(&tx, &batch.guards)?;
        // Idempotency keys are kept for a while of real time, whenever the
        // batch says its writes happened.
        let now = Timestamp::now();
        let at = batch.at.unwrap_or(now);
        let ops = guards::derive(&tx, &batch.ops, &batch.derivations, at)?;
        let ctx = OpContext {
            conn: &tx,
            actor: &batch.actor,
            at,
        };
        let mut records = Vec::with_capacity(batch.ops.len());
        let mut last_id = self.last_id;
        let mut new_id = || next_id(&mut last_id);
        for (offset, op) in (0i64..).zip(&ops) {
            records.push(ops::apply(&ctx, op, self.next_seq + offset, &mut new_id)?);
        }
        if let (Some((key, collection)), Some(first)) = (idempotency, records.first()) {
            tx.execute(
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
        tx.commit().map_err(backend)?;
        self.last_id = last_id;
        self.next_seq += i64::try_from(batch.ops.len()).unwrap_or(i64::MAX);
        self.writes_since_prune += 1;
        if self.writes_since_prune >= PRUNE_EVERY_WRITES {
            // Pruning is housekeeping: the write itself has committed.
            if let Err(error) = self.prune_idempotency_keys() {
                tracing::warn!(%error, "pruning idempotency keys failed");
            }
        }
        Ok(records)
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
        };
        tx.execute(
            "INSERT INTO tokens (id, name, permission, staff_id, secret_hash, created_ns, revoked) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
            params![
                token.id,
                token.name,
                token.permission.as_str(),
                token.staff_id,
                secret_hash,
                schema::to_ns(token.created_at)?,
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
