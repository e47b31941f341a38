//! End-to-end: the RFC workflow over HTTP (transitions, history, comments),
//! the audit trail of every write, and the change feed.
//!
//! One test binary; its modules, in reading order:
//! - `rfcs`: transitions on both routes, withdrawal, history, comments.
//! - `audit`: the audit trail.
//! - `feed`: the change feed and a second server on the same database.

mod api_support;
#[path = "api_workflow/audit.rs"]
mod audit;
#[path = "api_workflow/feed.rs"]
mod feed;
#[path = "api_workflow/rfcs.rs"]
mod rfcs;
