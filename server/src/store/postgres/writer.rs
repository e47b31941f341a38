//! Writes: a batch in one READ COMMITTED transaction that first takes the
//! `change_counter` row's lock (the database's one writer at a time, see
//! [`super`]), then checks its idempotency key, reads what its guards and
//! derivations need and checks them, runs its ops with the change numbers
//! after the counter's, advances the counter and commits. A caller hears
//! "ok" only after COMMIT. The token commands take the same lock.

use std::sync::atomic::Ordering;
use std::time::Instant;

use deadpool_postgres::{GenericClient, Transaction};
use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;

use super::Shared;
use super::ops::{self, OpContext};
use super::reads;
use super::schema::{backend, is_unique_violation, pool_error};
use crate::store::guard::{self, Read, ReadAhead};
use crate::store::{
    IDEMPOTENCY_FIELD, IDEMPOTENCY_KEEP, PRUNE_EVERY_WRITES, StoreError, StoreResult, StoredRecord,
    TokenRecord, WriteBatch, WriteOp, derive, next_id, sql,
};

/// Takes the database's write lock inside `tx`; returns the last change
/// number handed out.
async fn lock_counter(tx: &Transaction<'_>) -> StoreResult<i64> {
    let statement = tx
        .prepare_cached("SELECT last_seq FROM change_counter FOR UPDATE")
        .await
        .map_err(backend)?;
    let row = tx.query_one(&statement, &[]).await.map_err(backend)?;
    row.try_get(0).map_err(backend)
}

/// A new id, after every id this server handed out.
fn new_id(shared: &Shared) -> String {
    let mut last = match shared.last_id.lock() {
        Ok(last) => last,
        // Poisoned by a panic elsewhere; the id inside is still sound.
        Err(poisoned) => poisoned.into_inner(),
    };
    next_id(&mut last)
}

