//! The database's shape as the PostgreSQL store sees it: its migrations,
//! how a shared [`ColumnValue`] is bound, how a row becomes a record, and
//! how a database error is reported.

use std::error::Error;

use bytes::BytesMut;
use rapport_shared::Collection;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::store::sql::{self, ColumnValue};
use crate::store::{StoreError, StoreResult, StoredRecord};

/// The migrations, in the order they apply: (version, name, SQL). Each
/// runs in its own transaction and is recorded in `schema_migrations`; a
/// version once released is never edited, only followed by a new one.
/// They are PostgreSQL's own: version 1 is SQLite's schema as its
/// migration 13 left it.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("migrations/0001_initial.sql")),
    (2, "rfc_due", include_str!("migrations/0002_rfc_due.sql")),
];

/// The connection settings of a `postgres://` URL.
pub fn config(url: &str) -> StoreResult<tokio_postgres::Config> {
    url.parse().map_err(|e| {
        StoreError::Backend(format!(
            "the database URL is not one PostgreSQL reads ({e}); \
             write it as postgres://USER@HOST:PORT/DATABASE"
        ))
    })
}

/// Values bind as BIGINT or TEXT, the only types of the derived columns
/// and filter parameters; NULL as NULL of any type.
impl ToSql for ColumnValue {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            ColumnValue::Null => Ok(IsNull::Yes),
            ColumnValue::Integer(number) if <i64 as ToSql>::accepts(ty) => number.to_sql(ty, out),
            ColumnValue::Text(text) if <String as ToSql>::accepts(ty) => text.to_sql(ty, out),
            other => Err(format!("{other:?} cannot be bound as {ty}").into()),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty) || <String as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

/// The values as the parameters of a statement.
pub fn params(values: &[ColumnValue]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A record from a row selected with [`sql::RECORD_COLUMNS`] first.
pub fn record_from_row(row: &Row) -> StoreResult<StoredRecord> {
    let fields: String = row.try_get(4).map_err(backend)?;
    let fields = match serde_json::from_str(&fields) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => {
            return Err(StoreError::Backend(
                "stored fields are not a JSON object".into(),
            ));
        }
    };
    Ok(StoredRecord {
        id: row.try_get(0).map_err(backend)?,
        version: row.try_get(1).map_err(backend)?,
        created_at: sql::from_ns(row.try_get(2).map_err(backend)?)?,
        updated_at: sql::from_ns(row.try_get(3).map_err(backend)?)?,
        fields,
    })
}

/// A collection named in the database.
pub fn parse_collection(name: &str) -> StoreResult<Collection> {
    Collection::parse(name)
        .ok_or_else(|| StoreError::Backend(format!("unknown collection {name} in the database")))
}

/// Whether the error is a unique constraint the statement broke.
pub fn is_unique_violation(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// A database error as the store reports it: the server's own message
/// when it sent one (tokio-postgres alone says only "db error").
pub fn backend(error: tokio_postgres::Error) -> StoreError {
    let message = match error.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => match error.source() {
            Some(source) => format!("{error}: {source}"),
            None => error.to_string(),
        },
    };
    match error.code() {
        Some(code) if *code == SqlState::DISK_FULL => StoreError::DiskFull(message),
        _ => StoreError::Backend(message),
    }
}

/// A connection the pool could not give.
pub fn pool_error(error: deadpool_postgres::PoolError) -> StoreError {
    match error {
        deadpool_postgres::PoolError::Backend(error) => backend(error),
        other => StoreError::Backend(format!("no database connection: {other}")),
    }
}
