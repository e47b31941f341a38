//! The writer's bulk load ([`crate::store::Store::write_bulk`]): writes
//! in one long transaction, committed every [`bulk::COMMIT_EVERY_OPS`]
//! ops, their record rows kept in [`Pending`] until then.

use std::cell::RefCell;

use super::super::bulk::{self, Pending};
use super::super::reads;
use super::super::schema::backend;
use super::{WriterState, stopped, write_batch};
use crate::store::{StoreResult, StoredRecord, WriteBatch};

impl WriterState {
    /// One write of a bulk load: in the bulk's transaction (begun when
    /// none is open), its rows kept in [`Pending`]; every
    /// [`bulk::COMMIT_EVERY_OPS`] ops the rows are written and committed.
    /// A failure rolls back the bulk since its last commit and ends it.
    pub(super) fn write_bulk(&mut self, batch: &WriteBatch) -> StoreResult<Vec<StoredRecord>> {
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
    pub(super) fn finish_bulk(&mut self) -> StoreResult<()> {
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
}
