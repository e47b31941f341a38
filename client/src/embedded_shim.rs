//! Stand-in for `rapport_server::embedded` until the server crate provides
//! it; same signature. Deleted after merging main.

use std::path::Path;

/// A server running in this process.
pub struct EmbeddedServer {
    pub base_url: String,
    pub admin_token: String,
}

impl EmbeddedServer {
    /// Starts the server over `db_path`.
    pub async fn start(db_path: &Path, demo: bool) -> anyhow::Result<EmbeddedServer> {
        let _ = (db_path, demo);
        anyhow::bail!("this build has no embedded server yet: pass --server URL and --token")
    }

    /// Stops the server.
    pub async fn shutdown(self) {}
}
