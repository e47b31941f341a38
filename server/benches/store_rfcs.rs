//! How fast the SQLite store lists RFCs when it holds many: fills a fresh
//! database with `RAPPORT_BENCH_RFCS` RFCs (default one million) through
//! the ordinary write path in large batches, then measures first pages,
//! a deep cursor page, a count and a `q` search.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use rapport_server::store::sqlite::SqliteStore;
use rapport_server::store::{Actor, Filter, Link, ListQuery, Store, WriteBatch, WriteOp};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Sort;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

/// RFCs per write: large batches amortise the commit, small enough that a
/// batch's records fit comfortably in memory.
const BATCH: usize = 10_000;
const CUSTOMERS: usize = 200;
const STAFF: usize = 50;
const STATUSES: [&str; 6] = [
    "new",
    "triaged",
    "assessing",
    "approved",
    "scheduled",
    "closed",
];
const PRIORITIES: [&str; 4] = ["critical", "high", "medium", "low"];

fn rfc_count() -> usize {
    std::env::var("RAPPORT_BENCH_RFCS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

fn actor() -> Actor {
    Actor {
        token_id: "bench".into(),
        name: "bench".into(),
        staff_id: None,
        permission: Permission::Admin,
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        _ => Map::new(),
    }
}

async fn create_all(store: &SqliteStore, ops: Vec<WriteOp>) -> Vec<String> {
    let batch = WriteBatch {
        actor: actor(),
        ops,
        idempotency: None,
        at: None,
        guards: Vec::new(),
        derivations: Vec::new(),
    };
    let records = store.write(batch).await.expect("bench writes succeed");
    records.into_iter().map(|r| r.id).collect()
}

/// Fills the store; returns the staff ids (for the assignee filter).
async fn fill(store: &SqliteStore, rfcs: usize) -> Vec<String> {
    let plain = |collection, fields| WriteOp::Create {
        collection,
        fields: object(fields),
        links: Vec::new(),
        unique: Vec::new(),
    };
    let staff = create_all(
        store,
        (0..STAFF)
            .map(|i| plain(Collection::Staff, json!({"name": format!("Staff {i}")})))
            .collect(),
    )
    .await;
    let customers = create_all(
        store,
        (0..CUSTOMERS)
            .map(|i| {
                plain(
                    Collection::Customers,
                    json!({"name": format!("Customer {i}")}),
                )
            })
            .collect(),
    )
    .await;
    let mut n = 0usize;
    while n < rfcs {
        let ops = (n..rfcs.min(n + BATCH))
            .map(|i| {
                // A cheap scramble so neighbouring rows differ in every column.
                let h = i.wrapping_mul(2_654_435_761) >> 7;
                let customer = &customers[h % CUSTOMERS];
                let assignee = (h % 3 != 0).then(|| staff[(h / 3) % STAFF].clone());
                let mut links = vec![Link {
                    field: "customer_id".into(),
                    collection: Collection::Customers,
                    id: customer.clone(),
                }];
                if let Some(assignee) = &assignee {
                    links.push(Link {
                        field: "assignee_id".into(),
                        collection: Collection::Staff,
                        id: assignee.clone(),
                    });
                }
                WriteOp::Create {
                    collection: Collection::Rfcs,
                    fields: object(json!({
                        "customer_id": customer,
                        "title": format!("RFC {i}: more capacity for workload {}", h % 997),
                        "description": "The customer asks for more storage and a second \
                                        environment before the next budget round.",
                        "priority": PRIORITIES[h % PRIORITIES.len()],
                        "status": STATUSES[(h / 7) % STATUSES.len()],
                        "assignee_id": assignee,
                        "route": null,
                    })),
                    links,
                    unique: Vec::new(),
                }
            })
            .collect();
        create_all(store, ops).await;
        n += BATCH;
    }
    staff
}

fn query(filters: &[(&str, &str)], sort: Sort) -> ListQuery {
    ListQuery {
        collection: Collection::Rfcs,
        filters: filters
            .iter()
            .map(|(param, value)| Filter::is(param, value))
            .collect(),
        q: None,
        sort,
        limit: 50,
        cursor: None,
    }
}

/// A cursor about half way through the list (walking pages of 500).
async fn deep_cursor(store: &SqliteStore, mut list: ListQuery) -> Option<String> {
    let total = store.count(list.clone()).await.expect("count");
    list.limit = 500;
    let mut seen = 0;
    while seen < total / 2 {
        let page = store.list(list.clone()).await.expect("page");
        seen += page.items.len() as i64;
        list.cursor = Some(page.next_cursor?);
    }
    list.cursor
}

fn bench(c: &mut Criterion) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = SqliteStore::open(&dir.path().join("bench.sqlite")).expect("opens");
    let rfcs = rfc_count();
    let started = Instant::now();
    let staff = runtime.block_on(fill(&store, rfcs));
    eprintln!("filled {rfcs} RFCs in {:.1?}", started.elapsed());

    let cases = [
        (
            "first page, status=new, sort=priority",
            query(&[("status", "new")], Sort::Priority),
        ),
        (
            "first page, status=triaged, sort=updated",
            query(&[("status", "triaged")], Sort::Updated),
        ),
        (
            "first page, assignee, sort=priority",
            query(&[("assignee_id", &staff[7])], Sort::Priority),
        ),
        (
            "first page, no filter, sort=created",
            query(&[], Sort::Created),
        ),
        (
            "first page, status=closed+priority=low, sort=age",
            query(&[("status", "closed"), ("priority", "low")], Sort::Age),
        ),
    ];
    let mut group = c.benchmark_group("rfcs");
    for (name, list) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| {
                runtime
                    .block_on(store.list(black_box(list.clone())))
                    .expect("page")
            })
        });
    }
    let deep = query(&[("status", "new")], Sort::Priority);
    let cursor = runtime.block_on(deep_cursor(&store, deep.clone()));
    let deep = ListQuery { cursor, ..deep };
    group.bench_function("deep page, status=new, sort=priority", |b| {
        b.iter(|| {
            runtime
                .block_on(store.list(black_box(deep.clone())))
                .expect("page")
        })
    });
    let count = query(&[("status", "new")], Sort::Created);
    group.bench_function("count, status=new", |b| {
        b.iter(|| {
            runtime
                .block_on(store.count(black_box(count.clone())))
                .expect("count")
        })
    });
    group.sample_size(10);
    let search = ListQuery {
        q: Some("workload 996".into()),
        ..query(&[], Sort::Created)
    };
    group.bench_function("q search, first page", |b| {
        b.iter(|| {
            runtime
                .block_on(store.list(black_box(search.clone())))
                .expect("page")
        })
    });
    // No row matches: the worst case, a scan of every RFC's search text.
    let nothing = ListQuery {
        q: Some("no such words".into()),
        ..query(&[], Sort::Created)
    };
    group.bench_function("q search, no match", |b| {
        b.iter(|| {
            runtime
                .block_on(store.list(black_box(nothing.clone())))
                .expect("page")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
