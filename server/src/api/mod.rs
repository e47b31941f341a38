//! The REST API: routes requests to one handler module per resource.
//!
//! Modules, in reading order:
//! - [`route`]: what a route and a handler's [`route::Call`] are.
//! - [`router`]: the route table (method, path pattern, permission, handler)
//!   and the [`Api`] that implements [`crate::http::Handler`].
//! - [`error`]: [`ApiError`], mapped to an HTTP status in one function.
//! - [`request`]: reading queries, JSON bodies and preconditions.
//! - [`respond`]: JSON, problem+json and ETag responses.
//! - [`auth`]: bearer tokens to an [`crate::store::Actor`].
//! - [`rate`]: per-token request rate limits (token buckets).
//! - [`resources`]: one module per served collection with its rules (roles,
//!   ownership, read-only fields; rules reading other records are guards the
//!   store checks inside the write), and the one list of served collections.
//! - [`records`]: the writes and reads of one record, generic over its input type.
//! - [`lists`]: pages and counts of a collection, with their filters.
//! - [`rfcs`]: the RFC workflow: transitions, history, comments.
//! - [`agreements`]: an agreement's attainment of its service levels.
//! - [`surveys`]: a survey's responses (taken only while it is open).
//! - [`survey_results`]: survey results, comments, a customer's satisfaction.
//! - [`misc`]: health, `me`, audit.
//! - [`metrics`]: `GET /metrics`, the Prometheus text format.
//! - [`events`]: the change feed (`text/event-stream`).
//! - [`openapi`]: the OpenAPI document, built from the route table.

pub mod agenda;
pub mod agreements;
pub mod auth;
pub mod budget;
pub mod error;
pub mod events;
pub mod facts;
pub mod feed;
pub mod health;
pub mod lists;
pub mod merge_patch;
pub mod metrics;
pub mod misc;
pub mod openapi;
pub mod rate;
pub mod records;
pub mod request;
pub mod resources;
pub mod respond;
pub mod rfcs;
pub mod route;
pub mod router;
pub mod survey_results;
pub mod surveys;
pub mod week;

use std::sync::Arc;

pub use error::ApiError;
pub use router::Api;

use crate::store::Store;

/// What every handler shares.
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Wakes change-feed streams after a write (they also poll, so writes
    /// made by another server on the same database are seen too).
    pub changes: tokio::sync::watch::Sender<i64>,
    /// The one task that reads changes and fans them out to every stream.
    pub feed: feed::Feed,
    /// The OpenAPI document, built once from the route table.
    pub openapi: std::sync::OnceLock<serde_json::Value>,
    /// Tokens checked within the last second, so most requests are
    /// authenticated without reading the store.
    pub tokens: auth::TokenCache,
    /// What a customer's health is judged by (the config's `[health]`).
    pub health: rapport_shared::health::Thresholds,
    /// What `GET /metrics` reports, its slots made from the route table.
    pub metrics: std::sync::OnceLock<crate::metrics::Metrics>,
    /// Requests a token may make (the config's `rate_limit_*`); `None`
    /// for no limit, as the embedded server has.
    pub rate: Option<rate::RateLimiter>,
}

impl AppState {
    /// The state of a server over `store` with the default thresholds.
    pub fn new(store: Arc<dyn Store>) -> Arc<Self> {
        AppState::with_health(store, rapport_shared::health::Thresholds::default())
    }

    /// The state of a server over `store` judging health by `health`.
    pub fn with_health(
        store: Arc<dyn Store>,
        health: rapport_shared::health::Thresholds,
    ) -> Arc<Self> {
        AppState::configured(store, health, None)
    }

    /// The state of a server over `store` judging health by `health` and
    /// limiting each token's requests to `rate` when given.
    pub fn configured(
        store: Arc<dyn Store>,
        health: rapport_shared::health::Thresholds,
        rate: Option<rate::RateLimit>,
    ) -> Arc<Self> {
        AppState::with_feed(store, health, rate, feed::FeedSettings::default())
    }

    /// As [`AppState::configured`], with the change feed run by `feed`
    /// (a small buffer or no retention in tests of resync).
    pub fn with_feed(
        store: Arc<dyn Store>,
        health: rapport_shared::health::Thresholds,
        rate: Option<rate::RateLimit>,
        feed: feed::FeedSettings,
    ) -> Arc<Self> {
        let (changes, _) = tokio::sync::watch::channel(0);
        Arc::new(AppState {
            store,
            changes,
            feed: feed::Feed::new(feed),
            openapi: std::sync::OnceLock::new(),
            tokens: auth::TokenCache::default(),
            health,
            metrics: std::sync::OnceLock::new(),
            rate: rate.map(rate::RateLimiter::new),
        })
    }

    /// Tells change-feed streams that something was written.
    pub fn notify_write(&self) {
        self.changes.send_modify(|generation| *generation += 1);
    }
}
