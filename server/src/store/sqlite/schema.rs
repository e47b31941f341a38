//! The database's shape as the code sees it: the embedded migrations, the
//! connection settings, which column holds which filter, and how a record
//! becomes a row and back.

use jiff::Timestamp;
use rapport_shared::Collection;
use rusqlite::{Connection, Row};
use serde_json::{Map, Value};
use std::time::Duration;

use crate::store::sql::ColumnValue;
use crate::store::{StoreError, StoredRecord};

/// The migrations, in the order they apply: (version, name, SQL). Each runs
/// in its own transaction and is recorded in `schema_migrations`; a version
/// once released is never edited, only followed by a new one.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (
        2,
        "rfc_open",
        include_str!("../migrations/0002_rfc_open.sql"),
    ),
    (
        3,
        "improvements",
        include_str!("../migrations/0003_improvements.sql"),
    ),
    (4, "plans", include_str!("../migrations/0004_plans.sql")),
    (
        5,
        "agreements",
        include_str!("../migrations/0005_agreements.sql"),
    ),
    (
        6,
        "level_results",
        include_str!("../migrations/0006_level_results.sql"),
    ),
    (7, "usage", include_str!("../migrations/0007_usage.sql")),
    (8, "notices", include_str!("../migrations/0008_notices.sql")),
    (9, "surveys", include_str!("../migrations/0009_surveys.sql")),
    (
        10,
        "meetings",
        include_str!("../migrations/0010_meetings.sql"),
    ),
    (11, "search", include_str!("../migrations/0011_search.sql")),
    (
        12,
        "token_expiry",
        include_str!("../migrations/0012_token_expiry.sql"),
    ),
    (
        13,
        "customer_kind",
        include_str!("../migrations/0013_customer_kind.sql"),
    ),
    (
        14,
        "rfc_due",
        include_str!("../migrations/0014_rfc_due.sql"),
    ),
];

/// The collections whose `q` an FTS5 trigram index serves (the table
/// `<name>_search` of migration 11); the others, and queries shorter than
/// [`INDEXED_Q_CHARS`], scan with `LIKE`.
pub const SEARCH_INDEXED: &[Collection] = &[
    Collection::Rfcs,
    Collection::Customers,
    Collection::Contacts,
];

/// The shortest `q` the trigram index can answer: three characters.
pub const INDEXED_Q_CHARS: usize = 3;

/// The FTS5 query of text containing `q`: one quoted string (quotes
/// doubled), which the trigram tokenizer matches as a substring.
pub fn search_match(q: &str) -> String {
    format!("\"{}\"", q.to_lowercase().replace('"', "\"\""))
}

/// How long a connection waits for a lock before failing. Only the writer
/// thread writes, so waits come from checkpoints or a second process such
/// as `rapportd migrate` beside a running server; five seconds covers both.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements each connection keeps: one insert, update, fetch
/// and link check per collection, list shapes and the rest fit easily.
pub const STATEMENT_CACHE: usize = 256;

/// Settings every connection gets: WAL so readers run beside the writer,
/// `synchronous=FULL` so a committed write survives a power cut.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

pub use crate::store::sql::{RECORD_COLUMNS, list_filters, list_values, table};

/// A shared column value bound as SQLite's own.
impl rusqlite::ToSql for ColumnValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            ColumnValue::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            ColumnValue::Integer(number) => ToSqlOutput::Borrowed(ValueRef::Integer(*number)),
            ColumnValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

pub use crate::store::sql::to_ns;

/// A stored timestamp.
pub fn from_ns(ns: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_nanosecond(i128::from(ns)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    })
}

/// Reads a JSON object kept as text.
pub fn json_object(text: &str) -> rusqlite::Result<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            "stored fields are not a JSON object".into(),
        )),
        Err(e) => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(e),
        )),
    }
}

/// A record from a row selected with [`RECORD_COLUMNS`] first.
pub fn record_from_row(row: &Row<'_>) -> rusqlite::Result<StoredRecord> {
    let fields: String = row.get(4)?;
    Ok(StoredRecord {
        id: row.get(0)?,
        version: row.get(1)?,
        created_at: from_ns(row.get(2)?)?,
        updated_at: from_ns(row.get(3)?)?,
        fields: json_object(&fields)?,
    })
}

/// A database error as the store reports it.
pub fn backend(error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull(error.to_string()),
        _ => StoreError::Backend(error.to_string()),
    }
}
