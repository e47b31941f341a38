//! rapportd: rapport's REST server.
//!
//! Layers, in reading order (see ARCHITECTURE.md):
//! - [`http`]: listener and connections, bytes to [`http::Request`] and back.
//! - [`api`]: the router, authentication and one handler module per resource.
//! - [`store`]: the [`store::Store`] trait and its SQLite implementation.
//! - [`seed`]: the demo data.
//! - [`config`]: server settings from flags, environment and file.

pub mod http;
pub mod store;

pub mod api;
pub mod seed;
