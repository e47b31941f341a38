//! `shared/HTTP.md` rows 1 to 9 over real sockets: partial input, head and
//! target limits, `Content-Length`, `Transfer-Encoding`, body limits and
//! unread bodies. Each test is named by its row.

mod http_support;

use http_support::{TestServer, exchange_split, get, only_response, parse_responses};
use rapport_server::http::Limits;

/// Requests every split test sends, whole and split at every byte.
const FIXTURES: &[&[u8]] = &[
    b"GET /a/b?x=1 HTTP/1.1\r\nHost: test\r\nAccept: */*\r\n\r\n",
    b"POST /c HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /d HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n",
    b"GET /1 HTTP/1.1\r\nHost: test\r\n\r\nGET /2 HTTP/1.1\r\nHost: test\r\n\r\n",
];

#[tokio::test]
async fn row01_partial_input_split_at_every_byte_answers_the_same() {
    let server = TestServer::start().await;
    for fixture in FIXTURES {
        let whole = server.exchange(fixture).await;
        let expected: Vec<_> = parse_responses(&whole, &[])
            .into_iter()
            .map(|r| (r.status, r.body))
            .collect();
        assert!(!expected.is_empty());
        assert!(
            expected.iter().all(|(status, _)| *status == 200),
            "{expected:?}"
        );
        for at in 1..fixture.len() {
            let split = exchange_split(&server, fixture, at).await;
            let got: Vec<_> = parse_responses(&split, &[])
                .into_iter()
                .map(|r| (r.status, r.body))
                .collect();
            assert_eq!(
                got,
                expected,
                "fixture {:?} split at {at}",
                String::from_utf8_lossy(fixture)
            );
        }
    }
}

#[tokio::test]
async fn row01_chunked_body_values_are_decoded() {
    let server = TestServer::start().await;
    let response = only_response(&server.exchange(FIXTURES[2]).await);
    assert_eq!(response.text(), "POST /d? len=5");
}

#[tokio::test]
async fn row02_head_too_large_is_431_and_closes() {
    let server = TestServer::start().await;
    let big = "v".repeat(17 * 1024);
    let complete = format!("GET / HTTP/1.1\r\nHost: test\r\nX-Big: {big}\r\n\r\n");
    let response = only_response(&server.exchange(complete.as_bytes()).await);
    assert_eq!(response.status, 431);
    assert!(response.closes());
    // The same without the end of the head: refused as soon as it is over.
    let partial = format!("GET / HTTP/1.1\r\nHost: test\r\nX-Big: {big}");
    let response = only_response(&server.exchange(partial.as_bytes()).await);
    assert_eq!(response.status, 431);
    assert!(response.closes());
}

#[tokio::test]
async fn row03_too_many_headers_is_431_with_a_response() {
    let server = TestServer::start().await;
    let headers = |n: usize| {
        (0..n)
            .map(|i| format!("X-H{i}: {i}\r\n"))
            .collect::<String>()
    };
    // Host plus 99 more is exactly the limit of 100.
    let at_limit = format!("GET / HTTP/1.1\r\nHost: test\r\n{}\r\n", headers(99));
    assert_eq!(
        only_response(&server.exchange(at_limit.as_bytes()).await).status,
        200
    );
    let over = format!("GET / HTTP/1.1\r\nHost: test\r\n{}\r\n", headers(100));
    let response = only_response(&server.exchange(over.as_bytes()).await);
    assert_eq!(response.status, 431);
    assert!(response.closes());
}

#[tokio::test]
async fn row04_huge_target_is_414() {
    let server = TestServer::start().await;
    let path = format!("/{}", "p".repeat(8 * 1024));
    let response = only_response(&server.exchange(&get(&path)).await);
    assert_eq!(response.status, 414);
    assert!(response.closes());
    // Refused before the request line is even complete.
    let partial = format!("GET {path}");
    let response = only_response(&server.exchange(partial.as_bytes()).await);
    assert_eq!(response.status, 414);
    // Exactly 8 KiB is fine.
    let path = format!("/{}", "p".repeat(8 * 1024 - 1));
    assert_eq!(
        only_response(&server.exchange(&get(&path)).await).status,
        200
    );
}

#[tokio::test]
async fn row05_bad_content_length_is_400() {
    let server = TestServer::start().await;
    for value in [
        "abc",
        "-1",
        "+5",
        "1 2",
        "0x5",
        "",
        "18446744073709551616",
        "5;",
    ] {
        let request =
            format!("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: {value}\r\n\r\nhello");
        let response = only_response(&server.exchange(request.as_bytes()).await);
        assert_eq!(response.status, 400, "Content-Length: {value:?}");
        assert!(response.closes());
    }
}

