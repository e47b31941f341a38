//! The request log line: one `info` line per request with method, path,
//! status and duration.
//!
//! Its own test binary: tracing caches per call site whether anyone listens,
//! so a thread-local subscriber is only reliable when no other test runs in
//! the process at the same time.

mod http_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use http_support::{TestServer, get};

/// A log sink shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_request_is_logged_once_at_info() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    // The test runtime has one thread, so the server's tasks log here too.
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = TestServer::start().await;
    let mut pipeline = get("/logged?secret=1");
    pipeline.extend_from_slice(b"POST /also HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\n\r\nx");
    assert_eq!(
        http_support::parse_responses(&server.exchange(&pipeline).await, &[]).len(),
        2
    );
    server.stop().await.expect("serve returns Ok");
    let log = String::from_utf8(captured.0.lock().expect("log lock").clone()).expect("utf-8 log");
    let lines: Vec<_> = log.lines().filter(|l| l.contains("request")).collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("INFO"), "{log}");
    assert!(
        lines[0].contains("method=GET") && lines[0].contains("path=/logged"),
        "{log}"
    );
    assert!(
        !lines[0].contains("secret"),
        "the query is not logged: {log}"
    );
    assert!(
        lines[1].contains("status=200") && lines[1].contains("duration_ms="),
        "{log}"
    );
}
