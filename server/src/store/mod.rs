//! The record store: the one place records are kept. The [`Store`] trait is
//! what the API layer calls; [`sqlite::SqliteStore`] and
//! [`postgres::PgStore`] implement it (nothing here names a database and
//! every method is async: SQLite runs its blocking work on threads of its
//! own, PostgreSQL's client is asynchronous).
//!
//! Records are kept generically: each collection is a table of records with
//! a JSON document of their fields, the columns the filters and sorts need,
//! and the references the record makes. Every write happens in one
//! transaction that also checks references, appends an audit entry and takes
//! the next change sequence number for the change feed, and checks the
//! batch's [`Guard`]s (rules about other records) first.
//!
//! Besides the trait and its types: [`cursor`] is the page cursor format
//! and [`guard`] the guard vocabulary and check, both shared by every
//! backend; [`sql`] the SQL both backends share (a record's derived
//! columns, the `SELECT` of a page); [`sqlite`] is the SQLite backend and
//! [`postgres`] the PostgreSQL one.

pub mod cursor;
pub mod derive;
pub mod guard;
pub mod postgres;
pub mod sql;
pub mod sqlite;

use futures::future::BoxFuture;
use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::{AuditEntry, Sort};
use serde_json::{Map, Value};
use uuid::Uuid;

pub use derive::{Derivation, Source};
pub use guard::{Condition, Guard, Requirement, Violation};

/// A record as kept: metadata plus its fields as a JSON object (every field
/// of the collection's stored type except the metadata).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub id: String,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub fields: Map<String, Value>,
}

impl StoredRecord {
    /// The record as the API shows it: metadata and fields in one object.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("id".into(), Value::String(self.id.clone()));
        object.insert("version".into(), Value::from(self.version));
        object.insert(
            "created_at".into(),
            Value::String(self.created_at.to_string()),
        );
        object.insert(
            "updated_at".into(),
            Value::String(self.updated_at.to_string()),
        );
        for (key, value) in &self.fields {
            object.insert(key.clone(), value.clone());
        }
        Value::Object(object)
    }

    /// [`StoredRecord::to_json`] as text, written without copying the
    /// fields into a new object first (the audit rows of every write).
    pub fn to_json_text(&self) -> String {
        #[derive(serde::Serialize)]
        struct Text<'a> {
            id: &'a str,
            version: i64,
            created_at: String,
            updated_at: String,
            #[serde(flatten)]
            fields: &'a Map<String, Value>,
        }
        let text = Text {
            id: &self.id,
            version: self.version,
            created_at: self.created_at.to_string(),
            updated_at: self.updated_at.to_string(),
            fields: &self.fields,
        };
        serde_json::to_string(&text).unwrap_or_else(|_| self.to_json().to_string())
    }
}

/// Who is writing: recorded in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's id.
    pub token_id: String,
    /// The staff member's name when the token is linked to one, else the
    /// token's name.
    pub name: String,
    pub staff_id: Option<String>,
    pub permission: Permission,
}

/// A reference from one record to another, checked and kept by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The field that holds the id (named in the error when it dangles).
    pub field: String,
    pub collection: Collection,
    pub id: String,
}

impl From<rapport_shared::records::Reference> for Link {
    fn from(reference: rapport_shared::records::Reference) -> Self {
        Link {
            field: reference.field.to_string(),
            collection: reference.collection,
            id: reference.id,
        }
    }
}

/// A field whose value must be unique within its collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueField {
    pub field: String,
    pub value: String,
    /// What another record already holding the value means.
    pub taken: Taken,
}

/// What a unique value already held by another record means for a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The field's own value (a customer's code) is in use: the write is
    /// invalid ([`StoreError::Duplicate`], a 422 naming the field).
    Invalid,
    /// The record's key (several fields together, such as a budget line's
    /// customer, year and service) is in use: the write conflicts with
    /// the record holding it ([`StoreError::KeyTaken`], a 409).
    Conflict,
}

