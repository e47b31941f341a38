//! One connection: bytes in, requests to the handler, responses out, in
//! order, until either side closes.
//!
//! The loop per request is: read a head (within the idle or head deadline),
//! ask the handler whether it refuses the request early, read the body
//! (sending `100 Continue` first if asked), call the handler with panics
//! caught, write the response, log one line. Every complete request already
//! buffered is answered before reading again, which is pipelining. Anything
//! that stops the loop is a [`Stop`]: a clean close, a refusal answered with
//! a status and `Connection: close`, or an I/O error that only gets logged
//! at debug (peers vanish all the time; that is not a server error).

use std::io;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};

use super::admission::Ticket;
use super::body::ChunkedDecoder;
use super::handling::{RequestLog, call_handler, problem};
use super::parse::{BodyFraming, ParsedHead, parse_head};
use super::write::{self, Payload, RequestKind};
use super::{Handler, Limits, Request, RequestHead, Response, Version};

/// Bytes asked of the socket per read. Requests of our API are small; 8 KiB
/// takes most in one read without over-allocating per connection.
const READ_CHUNK: usize = 8 * 1024;

/// Most buffer capacity kept by an idle connection; beyond it the buffer is
/// released between requests.
const MAX_IDLE_BUFFER: usize = 64 * 1024;

/// Most buffer space reserved ahead of one body read; the buffer still grows
/// to any body within the limit, by doubling.
const MAX_BODY_RESERVE: usize = 64 * 1024;

/// After answering with `Connection: close`, unread request bytes are
/// drained for at most this long (or [`LINGER_BYTES`]) so that closing with
/// data pending does not reset the connection before the client has read
/// the answer.
const LINGER_TIME: Duration = Duration::from_secs(2);

/// Most bytes drained while lingering; see [`LINGER_TIME`].
const LINGER_BYTES: usize = 4 * 1024 * 1024;

/// Why the request loop stopped.
#[derive(Debug)]
enum Stop {
    /// Clean end: EOF or idle timeout between requests, or shutdown while
    /// idle.
    Closed,
    /// Answer with this status and close: a malformed request, a body over
    /// the limit, a slow client.
    Refuse(StatusCode, String),
    /// The peer went away or sent EOF mid-request; nothing to answer.
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(error: io::Error) -> Self {
        Stop::Io(error)
    }
}

/// What a connection runs over: a `TcpStream`, or a TLS stream on one.
pub(super) trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for S {}

/// The state of one connection.
pub(super) struct Connection<S> {
    stream: S,
    peer: SocketAddr,
    /// Bytes read but not yet consumed: a partial head, a body, or the next
    /// pipelined requests.
    buf: Vec<u8>,
    handler: Arc<dyn Handler>,
    limits: Arc<Limits>,
    shutdown: watch::Receiver<bool>,
    /// Its place among the open connections; idle ones may be evicted.
    ticket: Ticket,
}

impl<S: Stream> Connection<S> {
    pub(super) fn new(
        stream: S,
        peer: SocketAddr,
        handler: Arc<dyn Handler>,
        limits: Arc<Limits>,
        shutdown: watch::Receiver<bool>,
        ticket: Ticket,
    ) -> Self {
        Connection {
            stream,
            peer,
            buf: Vec::new(),
            handler,
            limits,
            shutdown,
            ticket,
        }
    }

