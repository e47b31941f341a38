//! The SQL every backend shares: what a record's row holds besides its
//! JSON (the `search` text, the priority rank, one column per text,
//! boolean or integer filter, the values of list filters) and the `SELECT`
//! of a page or a count built from a [`ListQuery`]. The statements use `?`
//! placeholders and backend-neutral [`ColumnValue`]s; a backend binds them
//! its own way (SQLite as they are, PostgreSQL numbered by [`numbered`]).
//! Each backend adds only what is its own: SQLite its FTS5 index, through
//! the `indexed` condition [`page_sql`] and [`conditions`] take.

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::collection::{FilterKind, FilterSpec};
use rapport_shared::enums::Priority;
use rapport_shared::wire::Sort;
use serde_json::{Map, Value};

use super::cursor::{PageCursor, PageOrder};
use super::{ListQuery, StoreError, StoreResult, StoredRecord};

/// A value of a derived column or a query parameter: SQL's three kinds
/// that the derived columns and filters use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnValue {
    Null,
    Integer(i64),
    Text(String),
}

/// The leading columns of every collection table, in `SELECT` order.
pub const RECORD_COLUMNS: &str = "id, version, created_ns, updated_ns, fields";

/// The table of a collection.
pub fn table(collection: Collection) -> &'static str {
    collection.name()
}

/// Sort rank for records without a known priority: after `low`.
pub const NO_PRIORITY_RANK: i64 = 4;

/// The filters kept as a column of the collection's table (text, bool and
/// integer), the column named after the field.
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
pub fn filter_column_value(spec: &FilterSpec, fields: &Map<String, Value>) -> ColumnValue {
    match (spec.kind, fields.get(spec.field)) {
        (FilterKind::Text, Some(Value::String(text))) => ColumnValue::Text(text.clone()),
        (FilterKind::Bool, Some(Value::Bool(flag))) => ColumnValue::Integer(i64::from(*flag)),
        (FilterKind::Integer, Some(Value::Number(number))) => number
            .as_i64()
            .map_or(ColumnValue::Null, ColumnValue::Integer),
        (kind, Some(Value::String(text))) if kind.is_instant() => {
            // An instant, or a date (an RFC's `due_on`) from its start in
            // UTC, as the filter's bounds read a date.
            rapport_shared::fields::parse_timestamp(text)
                .map(|instant| instant.as_second())
                .or_else(|| FilterKind::From.bound_seconds(text))
                .map_or(ColumnValue::Null, ColumnValue::Integer)
        }
        _ => ColumnValue::Null,
    }
}