impl UniqueField {
    /// The error for this value being held by another record.
    pub fn taken_error(&self) -> StoreError {
        let (field, value) = (self.field.clone(), self.value.clone());
        match self.taken {
            Taken::Invalid => StoreError::Duplicate { field, value },
            Taken::Conflict => StoreError::KeyTaken { field, value },
        }
    }
}

/// One change in a [`Store::write`] batch.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOp {
    /// Create a record with a new id; `fields` as in [`StoredRecord`].
    Create {
        collection: Collection,
        fields: Map<String, Value>,
        links: Vec<Link>,
        unique: Vec<UniqueField>,
    },
    /// Replace a record's fields when its version is still `expected_version`.
    Update {
        collection: Collection,
        id: String,
        expected_version: i64,
        fields: Map<String, Value>,
        links: Vec<Link>,
        unique: Vec<UniqueField>,
    },
    /// Delete a record when its version is still `expected_version` and no
    /// other record links to it.
    Delete {
        collection: Collection,
        id: String,
        expected_version: i64,
    },
}

/// A batch of writes applied in one transaction, all or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteBatch {
    pub actor: Actor,
    pub ops: Vec<WriteOp>,
    /// When the writes happened: the records' `created_at` (for a create)
    /// and `updated_at`, and the audit entries' `when`. `None`, what every
    /// API write sends, is the time of the commit; a past time lets seeding
    /// write a history (the API offers no way to set it). The change
    /// sequence numbers and ids still follow the commit order, so a caller
    /// writing a past keeps its batches in time order.
    pub at: Option<Timestamp>,
    /// When set, the first op must be a `Create`: the key is kept with the
    /// created record so that a repeat returns it and creates nothing.
    /// Callers check [`Store::idempotent_replay`] first; should a repeat
    /// still reach `write` (two requests racing), it returns the first
    /// record alone when the request hash matches, else
    /// `Duplicate { field: "Idempotency-Key", value: key }`.
    pub idempotency: Option<IdempotencyKey>,
    /// Checked inside the batch's transaction before its ops run; any
    /// violation fails the batch with [`StoreError::Refused`].
    pub guards: Vec<Guard>,
    /// Fields of the batch's records computed inside its transaction,
    /// after the guards and before the ops run (see [`derive`]).
    pub derivations: Vec<Derivation>,
}

/// An `Idempotency-Key` as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// Keys are scoped to the token that sent them.
    pub token_id: String,
    pub key: String,
    /// A hash of method, path and body: a repeat with another body is refused.
    pub request_hash: String,
}

/// What an earlier request with the same idempotency key produced.
#[derive(Debug, Clone, PartialEq)]
pub struct IdempotentReplay {
    pub request_hash: String,
    pub collection: Collection,
    /// The record as it was right after the first request created it.
    pub record: StoredRecord,
}

/// How many of one collection's records link to a record being deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependents {
    pub collection: Collection,
    pub field: String,
    pub count: i64,
}

/// Why a store call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("no {} with id {id}", collection.noun())]
    NotFound { collection: Collection, id: String },
    #[error("the {} was changed by someone else (now version {current})", collection.noun())]
    VersionMismatch {
        collection: Collection,
        id: String,
        current: i64,
    },
    #[error("{field}: no {} with id {id}", collection.noun())]
    MissingLink {
        field: String,
        collection: Collection,
        id: String,
    },
    #[error("{field}: {value} is already taken")]
    Duplicate { field: String, value: String },
    /// Another record already has this key (see [`Taken::Conflict`]).
    #[error("another record already has {field} {value}")]
    KeyTaken { field: String, value: String },
    #[error("the {} is still referred to by {}", collection.noun(), describe_dependents(.dependents))]
    HasDependents {
        collection: Collection,
        dependents: Vec<Dependents>,
    },
    #[error("no live token with id or name {0}")]
    UnknownToken(String),
    #[error("unknown filter {0}")]
    UnknownFilter(String),
    #[error("the cursor is not one this server gave out")]
    BadCursor,
    /// The database's disk (or its size limit) is full: nothing was
    /// written, and writes succeed again once there is room.
    #[error("the disk is full: {0}")]
    DiskFull(String),
    /// Guards of the batch failed (see [`guard`]): a 422 on their fields.
    #[error("refused: {}", describe_violations(.0))]
    Refused(Vec<Violation>),
    /// Conflict guards of the batch failed ([`Guard::Conflict`]): a 409.
    #[error("{}", describe_violations(.0))]
    Conflicted(Vec<Violation>),
    #[error("database error: {0}")]
    Backend(String),
}

