//! What `GET /metrics` reports, kept without a lock on the hot path: every
//! figure is an atomic in a slot registered before the first request (one
//! per route of the table, one per status code of each), so recording a
//! request is a few relaxed `fetch_add`s and rendering reads them.
//!
//! - [`Histogram`]: latencies in fixed buckets (seconds, Prometheus style).
//! - [`StoreMetrics`]: the store's read and write times and the writer's
//!   queue, kept by a backend that has them ([`crate::store::Store::metrics`]).
//! - [`Metrics`]: the server's requests by route and status, their
//!   latencies, open connections and change-feed subscribers, and
//!   [`Metrics::render`], the Prometheus text exposition format (0.0.4).

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// The upper bounds of the latency buckets, in seconds (`+Inf` follows).
pub const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The status codes a route counts each on its own (100 to 599).
const FIRST_STATUS: u16 = 100;
const STATUSES: usize = 500;

/// A latency histogram: a count per bucket (not cumulative; made so when
/// rendered), the number of observations and their sum.
#[derive(Debug, Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The `_bucket`, `_sum` and `_count` lines of `name` with `labels`
    /// (`key="value",...` or empty).
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let comma = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{comma}le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels}{comma}le=\"+Inf\"}} {count}");
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let braces = |labels: &str| {
            if labels.is_empty() {
                String::new()
            } else {
                format!("{{{labels}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }
}

/// A store's own figures: how long reads and writes take (from being asked
/// to being answered, queueing included) and how many commands wait for
/// the writer.
#[derive(Debug, Default)]
pub struct StoreMetrics {
    pub reads: Histogram,
    pub writes: Histogram,
    pub writer_queue: AtomicI64,
}

/// One route's slots.
struct Slot {
    method: String,
    pattern: String,
    statuses: Box<[AtomicU64]>,
    latency: Histogram,
}

impl Slot {
    fn new(method: &str, pattern: &str) -> Slot {
        Slot {
            method: method.to_string(),
            pattern: pattern.to_string(),
            statuses: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            latency: Histogram::default(),
        }
    }
}

/// The server's figures, one slot per route of its table.
pub struct Metrics {
    routes: Vec<Slot>,
    /// Requests that matched no route (404, 405), under `route="unmatched"`.
    unmatched: Slot,
    /// Connections open now (kept by the HTTP layer).
    pub connections: Arc<AtomicI64>,
    /// Change-feed streams open now.
    pub subscribers: AtomicI64,
}

impl Metrics {
    /// Slots for `routes`, given as (method, pattern) in table order.
    pub fn new<'a>(routes: impl IntoIterator<Item = (&'a str, &'a str)>) -> Metrics {
        Metrics {
            routes: routes
                .into_iter()
                .map(|(method, pattern)| Slot::new(method, pattern))
                .collect(),
            unmatched: Slot::new("", "unmatched"),
            connections: Arc::new(AtomicI64::new(0)),
            subscribers: AtomicI64::new(0),
        }
    }

    /// Counts one answered request of the route at `route` (its index in
    /// the table; `None` when none matched) and its latency.
    pub fn record(&self, route: Option<usize>, status: u16, elapsed: Duration) {
        let slot = route
            .and_then(|index| self.routes.get(index))
            .unwrap_or(&self.unmatched);
        let index = usize::from(status.saturating_sub(FIRST_STATUS));
        if let Some(counter) = slot.statuses.get(index) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        slot.latency.observe(elapsed);
    }

    /// Everything in the Prometheus text format, with `store`'s figures
    /// when the backend keeps them.
    pub fn render(&self, store: Option<&StoreMetrics>) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP rapport_http_requests_total Requests answered, by method, route pattern and status.\n\
             # TYPE rapport_http_requests_total counter\n",
        );
        let slots = self.routes.iter().chain(std::iter::once(&self.unmatched));
        for slot in slots.clone() {
            for (offset, counter) in slot.statuses.iter().enumerate() {
                let count = counter.load(Ordering::Relaxed);
                if count > 0 {
                    let status = usize::from(FIRST_STATUS) + offset;
                    let _ = writeln!(
                        out,
                        "rapport_http_requests_total{{{},status=\"{status}\"}} {count}",
                        labels(slot)
                    );
                }
            }
        }
        out.push_str(
            "# HELP rapport_http_request_duration_seconds Time from a request's head and body read to its answer, by route.\n\
             # TYPE rapport_http_request_duration_seconds histogram\n",
        );
        for slot in slots.filter(|slot| slot.latency.count() > 0) {
            slot.latency.render(
                &mut out,
                "rapport_http_request_duration_seconds",
                &labels(slot),
            );
        }
        gauge(
            &mut out,
            "rapport_http_connections_open",
            "Connections open now.",
            self.connections.load(Ordering::Relaxed),
        );
        gauge(
            &mut out,
            "rapport_event_stream_subscribers",
            "Change-feed streams open now.",
            self.subscribers.load(Ordering::Relaxed),
        );
        if let Some(store) = store {
            out.push_str(
                "# HELP rapport_store_operation_duration_seconds Time the store took to answer, queueing included, by kind.\n\
                 # TYPE rapport_store_operation_duration_seconds histogram\n",
            );
            store.reads.render(
                &mut out,
                "rapport_store_operation_duration_seconds",
                "operation=\"read\"",
            );
            store.writes.render(
                &mut out,
                "rapport_store_operation_duration_seconds",
                "operation=\"write\"",
            );
            gauge(
                &mut out,
                "rapport_store_writer_queue_depth",
                "Commands waiting for the store's writer thread.",
                store.writer_queue.load(Ordering::Relaxed),
            );
        }
        out
    }
}

