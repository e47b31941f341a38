//! Shared by the `http_*` tests: a small [`TestHandler`], a real server on
//! `127.0.0.1:0`, and a client that speaks raw bytes and parses responses.
//!
//! The handler echoes `METHOD path?query len=N` for every path except a few
//! with special behaviour: `/panic` and `/panic-early` panic, `/refuse` is
//! refused early with 401, `/no-content` and `/not-modified` answer 204 and
//! 304 with a body the server must drop, `/stream` streams chunks the test
//! sends, `/gate` waits until the test opens its gate, `/big` answers
//! [`BIG_BODY_BYTES`], and `/echo-header` answers the bytes of the `x-echo`
//! header.

#![allow(dead_code)]

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use rapport_server::http::{
    Body, Handler, HeaderMap, Limits, Request, RequestHead, Response, StatusCode, serve,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The body size of `/big`: more than loopback socket buffers hold, so a
/// client that reads nothing blocks the server's write.
pub const BIG_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The handler of the HTTP tests; see the module doc for its paths.
pub struct TestHandler {
    streams: mpsc::UnboundedSender<mpsc::Sender<Vec<u8>>>,
    gates: mpsc::UnboundedSender<oneshot::Sender<()>>,
}

impl Handler for TestHandler {
    fn handle(&self, request: Request) -> BoxFuture<'static, Response> {
        let head = &request.head;
        match head.path.as_str() {
            "/panic-early" => panic!("handler panics before its future"),
            "/panic" => async { panic!("handler panics inside its future") }.boxed(),
            "/no-content" => {
                let response =
                    Response::with_body(StatusCode::NO_CONTENT, "text/plain", b"x".to_vec());
                async move { response }.boxed()
            }
            "/not-modified" => {
                let response =
                    Response::with_body(StatusCode::NOT_MODIFIED, "text/plain", b"x".to_vec());
                async move { response }.boxed()
            }
            "/big" => {
                let body = vec![b'x'; BIG_BODY_BYTES];
                async move { Response::with_body(StatusCode::OK, "text/plain", body) }.boxed()
            }
            "/echo-header" => {
                let value = head
                    .headers
                    .get("x-echo")
                    .map(|v| v.as_bytes().to_vec())
                    .unwrap_or_default();
                async move { Response::with_body(StatusCode::OK, "application/octet-stream", value) }
                    .boxed()
            }
            "/stream" => {
                let (sender, receiver) = mpsc::channel(8);
                self.streams
                    .send(sender)
                    .expect("test holds the stream receiver");
                let mut response = Response::empty(StatusCode::OK);
                response.headers.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("text/event-stream"),
                );
                response.body = Body::Stream(receiver);
                async move { response }.boxed()
            }
            "/gate" => {
                let (open, opened) = oneshot::channel();
                self.gates.send(open).expect("test holds the gate receiver");
                async move {
                    let _ = opened.await;
                    Response::with_body(StatusCode::OK, "text/plain", b"through the gate".to_vec())
                }
                .boxed()
            }
            _ => {
                let text = format!(
                    "{} {}?{} len={}",
                    head.method,
                    head.path,
                    head.query,
                    request.body.len()
                );
                async move { Response::with_body(StatusCode::OK, "text/plain", text.into_bytes()) }
                    .boxed()
            }
        }
    }

    fn refuse_early(&self, head: &RequestHead) -> Option<Response> {
        match head.path.as_str() {
            "/refuse" => Some(Response::empty(StatusCode::UNAUTHORIZED)),
            "/refuse-panic" => panic!("refuse_early panics"),
            _ => None,
        }
    }
}

/// A server running on `127.0.0.1:0` in a spawned task.
pub struct TestServer {
    pub addr: SocketAddr,
    /// One sender per `/stream` request, to feed its chunks.
    pub streams: mpsc::UnboundedReceiver<mpsc::Sender<Vec<u8>>>,
    /// One gate per `/gate` request, to let it answer.
    pub gates: mpsc::UnboundedReceiver<oneshot::Sender<()>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl TestServer {
    /// Starts a server with default limits.
    pub async fn start() -> Self {
        Self::with_limits(Limits::default()).await
    }

    /// Starts a server with `limits`.
    pub async fn with_limits(limits: Limits) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (streams_tx, streams) = mpsc::unbounded_channel();
        let (gates_tx, gates) = mpsc::unbounded_channel();
        let handler = Arc::new(TestHandler {
            streams: streams_tx,
            gates: gates_tx,
        });
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, handler, limits, async move {
            let _ = shutdown_rx.await;
        }));
        TestServer {
            addr,
            streams,
            gates,
            shutdown: Some(shutdown_tx),
            task,
        }
    }

    /// Opens a connection.
    pub async fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        stream
    }

    /// Sends `bytes` on a new connection, half-closes it, and returns every
    /// byte the server sent until it closed.
    pub async fn exchange(&self, bytes: &[u8]) -> Vec<u8> {
        let mut stream = self.connect().await;
        stream.write_all(bytes).await.expect("write");
        stream.shutdown().await.expect("half-close");
        read_to_close(&mut stream).await
    }

    /// Begins shutdown without waiting for it.
    pub fn begin_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }

    /// Shuts the server down and returns what `serve` returned.
    pub async fn stop(mut self) -> io::Result<()> {
        self.begin_shutdown();
        self.task.await.expect("serve task did not panic")
    }

    /// Whether `serve` has returned.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// Reads until the server closes; a reset after the data counts as a close.
