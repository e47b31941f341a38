//! `shared/HTTP.md` rows 14 and 19 to 21 over real sockets: slow clients
//! and the connection cap (on paused tokio time, so deadlines pass without
//! waiting), shutdown, noise, and streaming.

mod http_support;

use std::time::Duration;

use http_support::{
    TestServer, get, only_response, read_at_least, read_head, read_to_close, round_trip,
};
use rapport_server::http::Limits;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[tokio::test(start_paused = true)]
async fn row14_slow_head_gets_408_and_close() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: te")
        .await
        .expect("write");
    let response = only_response(&read_to_close(&mut stream).await);
    assert_eq!(response.status, 408);
    assert!(response.closes());
}

#[tokio::test(start_paused = true)]
async fn row14_slow_body_gets_408_and_close() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    let partial = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nab";
    stream.write_all(partial).await.expect("write");
    let response = only_response(&read_to_close(&mut stream).await);
    assert_eq!(response.status, 408);
    assert!(response.closes());
}

#[tokio::test(start_paused = true)]
async fn row14_silent_connection_is_closed_without_answer() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    assert!(read_to_close(&mut stream).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn row14_idle_keep_alive_connection_is_closed() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    assert_eq!(round_trip(&mut stream, &get("/")).await.status, 200);
    assert!(read_to_close(&mut stream).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn row14_client_that_never_reads_is_dropped() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    stream.write_all(&get("/big")).await.expect("write");
    // While nothing is read the server's write blocks; paused time then
    // jumps to its write deadline, and the connection is dropped.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let received = read_to_close(&mut stream).await;
    assert!(
        received.len() < http_support::BIG_BODY_BYTES,
        "the whole body was written"
    );
    assert_eq!(only_response(&server.exchange(&get("/")).await).status, 200);
}

#[tokio::test(start_paused = true)]
async fn row14_connection_cap_holds_further_clients_in_the_queue() {
    let limits = Limits {
        max_connections: 1,
        ..Limits::default()
    };
    let server = TestServer::with_limits(limits).await;
    // The first connection is busy, half way through a head (an idle one
    // would be closed to make room: see http_admission.rs).
    let mut first = server.connect().await;
    first
        .write_all(b"GET /bye HTTP/1.1\r\nHost: test\r\n")
        .await
        .expect("write");
    tokio::task::yield_now().await;
    let mut second = server.connect().await;
    second.write_all(&get("/second")).await.expect("write");
    // Time is paused: the timeout passes only once nothing else can
    // happen, which proves the second client is not being served.
    let mut bytes = Vec::new();
    let waited =
        tokio::time::timeout(Duration::from_secs(5), read_head(&mut second, &mut bytes)).await;
    assert!(waited.is_err(), "served beyond the cap");
    first
        .write_all(b"Connection: close\r\n\r\n")
        .await
        .expect("write");
    let mut first_bytes = Vec::new();
    assert!(read_head(&mut first, &mut first_bytes).await.closes());
    drop(first);
    let response = read_head(&mut second, &mut bytes).await;
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn row19_shutdown_finishes_in_flight_and_closes_idle() {
    let mut server = TestServer::start().await;
    let mut idle = server.connect().await;
    assert_eq!(round_trip(&mut idle, &get("/")).await.status, 200);
    let mut busy = server.connect().await;
    busy.write_all(&get("/gate")).await.expect("write");
    let gate = server.gates.recv().await.expect("the handler is running");
    server.begin_shutdown();
    // The idle connection is closed without a word...
    assert!(read_to_close(&mut idle).await.is_empty());
    drop(idle);
    // ...no one else gets in...
    assert!(TcpStream::connect(server.addr).await.is_err());
    // ...and the request in flight is answered, as the connection's last.
    gate.send(()).expect("handler waits");
    let response = only_response(&read_to_close(&mut busy).await);
    assert_eq!(
        (response.status, response.text().as_str()),
        (200, "through the gate")
    );
    assert!(response.closes());
    drop(busy);
    server.stop().await.expect("serve returns Ok");
}

#[tokio::test(start_paused = true)]
async fn row19_shutdown_gives_up_on_requests_after_the_grace_period() {
    let mut server = TestServer::start().await;
    let mut stuck = server.connect().await;
    stuck.write_all(&get("/gate")).await.expect("write");
    let _gate_never_opened = server.gates.recv().await.expect("the handler is running");
    server.stop().await.expect("serve returns Ok");
    assert!(read_to_close(&mut stuck).await.is_empty());
}

#[tokio::test]
async fn row20_handler_panics_become_500_and_the_connection_lives() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    for path in ["/panic", "/panic-early"] {
        let response = round_trip(&mut stream, &get(path)).await;
        assert_eq!(response.status, 500, "{path}");
        assert!(!response.closes());
    }
    assert_eq!(round_trip(&mut stream, &get("/after")).await.status, 200);
    let response = only_response(&server.exchange(&get("/refuse-panic")).await);
    assert_eq!(response.status, 500);
}

#[tokio::test]
async fn row20_resets_are_not_server_errors() {
    let server = TestServer::start().await;
    for _ in 0..20 {
        let stream = server.connect().await;
        let mut stream = stream;
        stream.write_all(&get("/")).await.expect("write");
        stream.set_zero_linger().expect("linger");
        drop(stream);
    }
    let mut half = server.connect().await;
    half.write_all(b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nab")
        .await
        .expect("write");
    half.set_zero_linger().expect("linger");
    drop(half);
    assert_eq!(only_response(&server.exchange(&get("/")).await).status, 200);
}

#[tokio::test]
async fn row21_stream_is_sent_chunk_by_chunk_without_blocking() {
    let mut server = TestServer::start().await;
    let mut stream = server.connect().await;
    stream.write_all(&get("/stream")).await.expect("write");
    let sender = server.streams.recv().await.expect("stream started");
    let mut bytes = Vec::new();
    let head = read_head(&mut stream, &mut bytes).await;
    assert_eq!(head.header("transfer-encoding").as_deref(), Some("chunked"));
    assert_eq!(
        head.header("content-type").as_deref(),
        Some("text/event-stream")
    );
    for event in ["data: 1\n\n", "data: 2\n\n"] {
        sender
            .send(event.as_bytes().to_vec())
            .await
            .expect("receiver alive");
        let expected = format!("{:x}\r\n{event}\r\n", event.len());
        read_at_least(&mut stream, &mut bytes, expected.len()).await;
        assert_eq!(std::mem::take(&mut bytes), expected.as_bytes());
        // Other connections are served meanwhile.
        assert_eq!(
            only_response(&server.exchange(&get("/other")).await).status,
            200
        );
    }
    drop(sender);
    read_at_least(&mut stream, &mut bytes, 5).await;
    assert_eq!(bytes, b"0\r\n\r\n");
    // The connection is kept alive after the stream.
    assert_eq!(round_trip(&mut stream, &get("/after")).await.status, 200);
}

#[tokio::test]
async fn row21_stream_ends_on_shutdown_and_when_the_client_leaves() {
    let mut server = TestServer::start().await;
    let mut leaving = server.connect().await;
    leaving.write_all(&get("/stream")).await.expect("write");
    let leaving_sender = server.streams.recv().await.expect("stream started");
    drop(leaving);
    // The handler's sender notices the client is gone without sending.
    leaving_sender.closed().await;

    let mut staying = server.connect().await;
    staying.write_all(&get("/stream")).await.expect("write");
    let _sender = server.streams.recv().await.expect("stream started");
    let mut bytes = Vec::new();
    let head = read_head(&mut staying, &mut bytes).await;
    assert_eq!(head.header("transfer-encoding").as_deref(), Some("chunked"));
    server.begin_shutdown();
    bytes.extend(read_to_close(&mut staying).await);
    assert_eq!(bytes, b"0\r\n\r\n");
    drop(staying);
    server.stop().await.expect("serve returns Ok");
}

#[tokio::test(start_paused = true)]
async fn row19_shutdown_answers_a_half_sent_head_at_once() {
    let mut server = TestServer::start().await;
    let mut half = server.connect().await;
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // Paused time only moves on once every task is idle: by then the
    // server has read the half head and waits for the rest.
    tokio::time::sleep(Duration::from_millis(1)).await;
    server.begin_shutdown();
    // Told at once (before shutdown learnt this, the head deadline ran out
    // and the answer was a 408).
    let response = only_response(&read_to_close(&mut half).await);
    assert_eq!(response.status, 503);
    assert!(response.closes());
    server.stop().await.expect("serve returns Ok");
}