/// The value a filter parameter compares with: `None` when the text can
/// never match (a boolean filter given something other than true/false,
/// an integer filter given something other than a whole number).
pub fn filter_param_value(spec: &FilterSpec, text: &str) -> Option<ColumnValue> {
    match spec.kind {
        FilterKind::Bool | FilterKind::NotPassed => match text {
            "true" => Some(ColumnValue::Integer(1)),
            "false" => Some(ColumnValue::Integer(0)),
            _ => None,
        },
        FilterKind::Integer => text.parse().ok().map(ColumnValue::Integer),
        FilterKind::From | FilterKind::To => {
            spec.kind.bound_seconds(text).map(ColumnValue::Integer)
        }
        FilterKind::Text | FilterKind::ListContains => Some(ColumnValue::Text(text.to_owned())),
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

/// The columns derived from the fields: search, rank, filter columns.
pub fn derived_columns(collection: Collection) -> Vec<&'static str> {
    let mut columns = vec!["search"];
    if collection.sorts().contains(&Sort::Priority) {
        columns.push("priority_rank");
    }
    columns.extend(column_filters(collection).map(|spec| spec.field));
    columns
}

/// The values of the derived columns, in the order of [`derived_columns`].
pub fn derived_values(collection: Collection, fields: &Map<String, Value>) -> Vec<ColumnValue> {
    let mut values = vec![ColumnValue::Text(search_text(collection, fields))];
    if collection.sorts().contains(&Sort::Priority) {
        values.push(ColumnValue::Integer(priority_rank(fields)));
    }
    values.extend(column_filters(collection).map(|spec| filter_column_value(spec, fields)));
    values
}

/// A record's fields as the JSON text its row keeps.
pub fn fields_text(record: &StoredRecord) -> StoreResult<String> {
    serde_json::to_string(&record.fields).map_err(|e| StoreError::Backend(e.to_string()))
}

/// The `INSERT` of a record's row, with the columns derived from its
/// fields, and its parameters in order (`?` placeholders: [`numbered`]
/// makes them PostgreSQL's).
pub fn insert_row(
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<(String, Vec<ColumnValue>)> {
    let columns = derived_columns(collection);
    let sql = format!(
        "INSERT INTO {} (id, version, created_ns, updated_ns, fields, {}) VALUES (?, ?, ?, ?, ?{})",
        table(collection),
        columns.join(", "),
        ", ?".repeat(columns.len()),
    );
    let mut values = vec![
        ColumnValue::Text(record.id.clone()),
        ColumnValue::Integer(record.version),
        ColumnValue::Integer(to_ns(record.created_at)?),
        ColumnValue::Integer(to_ns(record.updated_at)?),
        ColumnValue::Text(fields_text(record)?),
    ];
    values.extend(derived_values(collection, &record.fields));
    Ok((sql, values))
}

/// The `UPDATE` rewriting a record's row (all but id and creation time),
/// and its parameters in order.
pub fn update_row(
    collection: Collection,
    record: &StoredRecord,
) -> StoreResult<(String, Vec<ColumnValue>)> {
    let assignments: String = derived_columns(collection)
        .iter()
        .map(|column| format!(", {column} = ?"))
        .collect();
    let sql = format!(
        "UPDATE {} SET version = ?, updated_ns = ?, fields = ?{assignments} WHERE id = ?",
        table(collection),
    );
    let mut values = vec![
        ColumnValue::Integer(record.version),
        ColumnValue::Integer(to_ns(record.updated_at)?),
        ColumnValue::Text(fields_text(record)?),
    ];
    values.extend(derived_values(collection, &record.fields));
    values.push(ColumnValue::Text(record.id.clone()));
    Ok((sql, values))
}

/// Which order a sort means for a collection, its key column (selected
/// after [`RECORD_COLUMNS`]) and its `ORDER BY`.
impl PageOrder {
    pub fn of(collection: Collection, sort: Sort) -> PageOrder {
        match sort {
            Sort::Created | Sort::Age => PageOrder::Id,
            // Collections without a priority list in creation order.
            Sort::Priority if collection.sorts().contains(&Sort::Priority) => PageOrder::Rank,
            Sort::Priority => PageOrder::Id,
            Sort::Updated => PageOrder::UpdatedDesc,
            Sort::Due if collection.sorts().contains(&Sort::Due) => PageOrder::Due,
            Sort::Due => PageOrder::Id,
        }
    }

    pub fn key_column(self) -> Option<&'static str> {
        match self {
            PageOrder::Id => None,
            PageOrder::Rank => Some("priority_rank"),
            PageOrder::UpdatedDesc => Some("updated_ns"),
            PageOrder::Due => Some(DUE_KEY),
        }
    }

    pub fn order_by(self) -> &'static str {
        match self {
            PageOrder::Id => "id",
            PageOrder::Rank => "priority_rank, id",
            PageOrder::UpdatedDesc => "updated_ns DESC, id DESC",
            PageOrder::Due => DUE_ORDER,
        }
    }
}

/// The due-date sort's key: the due day's seconds, RFCs without one after
/// every date (the expression the `rfcs_due` index is on, in both
/// backends' migrations).
const DUE_KEY: &str = "coalesce(due_on, 9223372036854775807)";

/// The due-date sort's `ORDER BY`, the same expression as [`DUE_KEY`].
const DUE_ORDER: &str = "coalesce(due_on, 9223372036854775807), id";

/// A backend's extra condition for a `q` (SQLite's search index: which
/// rows to look at; the `LIKE` still decides), or `None`.
pub type IndexedSearch<'a> = &'a dyn Fn(&str) -> Option<(String, ColumnValue)>;

/// The `WHERE` of a list or count: conditions joined by `AND`, with their
/// parameters in order. `None` when a filter value can never match.
pub fn conditions(
    query: &ListQuery,
    indexed: IndexedSearch<'_>,
) -> StoreResult<Option<(Vec<String>, Vec<ColumnValue>)>> {
    let collection = query.collection;
    let mut sql = Vec::new();
    let mut params = Vec::new();
    for filter in &query.filters {
        let spec = collection
            .filters()
            .iter()
            .find(|spec| spec.param == filter.param)
            .ok_or_else(|| StoreError::UnknownFilter(filter.param.clone()))?;
        let values: Vec<ColumnValue> = filter
            .values
            .iter()
            .filter_map(|value| filter_param_value(spec, value))
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
                let still_to_come = values[0] == ColumnValue::Integer(1);
                sql.push(if still_to_come {
                    format!("({0} IS NULL OR {0} > ?)", spec.field)
                } else {
                    format!("{} <= ?", spec.field)
                });
                params.push(ColumnValue::Integer(jiff::Timestamp::now().as_second()));
                continue;
            }
            FilterKind::ListContains => {
                sql.push(format!(
                    "id IN (SELECT record_id FROM list_values \
                     WHERE collection = ? AND field = ? AND value {any_of})"
                ));
                params.push(ColumnValue::Text(collection.name().into()));
                params.push(ColumnValue::Text(spec.field.into()));
            }
        }
        params.extend(values);
    }
    if query.q.as_deref().is_some_and(|q| q.contains('\0')) {
        // No stored text holds a NUL (control characters are refused);
        // SQLite's LIKE would stop reading the pattern at it and
        // PostgreSQL cannot take it in a text: such a `q` finds nothing.
        sql.push("1 = 0".into());
    } else if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
        // An index narrows the rows to look at; the LIKE decides, as
        // without it.
        if let Some((condition, value)) = indexed(q) {
            sql.push(condition);
            params.push(value);
        }
        // The end of an id is the short id the client shows.
        sql.push("(search LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')".into());
        params.push(ColumnValue::Text(like_pattern(q)));
        params.push(ColumnValue::Text(suffix_pattern(q)));
    }
    Ok(Some((sql, params)))
}

