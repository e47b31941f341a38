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
pub mod http;
pub mod seed;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::router::SharedApi;
use crate::api::{Api, AppState};
use crate::store::Store;

/// Connections the kernel queues while every worker is busy. tokio's
/// default of 128 made bursts of a few hundred clients wait a second for a
/// SYN retry; 1024 absorbs a whole service desk reconnecting at once.
pub const LISTEN_BACKLOG: u32 = 1024;

/// Binds `addr` for [`run`] with [`LISTEN_BACKLOG`].
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves the API over `store` on `listener` until `shutdown` completes,
/// then finishes in-flight requests and returns.
pub async fn run(
    listener: TcpListener,
    store: Arc<dyn Store>,
    limits: http::Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let api = SharedApi(Arc::new(Api::new(AppState::new(store))));
    http::serve(listener, Arc::new(api), limits, shutdown).await
}
