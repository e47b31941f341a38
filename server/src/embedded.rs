//! Running the server inside another process: the client's embedded mode
//! (no server configured) and the end-to-end tests. The server listens on
//! 127.0.0.1 on an ephemeral port; a local admin token is kept in a file
//! beside the database (mode 0600) so the same token works across runs.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rapport_shared::enums::Permission;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::auth::{hash_secret, new_secret};
use crate::store::Store;
use crate::store::sqlite::SqliteStore;

/// Name of the token the embedded server makes for its own client.
pub const LOCAL_TOKEN_NAME: &str = "local admin";

/// A server running in this process.
pub struct EmbeddedServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// An admin token for this database.
    pub admin_token: String,
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// The file that keeps the local token of the database at `db_path`.
pub fn token_file(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".token");
    PathBuf::from(name)
}

impl EmbeddedServer {
    /// Opens (creating) the database at `db_path`, seeds the demo data when
    /// `demo` and the database is empty, makes sure a local admin token
    /// exists, and serves on 127.0.0.1:0 in background tasks.
    pub async fn start(db_path: &Path, demo: bool) -> anyhow::Result<EmbeddedServer> {
        EmbeddedServer::start_with(db_path, demo, crate::Settings::default()).await
    }

    /// [`EmbeddedServer::start`], serving with `settings` (tests of the
    /// change feed's retention, for one).
    pub async fn start_with(
        db_path: &Path,
        demo: bool,
        settings: crate::Settings,
    ) -> anyhow::Result<EmbeddedServer> {
        let path = db_path.to_path_buf();
        let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
            .await
            .context("opening the database")?
            .with_context(|| format!("opening the database {}", db_path.display()))?;
        let store: Arc<dyn Store> = Arc::new(store);
        let mut operator = None;
        if demo && store.is_empty().await? {
            let seeded = crate::seed::seed_demo(store.as_ref())
                .await
                .context("seeding the demo data")?;
            operator = Some(seeded.operator_staff_id);
        }
        let admin_token = local_token(store.as_ref(), db_path, operator).await?;
        let listener = crate::http::listen(SocketAddr::from(([127, 0, 0, 1], 0)))
            .context("binding 127.0.0.1")?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::run_settings(listener, store, settings, async move {
            let _ = stopped.await;
        }));
        Ok(EmbeddedServer {
            base_url: format!("http://{addr}"),
            admin_token,
            addr,
            stop,
            task,
        })
    }

    /// Stops serving: in-flight requests finish, then the task ends.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "embedded server stopped with an error"),
            Err(error) => tracing::warn!(%error, "embedded server task failed"),
        }
    }
}

/// The local admin token: the one in the token file when the store still
/// knows it, else a new one written there (revoking the lost one). A new token made right after
/// seeding acts as the demo operator.
async fn local_token(
    store: &dyn Store,
    db_path: &Path,
    staff_id: Option<String>,
) -> anyhow::Result<String> {
    let file = token_file(db_path);
    if let Ok(secret) = std::fs::read_to_string(&file) {
        let secret = secret.trim().to_string();
        if store.token_by_hash(hash_secret(&secret)).await?.is_some() {
            return Ok(secret);
        }
    }
    // The file is gone or stale (deleted, or the database was copied): the
    // old local token can no longer be used by anyone, so retire it and
    // make a new one under the same name.
    match store.revoke_token(LOCAL_TOKEN_NAME.to_string()).await {
        Ok(_) | Err(crate::store::StoreError::UnknownToken(_)) => {}
        Err(other) => return Err(other.into()),
    }
    let secret = new_secret();
    store
        .create_token(
            LOCAL_TOKEN_NAME.to_string(),
            Permission::Admin,
            staff_id,
            hash_secret(&secret),
        )
        .await?;
    write_private(&file, &secret)
        .with_context(|| format!("writing the local token to {}", file.display()))?;
    Ok(secret)
}

/// Writes `text` to a file only its owner can read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_local_token_survives_restarts_and_a_lost_token_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("rapport.db");
        let first = EmbeddedServer::start(&db, false).await.expect("starts");
        let token = first.admin_token.clone();
        first.shutdown().await;

        let again = EmbeddedServer::start(&db, false)
            .await
            .expect("starts again");
        assert_eq!(again.admin_token, token, "the token file is reused");
        again.shutdown().await;

        std::fs::remove_file(token_file(&db)).expect("token file removed");
        let renewed = EmbeddedServer::start(&db, false)
            .await
            .expect("starts without its token file");
        assert_ne!(renewed.admin_token, token);
        renewed.shutdown().await;

        let store = SqliteStore::open(&db).expect("opens");
        let live: Vec<_> = store
            .list_tokens()
            .await
            .expect("tokens")
            .into_iter()
            .filter(|t| !t.revoked)
            .collect();
        assert_eq!(live.len(), 1, "only the new local token is live");
        assert!(
            store
                .token_by_hash(hash_secret(&token))
                .await
                .expect("lookup")
                .is_none()
        );
    }
}
