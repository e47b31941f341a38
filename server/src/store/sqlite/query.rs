//! Lists and counts: filters and `q` become a `WHERE`, the sort an
//! `ORDER BY` that an index serves, and pages follow keyset cursors (the
//! last row's sort key and id, in the format of [`crate::store::cursor`]),
//! so a deep page costs what the first does.

use rapport_shared::Collection;
use rusqlite::Connection;

use super::schema::{self, backend, table};
use crate::store::cursor::{PageCursor, PageOrder};
use crate::store::sql::{self, ColumnValue};
use crate::store::{ListQuery, RecordPage, StoreResult};

/// The row orders of a list (their key columns and `ORDER BY` are
/// [`crate::store::sql`]'s).
type Order = PageOrder;

/// The most rows of the search index a page is read through. A `q` that
/// more rows contain is common enough that the page's index scan meets its
/// rows soon (a page scans about `limit * rows / matches` rows), while
/// reading every candidate and sorting them costs one row each; the two
/// costs meet near the square root of `limit * rows`, a few thousand at a
/// million rows.
pub const SEARCH_CANDIDATES: i64 = 4_000;

/// Whether `q` on `collection` can use its search index: long enough for
/// trigrams, and free of NUL, which would end the index's quoted phrase
/// ("unterminated string"); such a `q` is looked for by the `LIKE` alone.
fn indexed(collection: Collection, q: &str) -> bool {
    schema::SEARCH_INDEXED.contains(&collection)
        && q.chars().count() >= schema::INDEXED_Q_CHARS
        && !q.contains('\0')
}

/// Whether the search index holds at most [`SEARCH_CANDIDATES`] rows
/// containing `q`, so that a page is best read through it.
fn few_candidates(conn: &Connection, collection: Collection, q: &str) -> StoreResult<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT rowid FROM {0}_search WHERE {0}_search MATCH ? LIMIT ?)",
        table(collection)
    );
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    let candidates: i64 = statement
        .query_row(
            rusqlite::params![schema::search_match(q), SEARCH_CANDIDATES + 1],
            |row| row.get(0),
        )
        .map_err(backend)?;
    Ok(candidates <= SEARCH_CANDIDATES)
}

/// How `q` is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// Through the collection's search index, then the `LIKE`.
    Index,
    /// The `LIKE` alone, on the rows the rest of the query reads.
    Scan,
}

/// The search index's condition for `q` when `search` is through it:
/// the rows to look at (the `LIKE` of [`sql::conditions`] decides).
fn index_condition(
    collection: Collection,
    search: Search,
    q: &str,
) -> Option<(String, ColumnValue)> {
    (search == Search::Index && indexed(collection, q)).then(|| {
        (
            format!(
                "rowid IN (SELECT rowid FROM {0}_search WHERE {0}_search MATCH ?)",
                table(collection)
            ),
            ColumnValue::Text(schema::search_match(q)),
        )
    })
}

/// The `SELECT` of a page and its parameters; `None` when nothing can match.
fn page_sql(
    query: &ListQuery,
    order: Order,
    search: Search,
) -> StoreResult<Option<(String, Vec<ColumnValue>)>> {
    sql::page_sql(query, order, &|q| {
        index_condition(query.collection, search, q)
    })
}

/// How a page looks for its `q`: through the index when few rows contain
/// it (a miss, a rare word), by the page's own index scan when many do.
fn page_search(conn: &Connection, query: &ListQuery) -> StoreResult<Search> {
    match query.q.as_deref() {
        Some(q) if indexed(query.collection, q) && few_candidates(conn, query.collection, q)? => {
            Ok(Search::Index)
        }
        _ => Ok(Search::Scan),
    }
}

/// One page of a list.
pub fn list(conn: &Connection, query: &ListQuery) -> StoreResult<RecordPage> {
    let order = Order::of(query.collection, query.sort);
    let search = page_search(conn, query)?;
    let Some((sql, params)) = page_sql(query, order, search)? else {
        return Ok(RecordPage {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(params), |row| {
            let record = schema::record_from_row(row)?;
            let key = match order.key_column() {
                Some(_) => Some(row.get::<_, i64>(5)?),
                None => None,
            };
            Ok((record, key))
        })
        .map_err(backend)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(backend)?;
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(rows.len().min(limit));
    let mut last_key = None;
    for (record, key) in rows.into_iter().take(limit) {
        last_key = key;
        items.push(record);
    }
    let next_cursor = match items.last() {
        Some(last) if more => Some(
            PageCursor {
                key: last_key,
                id: last.id.clone(),
            }
            .encode(order),
        ),
        _ => None,
    };
    Ok(RecordPage { items, next_cursor })
}

/// How many records match the filters and `q`.
pub fn count(conn: &Connection, query: &ListQuery) -> StoreResult<i64> {
    // A count reads every match, which the index finds fastest.
    let indexed = |q: &str| index_condition(query.collection, Search::Index, q);
    let Some((sql, params)) = sql::count_sql(query, &indexed)? else {
        return Ok(0);
    };
    let mut statement = conn.prepare_cached(&sql).map_err(backend)?;
    statement
        .query_row(rusqlite::params_from_iter(params), |row| row.get(0))
        .map_err(backend)
}

/// The query plan of a list's page, one step a line (for tests that check
/// the indexes serve the API's lists).
#[cfg(test)]
pub fn explain(conn: &Connection, query: &ListQuery) -> StoreResult<String> {
    let order = Order::of(query.collection, query.sort);
    let search = page_search(conn, query)?;
    let Some((sql, params)) = page_sql(query, order, search)? else {
        return Ok(String::new());
    };
    let mut statement = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .map_err(backend)?;
    let steps = statement
        .query_map(rusqlite::params_from_iter(params), |row| {
            row.get::<_, String>(3)
        })
        .map_err(backend)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(backend)?;
    Ok(steps.join("\n"))
}
