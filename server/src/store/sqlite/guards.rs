//! The reads the writer thread gives [`guard::check`]: they run on the
//! writer's connection inside the batch's `BEGIN IMMEDIATE` transaction,
//! so no other write can change what a guard saw before the batch commits;
//! the same reads compute the batch's derived fields ([`derive`]).

use rapport_shared::Collection;
use rusqlite::Connection;

use super::{ops, reads};
use jiff::Timestamp;

use crate::store::guard::{self, GuardReads};
use crate::store::{Derivation, Guard, StoreResult, StoredRecord, WriteOp, derive};

/// Reads inside an open transaction.
struct InTransaction<'a>(&'a Connection);

impl GuardReads for InTransaction<'_> {
    fn record(&mut self, collection: Collection, id: &str) -> StoreResult<Option<StoredRecord>> {
        ops::fetch(self.0, collection, id)
    }

    fn linking(
        &mut self,
        collection: Collection,
        field: &str,
        id: &str,
    ) -> StoreResult<Vec<StoredRecord>> {
        // A link always points from an existing record: `links` rows are
        // removed with their record in the same transaction.
        let ids = reads::linked_from(self.0, collection, field, id)?;
        let mut records = Vec::with_capacity(ids.len());
        for from_id in ids {
            records.extend(ops::fetch(self.0, collection, &from_id)?);
        }
        Ok(records)
    }
}

/// Checks a batch's guards on the transaction `conn` has open.
pub fn check(conn: &Connection, guards: &[Guard]) -> StoreResult<()> {
    guard::check(guards, &mut InTransaction(conn))
}

/// A batch's ops with their derived fields, computed on the transaction
/// `conn` has open (see [`derive`]).
pub fn derive(
    conn: &Connection,
    ops: &[WriteOp],
    derivations: &[Derivation],
    at: Timestamp,
) -> StoreResult<Vec<WriteOp>> {
    derive::apply(ops, derivations, at, &mut InTransaction(conn))
}
