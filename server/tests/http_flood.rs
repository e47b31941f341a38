//! A flood of malformed and oversized requests on many connections at once:
//! each gets its own correct status, and the server still answers a good
//! request afterwards.

mod http_support;

use http_support::{TestServer, get, only_response};
use rapport_server::http::Limits;

/// Connections per bad request.
const ROUNDS: usize = 12;

/// The bad requests of the flood with the status each must get.
fn bad_requests() -> Vec<(Vec<u8>, u16)> {
    let many_headers: String = (0..150).map(|i| format!("X-{i}: v\r\n")).collect();
    vec![
        (b"garbage\r\n\r\n".to_vec(), 400),
        (
            format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000)).into_bytes(),
            414,
        ),
        (
            format!(
                "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n\r\n",
                "b".repeat(20_000)
            )
            .into_bytes(),
            431,
        ),
        (
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").into_bytes(),
            431,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n".to_vec(),
            400,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n".to_vec(),
            413,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n".to_vec(),
            400,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
            400,
        ),
        (b"GET / HTTP/3.0\r\nHost: x\r\n\r\n".to_vec(), 505),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 200),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_of_bad_requests_each_answered_and_server_survives() {
    let limits = Limits {
        max_connections: 16,
        ..Limits::default()
    };
    let server = std::sync::Arc::new(TestServer::with_limits(limits).await);
    let cases = bad_requests();
    let mut clients = tokio::task::JoinSet::new();
    // 12 rounds of 10 stay within tokio's listen backlog (128) plus the
    // cap, so no client depends on the kernel retrying a dropped SYN.
    for round in 0..ROUNDS {
        for (request, status) in cases.clone() {
            let server = std::sync::Arc::clone(&server);
            clients.spawn(async move {
                let response = only_response(&server.exchange(&request).await);
                (round, response.status, status)
            });
        }
    }
    let mut answered = 0;
    while let Some(joined) = clients.join_next().await {
        let (round, got, expected) = joined.expect("client task");
        assert_eq!(got, expected, "round {round}");
        answered += 1;
    }
    assert_eq!(answered, ROUNDS * cases.len());
    assert_eq!(
        only_response(&server.exchange(&get("/after")).await).status,
        200
    );
}
