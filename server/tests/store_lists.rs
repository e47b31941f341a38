//! Lists: filters (text, bool, list; one value or any of several), `q`, every sort with cursors across
//! small pages, counts, and the errors for unknown filters and bad cursors.

mod store_support;

use rapport_server::store::{Filter, ListQuery, Store, StoreError, StoredRecord, WriteOp};
use rapport_shared::Collection;
use rapport_shared::enums::Priority;
use rapport_shared::wire::Sort;
use serde_json::json;
use store_support::*;

fn rank(record: &StoredRecord) -> i64 {
    record
        .fields
        .get("priority")
        .and_then(|p| p.as_str())
        .and_then(Priority::parse)
        .map_or(4, Priority::rank)
}

/// Twelve RFCs over several batches, some updated afterwards, so the
/// created, priority and updated orders all differ.
async fn rfcs(store: &dyn Store) -> Vec<StoredRecord> {
    let priorities = ["low", "critical", "medium", "high"];
    let mut records = Vec::new();
    for chunk in 0..3 {
        let ops = (0..4)
            .map(|i| {
                let n = chunk * 4 + i;
                create(
                    Collection::Rfcs,
                    json!({
                        "customer_id": "c", "title": format!("RFC {n}"),
                        "priority": priorities[(n * 7 % 4) as usize],
                        "status": if n % 3 == 0 { "new" } else { "triaged" },
                    }),
                )
            })
            .collect();
        records.extend(store.write(batch(ops)).await.expect("write"));
    }
    for index in [7usize, 2, 9] {
        let record = records[index].clone();
        let updated = write_one(
            store,
            WriteOp::Update {
                collection: Collection::Rfcs,
                id: record.id.clone(),
                expected_version: record.version,
                fields: record.fields.clone(),
                links: Vec::new(),
                unique: Vec::new(),
            },
        )
        .await;
        records[index] = updated;
    }
    records
}

async fn every_sort_pages_through_every_record_once_in_order(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let records = rfcs(store).await;
    let mut by_id = records.clone();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    let mut by_priority = records.clone();
    by_priority.sort_by(|a, b| (rank(a), &a.id).cmp(&(rank(b), &b.id)));
    let mut by_updated = records.clone();
    by_updated.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
    assert_ne!(ids(&by_id), ids(&by_priority));
    assert_ne!(ids(&by_id), ids(&by_updated));
    let cases = [
        (Sort::Created, &by_id),
        (Sort::Age, &by_id),
        (Sort::Priority, &by_priority),
        (Sort::Updated, &by_updated),
    ];
    for (sort, expected) in cases {
        for limit in 1..=3 {
            let listed = all_pages(
                store,
                ListQuery {
                    sort,
                    ..query(Collection::Rfcs)
                },
                limit,
            )
            .await;
            assert_eq!(ids(&listed), ids(expected), "{sort:?} by {limit}");
        }
        // Filtered and sorted at once.
        let filtered = all_pages(
            store,
            ListQuery {
                sort,
                filters: vec![filter("status", "triaged")],
                ..query(Collection::Rfcs)
            },
            2,
        )
        .await;
        let expected_filtered: Vec<_> = expected
            .iter()
            .filter(|r| r.fields["status"] == "triaged")
            .cloned()
            .collect();
        assert_eq!(ids(&filtered), ids(&expected_filtered), "{sort:?} filtered");
    }
}

async fn a_page_of_exactly_the_rest_has_no_next_cursor(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = (0..4)
        .map(|i| create(Collection::Services, json!({"name": format!("S{i}")})))
        .collect();
    store.write(batch(ops)).await.expect("write");
    let first = store
        .list(ListQuery {
            limit: 2,
            ..query(Collection::Services)
        })
        .await
        .expect("page");
    assert_eq!(first.items.len(), 2);
    let second = store
        .list(ListQuery {
            limit: 2,
            cursor: first.next_cursor,
            ..query(Collection::Services)
        })
        .await
        .expect("page");
    assert_eq!(second.items.len(), 2);
    assert_eq!(second.next_cursor, None);
}

/// Filter params and values, and the names a list with them returns.
type Filters = &'static [(&'static str, &'static str)];
type Names = &'static [&'static str];

