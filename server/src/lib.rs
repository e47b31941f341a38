//! rapportd: rapport's REST server.
//!
//! Layers, in reading order (see ARCHITECTURE.md):
//! - [`http`]: listener and connections, bytes to [`http::Request`] and back.
//! - [`api`]: the router, authentication and one handler module per resource.
//! - [`store`]: the [`store::Store`] trait and its SQLite and PostgreSQL implementations.
//! - [`metrics`]: what `GET /metrics` reports, kept in atomics.
//! - [`seed`]: the demo data.
//! - [`backups`]: `rapportd backup` and `rapportd restore`.
//! - [`config`]: server settings from flags, environment and file.
//! - [`embedded`]: the server inside another process (client, tests).

pub mod api;
pub mod backups;
pub mod config;
pub mod embedded;
pub mod fuzzing;
pub mod http;
pub mod metrics;
pub mod seed;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::router::SharedApi;
use crate::api::{Api, AppState};
use crate::store::Store;

/// Serves the API over `store` on `listener` until `shutdown` completes,
/// then finishes in-flight requests and returns.
pub async fn run(
    listener: TcpListener,
    store: Arc<dyn Store>,
    limits: http::Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let health = rapport_shared::health::Thresholds::default();
    run_with(listener, store, limits, health, shutdown).await
}

/// [`run`], judging customers' health by `health` (the config's `[health]`).
pub async fn run_with(
    listener: TcpListener,
    store: Arc<dyn Store>,
    limits: http::Limits,
    health: rapport_shared::health::Thresholds,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let settings = Settings {
        limits,
        health,
        ..Settings::default()
    };
    run_settings(listener, store, settings, shutdown).await
}

/// What a served API runs with beyond its store: everything `rapportd
/// serve` reads from its config.
#[derive(Debug, Default)]
pub struct Settings {
    pub limits: http::Limits,
    /// What customers' health is judged by (the config's `[health]`).
    pub health: rapport_shared::health::Thresholds,
    /// TLS for every connection; `None` serves plain HTTP.
    pub tls: Option<Arc<http::tls::Tls>>,
    /// Requests each token may make; `None` for no limit.
    pub rate_limit: Option<api::rate::RateLimit>,
    /// The change feed's buffer and retention (`change_retention_days`).
    pub feed: api::feed::FeedSettings,
}

/// [`run`] with all of its [`Settings`].
pub async fn run_settings(
    listener: TcpListener,
    store: Arc<dyn Store>,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = AppState::with_feed(store, settings.health, settings.rate_limit, settings.feed);
    let api = SharedApi(Arc::new(Api::new(state)));
    http::serve_tls(
        listener,
        settings.tls,
        Arc::new(api),
        settings.limits,
        shutdown,
    )
    .await
}