/// ` WHERE a AND b`, or nothing for no conditions.
pub fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// The `SELECT` of a page and its parameters; `None` when nothing can
/// match. It reads one row more than the page, which tells whether
/// another page follows.
pub fn page_sql(
    query: &ListQuery,
    order: PageOrder,
    indexed: IndexedSearch<'_>,
) -> StoreResult<Option<(String, Vec<ColumnValue>)>> {
    let cursor = query
        .cursor
        .as_deref()
        .map(|cursor| PageCursor::decode(cursor, order))
        .transpose()?;
    let Some((mut sql_conditions, mut params)) = conditions(query, indexed)? else {
        return Ok(None);
    };
    if let Some(cursor) = cursor {
        // Row values keep the keyset condition one index range.
        match (order, cursor.key) {
            (PageOrder::Id, _) => sql_conditions.push("id > ?".into()),
            (PageOrder::Rank, Some(key)) => {
                sql_conditions.push("(priority_rank, id) > (?, ?)".into());
                params.push(ColumnValue::Integer(key));
            }
            (PageOrder::Due, Some(key)) => {
                sql_conditions.push(format!("({DUE_KEY}, id) > (?, ?)"));
                params.push(ColumnValue::Integer(key));
            }
            (PageOrder::UpdatedDesc, Some(key)) => {
                sql_conditions.push("(updated_ns, id) < (?, ?)".into());
                params.push(ColumnValue::Integer(key));
            }
            (_, None) => return Err(StoreError::BadCursor),
        }
        params.push(ColumnValue::Text(cursor.id));
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
    params.push(ColumnValue::Integer(i64::from(query.limit) + 1));
    Ok(Some((sql, params)))
}

/// The `SELECT COUNT(*)` of a query's matches; `None` when nothing can
/// match.
pub fn count_sql(
    query: &ListQuery,
    indexed: IndexedSearch<'_>,
) -> StoreResult<Option<(String, Vec<ColumnValue>)>> {
    let Some((sql_conditions, params)) = conditions(query, indexed)? else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT COUNT(*) FROM {}{}",
        table(query.collection),
        where_clause(&sql_conditions)
    );
    Ok(Some((sql, params)))
}

/// `sql` with each `?` placeholder numbered (`$1`, `$2`, ...), as
/// PostgreSQL takes them. The statements built here hold no `?` in a
/// literal.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 1;
    for c in sql.chars() {
        if c == '?' {
            out.push('$');
            out.push_str(&next.to_string());
            next += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// A timestamp as stored: nanoseconds since the epoch.
pub fn to_ns(at: Timestamp) -> StoreResult<i64> {
    i64::try_from(at.as_nanosecond())
        .map_err(|_| StoreError::Backend(format!("timestamp {at} out of range")))
}

/// A stored timestamp.
pub fn from_ns(ns: i64) -> StoreResult<Timestamp> {
    Timestamp::from_nanosecond(i128::from(ns))
        .map_err(|e| StoreError::Backend(format!("a stored time is out of range: {e}")))
}

/// A record from its [`StoredRecord::to_json`] form (a kept idempotent
/// response).
pub fn record_from_json(json: &str) -> StoreResult<StoredRecord> {
    let corrupt = || StoreError::Backend("a kept idempotent response is corrupt".into());
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(json) else {
        return Err(corrupt());
    };
    let mut take_text = |name: &str| match fields.remove(name) {
        Some(Value::String(text)) => Ok(text),
        _ => Err(corrupt()),
    };
    let id = take_text("id")?;
    let created_at = take_text("created_at")?;
    let updated_at = take_text("updated_at")?;
    let version = fields
        .remove("version")
        .and_then(|v| v.as_i64())
        .ok_or_else(corrupt)?;
    let timestamp = |text: String| text.parse::<Timestamp>().map_err(|_| corrupt());
    Ok(StoredRecord {
        id,
        version,
        created_at: timestamp(created_at)?,
        updated_at: timestamp(updated_at)?,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            numbered("a = ? AND (b, id) > (?, ?) LIMIT ?"),
            "a = $1 AND (b, id) > ($2, $3) LIMIT $4"
        );
    }
}
