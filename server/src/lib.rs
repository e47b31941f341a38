//! rapportd: rapport's REST server.
//!
//! Layers, in reading order (see ARCHITECTURE.md):
//! - [`http`]: listener and connections, bytes to [`http::Request`] and back.
//! - [`api`]: the router, authentication and one handler module per resource.
//! - [`store`]: the [`store::Store`] trait and its SQLite implementation.
//! - [`seed`]: the demo data.
//! - [`config`]: server settings from flags, environment and file.
//! - [`embedded`]: the server inside another process (client, tests).

pub mod api;
pub mod config;
pub mod embedded;
pub mod fuzzing;
pub mod http;
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
    let api = SharedApi(Arc::new(Api::new(AppState::with_health(store, health))));
    http::serve(listener, Arc::new(api), limits, shutdown).await
}
