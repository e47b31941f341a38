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

async fn demo_rfcs_have_a_past(backend: Backend) {
    let t = backend.open().await;
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

fn int(record: &StoredRecord, field: &str) -> i64 {
    record.fields[field].as_i64().unwrap_or_default()
}

/// The demo's delivery and money have a past too: agreements (one expired,
/// one due for review), a year of service level results with some missed,
/// usage every month priced before and after a price change, two
/// customers over budget, and plans on every horizon with some overdue.
async fn demo_delivery_and_money_have_a_past(backend: Backend) {
    let t = backend.open().await;
    let store = t.store.as_ref();
    seed_demo(store).await.expect("seeds");
    let today = Timestamp::now().strftime("%Y-%m-%d").to_string();
    let in_30_days = (Timestamp::now() + 30 * DAY)
        .strftime("%Y-%m-%d")
        .to_string();

    let agreements = all_pages(store, query(Collection::Agreements), 100).await;
    assert!(agreements.len() >= 10, "{} agreements", agreements.len());
    let expired = agreements
        .iter()
        .filter(|a| text(a, "valid_to") < today.as_str())
        .count();
    assert_eq!(expired, 1, "one agreement has run out");
    let due = agreements
        .iter()
        .filter(|a| {
            text(a, "review_on") >= today.as_str() && text(a, "review_on") <= in_30_days.as_str()
        })
        .count();
    assert_eq!(due, 1, "one agreement is due for review");

    let results = all_pages(store, query(Collection::LevelResults), 200).await;
    let months: std::collections::BTreeSet<&str> =
        results.iter().map(|r| text(r, "month")).collect();
    assert_eq!(months.len(), 12, "{months:?}");
    let missed = results
        .iter()
        .filter(|r| {
            let value = r.fields["value"].as_f64().unwrap_or_default();
            match text(r, "metric") {
                "availability" => value < 99.5,
                _ => value > 4.0,
            }
        })
        .count();
    assert!(
        missed > 0 && missed * 4 < results.len(),
        "{missed} of {} missed",
        results.len()
    );

    // Usage every month, each charged quantity x the price then in force;
    // the hosting service was charged at two prices.
    let usage = all_pages(store, query(Collection::Usage), 500).await;
    let months: std::collections::BTreeSet<&str> = usage.iter().map(|u| text(u, "month")).collect();
    assert_eq!(months.len(), 12);
    assert!(
        usage
            .iter()
            .all(|u| int(u, "amount_cents") == int(u, "quantity") * int(u, "unit_price_cents"))
    );
    let services = all_pages(store, query(Collection::Services), 100).await;
    let hosting = services
        .iter()
        .find(|s| text(s, "name") == "Virtual server hosting")
        .expect("the hosting service");
    assert_eq!(
        hosting.fields["price_history"].as_array().map(Vec::len),
        Some(2)
    );
    let prices: std::collections::BTreeSet<i64> = usage
        .iter()
        .filter(|u| text(u, "service_id") == hosting.id)
        .map(|u| int(u, "unit_price_cents"))
        .collect();
    assert_eq!(prices.len(), 2, "{prices:?}");
    assert!(usage.iter().any(|u| u.fields["program"].is_string()));
    assert!(usage.iter().any(|u| u.fields["program"].is_null()));

    // Two customers have been charged more this year than they planned.
    let lines = all_pages(store, query(Collection::BudgetLines), 500).await;
    let year = lines
        .iter()
        .map(|l| int(l, "year"))
        .max()
        .expect("budget lines");
    let mut totals: std::collections::BTreeMap<&str, (i64, i64)> = Default::default();
    for line in lines.iter().filter(|l| int(l, "year") == year) {
        totals.entry(text(line, "customer_id")).or_default().0 += int(line, "planned_cents");
    }
    for record in usage
        .iter()
        .filter(|u| text(u, "month").starts_with(&year.to_string()))
    {
        totals.entry(text(record, "customer_id")).or_default().1 += int(record, "amount_cents");
    }
    let over = totals
        .values()
        .filter(|(planned, charged)| charged > planned)
        .count();
    assert_eq!(over, 2, "{totals:?}");

    let activities = all_pages(store, query(Collection::Activities), 100).await;
    for horizon in ["strategic", "tactical", "operational"] {
        assert!(
            activities.iter().any(|a| text(a, "horizon") == horizon),
            "{horizon}"
        );
    }
    let overdue = activities
        .iter()
        .filter(|a| {
            text(a, "ends_on") < today.as_str()
                && !["done", "cancelled"].contains(&text(a, "status"))
        })
        .count();
    assert!(overdue >= 2, "{overdue} overdue");
}

on_every_backend!(demo_rfcs_have_a_past, demo_delivery_and_money_have_a_past,);