fn describe_dependents(dependents: &[Dependents]) -> String {
    dependents
        .iter()
        .map(|d| format!("{} {} ({})", d.count, d.collection, d.field))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_violations(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One exact-match condition on a list; the field must be one of the
/// collection's [`Collection::filters`].
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The filter's query parameter name.
    pub param: String,
    /// The values, any of which matches (usually one; the contacts of a
    /// survey's several audience customers are several). Text for text and
    /// list filters, `true`/`false` for boolean ones; none matches nothing.
    pub values: Vec<String>,
}

impl Filter {
    /// The filter `param` matching `value` alone.
    pub fn is(param: &str, value: &str) -> Filter {
        Filter {
            param: param.into(),
            values: vec![value.into()],
        }
    }
}

/// A list call.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub collection: Collection,
    pub filters: Vec<Filter>,
    /// Case-insensitive substring of any of the collection's search fields.
    pub q: Option<String>,
    pub sort: Sort,
    /// 1..=[`rapport_shared::wire::MAX_PAGE_LIMIT`], checked by the caller.
    pub limit: u32,
    /// Opaque: as returned in a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// One page of records.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPage {
    pub items: Vec<StoredRecord>,
    pub next_cursor: Option<String>,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub collection: Collection,
    pub id: String,
    pub version: i64,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// When it was committed.
    pub at: Timestamp,
}

/// An API token as stored (only a hash of the secret is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub permission: Permission,
    pub staff_id: Option<String>,
    pub created_at: Timestamp,
    pub revoked: bool,
    /// When it stops being accepted; `None` never.
    pub expires_at: Option<Timestamp>,
}

impl TokenRecord {
    /// Whether it has expired at `now`.
    pub fn expired_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|expires| expires <= now)
    }
}

/// A migration that a backend applied when it opened or migrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationApplied {
    pub version: i64,
    pub name: &'static str,
}

/// How long idempotency keys are kept: a client retrying a create within
/// this window gets the first answer. The API promises at least 24 hours.
pub const IDEMPOTENCY_KEEP: SignedDuration = SignedDuration::from_hours(25);

/// Old idempotency keys are pruned at open and after this many writes:
/// often enough that the table stays small, rarely enough to cost nothing.
pub const PRUNE_EVERY_WRITES: u32 = 1000;

/// The field named in the `Duplicate` error for an idempotency key that a
/// concurrent request with another body already used.
pub const IDEMPOTENCY_FIELD: &str = "Idempotency-Key";

