//! A TCP switch in front of a server, so a test can take the server away
//! and bring it back (restarted on another port) behind one URL, as a
//! client sees a server restart or a dropped network.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};

/// Forwards connections to the current backend; with none, closes them.
pub struct Switch {
    /// `http://127.0.0.1:PORT`, the URL clients use.
    pub url: String,
    backend: Arc<Mutex<Option<SocketAddr>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Switch {
    /// A switch on 127.0.0.1:0 forwarding to `backend`.
    pub async fn start(backend: SocketAddr) -> anyhow::Result<Switch> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let backend = Arc::new(Mutex::new(Some(backend)));
        let current = Arc::clone(&backend);
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = current.lock().ok().and_then(|b| *b);
                let Some(target) = target else {
                    drop(inbound);
                    continue;
                };
                tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Ok(Switch { url, backend, task })
    }

    /// Points the switch at `backend` (`None`: the server is away).
    pub fn point(&self, backend: Option<SocketAddr>) {
        if let Ok(mut current) = self.backend.lock() {
            *current = backend;
        }
    }
}

impl Drop for Switch {
    fn drop(&mut self) {
        self.task.abort();
    }
}
