//! End-to-end: every status code of the contract for each REST collection,
//! the rules that need other records, merge-patch semantics, idempotent
//! creates and concurrent writes — over HTTP against a real server.
//!
//! One test binary; its modules, in reading order:
//! - `statuses`: every status code for every collection.
//! - `rules`: rules that need other records, and orphaning deletes.
//! - `writes`: merge patch, idempotency, concurrency.
//! - `input`: bad input never gives a 500; HTTP edges.

mod api_support;
#[path = "api_records/input.rs"]
mod input;
#[path = "api_records/rules.rs"]
mod rules;
#[path = "api_records/statuses.rs"]
mod statuses;
#[path = "api_records/writes.rs"]
mod writes;