/// A new UUID v7, greater than `last` (and every id before it in this
/// process); updates `last`.
pub fn next_id(last: &mut Uuid) -> String {
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

/// The result type of every store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Where records are kept. Every method is async and takes owned arguments,
/// so an implementation can run its blocking work on a thread of its own.
pub trait Store: Send + Sync + 'static {
    /// One record, or `NotFound`.
    fn get(
        &self,
        collection: Collection,
        id: String,
    ) -> BoxFuture<'static, StoreResult<StoredRecord>>;

    /// One page of a collection.
    fn list(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<RecordPage>>;

    /// How many records match the filters and `q` (cursor, sort and limit
    /// are ignored): the live counts of the client's saved views.
    fn count(&self, query: ListQuery) -> BoxFuture<'static, StoreResult<i64>>;

    /// The ids of records in `collection` whose `field` links to `id`
    /// (for derived fields such as a team's `customer_ids`).
    fn linked_from(
        &self,
        collection: Collection,
        field: String,
        id: String,
    ) -> BoxFuture<'static, StoreResult<Vec<String>>>;

    /// Applies a batch in one transaction; returns the records as written
    /// (for a delete, the record as it was), in the order of the ops.
    fn write(&self, batch: WriteBatch) -> BoxFuture<'static, StoreResult<Vec<StoredRecord>>>;

    /// [`Store::write`] as part of a bulk load (seeding at scale): the
    /// same checks, records, audit rows and change numbers, but a backend
    /// may keep the batch in a transaction with others and write each
    /// record's row once with its last version, so the batch is neither
    /// durable nor visible to reads until [`Store::finish_bulk`] (a
    /// backend may commit sooner). A failing bulk write may undo the bulk
    /// writes before it that are not committed yet. By default, `write`.
    fn write_bulk(&self, batch: WriteBatch) -> BoxFuture<'static, StoreResult<Vec<StoredRecord>>> {
        self.write(batch)
    }

    /// Commits every [`Store::write_bulk`] so far and ends the bulk load
    /// (any other write ends it too). By default, nothing to do.
    fn finish_bulk(&self) -> BoxFuture<'static, StoreResult<()>> {
        Box::pin(async { Ok(()) })
    }

    /// What an earlier create with this token and key returned, if any.
    fn idempotent_replay(
        &self,
        token_id: String,
        key: String,
    ) -> BoxFuture<'static, StoreResult<Option<IdempotentReplay>>>;

    /// The audit trail, oldest first, optionally for one collection and record.
    fn audit(
        &self,
        collection: Option<Collection>,
        id: Option<String>,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<AuditEntry>>>;

    /// Changes with a sequence number above `after_seq`, oldest first.
    fn changes_since(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> BoxFuture<'static, StoreResult<Vec<Change>>>;

    /// The newest change sequence number (0 for an empty store).
    fn last_seq(&self) -> BoxFuture<'static, StoreResult<i64>>;

    /// Keeps a new token's hash; returns the stored token. It never
    /// expires; see [`Store::create_expiring_token`].
    fn create_token(
        &self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
    ) -> BoxFuture<'static, StoreResult<TokenRecord>> {
        self.create_expiring_token(name, permission, staff_id, secret_hash, None)
    }

    /// [`Store::create_token`], no longer accepted from `expires_at` on.
    fn create_expiring_token(
        &self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<Timestamp>,
    ) -> BoxFuture<'static, StoreResult<TokenRecord>>;

    /// The token with this secret hash, unless revoked (expired ones
    /// included: the caller says which it is).
    fn token_by_hash(
        &self,
        secret_hash: String,
    ) -> BoxFuture<'static, StoreResult<Option<TokenRecord>>>;

    /// Every token, revoked ones included.
    fn list_tokens(&self) -> BoxFuture<'static, StoreResult<Vec<TokenRecord>>>;

    /// Revokes a token by id or name (by name, the live token of that
    /// name); `UnknownToken` when there is none. `create_token` refuses a name a
    /// live token has (`Duplicate { field: "name" }`) and a `staff_id` that
    /// is no staff member (`MissingLink { field: "staff_id" }`).
    fn revoke_token(&self, id_or_name: String) -> BoxFuture<'static, StoreResult<TokenRecord>>;

    /// Whether the store holds no records at all (for `seed --demo`).
    fn is_empty(&self) -> BoxFuture<'static, StoreResult<bool>>;

    /// The backend's own figures for `GET /metrics` (its read and write
    /// times, its writer's queue); a backend without them has none.
    fn metrics(&self) -> Option<&crate::metrics::StoreMetrics> {
        None
    }
}
