//! The demo's past: after `seed_demo`, the RFCs were raised over the months
//! before, every workflow step and comment followed later and none lies in
//! the future, the queue has RFCs of every age band, and the audit trail
//! tells the same dates in the same order.

mod store_support;

use jiff::{SignedDuration, Timestamp};
use rapport_server::seed::seed_demo;
use rapport_server::store::{Store, StoredRecord};
use rapport_shared::Collection;
use store_support::*;

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// The records of `collection` about one RFC, oldest first.
async fn about(store: &dyn Store, collection: Collection, rfc: &StoredRecord) -> Vec<StoredRecord> {
    let mut query = query(collection);
    query.filters.push(filter("rfc_id", &rfc.id));
    all_pages(store, query, 100).await
}

fn text<'a>(record: &'a StoredRecord, field: &str) -> &'a str {
    record.fields[field].as_str().unwrap_or_default()
}

fn when(record: &StoredRecord) -> Timestamp {
    text(record, "when")
        .parse()
        .expect("a stored step has a time")
}

#[tokio::test]
async fn demo_rfcs_have_a_past() {
    let t = open();
    let store = t.store.as_ref();
    let before = Timestamp::now();
    seed_demo(store).await.expect("seeds");
    let after = Timestamp::now();

    let rfcs = all_pages(store, query(Collection::Rfcs), 100).await;
    assert_eq!(rfcs.len(), 60);
    let raised: Vec<Timestamp> = rfcs.iter().map(|r| r.created_at).collect();
    assert!(
        raised
            .iter()
            .all(|t| *t < before && *t > before - 366 * DAY)
    );
    let oldest = raised.iter().min().expect("RFCs");
    let newest = raised.iter().max().expect("RFCs");
    assert!(
        newest.duration_since(*oldest) > 300 * DAY,
        "{oldest} to {newest}"
    );
    let months: std::collections::BTreeSet<String> = raised
        .iter()
        .map(|t| t.strftime("%Y-%m").to_string())
        .collect();
    assert!(months.len() >= 10, "raised in {months:?}");
    // Ids follow the dates, so the oldest-first sort is by date.
    let mut by_date = rfcs.clone();
    by_date.sort_by_key(|r| r.created_at);
    assert_eq!(ids(&by_date), ids(&rfcs));

    let mut open_ages = Vec::new();
    // Each RFC's entries in the audit trail: its raise, two per step (the
    // RFC and its history entry), one per comment.
    let mut rfc_entries = 0;
    for rfc in &rfcs {
        let steps = about(store, Collection::RfcTransitions, rfc).await;
        let mut previous = rfc.created_at;
        for step in &steps {
            assert!(when(step) > previous && when(step) < before, "{rfc:?}");
            assert_eq!(step.created_at, when(step));
            previous = when(step);
        }
        // The RFC was last changed by its last step.
        assert_eq!(rfc.updated_at, previous);
        assert_eq!(
            steps.last().map_or("new", |s| text(s, "to")),
            text(rfc, "status")
        );
        if text(rfc, "status") == "closed" {
            let closed = steps.last().map(when).expect("a closed RFC has steps");
            assert!(closed.duration_since(rfc.created_at) > DAY, "{rfc:?}");
        }
        if rfc.fields["open"] == serde_json::json!(true) {
            open_ages.push(before.duration_since(rfc.created_at));
        }
        let comments = about(store, Collection::RfcComments, rfc).await;
        for comment in &comments {
            assert!(when(comment) > rfc.created_at && when(comment) < before);
        }
        rfc_entries += 1 + 2 * steps.len() + comments.len();
        // The audit trail tells the same dates.
        let trail = store
            .audit(Some(Collection::Rfcs), Some(rfc.id.clone()), 0, 100)
            .await
            .expect("audit");
        let audited: Vec<Timestamp> = trail.iter().map(|e| e.when).collect();
        let mut dated = vec![rfc.created_at];
        dated.extend(steps.iter().map(when));
        assert_eq!(audited, dated);
    }
    assert!(open_ages.iter().any(|age| *age > 30 * DAY));
    assert!(
        open_ages
            .iter()
            .any(|age| *age > 7 * DAY && *age < 30 * DAY)
    );
    assert!(open_ages.iter().any(|age| *age < 7 * DAY));

    // The organisation came first; the RFCs' part of the trail runs in
    // time order across all of them.
    let customers = all_pages(store, query(Collection::Customers), 100).await;
    assert!(customers.iter().all(|c| c.created_at < *oldest));
    let trail = store.audit(None, None, 0, 10_000).await.expect("audit");
    assert!(trail.iter().all(|e| e.when < after));
    let rfc_trail: Vec<Timestamp> = trail
        .iter()
        .filter(|e| e.entity.starts_with("rfc"))
        .map(|e| e.when)
        .collect();
    assert_eq!(rfc_trail.len(), rfc_entries);
    assert!(rfc_trail.windows(2).all(|pair| pair[0] <= pair[1]));
}