pub async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// A parsed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The value of header `name` as text, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// Whether the response announces that the connection closes.
    pub fn closes(&self) -> bool {
        self.header("connection").as_deref() == Some("close")
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Parses one response head at the start of `bytes`: the response without
/// its body and the head's length.
pub fn parse_response_head(bytes: &[u8]) -> Option<(TestResponse, usize)> {
    let mut slots = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut slots);
    let httparse::Status::Complete(len) = response.parse(bytes).expect("valid response head")
    else {
        return None;
    };
    let mut headers = HeaderMap::new();
    for header in response.headers.iter() {
        headers.append(
            http::HeaderName::from_bytes(header.name.as_bytes()).expect("header name"),
            http::HeaderValue::from_bytes(header.value).expect("header value"),
        );
    }
    let status = response.code.expect("status code");
    Some((
        TestResponse {
            status,
            headers,
            body: Vec::new(),
        },
        len,
    ))
}

/// Parses every complete response in `bytes`, in order. `head_requests`
/// says which of them answer a HEAD request (they have no body).
pub fn parse_responses(mut bytes: &[u8], head_requests: &[bool]) -> Vec<TestResponse> {
    let mut responses = Vec::new();
    while let Some((mut response, len)) = parse_response_head(bytes) {
        bytes = &bytes[len..];
        let is_head = head_requests.get(responses.len()).copied().unwrap_or(false);
        let bodiless = is_head || matches!(response.status, 100..=199 | 204 | 304);
        if bodiless {
            // No body.
        } else if response.header("transfer-encoding").as_deref() == Some("chunked") {
            let mut decoder = rapport_server::http::ChunkedDecoder::new(usize::MAX / 2);
            let used = decoder.decode(bytes).expect("valid chunked response");
            assert!(decoder.is_done(), "chunked response incomplete");
            bytes = &bytes[used..];
            response.body = decoder.into_body();
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().expect("numeric content-length");
            response.body = bytes[..length].to_vec();
            bytes = &bytes[length..];
        } else {
            response.body = bytes.to_vec();
            bytes = &[];
        }
        responses.push(response);
    }
    assert!(
        bytes.is_empty(),
        "trailing bytes after responses: {bytes:?}"
    );
    responses
}

/// The one response in `bytes`.
pub fn only_response(bytes: &[u8]) -> TestResponse {
    let mut responses = parse_responses(bytes, &[]);
    assert_eq!(
        responses.len(),
        1,
        "expected one response in {:?}",
        String::from_utf8_lossy(bytes)
    );
    responses.remove(0)
}

/// Sends `bytes` split at `at` on a new connection, letting the server read
/// the first part before the second is written, and returns all it sent.
pub async fn exchange_split(server: &TestServer, bytes: &[u8], at: usize) -> Vec<u8> {
    let mut stream = server.connect().await;
    stream
        .write_all(&bytes[..at])
        .await
        .expect("write first part");
    // On the current-thread test runtime, yielding lets the server task
    // read the first part before the second is written.
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    stream
        .write_all(&bytes[at..])
        .await
        .expect("write second part");
    stream.shutdown().await.expect("half-close");
    read_to_close(&mut stream).await
}

/// Reads from `stream` until `bytes` holds a complete response head, and
/// returns it with the bytes after it.
pub async fn read_head(stream: &mut TcpStream, bytes: &mut Vec<u8>) -> TestResponse {
    let mut buf = [0u8; 4096];
    loop {
        if let Some((response, len)) = parse_response_head(bytes) {
            bytes.drain(..len);
            return response;
        }
        let n = stream.read(&mut buf).await.expect("read");
        assert!(
            n > 0,
            "closed before a response head: {:?}",
            String::from_utf8_lossy(bytes)
        );
        bytes.extend_from_slice(&buf[..n]);
    }
}

/// Reads until `bytes` holds at least `len` bytes.
pub async fn read_at_least(stream: &mut TcpStream, bytes: &mut Vec<u8>, len: usize) {
    let mut buf = [0u8; 4096];
    while bytes.len() < len {
        let n = stream.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed early");
        bytes.extend_from_slice(&buf[..n]);
    }
}

/// Sends one request on an open connection and reads its whole response
/// (which must have a `Content-Length`).
pub async fn round_trip(stream: &mut TcpStream, request: &[u8]) -> TestResponse {
    stream.write_all(request).await.expect("write");
    let mut bytes = Vec::new();
    let mut response = read_head(stream, &mut bytes).await;
    let length: usize = response
        .header("content-length")
        .map(|l| l.parse().expect("numeric"))
        .unwrap_or(0);
    read_at_least(stream, &mut bytes, length).await;
    assert_eq!(bytes.len(), length, "unexpected bytes after the response");
    response.body = bytes;
    response
}

/// A GET request for `path` with a Host header.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").into_bytes()
}
