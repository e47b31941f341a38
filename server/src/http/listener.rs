//! The listener: accepts connections, bounded by
//! [`Limits::max_connections`] and per client (making room by closing the
//! longest-idle connection, see [`super::admission`]), spawns a
//! [`Connection`] task for each, and runs the graceful shutdown.
//!
//! Accept errors never end the server. Those about one connection (aborted,
//! reset) are skipped; the others, typically running out of file
//! descriptors (EMFILE), mean waiting for connections to finish, so the loop
//! backs off exponentially instead of spinning.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::admission::{Admission, TooManyFromClient};
use super::conn::Connection;
use super::tls::Tls;
use super::{Handler, Limits};

/// First pause after an accept error; doubled per consecutive error.
const MIN_BACKOFF: Duration = Duration::from_millis(5);

/// Longest pause between accept attempts: long enough to let connections
/// close and free descriptors, short enough to resume serving promptly.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Connections the kernel queues while every worker is busy. tokio's
/// default of 128 made bursts of a few hundred clients wait a second for a
/// SYN retry; 1024 absorbs a whole service desk reconnecting at once.
pub const LISTEN_BACKLOG: u32 = 1024;

/// Binds `addr` for [`serve`] with [`LISTEN_BACKLOG`].
pub fn listen(addr: std::net::SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves plain HTTP/1.1 on `listener` with `handler` until `shutdown`
/// completes; [`serve_tls`] without TLS.
pub async fn serve(
    listener: TcpListener,
    handler: Arc<dyn Handler>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_tls(listener, None, handler, limits, shutdown).await
}

/// Serves HTTP/1.1 on `listener` with `handler` until `shutdown` completes,
/// over TLS when `tls` is given (each connection's handshake runs in its
/// own task, within [`Limits::head_timeout`]).
///
/// Then it stops accepting, lets in-flight requests finish for up to
/// [`Limits::shutdown_grace`], closes idle connections (and ends streaming
/// responses), aborts what is left after the grace period, and returns
/// `Ok`. Tests pass a listener bound to `127.0.0.1:0` and a oneshot
/// receiver as `shutdown`.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Option<Arc<Tls>>,
    handler: Arc<dyn Handler>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = Arc::new(limits);
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let admission = Admission::new(&limits);
    let open_gauge = handler.open_connections();
    let (stopping, stop_signal) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut backoff = MIN_BACKOFF;
    tokio::pin!(shutdown);
    loop {
        while let Some(finished) = connections.try_join_next() {
            report_panic(finished);
        }
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if is_per_connection(&error) => {
                tracing::debug!(%error, "accept failed for one connection");
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, ?backoff, "accept failed; backing off");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = MIN_BACKOFF;
        // At the cap, the connection idle the longest makes room for the
        // one just accepted; with none idle, it waits for one to end while
        // further clients wait in the kernel's accept queue.
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                admission.evict_longest_idle();
                tokio::select! {
                    () = &mut shutdown => break,
                    permit = Arc::clone(&permits).acquire_owned() => {
                        permit.expect("the connection semaphore is never closed")
                    }
                }
            }
        };
        // Responses are written whole; Nagle would only delay them.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "set_nodelay failed");
        }
        let ticket = match admission.admit(peer.ip()) {
            Ok(ticket) => ticket,
            Err(TooManyFromClient) => {
                tracing::debug!(%peer, "too many connections from one client");
                connections.spawn(async move {
                    refuse_crowded(stream).await;
                    drop(permit);
                });
                continue;
            }
        };
        let handler = Arc::clone(&handler);
        let limits = Arc::clone(&limits);
        let stop_signal = stop_signal.clone();
        let tls = tls.clone();
        let open = crate::metrics::Open::new(open_gauge.clone());
        connections.spawn(async move {
            match tls {
                None => {
                    Connection::new(stream, peer, handler, limits, stop_signal, ticket)
                        .run()
                        .await;
                }
                Some(tls) => {
                    if let Some(stream) = tls.accept(stream, limits.head_timeout).await {
                        Connection::new(stream, peer, handler, limits, stop_signal, ticket)
                            .run()
                            .await;
                    }
                }
            }
            drop(open);
            drop(permit);
        });
    }
    drop(listener);
    stopping.send_replace(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while let Some(finished) = connections.join_next().await {
            report_panic(finished);
        }
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = connections.len(),
            "shutdown grace over; aborting connections"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Answers a connection from a client that holds its share of the server,
/// busy, with a 503 and closes it.
async fn refuse_crowded(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"too many connections from your address: close some and retry\"}";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let written = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::debug!("could not tell a crowded client");
    }
}

/// Whether an accept error concerns only the connection being accepted.
fn is_per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// Logs a connection task that panicked. Handler panics are caught inside
/// the connection, so this would be a bug in the HTTP layer itself.
fn report_panic(finished: Result<(), tokio::task::JoinError>) {
    if let Err(error) = finished
        && error.is_panic()
    {
        tracing::error!(%error, "connection task panicked");
    }
}