#[tokio::test]
async fn row06_duplicate_content_length() {
    let server = TestServer::start().await;
    let differing =
        b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!";
    assert_eq!(only_response(&server.exchange(differing).await).status, 400);
    let identical =
        b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello";
    let response = only_response(&server.exchange(identical).await);
    assert_eq!(
        (response.status, response.text().as_str()),
        (200, "POST /? len=5")
    );
}

#[tokio::test]
async fn row07_transfer_encoding() {
    let server = TestServer::start().await;
    // A last coding other than chunked cannot be framed: 400.
    for codings in ["gzip", "chunked, gzip", "chunked, chunked", ""] {
        let request = format!(
            "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: {codings}\r\n\r\n0\r\n\r\n"
        );
        let response = only_response(&server.exchange(request.as_bytes()).await);
        assert_eq!(response.status, 400, "Transfer-Encoding: {codings:?}");
    }
    // Codings on several lines count together, case-insensitively.
    let split = b"POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: identity\r\nTransfer-Encoding: CHUNKED\r\n\r\n1\r\nz\r\n0\r\n\r\n";
    assert_eq!(
        only_response(&server.exchange(split).await).text(),
        "POST /? len=1"
    );
    // TE on HTTP/1.0: 400.
    let old = b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(only_response(&server.exchange(old).await).status, 400);
}

#[tokio::test]
async fn row07_transfer_encoding_wins_over_content_length_and_closes() {
    let server = TestServer::start().await;
    // Were Content-Length believed, "0\r\n\r\nGET /smuggled" would be read
    // differently; chunked wins and nothing after the exchange is parsed.
    let request = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
    let response = only_response(&server.exchange(request).await);
    assert_eq!(response.text(), "POST /? len=3");
    assert!(response.closes());
}

#[tokio::test]
async fn row08_body_size_limits() {
    let limits = Limits {
        max_body_bytes: 10,
        ..Limits::default()
    };
    let server = TestServer::with_limits(limits).await;
    let at_limit = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n0123456789";
    assert_eq!(
        only_response(&server.exchange(at_limit).await).text(),
        "POST /? len=10"
    );
    // Declared too large: refused before a byte of body is read.
    let declared = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\n";
    let response = only_response(&server.exchange(declared).await);
    assert_eq!(response.status, 413);
    assert!(response.closes());
    // Chunks that add up to too much: refused as they accumulate.
    let chunked =
        b"POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n";
    let response = only_response(&server.exchange(chunked).await);
    assert_eq!(response.status, 413);
    assert!(response.closes());
}

#[tokio::test]
async fn row08_chunk_extensions_and_trailers_are_bounded() {
    let server = TestServer::start().await;
    let extension = "e".repeat(5 * 1024);
    let long_extension = format!(
        "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n1;{extension}\r\nz\r\n0\r\n\r\n"
    );
    assert_eq!(
        only_response(&server.exchange(long_extension.as_bytes()).await).status,
        400
    );
    let trailer = "t".repeat(9 * 1024);
    let long_trailers = format!(
        "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: {trailer}\r\n\r\n"
    );
    assert_eq!(
        only_response(&server.exchange(long_trailers.as_bytes()).await).status,
        400
    );
    // An endless extension without a line end is refused too.
    let endless =
        format!("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n1;{extension}");
    assert_eq!(
        only_response(&server.exchange(endless.as_bytes()).await).status,
        400
    );
}

#[tokio::test]
async fn row09_unread_body_never_parses_as_the_next_request() {
    let server = TestServer::start().await;
    // Refused early: the body, which looks like a request, is never read
    // and the connection closes after the one answer.
    let refused = b"POST /refuse HTTP/1.1\r\nHost: test\r\nContent-Length: 35\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
    let responses = parse_responses(&server.exchange(refused).await, &[]);
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].status, 401);
    assert!(responses[0].closes());
    // The same for a body over the limit.
    let limits = Limits {
        max_body_bytes: 4,
        ..Limits::default()
    };
    let small = TestServer::with_limits(limits).await;
    let too_big = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 35\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
    let responses = parse_responses(&small.exchange(too_big).await, &[]);
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].status, 413);
    // A refused request without a body keeps the connection open.
    let bodiless =
        b"GET /refuse HTTP/1.1\r\nHost: test\r\n\r\nGET /next HTTP/1.1\r\nHost: test\r\n\r\n";
    let responses = parse_responses(&server.exchange(bodiless).await, &[]);
    let statuses: Vec<_> = responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 200]);
}