    /// Serves requests until the connection ends; never fails, because
    /// nothing a peer does is the server's error.
    pub(super) async fn run(mut self) {
        let mut first = true;
        let stop = loop {
            match self.exchange(first).await {
                Ok(true) => first = false,
                Ok(false) => return self.close().await,
                Err(stop) => break stop,
            }
        };
        match stop {
            // Nothing was said and nothing is pending: no need to linger.
            Stop::Closed => {
                if let Err(error) = self.stream.shutdown().await {
                    tracing::debug!(peer = %self.peer, %error, "shutdown failed");
                }
            }
            Stop::Refuse(status, detail) => {
                tracing::debug!(peer = %self.peer, %status, %detail, "refused request");
                let kind = RequestKind::new(&Method::GET, Version::Http11);
                let outgoing = write::prepare(problem(status, &detail), kind, false);
                let mut bytes = outgoing.head;
                if let Payload::Full(body) = outgoing.payload {
                    bytes.extend_from_slice(&body);
                }
                match self.send(&bytes).await {
                    Ok(()) => self.close().await,
                    Err(stop) => tracing::debug!(peer = %self.peer, ?stop, "write failed"),
                }
            }
            Stop::Io(error) => tracing::debug!(peer = %self.peer, %error, "connection ended"),
        }
    }

