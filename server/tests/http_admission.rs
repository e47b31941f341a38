//! Idle keep-alive connections never lock new clients out, and one client
//! cannot take the server: at the connection cap the longest-idle
//! connection is closed to admit a new one, and a client at its own cap
//! makes room from its own idle connections or is answered 503.

mod http_support;

use std::time::Duration;

use http_support::{TestServer, get, read_to_close, round_trip};
use rapport_server::http::Limits;
use tokio::io::AsyncWriteExt;

/// Far longer than any wait below: a test passing proves eviction, not
/// the idle timeout.
const IDLE: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connections_make_room_for_new_clients() {
    let server = TestServer::with_limits(Limits {
        max_connections: 4,
        max_connections_per_client: 100,
        idle_timeout: IDLE,
        ..Limits::default()
    })
    .await;
    // Fill the cap with kept-alive connections, each having asked once.
    let mut idle = Vec::new();
    for _ in 0..4 {
        let mut stream = server.connect().await;
        assert_eq!(round_trip(&mut stream, &get("/")).await.status, 200);
        idle.push(stream);
    }
    // A fifth client is served at once, not after the idle timeout.
    let mut fresh = server.connect().await;
    let answered =
        tokio::time::timeout(Duration::from_secs(20), round_trip(&mut fresh, &get("/"))).await;
    assert_eq!(
        answered.expect("served while the others sit idle").status,
        200
    );
    // The one idle the longest was closed to make room.
    let closed = tokio::time::timeout(Duration::from_secs(20), read_to_close(&mut idle[0])).await;
    assert!(
        closed
            .expect("the longest-idle connection is closed")
            .is_empty()
    );
    server.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_at_its_cap_is_refused_when_none_of_its_connections_is_idle() {
    let server = TestServer::with_limits(Limits {
        max_connections: 100,
        max_connections_per_client: 2,
        idle_timeout: IDLE,
        ..Limits::default()
    })
    .await;
    // Two connections half way through a head: busy, never evicted.
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut stream = server.connect().await;
        stream
            .write_all(b"GET / HTTP/1.1\r\nHo")
            .await
            .expect("write");
        busy.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = server.connect().await;
    let refused = tokio::time::timeout(Duration::from_secs(20), read_to_close(&mut third))
        .await
        .expect("answered at once");
    let text = String::from_utf8_lossy(&refused);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("retry-after: 1"), "{text}");
    assert!(
        text.contains("too many connections from your address"),
        "{text}"
    );
    // Finishing one of them and leaving it idle makes room again.
    busy[0].write_all(b"st: x\r\n\r\n").await.expect("write");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = server.connect().await;
    let answered =
        tokio::time::timeout(Duration::from_secs(20), round_trip(&mut fourth, &get("/"))).await;
    assert_eq!(answered.expect("served").status, 200);
    server.stop().await.expect("stops");
}
