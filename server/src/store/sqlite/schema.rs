//! The database's shape as the code sees it: the embedded migrations, the
//! connection settings, which column holds which filter, and how a record
//! becomes a row and back.

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::collection::{FilterKind, FilterSpec};
use rapport_shared::enums::Priority;
use rusqlite::{Connection, Row};
use serde_json::{Map, Value};
use std::time::Duration;

use crate::store::{StoreError, StoreResult, StoredRecord};

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

/// Sort rank for records without a known priority: after `low`.
pub const NO_PRIORITY_RANK: i64 = 4;

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

/// The leading columns of every collection table, in `SELECT` order
/// (see [`record_from_row`]).
pub const RECORD_COLUMNS: &str = "id, version, created_ns, updated_ns, fields";

/// The table of a collection.
pub fn table(collection: Collection) -> &'static str {
    collection.name()
}

/// The filters kept as a column of the collection's table (text, bool and
/// integer),
/// the column named after the field.
pub fn column_filters(collection: Collection) -> impl Iterator<Item = &'static FilterSpec> {
    let filters = collection.filters();
    filters.iter().enumerate().filter_map(move |(index, spec)| {
        // Two filters on one field (a meeting's `from` and `to`) share
        // its column.
        let first = !filters[..index]
            .iter()
            .any(|other| other.field == spec.field);
        (spec.kind != FilterKind::ListContains && first).then_some(spec)
    })
}

/// The filters kept in `list_values`.
pub fn list_filters(collection: Collection) -> impl Iterator<Item = &'static FilterSpec> {
    collection
        .filters()
        .iter()
        .filter(|spec| spec.kind == FilterKind::ListContains)
}

/// The value a filter column holds for a record: the field's text, 0/1
/// for a boolean, the number for an integer, the whole seconds of an
/// instant; NULL (never matched, or for an instant, absent) for anything
/// else.
pub fn filter_column_value(
    spec: &FilterSpec,
    fields: &Map<String, Value>,
) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match (spec.kind, fields.get(spec.field)) {
        (FilterKind::Text, Some(Value::String(text))) => Sql::Text(text.clone()),
        (FilterKind::Bool, Some(Value::Bool(flag))) => Sql::Integer(i64::from(*flag)),
        (FilterKind::Integer, Some(Value::Number(number))) => {
            number.as_i64().map_or(Sql::Null, Sql::Integer)
        }
        // An instant, or a date (an RFC's `due_on`) from its start in UTC,
        // as the filter's bounds read a date.
        (kind, Some(Value::String(text))) if kind.is_instant() => {
            rapport_shared::fields::parse_timestamp(text)
                .map(|instant| instant.as_second())
                .or_else(|| FilterKind::From.bound_seconds(text))
                .map_or(Sql::Null, Sql::Integer)
        }
        _ => Sql::Null,
    }
}

/// The value a filter parameter compares with: `None` when the text can
/// never match (a boolean filter given something other than true/false,
/// an integer filter given something other than a whole number).
pub fn filter_param_value(spec: &FilterSpec, text: &str) -> Option<rusqlite::types::Value> {
    use rusqlite::types::Value as Sql;
    match spec.kind {
        FilterKind::Bool | FilterKind::NotPassed => match text {
            "true" => Some(Sql::Integer(1)),
            "false" => Some(Sql::Integer(0)),
            _ => None,
        },
        FilterKind::Integer => text.parse().ok().map(Sql::Integer),
        FilterKind::From | FilterKind::To => spec.kind.bound_seconds(text).map(Sql::Integer),
        FilterKind::Text | FilterKind::ListContains => Some(Sql::Text(text.to_owned())),
    }
}

/// The distinct string values of a list field (for `list_values`).
pub fn list_values(spec: &FilterSpec, fields: &Map<String, Value>) -> Vec<String> {
    let mut values: Vec<String> = match fields.get(spec.field) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    values.sort();
    values.dedup();
    values
}

/// The priority sort rank of a record's fields.
pub fn priority_rank(fields: &Map<String, Value>) -> i64 {
    fields
        .get("priority")
        .and_then(Value::as_str)
        .and_then(Priority::parse)
        .map_or(NO_PRIORITY_RANK, Priority::rank)
}

/// Separates the search fields in the `search` column, so a `q` rarely
/// matches across two fields; a control character nobody types.
const SEARCH_SEPARATOR: &str = "\u{1f}";

/// The `search` column: the collection's search fields, lower-cased.
pub fn search_text(collection: Collection, fields: &Map<String, Value>) -> String {
    collection
        .search_fields()
        .iter()
        .filter_map(|field| fields.get(*field).and_then(Value::as_str))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(SEARCH_SEPARATOR)
}

/// A `LIKE` pattern matching `q` as a case-insensitive substring, with `\`
/// as the escape character for `%`, `_` and itself.
pub fn like_pattern(q: &str) -> String {
    let mut pattern = suffix_pattern(q);
    pattern.push('%');
    pattern
}

/// The `LIKE` pattern (escape `\`) of text ending in `q`, ignoring case:
/// how a short id (an id's last characters) finds its record.
pub fn suffix_pattern(q: &str) -> String {
    let mut pattern = String::with_capacity(q.len() + 1);
    pattern.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

/// A timestamp as stored: nanoseconds since the epoch.
pub fn to_ns(at: Timestamp) -> StoreResult<i64> {
    i64::try_from(at.as_nanosecond())
        .map_err(|_| StoreError::Backend(format!("timestamp {at} out of range")))
}

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