/// Applies a batch in one transaction (see the module docs).
pub async fn write(shared: &Shared, batch: WriteBatch) -> StoreResult<Vec<StoredRecord>> {
    let asked = Instant::now();
    shared.metrics.writer_queue.fetch_add(1, Ordering::Relaxed);
    let written = async {
        let _gate = shared.write_gate.lock().await;
        let mut client = shared.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await.map_err(backend)?;
        let last_seq = lock_counter(&tx).await?;
        let (records, used) = write_batch(shared, &tx, &batch, last_seq + 1).await?;
        if used > 0 {
            let statement = tx
                .prepare_cached("UPDATE change_counter SET last_seq = $1")
                .await
                .map_err(backend)?;
            tx.execute(&statement, &[&(last_seq + used)])
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(records)
    }
    .await;
    shared.metrics.writer_queue.fetch_sub(1, Ordering::Relaxed);
    shared.metrics.writes.observe(asked.elapsed());
    if written.is_ok()
        && shared.writes_since_prune.fetch_add(1, Ordering::Relaxed) + 1 >= PRUNE_EVERY_WRITES
    {
        // Housekeeping: the write itself has committed.
        if let Err(error) = prune_idempotency_keys(shared).await {
            tracing::warn!(%error, "pruning idempotency keys failed");
        }
    }
    written
}

/// The batch inside its transaction: its records and how many change
/// numbers it used, from `first_seq`.
async fn write_batch(
    shared: &Shared,
    tx: &Transaction<'_>,
    batch: &WriteBatch,
    first_seq: i64,
) -> StoreResult<(Vec<StoredRecord>, i64)> {
    let mut idempotency = None;
    if let Some(key) = &batch.idempotency {
        let Some(WriteOp::Create { collection, .. }) = batch.ops.first() else {
            return Err(StoreError::Backend(
                "an idempotent write must start with a create".into(),
            ));
        };
        idempotency = Some((key, *collection));
        // A concurrent request with the same key, on this server or
        // another, committed first (the caller's replay check ran before).
        if let Some(replay) = reads::idempotent_replay(tx, &key.token_id, &key.key).await? {
            if replay.request_hash == key.request_hash {
                return Ok((vec![replay.record], 0));
            }
            return Err(StoreError::Duplicate {
                field: IDEMPOTENCY_FIELD.into(),
                value: key.key.clone(),
            });
        }
    }
    // The rules about other records, read now that no other write can
    // land before this one commits.
    let mut read_ahead = read_ahead(tx, &batch.guards, &batch.derivations).await?;
    guard::check(&batch.guards, &mut read_ahead)?;
    let now = Timestamp::now();
    let at = batch.at.unwrap_or(now);
    let ops = derive::apply(&batch.ops, &batch.derivations, at, &mut read_ahead)?;
    let ctx = OpContext {
        client: tx,
        actor: &batch.actor,
        at,
    };
    let mut records = Vec::with_capacity(ops.len());
    let mut id = || new_id(shared);
    for (offset, op) in (0i64..).zip(&ops) {
        records.push(ops::apply(&ctx, op, first_seq + offset, &mut id).await?);
    }
    if let (Some((key, collection)), Some(first)) = (idempotency, records.first()) {
        let statement = tx
            .prepare_cached(
                "INSERT INTO idempotency_keys (token_id, key, request_hash, collection, \
                 record_json, created_ns) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .await
            .map_err(backend)?;
        tx.execute(
            &statement,
            &[
                &key.token_id,
                &key.key,
                &key.request_hash,
                &collection.name(),
                &first.to_json().to_string(),
                &sql::to_ns(now)?,
            ],
        )
        .await
        .map_err(backend)?;
    }
    let used = i64::try_from(ops.len()).unwrap_or(i64::MAX);
    Ok((records, used))
}

/// Everything the guards and derivations will read, read inside the
/// transaction (see [`guard::Read`]).
async fn read_ahead(
    tx: &Transaction<'_>,
    guards: &[crate::store::Guard],
    derivations: &[crate::store::Derivation],
) -> StoreResult<ReadAhead> {
    let mut found = ReadAhead::default();
    for read in guard::needed_reads(guards, derivations) {
        match read {
            Read::Record(collection, id) => {
                let record = reads::fetch(tx, collection, &id).await?;
                found.found_record(collection, id, record);
            }
            Read::Linking(collection, field, id) => {
                // A link always points from an existing record: its rows
                // are removed with the record in the same transaction.
                let mut records = Vec::new();
                for from_id in reads::linked_from(tx, collection, &field, &id).await? {
                    records.extend(reads::fetch(tx, collection, &from_id).await?);
                }
                found.found_linking(collection, field, id, records);
            }
        }
    }
    Ok(found)
}

/// Removes idempotency keys older than [`IDEMPOTENCY_KEEP`].
pub async fn prune_idempotency_keys(shared: &Shared) -> StoreResult<()> {
    shared.writes_since_prune.store(0, Ordering::Relaxed);
    let cutoff = sql::to_ns(Timestamp::now() - IDEMPOTENCY_KEEP)?;
    let client = shared.pool.get().await.map_err(pool_error)?;
    client
        .execute(
            "DELETE FROM idempotency_keys WHERE created_ns < $1",
            &[&cutoff],
        )
        .await
        .map_err(backend)?;
    Ok(())
}

/// Stores a new token's hash; its name must not be live already and its
/// staff member must exist.
pub async fn create_token(
    shared: &Shared,
    name: String,
    permission: Permission,
    staff_id: Option<String>,
    secret_hash: String,
    expires_at: Option<Timestamp>,
) -> StoreResult<TokenRecord> {
    let _gate = shared.write_gate.lock().await;
    let mut client = shared.pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await.map_err(backend)?;
    lock_counter(&tx).await?;
    if let Some(staff_id) = &staff_id
        && reads::fetch(&tx, Collection::Staff, staff_id)
            .await?
            .is_none()
    {
        return Err(StoreError::MissingLink {
            field: "staff_id".into(),
            collection: Collection::Staff,
            id: staff_id.clone(),
        });
    }
    let taken = tx
        .query_opt(
            "SELECT 1 FROM tokens WHERE name = $1 AND revoked = 0",
            &[&name],
        )
        .await
        .map_err(backend)?
        .is_some();
    if taken {
        return Err(StoreError::Duplicate {
            field: "name".into(),
            value: name,
        });
    }
    let token = TokenRecord {
        id: new_id(shared),
        name,
        permission,
        staff_id,
        created_at: Timestamp::now(),
        revoked: false,
        expires_at,
    };
    let expires_ns = token.expires_at.map(sql::to_ns).transpose()?;
    tx.execute(
        "INSERT INTO tokens (id, name, permission, staff_id, secret_hash, created_ns, revoked, \
         expires_ns) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
        &[
            &token.id,
            &token.name,
            &token.permission.as_str(),
            &token.staff_id,
            &secret_hash,
            &sql::to_ns(token.created_at)?,
            &expires_ns,
        ],
    )
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            StoreError::Duplicate {
                field: "secret".into(),
                value: "(hidden)".into(),
            }
        } else {
            backend(error)
        }
    })?;
    tx.commit().await.map_err(backend)?;
    Ok(token)
}

/// Revokes a token by id, or the live token of that name.
pub async fn revoke_token(shared: &Shared, id_or_name: &str) -> StoreResult<TokenRecord> {
    let _gate = shared.write_gate.lock().await;
    let mut client = shared.pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await.map_err(backend)?;
    lock_counter(&tx).await?;
    // An id wins over a name; by name, only a live token is meant.
    let token = match reads::token_where(&tx, "id = $1", id_or_name).await? {
        Some(token) => token,
        None => reads::token_where(&tx, "name = $1 AND revoked = 0", id_or_name)
            .await?
            .ok_or_else(|| StoreError::UnknownToken(id_or_name.to_owned()))?,
    };
    tx.execute("UPDATE tokens SET revoked = 1 WHERE id = $1", &[&token.id])
        .await
        .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    Ok(TokenRecord {
        revoked: true,
        ..token
    })
}
