//! Lists and counts: filters and `q` become a `WHERE`, the sort an
//! `ORDER BY` that an index serves, and pages follow keyset cursors (the
//! last row's sort key and id, in the format of [`crate::store::cursor`]),
//! so a deep page costs what the first does.

use rapport_shared::Collection;
use rapport_shared::collection::FilterKind;
use rapport_shared::wire::Sort;
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::schema::{self, RECORD_COLUMNS, backend, table};
use crate::store::cursor::{PageCursor, PageOrder};
use crate::store::{ListQuery, RecordPage, StoreError, StoreResult};

/// The row orders of a list, with what SQLite needs to follow them.
type Order = PageOrder;

/// The SQLite side of a page order: which order a sort means here, its
/// key column and its `ORDER BY`.
impl Order {
    fn of(collection: Collection, sort: Sort) -> Order {
        match sort {
            Sort::Created | Sort::Age => Order::Id,
            // Collections without a priority list in creation order.
            Sort::Priority if collection.sorts().contains(&Sort::Priority) => Order::Rank,
            Sort::Priority => Order::Id,
            Sort::Updated => Order::UpdatedDesc,
            Sort::Due if collection.sorts().contains(&Sort::Due) => Order::Due,
            Sort::Due => Order::Id,
        }
    }

    /// The sort key column besides id, selected after [`RECORD_COLUMNS`].
    fn key_column(self) -> Option<&'static str> {
        match self {
            Order::Id => None,
            Order::Rank => Some("priority_rank"),
            Order::UpdatedDesc => Some("updated_ns"),
            Order::Due => Some(DUE_KEY),
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Order::Id => "id",
            Order::Rank => "priority_rank, id",
            Order::UpdatedDesc => "updated_ns DESC, id DESC",
            Order::Due => DUE_ORDER,
        }
    }
}

/// The due-date sort's key: the due day's seconds, RFCs without one after
/// every date (the expression of migration 14's index).
const DUE_KEY: &str = "coalesce(due_on, 9223372036854775807)";

/// The due-date sort's `ORDER BY`, the same expression as [`DUE_KEY`].
const DUE_ORDER: &str = "coalesce(due_on, 9223372036854775807), id";

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

/// The `WHERE` of a list or count: conditions joined by `AND`, with their
/// parameters in order. `None` when a filter value can never match.
fn conditions(query: &ListQuery, search: Search) -> StoreResult<Option<(Vec<String>, Vec<Sql>)>> {
    let collection = query.collection;
    let mut sql = Vec::new();
    let mut params = Vec::new();
    for filter in &query.filters {
        let spec = collection
            .filters()
            .iter()
            .find(|spec| spec.param == filter.param)
            .ok_or_else(|| StoreError::UnknownFilter(filter.param.clone()))?;
        let values: Vec<Sql> = filter
            .values
            .iter()
            .filter_map(|value| schema::filter_param_value(spec, value))
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        // One value compares with `=`, as the indexes were planned for;
        // several are any of them.
        let any_of = if values.len() == 1 {
            "= ?".to_string()
        } else {
            format!("IN ({})", vec!["?"; values.len()].join(", "))
        };
        match spec.kind {
            FilterKind::Text | FilterKind::Bool | FilterKind::Integer => {
                sql.push(format!("{} {any_of}", spec.field));
            }
            // A bound or a flag takes its first value.
            FilterKind::From | FilterKind::To => {
                let compare = if spec.kind == FilterKind::From {
                    ">="
                } else {
                    "<"
                };
                sql.push(format!("{} {compare} ?", spec.field));
                params.push(values[0].clone());
                continue;
            }
            FilterKind::NotPassed => {
                let still_to_come = values[0] == Sql::Integer(1);
                sql.push(if still_to_come {
                    format!("({0} IS NULL OR {0} > ?)", spec.field)
                } else {
                    format!("{} <= ?", spec.field)
                });
                params.push(Sql::Integer(jiff::Timestamp::now().as_second()));
                continue;
            }
            FilterKind::ListContains => {
                sql.push(format!(
                    "id IN (SELECT record_id FROM list_values \
                     WHERE collection = ? AND field = ? AND value {any_of})"
                ));
                params.push(Sql::Text(collection.name().into()));
                params.push(Sql::Text(spec.field.into()));
            }
        }
        params.extend(values);
    }
    if query.q.as_deref().is_some_and(|q| q.contains('\0')) {
        // No stored text holds a NUL (control characters are refused), and
        // SQLite's LIKE would stop reading the pattern at it, matching
        // what comes before: such a `q` finds nothing.
        sql.push("0".into());
    } else if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
        // The index narrows the rows to look at; the LIKE decides, as
        // without it.
        if search == Search::Index && indexed(collection, q) {
            sql.push(format!(
                "rowid IN (SELECT rowid FROM {0}_search WHERE {0}_search MATCH ?)",
                table(collection)
            ));
            params.push(Sql::Text(schema::search_match(q)));
        }
        // The end of an id is the short id the client shows.
        sql.push("(search LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')".into());
        params.push(Sql::Text(schema::like_pattern(q)));
        params.push(Sql::Text(schema::suffix_pattern(q)));
    }
    Ok(Some((sql, params)))
}

fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// The `SELECT` of a page and its parameters; `None` when nothing can match.
fn page_sql(
    query: &ListQuery,
    order: Order,
    search: Search,
) -> StoreResult<Option<(String, Vec<Sql>)>> {
    let cursor = query
        .cursor
        .as_deref()
        .map(|cursor| PageCursor::decode(cursor, order))
        .transpose()?;
    let Some((mut sql_conditions, mut params)) = conditions(query, search)? else {
        return Ok(None);
    };
    if let Some(cursor) = cursor {
        // Row values keep the keyset condition one index range.
        match (order, cursor.key) {
            (Order::Id, _) => sql_conditions.push("id > ?".into()),
            (Order::Rank, Some(key)) => {
                sql_conditions.push("(priority_rank, id) > (?, ?)".into());
                params.push(Sql::Integer(key));
            }
            (Order::Due, Some(key)) => {
                sql_conditions.push(format!("({DUE_KEY}, id) > (?, ?)"));
                params.push(Sql::Integer(key));
            }
            (Order::UpdatedDesc, Some(key)) => {
                sql_conditions.push("(updated_ns, id) < (?, ?)".into());
                params.push(Sql::Integer(key));
            }
            (_, None) => return Err(StoreError::BadCursor),
        }
        params.push(Sql::Text(cursor.id));
    }
    let key_column = order
        .key_column()
        .map(|c| format!(", {c}"))
        .unwrap_or_default();
    let sql = format!(
        "SELECT {RECORD_COLUMNS}{key_column} FROM {}{} ORDER BY {} LIMIT ?",
        table(query.collection),
        where_clause(&sql_conditions),
        order.order_by(),
    );
    // One row more than the page tells whether another page follows.
    params.push(Sql::Integer(i64::from(query.limit) + 1));
    Ok(Some((sql, params)))
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
    let Some((sql_conditions, params)) = conditions(query, Search::Index)? else {
        return Ok(0);
    };
    let sql = format!(
        "SELECT COUNT(*) FROM {}{}",
        table(query.collection),
        where_clause(&sql_conditions)
    );
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
