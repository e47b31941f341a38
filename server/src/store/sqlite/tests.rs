//! Checks that the migrations and the code agree: every filter has its
//! column (an integer filter an `INTEGER` one, comparing numbers), and
//! the RFC lists the API serves run on an index without a sort
//! step (the plan SQLite chooses, not a timing).

use rapport_shared::Collection;
use rapport_shared::collection::FilterKind;
use rapport_shared::wire::Sort;
use rusqlite::Connection;

use super::{migrate, query, schema};
use crate::store::sql::{self, ColumnValue as Sql};
use crate::store::{Filter, ListQuery};

fn migrated() -> Connection {
    let mut conn = Connection::open_in_memory().expect("an in-memory database");
    migrate::apply(&mut conn).expect("migrations apply");
    conn
}

#[test]
fn every_column_filter_has_its_column() {
    let conn = migrated();
    for collection in Collection::ALL {
        let mut statement = conn
            .prepare(&format!(
                "PRAGMA table_info({})",
                schema::table(*collection)
            ))
            .expect("table_info");
        let columns: Vec<String> = statement
            .query_map([], |row| row.get(1))
            .expect("columns")
            .collect::<Result<_, _>>()
            .expect("columns");
        let mut needed: Vec<&str> = sql::column_filters(*collection)
            .map(|spec| spec.field)
            .collect();
        needed.extend([
            "id",
            "version",
            "created_ns",
            "updated_ns",
            "search",
            "fields",
        ]);
        if collection.sorts().contains(&Sort::Priority) {
            needed.push("priority_rank");
        }
        for column in needed {
            assert!(
                columns.iter().any(|c| c == column),
                "{collection} lacks {column}"
            );
        }
    }
}

#[test]
fn integer_filters_keep_and_compare_whole_numbers() {
    let conn = migrated();
    for collection in Collection::ALL {
        for spec in sql::column_filters(*collection)
            .filter(|s| s.kind == FilterKind::Integer || s.kind.is_instant())
        {
            let column_type: String = conn
                .query_row(
                    &format!("SELECT type FROM pragma_table_info('{collection}') WHERE name = ?1"),
                    [spec.field],
                    |row| row.get(0),
                )
                .expect("the filter's column");
            assert_eq!(column_type, "INTEGER", "{collection}.{}", spec.field);
        }
    }
    let year = Collection::BudgetLines
        .filters()
        .iter()
        .find(|spec| spec.param == "year")
        .expect("budget lines filter by year");
    let fields = serde_json::json!({"year": 2026, "note": "2026"});
    let fields = fields.as_object().expect("an object");
    assert_eq!(sql::filter_column_value(year, fields), Sql::Integer(2026));
    assert_eq!(
        sql::filter_param_value(year, "2026"),
        Some(Sql::Integer(2026))
    );
    assert_eq!(sql::filter_param_value(year, "next"), None);
    let text_year = serde_json::json!({"year": "2026"});
    let text_year = text_year.as_object().expect("an object");
    assert_eq!(sql::filter_column_value(year, text_year), Sql::Null);
}

#[test]
fn rfc_pages_use_an_index_for_filter_and_order() {
    let conn = migrated();
    let filters = [
        None,
        Some("status"),
        Some("assignee_id"),
        Some("customer_id"),
    ];
    for sort in [Sort::Created, Sort::Priority, Sort::Updated] {
        for param in filters {
            if param == Some("assignee_id") && sort == Sort::Updated {
                continue;
            }
            if param == Some("customer_id") && sort == Sort::Updated {
                continue;
            }
            let list_query = ListQuery {
                collection: Collection::Rfcs,
                filters: param
                    .map(|param| Filter::is(param, "x"))
                    .into_iter()
                    .collect(),
                q: None,
                sort,
                limit: 50,
                cursor: None,
            };
            let plan = query::explain(&conn, &list_query).expect("a plan");
            assert!(
                !plan.contains("TEMP B-TREE"),
                "{sort:?} {param:?} sorts: {plan}"
            );
            assert!(plan.contains("INDEX"), "{sort:?} {param:?} scans: {plan}");
        }
    }
}
