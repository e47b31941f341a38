//! HTTP/1.1 on tokio + httparse: the only module that touches sockets.
//!
//! The listener accepts connections (bounded, with back-off on accept
//! errors); each connection reads bytes, parses request heads with httparse,
//! reads `Content-Length` or chunked bodies within [`Limits`], hands each
//! [`Request`] to the [`Handler`] and writes the [`Response`] back, in order,
//! keeping the connection alive as HTTP/1.1 says. `../shared/HTTP.md` lists
//! every edge case handled here; each has a test in `server/tests/http_*.rs`.
//!
//! Modules, in reading order:
//! - `listener`: [`serve`] and [`serve_tls`], the accept loop, the connection cap, shutdown.
//! - `conn`: one connection's request loop, timeouts, closing.
//! - `handling`: around each handler call: panics to 500, problem
//!   responses, the request log line.
//! - `parse`: [`parse_head`], request heads and the framing and keep-alive
//!   rules.
//! - `body`: [`ChunkedDecoder`], chunked request bodies.
//! - `write`: response framing and serialisation.
//! - [`tls`]: rustls for the listener, the certificate reloaded on demand,
//!   plain HTTP to a TLS port answered with a 400.
//!
//! Choices a [`Handler`] author should know:
//! - `HEAD` reaches the handler as `HEAD`. Answer it like `GET`: the
//!   connection sends the head with the `Content-Length` of the body and
//!   drops the body. A `HEAD` answer with [`Body::Empty`] may set
//!   `Content-Length` itself.
//! - The connection owns `Content-Length`, `Transfer-Encoding`, `Date` and
//!   `Connection`; a handler's values for them are replaced, except that a
//!   handler's `Connection: close` is honoured.
//! - 204 and 304 responses are sent without body or length, whatever the
//!   handler put in them.
//! - An HTTP/1.1 request without `Host` is a 400 (RFC 9112 section 3.2;
//!   hyper lets it through, we do not), as is a target that is not
//!   origin-form (`/path`), absolute-form (reduced to its path), or `*` for
//!   `OPTIONS`. Versions other than 1.0 and 1.1, HTTP/2's preface
//!   included, get 505.
//! - [`Handler::refuse_early`] is asked for every request, not only those
//!   with `Expect: 100-continue`; refusing one that announced a body closes
//!   the connection after the answer.
//! - Errors the connection answers itself (400, 408, 413, 414, 431, 505,
//!   and 500 for a handler panic) are `application/problem+json`.
//! - A streaming response to an HTTP/1.0 client is sent unframed and ends
//!   by closing the connection.

mod admission;
mod body;
mod conn;
mod handling;
mod listener;
mod parse;
pub mod tls;
mod write;

pub use body::{BodyError, ChunkedDecoder, MAX_CHUNK_LINE_BYTES, MAX_TRAILER_BYTES};
pub use listener::{LISTEN_BACKLOG, listen, serve, serve_tls};
pub use parse::{BodyFraming, ParseError, ParsedHead, parse_head};

use std::net::SocketAddr;
use std::time::Duration;

use futures::future::BoxFuture;
pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

/// The HTTP version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

/// What the handler sees of a request before its body is read: enough to
/// refuse it early (an `Expect: 100-continue` request that would get a 401 or
/// 404 is answered without reading its body).
#[derive(Debug, Clone)]
pub struct RequestHead {
    pub method: Method,
    /// The path part of the request target, still percent-encoded.
    pub path: String,
    /// The query part of the target without the `?` (empty when none).
    pub query: String,
    pub version: Version,
    pub headers: HeaderMap,
    pub peer: SocketAddr,
}

/// A whole request: its head and its body, already de-chunked.
#[derive(Debug, Clone)]
pub struct Request {
    pub head: RequestHead,
    pub body: Vec<u8>,
}

/// A response body.
pub enum Body {
    Empty,
    Full(Vec<u8>),
    /// Sent with chunked transfer coding as the chunks arrive; the response
    /// ends when the sender is dropped. For `text/event-stream`.
    Stream(tokio::sync::mpsc::Receiver<Vec<u8>>),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            Body::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// A response. The connection adds `Date`, `Content-Length` or
/// `Transfer-Encoding`, and `Connection` itself.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Body,
}

impl Response {
    /// A response with `status`, no headers and no body.
    pub fn empty(status: StatusCode) -> Self {
        Response {
            status,
            headers: HeaderMap::new(),
            body: Body::Empty,
        }
    }

    /// A response with a body of the given content type.
    pub fn with_body(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
        Response {
            status,
            headers,
            body: Body::Full(body),
        }
    }
}

/// What serves requests: the API router in production, small closures in
/// the HTTP layer's own tests.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request. Errors are the handler's to turn into responses;
    /// a panic inside is caught by the connection and becomes a 500.
    fn handle(&self, request: Request) -> BoxFuture<'static, Response>;

    /// Called with the head before the body is read; `Some` answers the
    /// request at once and its body is never read (the connection then
    /// closes if a body was announced).
    fn refuse_early(&self, _head: &RequestHead) -> Option<Response> {
        None
    }

    /// A gauge the listener keeps at the number of open connections (for
    /// `GET /metrics`); `None`: nobody counts them.
    fn open_connections(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicI64>> {
        None
    }
}

/// The limits of one server. Defaults follow `../shared/HTTP.md`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request head (request line and headers) buffered: 16 KiB is
    /// what common servers accept, and no request of ours comes near it.
    pub max_head_bytes: usize,
    /// Most headers in one request; more is a 431.
    pub max_headers: usize,
    /// Longest request target; longer is a 414.
    pub max_target_bytes: usize,
    /// Largest request body, checked before allocating; larger is a 413.
    pub max_body_bytes: usize,
    /// Time allowed to receive a whole request head once its first byte
    /// came; a miss is a 408. Also the time a new connection gets to send
    /// its first byte (closed silently after), and the longest pause allowed
    /// between reads of a body (a 408 too): slow clients must not hold
    /// connections.
    pub head_timeout: Duration,
    /// Time an idle keep-alive connection is kept open between requests.
    /// Also the longest a write may wait for a client that reads nothing.
    pub idle_timeout: Duration,
    /// Connections served at once. At the cap the connection idle the
    /// longest is closed to admit a new one; with none idle, further ones
    /// wait in the kernel's accept queue (the listener's backlog).
    pub max_connections: usize,
    /// Connections served at once from one client address; beyond it that
    /// client's longest-idle connection is closed, or with none idle the
    /// new one is answered 503.
    pub max_connections_per_client: usize,
    /// Time in-flight requests get to finish once shutdown begins.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_bytes: 16 * 1024,
            max_headers: 100,
            max_target_bytes: 8 * 1024,
            max_body_bytes: 1024 * 1024,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_client: 256,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}
