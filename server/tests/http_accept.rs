//! `shared/HTTP.md` row 14, accept errors: when the process runs out of
//! file descriptors (EMFILE), the listener backs off instead of spinning or
//! dying, and serves again once descriptors are free.
//!
//! This is its own test binary because it lowers the process's open-file
//! limit (with util-linux `prlimit`, since `unsafe` is forbidden here).

mod http_support;

use std::fs::File;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_support::{TestServer, get, round_trip};
use tokio::net::TcpSocket;
use tokio::sync::Notify;

/// A log sink that wakes the test once the back-off warning is written.
#[derive(Clone, Default)]
struct BackOffWatch {
    text: Arc<Mutex<String>>,
    seen: Arc<Notify>,
}

impl Write for BackOffWatch {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut text = self.text.lock().expect("log lock");
        text.push_str(&String::from_utf8_lossy(buf));
        if text.contains("backing off") {
            self.seen.notify_one();
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The soft limit on open files, from `/proc/self/limits`.
fn soft_nofile() -> String {
    let limits = std::fs::read_to_string("/proc/self/limits").expect("read /proc/self/limits");
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .expect("open files line");
    line.split_whitespace()
        .nth(3)
        .expect("soft limit")
        .to_owned()
}

/// Sets this process's soft limit on open files.
fn set_soft_nofile(soft: &str) {
    let status = std::process::Command::new("prlimit")
        .arg(format!("--pid={}", std::process::id()))
        .arg(format!("--nofile={soft}:"))
        .status()
        .expect("this test needs util-linux `prlimit`");
    assert!(status.success(), "prlimit failed");
}

/// The highest open file descriptor of this process.
fn highest_fd() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("read /proc/self/fd")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .max()
        .expect("some open descriptor")
}

#[tokio::test]
async fn row14_accept_errors_back_off_and_recover() {
    let watch = BackOffWatch::default();
    let sink = watch.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    // The test runtime has one thread, so the server's tasks log here too.
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = TestServer::start().await;
    // The client's socket exists before the descriptors run out.
    let socket = TcpSocket::new_v4().expect("client socket");
    let original = soft_nofile();
    set_soft_nofile(&(highest_fd() + 16).to_string());
    // Fill every free descriptor below the limit.
    let mut filler = Vec::new();
    while let Ok(file) = File::open("/dev/null") {
        filler.push(file);
    }
    let mut client = socket
        .connect(server.addr)
        .await
        .expect("connect: the kernel completes it");
    let seen = tokio::time::timeout(Duration::from_secs(30), watch.seen.notified()).await;
    assert!(
        seen.is_ok(),
        "no back-off logged: {}",
        watch.text.lock().expect("log lock")
    );
    drop(filler);
    set_soft_nofile(&original);
    // The retry after the back-off accepts the waiting client.
    let response = round_trip(&mut client, &get("/after-emfile")).await;
    assert_eq!(response.status, 200);
    assert!(!server.is_finished());
}