async fn filters_match_text_bool_and_list_values(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let staff = [
        json!({"name": "Ada", "job_roles": ["brm", "service_owner"], "active": true}),
        json!({"name": "Bo", "job_roles": ["service_desk"], "active": false}),
        json!({"name": "Cy", "job_roles": [], "active": true}),
        json!({"name": "Di"}),
    ];
    let ops = staff
        .iter()
        .map(|fields| create(Collection::Staff, fields.clone()))
        .collect();
    let staff = store.write(batch(ops)).await.expect("write");
    let names = |records: &[StoredRecord]| -> Vec<String> {
        records
            .iter()
            .map(|r| r.fields["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let cases: &[(Filters, Names)] = &[
        (&[("job_role", "brm")], &["Ada"]),
        (&[("job_role", "service_owner")], &["Ada"]),
        (&[("job_role", "service_desk")], &["Bo"]),
        (&[("job_role", "delivery_manager")], &[]),
        (&[("active", "true")], &["Ada", "Cy"]),
        (&[("active", "false")], &["Bo"]),
        (&[("active", "yes")], &[]),
        (&[("active", "true"), ("job_role", "brm")], &["Ada"]),
        (&[("active", "false"), ("job_role", "brm")], &[]),
    ];
    for (filters, expected) in cases {
        let list_query = ListQuery {
            filters: filters.iter().map(|(p, v)| filter(p, v)).collect(),
            ..query(Collection::Staff)
        };
        let page = store.list(list_query.clone()).await.expect("list");
        assert_eq!(names(&page.items), *expected, "{filters:?}");
        let count = store.count(list_query).await.expect("count");
        assert_eq!(count, expected.len() as i64, "{filters:?}");
    }
    // Several values match any of them; none matches nothing.
    let any_of: &[(&str, &[&str], Names)] = &[
        ("job_role", &["brm", "service_desk"], &["Ada", "Bo"]),
        ("active", &["true", "false"], &["Ada", "Bo", "Cy"]),
        ("active", &["yes", "false"], &["Bo"]),
        ("job_role", &[], &[]),
    ];
    for (param, values, expected) in any_of {
        let list_query = ListQuery {
            filters: vec![Filter {
                param: param.to_string(),
                values: values.iter().map(|v| v.to_string()).collect(),
            }],
            ..query(Collection::Staff)
        };
        let page = store.list(list_query.clone()).await.expect("list");
        assert_eq!(names(&page.items), *expected, "{param} {values:?}");
        let count = store.count(list_query).await.expect("count");
        assert_eq!(count, expected.len() as i64, "{param} {values:?}");
    }
    // A list filter follows updates and deletes.
    let ada = &staff[0];
    let mut fields = ada.fields.clone();
    fields.insert("job_roles".into(), json!(["delivery_manager"]));
    write_one(
        store,
        WriteOp::Update {
            collection: Collection::Staff,
            id: ada.id.clone(),
            expected_version: 1,
            fields,
            links: Vec::new(),
            unique: Vec::new(),
        },
    )
    .await;
    let brm = ListQuery {
        filters: vec![filter("job_role", "brm")],
        ..query(Collection::Staff)
    };
    assert_eq!(store.count(brm).await, Ok(0));
    let manager = ListQuery {
        filters: vec![filter("job_role", "delivery_manager")],
        ..query(Collection::Staff)
    };
    assert_eq!(store.count(manager.clone()).await, Ok(1));
    write_one(
        store,
        WriteOp::Delete {
            collection: Collection::Staff,
            id: ada.id.clone(),
            expected_version: 2,
        },
    )
    .await;
    assert_eq!(store.count(manager).await, Ok(0));
}

async fn absent_and_null_fields_never_match_a_filter(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = vec![
        create(
            Collection::Rfcs,
            json!({"title": "a", "assignee_id": "s1", "route": null}),
        ),
        create(Collection::Rfcs, json!({"title": "b", "assignee_id": null})),
        create(Collection::Rfcs, json!({"title": "c"})),
    ];
    store.write(batch(ops)).await.expect("write");
    for (param, value, expected) in [
        ("assignee_id", "s1", 1),
        ("assignee_id", "", 0),
        ("assignee_id", "null", 0),
        ("route", "null", 0),
        ("priority", "medium", 0),
    ] {
        let list_query = ListQuery {
            filters: vec![filter(param, value)],
            ..query(Collection::Rfcs)
        };
        assert_eq!(
            store.count(list_query).await,
            Ok(expected),
            "{param}={value}"
        );
    }
}

async fn q_is_a_case_insensitive_substring_with_wildcards_escaped(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let titles = [
        "Storage quota",
        "100% done",
        "a_b",
        "ÉCOLE network",
        "plain",
    ];
    let ops = titles
        .iter()
        .map(|title| {
            create(
                Collection::Rfcs,
                json!({"title": title, "description": "Shared"}),
            )
        })
        .collect();
    store.write(batch(ops)).await.expect("write");
    let cases: &[(&str, &[&str])] = &[
        ("STOR", &["Storage quota"]),
        ("%", &["100% done"]),
        ("_", &["a_b"]),
        ("a_", &["a_b"]),
        ("\\", &[]),
        ("école", &["ÉCOLE network"]),
        ("shared", &titles),
        ("nothing like it", &[]),
        ("", &titles),
    ];
    for (q, expected) in cases {
        let list_query = ListQuery {
            q: Some((*q).into()),
            ..query(Collection::Rfcs)
        };
        let page = store.list(list_query.clone()).await.expect("list");
        let found: Vec<_> = page
            .items
            .iter()
            .map(|r| r.fields["title"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(found, *expected, "q={q}");
        assert_eq!(store.count(list_query).await, Ok(expected.len() as i64));
    }
}

/// `q` also finds a record by the end of its id (the short id the client
/// shows), in any case, and a middle part of an id finds nothing.
async fn q_finds_a_record_by_the_end_of_its_id(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = (0..3)
        .map(|i| create(Collection::Rfcs, json!({"title": format!("RFC {i}")})))
        .collect();
    let written = store.write(batch(ops)).await.expect("write");
    let wanted = &written[1];
    let short = &wanted.id[wanted.id.len() - 6..];
    for q in [short.to_string(), short.to_uppercase()] {
        let list_query = ListQuery {
            q: Some(q.clone()),
            ..query(Collection::Rfcs)
        };
        let page = store.list(list_query.clone()).await.expect("list");
        assert_eq!(ids(&page.items), vec![wanted.id.clone()], "q={q}");
        assert_eq!(store.count(list_query).await, Ok(1));
    }
    let middle = &wanted.id[4..10];
    let page = store
        .list(ListQuery {
            q: Some(middle.into()),
            ..query(Collection::Rfcs)
        })
        .await
        .expect("list");
    assert!(
        page.items.iter().all(|r| r.id.ends_with(middle)),
        "only ids ending in {middle}"
    );
}

async fn unknown_filters_and_bad_cursors_are_errors(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = (0..3)
        .map(|i| create(Collection::Rfcs, json!({"title": format!("T{i}")})))
        .collect();
    store.write(batch(ops)).await.expect("write");
    let unknown = ListQuery {
        filters: vec![filter("colour", "red")],
        ..query(Collection::Rfcs)
    };
    assert_eq!(
        store.list(unknown.clone()).await,
        Err(StoreError::UnknownFilter("colour".into()))
    );
    assert_eq!(
        store.count(unknown).await,
        Err(StoreError::UnknownFilter("colour".into()))
    );
    // A filter of another collection is unknown here.
    let foreign = ListQuery {
        filters: vec![filter("job_role", "brm")],
        ..query(Collection::Rfcs)
    };
    assert!(matches!(
        store.list(foreign).await,
        Err(StoreError::UnknownFilter(_))
    ));
    let priority_page = store
        .list(ListQuery {
            limit: 1,
            sort: Sort::Priority,
            ..query(Collection::Rfcs)
        })
        .await
        .expect("page");
    let priority_cursor = priority_page.next_cursor.expect("more pages");
    for cursor in [
        "",
        "not base64!",
        "bm9wZQ",
        "Yy5ub3QtYS11dWlk",
        &priority_cursor,
    ] {
        let list_query = ListQuery {
            cursor: Some(cursor.into()),
            sort: Sort::Updated,
            ..query(Collection::Rfcs)
        };
        assert_eq!(
            store.list(list_query).await,
            Err(StoreError::BadCursor),
            "{cursor}"
        );
    }
}

async fn priority_sort_elsewhere_is_creation_order(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let ops = (0..5)
        .map(|i| {
            create(
                Collection::Customers,
                json!({"name": format!("C{i}"), "priority": "high"}),
            )
        })
        .collect();
    let created = store.write(batch(ops)).await.expect("write");
    let listed = all_pages(
        store,
        ListQuery {
            sort: Sort::Priority,
            ..query(Collection::Customers)
        },
        2,
    )
    .await;
    assert_eq!(ids(&listed), ids(&created));
}

/// The ids `q` finds in `collection`, checked against its count.
async fn found(store: &dyn Store, collection: Collection, q: &str) -> Vec<String> {
    let list_query = ListQuery {
        q: Some(q.to_string()),
        ..query(collection)
    };
    let page = store.list(list_query.clone()).await.expect("list");
    let count = store.count(list_query).await.expect("count");
    assert_eq!(count, page.items.len() as i64, "q={q}");
    ids(&page.items)
}

/// `q` follows each write of a record, on every collection whose search
/// is indexed (and the others): found once created, found by its new text
/// and no longer by its old once edited, not found once deleted; a query
/// too short for the index finds it too.
async fn q_follows_a_record_created_edited_and_deleted(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let cases = [
        (Collection::Rfcs, "title"),
        (Collection::Customers, "name"),
        (Collection::Contacts, "name"),
        (Collection::Staff, "name"),
    ];
    for (collection, field) in cases {
        let other = write_one(store, create(collection, json!({field: "Unrelated"}))).await;
        let record = write_one(
            store,
            create(collection, json!({field: "Quarterly Zebra review"})),
        )
        .await;
        let wanted = vec![record.id.clone()];
        assert_eq!(
            found(store, collection, "zebra").await,
            wanted,
            "{collection}"
        );
        assert_eq!(
            found(store, collection, "ZEBRA REV").await,
            wanted,
            "{collection}"
        );
        assert_eq!(found(store, collection, "ze").await, wanted, "{collection}");
        assert_eq!(
            found(store, collection, "okapi").await,
            Vec::<String>::new()
        );
        let edited = write_one(
            store,
            update(
                collection,
                &record.id,
                1,
                json!({field: "Yearly okapi review"}),
            ),
        )
        .await;
        assert_eq!(
            found(store, collection, "okapi").await,
            wanted,
            "{collection}"
        );
        assert_eq!(
            found(store, collection, "zebra").await,
            Vec::<String>::new()
        );
        assert_eq!(
            found(store, collection, "review").await,
            wanted,
            "{collection}"
        );
        store
            .write(batch(vec![WriteOp::Delete {
                collection,
                id: record.id.clone(),
                expected_version: edited.version,
            }]))
            .await
            .expect("delete");
        assert_eq!(
            found(store, collection, "okapi").await,
            Vec::<String>::new()
        );
        assert_eq!(
            found(store, collection, "unrelated").await,
            vec![other.id.clone()]
        );
    }
}

/// A `q` holding characters the search index's query syntax cannot carry
/// (a NUL ends its quoted phrase: "unterminated string", which was a 500
/// schemathesis found) or quotes is looked for like any other text.
async fn q_with_nul_or_quotes_is_searched_not_an_error(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    for collection in [
        Collection::Rfcs,
        Collection::Customers,
        Collection::Contacts,
    ] {
        let field = if collection == Collection::Rfcs {
            "title"
        } else {
            "name"
        };
        write_one(
            store,
            create(collection, json!({field: "Say \"hello\" twice"})),
        )
        .await;
        for q in ["abc\0def", "\0\0\0", "x\u{1}\0y\"z", "\"hello\"", "\"\"\""] {
            let hits = found(store, collection, q).await;
            let expected = usize::from(q == "\"hello\"");
            assert_eq!(hits.len(), expected, "{collection} q={q:?}");
        }
    }
}

/// RFCs due on these days (`None`: no due date), in creation order.
async fn rfcs_due(store: &dyn Store, days: &[Option<&str>]) -> Vec<StoredRecord> {
    let ops = days
        .iter()
        .enumerate()
        .map(|(n, day)| {
            create(
                Collection::Rfcs,
                json!({"customer_id": "c", "title": format!("RFC {n}"), "due_on": day}),
            )
        })
        .collect();
    store.write(batch(ops)).await.expect("write")
}

async fn due_from_and_to_take_whole_days_and_sort_due_puts_undated_last(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    let days = [
        Some("2026-12-09"),
        None,
        Some("2026-11-30"),
        Some("2026-12-06"),
        Some("2026-12-07"),
        None,
        Some("2026-11-29"),
    ];
    let records = rfcs_due(store, &days).await;
    let id = |n: usize| records[n].id.clone();
    // Soonest first, the undated last in creation order, across pages.
    for limit in 1..=3 {
        let listed = all_pages(
            store,
            ListQuery {
                sort: Sort::Due,
                ..query(Collection::Rfcs)
            },
            limit,
        )
        .await;
        assert_eq!(
            ids(&listed),
            vec![id(6), id(2), id(3), id(4), id(0), id(1), id(5)],
            "by {limit}"
        );
    }
    // The week of Monday 30 November to Sunday 6 December, both days whole.
    let week = all_pages(
        store,
        ListQuery {
            sort: Sort::Due,
            filters: vec![
                filter("due_from", "2026-11-30"),
                filter("due_to", "2026-12-06"),
            ],
            ..query(Collection::Rfcs)
        },
        2,
    )
    .await;
    assert_eq!(ids(&week), vec![id(2), id(3)]);
    let counted = store
        .count(ListQuery {
            filters: vec![filter("due_from", "2026-12-07")],
            ..query(Collection::Rfcs)
        })
        .await
        .expect("count");
    assert_eq!(counted, 2);
}

on_every_backend!(
    every_sort_pages_through_every_record_once_in_order,
    a_page_of_exactly_the_rest_has_no_next_cursor,
    filters_match_text_bool_and_list_values,
    absent_and_null_fields_never_match_a_filter,
    q_is_a_case_insensitive_substring_with_wildcards_escaped,
    q_finds_a_record_by_the_end_of_its_id,
    unknown_filters_and_bad_cursors_are_errors,
    priority_sort_elsewhere_is_creation_order,
    q_follows_a_record_created_edited_and_deleted,
    q_with_nul_or_quotes_is_searched_not_an_error,
    due_from_and_to_take_whole_days_and_sort_due_puts_undated_last,
);