fn labels(slot: &Slot) -> String {
    if slot.method.is_empty() {
        format!("route=\"{}\"", slot.pattern)
    } else {
        format!("method=\"{}\",route=\"{}\"", slot.method, slot.pattern)
    }
}

fn gauge(out: &mut String, name: &str, help: &str, value: i64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}

/// Counts one open connection in a gauge for as long as it lives.
pub struct Open(Option<Arc<AtomicI64>>);

impl Open {
    pub fn new(gauge: Option<Arc<AtomicI64>>) -> Open {
        if let Some(gauge) = &gauge {
            gauge.fetch_add(1, Ordering::Relaxed);
        }
        Open(gauge)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        if let Some(gauge) = &self.0 {
            gauge.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_moves_its_route_status_and_bucket() {
        let metrics = Metrics::new([("GET", "/a"), ("POST", "/a")]);
        metrics.record(Some(1), 201, Duration::from_millis(3));
        metrics.record(Some(1), 201, Duration::from_millis(30));
        metrics.record(None, 404, Duration::from_micros(10));
        metrics.record(Some(7), 999, Duration::ZERO);
        let text = metrics.render(None);
        assert!(
            text.contains(
                "rapport_http_requests_total{method=\"POST\",route=\"/a\",status=\"201\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains("rapport_http_requests_total{route=\"unmatched\",status=\"404\"} 1"),
            "{text}"
        );
        assert!(text.contains("rapport_http_request_duration_seconds_bucket{method=\"POST\",route=\"/a\",le=\"0.005\"} 1"), "{text}");
        assert!(text.contains("rapport_http_request_duration_seconds_bucket{method=\"POST\",route=\"/a\",le=\"0.05\"} 2"), "{text}");
        assert!(
            text.contains(
                "rapport_http_request_duration_seconds_count{method=\"POST\",route=\"/a\"} 2"
            ),
            "{text}"
        );
        assert!(!text.contains("route=\"/a\",status=\"200\""), "{text}");
    }

    #[test]
    fn an_open_connection_counts_until_dropped() {
        let gauge = Arc::new(AtomicI64::new(0));
        let open = Open::new(Some(Arc::clone(&gauge)));
        assert_eq!(gauge.load(Ordering::Relaxed), 1);
        drop(open);
        assert_eq!(gauge.load(Ordering::Relaxed), 0);
    }
}