    /// Reads and answers one request; `Ok(true)` when the connection stays
    /// open for another.
    async fn exchange(&mut self, first: bool) -> Result<bool, Stop> {
        let parsed = self.read_head(first).await?;
        let started = Instant::now();
        let ParsedHead {
            method,
            path,
            query,
            version,
            headers,
            framing,
            keep_alive,
            expects_continue,
        } = parsed;
        let head = RequestHead {
            method,
            path,
            query,
            version,
            headers,
            peer: self.peer,
        };
        let log = RequestLog {
            method: head.method.clone(),
            path: head.path.clone(),
            started,
        };
        let kind = RequestKind::new(&head.method, head.version);
        let handler = Arc::clone(&self.handler);
        match std::panic::catch_unwind(AssertUnwindSafe(|| handler.refuse_early(&head))) {
            Ok(None) => {}
            // The body is never read, so the connection cannot be reused
            // unless there was none.
            Ok(Some(response)) => {
                let keep_alive = keep_alive && !framing.has_body();
                return self.respond(response, kind, keep_alive, &log).await;
            }
            Err(_) => {
                tracing::error!(path = %log.path, "handler panicked in refuse_early");
                let response = problem(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
                return self.respond(response, kind, false, &log).await;
            }
        }
        let body = match self.read_body(framing, expects_continue).await {
            Ok(body) => body,
            // The head was fine, so this is a request to log like any other.
            Err(Stop::Refuse(status, detail)) => {
                tracing::debug!(peer = %self.peer, %status, %detail, "refused request body");
                let response = problem(status, &detail);
                return self.respond(response, kind, false, &log).await;
            }
            Err(stop) => return Err(stop),
        };
        let request = Request { head, body };
        let response = call_handler(handler.as_ref(), request, &log.path).await;
        self.respond(response, kind, keep_alive, &log).await
    }

    /// Waits for a complete head at the start of the buffer. A fresh
    /// connection gets `head_timeout` to send its first byte, a kept-alive
    /// one `idle_timeout`; once a byte has come the whole head must arrive
    /// within `head_timeout`.
    async fn read_head(&mut self, first: bool) -> Result<ParsedHead, Stop> {
        let limits = Arc::clone(&self.limits);
        let mut head_deadline = None;
        // A large body may have grown the buffer; an idle connection should
        // not keep that memory.
        if self.buf.is_empty() && self.buf.capacity() > MAX_IDLE_BUFFER {
            self.buf = Vec::new();
        }
        loop {
            if !self.buf.is_empty() {
                match parse_head(&self.buf, &limits) {
                    Ok(Some((head, len))) => {
                        self.buf.drain(..len);
                        return Ok(head);
                    }
                    Ok(None) => {}
                    Err(error) => return Err(Stop::Refuse(error.status(), error.to_string())),
                }
                head_deadline.get_or_insert_with(|| Instant::now() + limits.head_timeout);
            }
            let idle = if first {
                limits.head_timeout
            } else {
                limits.idle_timeout
            };
            let deadline = head_deadline.unwrap_or_else(|| Instant::now() + idle);
            let idle_now = self.buf.is_empty();
            // Kept alive with nothing pending: it may be closed to admit
            // another. A fresh connection is not (its first bytes may be
            // on their way; `head_timeout` bounds it).
            let evictable = idle_now && !first;
            if evictable {
                self.ticket.idle();
            }
            self.buf.reserve(READ_CHUNK);
            let read = tokio::select! {
                read = self.stream.read_buf(&mut self.buf) => read?,
                () = self.ticket.evicted(), if evictable => return Err(Stop::Closed),
                () = sleep_until(deadline) => return Err(if idle_now {
                    Stop::Closed
                } else {
                    Stop::Refuse(StatusCode::REQUEST_TIMEOUT, "request head too slow".to_owned())
                }),
                // Shutting down: an idle connection just closes; a client
                // half way through sending a head is told so at once rather
                // than holding the shutdown for the whole grace period.
                () = signalled(&mut self.shutdown) => return Err(if idle_now {
                    Stop::Closed
                } else {
                    Stop::Refuse(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down".to_owned())
                }),
            };
            self.ticket.busy();
            if read == 0 {
                return Err(if self.buf.is_empty() {
                    Stop::Closed
                } else {
                    Stop::Io(io::ErrorKind::UnexpectedEof.into())
                });
            }
        }
    }

    /// Reads the body announced by `framing`. Each read must bring bytes
    /// within `head_timeout`, or the client is too slow and gets a 408.
    async fn read_body(
        &mut self,
        framing: BodyFraming,
        expects_continue: bool,
    ) -> Result<Vec<u8>, Stop> {
        let mut continue_pending = expects_continue;
        match framing {
            BodyFraming::Empty => Ok(Vec::new()),
            BodyFraming::Length(length) => {
                // The parser refused lengths over `max_body_bytes`, so this
                // fits in memory and in usize.
                let length = usize::try_from(length).map_err(|_| {
                    Stop::Refuse(StatusCode::PAYLOAD_TOO_LARGE, "body too large".to_owned())
                })?;
                while self.buf.len() < length {
                    self.read_more(&mut continue_pending, length - self.buf.len())
                        .await?;
                }
                let rest = self.buf.split_off(length);
                Ok(std::mem::replace(&mut self.buf, rest))
            }
            BodyFraming::Chunked => {
                let mut decoder = ChunkedDecoder::new(self.limits.max_body_bytes);
                loop {
                    let used = decoder
                        .decode(&self.buf)
                        .map_err(|error| Stop::Refuse(error.status(), error.to_string()))?;
                    self.buf.drain(..used);
                    if decoder.is_done() {
                        return Ok(decoder.into_body());
                    }
                    self.read_more(&mut continue_pending, READ_CHUNK).await?;
                }
            }
        }
    }

    /// Reads more body bytes, first sending `100 Continue` if the client
    /// still waits for it: that is the moment the body is really wanted.
    async fn read_more(&mut self, continue_pending: &mut bool, wanted: usize) -> Result<(), Stop> {
        if std::mem::take(continue_pending) {
            self.send(write::CONTINUE).await?;
        }
        // Reserving in steps, not the whole declared length at once, keeps
        // clients that announce large bodies and send nothing cheap.
        self.buf.reserve(wanted.clamp(READ_CHUNK, MAX_BODY_RESERVE));
        let deadline = Instant::now() + self.limits.head_timeout;
        let read = tokio::select! {
            read = self.stream.read_buf(&mut self.buf) => read?,
            () = sleep_until(deadline) => {
                return Err(Stop::Refuse(StatusCode::REQUEST_TIMEOUT, "request body too slow".to_owned()));
            }
        };
        if read == 0 {
            return Err(Stop::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        Ok(())
    }

    /// Writes `response`, logs the request, and says whether the connection
    /// stays open.
    async fn respond(
        &mut self,
        response: Response,
        kind: RequestKind,
        keep_alive: bool,
        log: &RequestLog,
    ) -> Result<bool, Stop> {
        let status = response.status;
        // Once shutdown has begun, each answer is the connection's last.
        let keep_alive = keep_alive && !*self.shutdown.borrow();
        let outgoing = write::prepare(response, kind, keep_alive);
        let mut close = outgoing.close;
        match outgoing.payload {
            Payload::None => self.send(&outgoing.head).await?,
            Payload::Full(body) => {
                let mut bytes = outgoing.head;
                bytes.extend_from_slice(&body);
                self.send(&bytes).await?;
            }
            Payload::Chunked(chunks) => {
                self.send(&outgoing.head).await?;
                close |= self.stream_body(chunks, true).await?;
            }
            Payload::UntilClose(chunks) => {
                self.send(&outgoing.head).await?;
                self.stream_body(chunks, false).await?;
            }
        }
        log.finish(status);
        Ok(!close)
    }

    /// Writes `bytes` whole and flushes them (a TLS stream buffers
    /// records; for a `TcpStream` the flush does nothing). A client that
    /// reads nothing for `idle_timeout` cannot pin the connection, and a
    /// streaming handler behind it, forever.
    async fn send(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let stream = &mut self.stream;
        let written = async move {
            stream.write_all(bytes).await?;
            stream.flush().await
        };
        match tokio::time::timeout(self.limits.idle_timeout, written).await {
            Ok(written) => Ok(written?),
            Err(_) => Err(Stop::Io(io::ErrorKind::TimedOut.into())),
        }
    }

    /// Forwards chunks as they arrive until the handler drops its sender or
    /// shutdown begins (`Ok(true)`: close after). Meanwhile the socket is
    /// read too, so a client that leaves is noticed at once and the
    /// handler's sender sees the receiver dropped; bytes it pipelines are
    /// kept for later.
    async fn stream_body(
        &mut self,
        mut chunks: mpsc::Receiver<Vec<u8>>,
        chunked: bool,
    ) -> Result<bool, Stop> {
        let room = self.limits.max_head_bytes;
        let mut by_shutdown = false;
        loop {
            self.buf.reserve(READ_CHUNK);
            tokio::select! {
                chunk = chunks.recv() => match chunk {
                    Some(data) if data.is_empty() => {}
                    Some(data) if chunked => {
                        self.send(&write::chunk(&data)).await?;
                    }
                    Some(data) => {
                        self.send(&data).await?;
                    }
                    None => break,
                },
                () = signalled(&mut self.shutdown) => {
                    by_shutdown = true;
                    break;
                }
                read = self.stream.read_buf(&mut self.buf), if self.buf.len() < room => {
                    if read? == 0 {
                        return Err(Stop::Io(io::ErrorKind::UnexpectedEof.into()));
                    }
                }
            }
        }
        if chunked {
            self.send(write::LAST_CHUNK).await?;
        }
        Ok(by_shutdown)
    }

    /// Ends the connection after a last response: shut our side, then drain what
    /// the client still sends (bounded) so the kernel does not answer it
    /// with a reset that could destroy our last response in flight.
    async fn close(mut self) {
        if let Err(error) = self.stream.shutdown().await {
            tracing::debug!(peer = %self.peer, %error, "shutdown failed");
            return;
        }
        let deadline = Instant::now() + LINGER_TIME;
        let mut drained = 0;
        let mut scratch = vec![0; READ_CHUNK];
        while drained < LINGER_BYTES {
            tokio::select! {
                read = self.stream.read(&mut scratch) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => drained += n,
                },
                () = sleep_until(deadline) => return,
            }
        }
    }
}

/// Completes when shutdown has begun (or its sender is gone, which only
/// happens when the server itself is gone).
async fn signalled(shutdown: &mut watch::Receiver<bool>) {
    // An error means the sender was dropped: treat that as shutdown too.
    let _ = shutdown.wait_for(|&begun| begun).await;
}
