//! `shared/HTTP.md` rows 10 to 13 and 15 to 18 over real sockets:
//! keep-alive, closing, `Expect: 100-continue`, pipelining, parse errors,
//! EOF, header bytes and bodiless responses. Each test is named by its row.

mod http_support;

use http_support::{
    TestServer, get, only_response, parse_responses, read_at_least, read_head, read_to_close,
    round_trip,
};
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn row10_http11_stays_open_until_connection_close() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    for path in ["/one", "/two"] {
        let response = round_trip(&mut stream, &get(path)).await;
        assert_eq!(response.text(), format!("GET {path}? len=0"));
        assert!(!response.closes());
    }
    let close = b"GET /three HTTP/1.1\r\nHost: test\r\nConnection: Keep-Alive, CLOSE\r\n\r\n";
    let response = round_trip(&mut stream, close).await;
    assert!(response.closes());
    assert!(read_to_close(&mut stream).await.is_empty());
}

#[tokio::test]
async fn row10_connection_tokens_over_several_lines() {
    let server = TestServer::start().await;
    let request = b"GET / HTTP/1.1\r\nHost: test\r\nConnection: x-custom\r\nconnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: test\r\n\r\n";
    let responses = parse_responses(&server.exchange(request).await, &[]);
    assert_eq!(responses.len(), 1);
    assert!(responses[0].closes());
}

#[tokio::test]
async fn row10_http10_closes_unless_keep_alive() {
    let server = TestServer::start().await;
    let plain = b"GET /a HTTP/1.0\r\n\r\nGET /never HTTP/1.0\r\n\r\n";
    let responses = parse_responses(&server.exchange(plain).await, &[]);
    assert_eq!(responses.len(), 1);
    assert!(responses[0].closes());

    let mut stream = server.connect().await;
    let keep = b"GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    let response = round_trip(&mut stream, keep).await;
    assert_eq!(response.header("connection").as_deref(), Some("keep-alive"));
    let response = round_trip(&mut stream, b"GET /c HTTP/1.0\r\n\r\n").await;
    assert!(response.closes());
    assert!(read_to_close(&mut stream).await.is_empty());
}

#[tokio::test]
async fn row11_closing_says_so_then_shuts_the_socket() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    let request = b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    stream.write_all(request).await.expect("write");
    // No half-close from the client: the server closes on its own.
    let bytes = read_to_close(&mut stream).await;
    let response = only_response(&bytes);
    assert_eq!(response.status, 200);
    assert!(response.closes());
}

#[tokio::test]
async fn row12_continue_is_sent_just_before_the_body_is_read() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    let head =
        b"POST /upload HTTP/1.1\r\nHost: test\r\nExpect: 100-CONTINUE\r\nContent-Length: 5\r\n\r\n";
    stream.write_all(head).await.expect("write head");
    let mut bytes = Vec::new();
    let interim = read_head(&mut stream, &mut bytes).await;
    assert_eq!(interim.status, 100);
    stream.write_all(b"hello").await.expect("write body");
    let mut response = read_head(&mut stream, &mut bytes).await;
    assert_eq!(response.status, 200);
    read_at_least(&mut stream, &mut bytes, 19).await;
    response.body = bytes;
    assert_eq!(response.text(), "POST /upload? len=5");
}

#[tokio::test]
async fn row12_refused_early_gets_the_final_status_without_continue() {
    let server = TestServer::start().await;
    let mut stream = server.connect().await;
    let head =
        b"POST /refuse HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
    stream.write_all(head).await.expect("write head");
    let bytes = read_to_close(&mut stream).await;
    let response = only_response(&bytes);
    assert_eq!(response.status, 401);
    assert!(response.closes());
}

#[tokio::test]
async fn row12_expect_is_ignored_without_body_or_on_http10() {
    let server = TestServer::start().await;
    let no_body = b"GET / HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n\r\n";
    assert_eq!(only_response(&server.exchange(no_body).await).status, 200);
    let old = b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi";
    let response = only_response(&server.exchange(old).await);
    assert_eq!(
        (response.status, response.text().as_str()),
        (200, "POST /? len=2")
    );
    // A client that sends its body without waiting still gets no stray
    // 100 once the body is already there.
    let eager =
        b"POST / HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi";
    assert_eq!(only_response(&server.exchange(eager).await).status, 200);
}

#[tokio::test]
async fn row13_pipelined_requests_are_answered_in_order() {
    let server = TestServer::start().await;
    let mut pipeline = Vec::new();
    pipeline.extend_from_slice(&get("/1"));
    pipeline.extend_from_slice(b"POST /2 HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc");
    pipeline.extend_from_slice(b"HEAD /3 HTTP/1.1\r\nHost: test\r\n\r\n");
    pipeline.extend_from_slice(
        b"POST /4 HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n",
    );
    pipeline.extend_from_slice(&get("/5"));
    let responses = parse_responses(&server.exchange(&pipeline).await, &[false, false, true]);
    let texts: Vec<_> = responses.iter().map(|r| r.text()).collect();
    assert_eq!(
        texts,
        [
            "GET /1? len=0",
            "POST /2? len=3",
            "",
            "POST /4? len=2",
            "GET /5? len=0"
        ]
    );
}

#[tokio::test]
async fn row15_parse_errors_answer_and_close() {
    let server = TestServer::start().await;
    let cases: &[(&[u8], u16)] = &[
        (b"HELLO\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: test\r\nBad Name: x\r\n\r\n", 400),
        (
            b"GET / HTTP/1.1\r\nHost: test\r\nFolded: a\r\n b\r\n\r\n",
            400,
        ),
        (b"GET / HTTP/1.1\r\n\r\n", 400),
        (b"GET * HTTP/1.1\r\nHost: test\r\n\r\n", 400),
        (b"GET relative HTTP/1.1\r\nHost: test\r\n\r\n", 400),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
        (b"GET / HTTP/1.2\r\nHost: test\r\n\r\n", 505),
    ];
    for (request, status) in cases {
        let bytes = server.exchange(request).await;
        let response = only_response(&bytes);
        assert_eq!(
            response.status,
            *status,
            "{:?}",
            String::from_utf8_lossy(request)
        );
        assert!(response.closes());
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/problem+json")
        );
    }
    // OPTIONS * and absolute-form are fine.
    let options = b"OPTIONS * HTTP/1.1\r\nHost: test\r\n\r\n";
    assert_eq!(
        only_response(&server.exchange(options).await).text(),
        "OPTIONS *? len=0"
    );
    let absolute = b"GET http://test/abs?q=1 HTTP/1.1\r\nHost: test\r\n\r\n";
    assert_eq!(
        only_response(&server.exchange(absolute).await).text(),
        "GET /abs?q=1 len=0"
    );
}

#[tokio::test]
async fn row16_eof_on_empty_buffer_is_clean_mid_request_is_not_answered() {
    let server = TestServer::start().await;
    assert!(server.exchange(b"").await.is_empty());
    assert!(
        server
            .exchange(b"GET / HTTP/1.1\r\nHost: te")
            .await
            .is_empty()
    );
    assert!(
        server
            .exchange(b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 9\r\n\r\nabc")
            .await
            .is_empty()
    );
    // Leading empty lines before a request are not an error.
    let leading = b"\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n";
    assert_eq!(only_response(&server.exchange(leading).await).status, 200);
    // The server is unharmed.
    assert_eq!(only_response(&server.exchange(&get("/")).await).status, 200);
}

#[tokio::test]
async fn row17_header_names_ignore_case_and_values_are_bytes() {
    let server = TestServer::start().await;
    let mut request =
        b"GET /echo-header HTTP/1.1\r\nhOsT: test\r\nX-ECHO: caf\xc3\xa9 \xff\xfe\r\n\r\n".to_vec();
    let response = only_response(&server.exchange(&request).await);
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"caf\xc3\xa9 \xff\xfe");
    request = b"POST / HTTP/1.1\r\nHost: test\r\ncOnTeNt-LeNgTh: 2\r\n\r\nok".to_vec();
    assert_eq!(
        only_response(&server.exchange(&request).await).text(),
        "POST /? len=2"
    );
}

#[tokio::test]
async fn row18_head_204_and_304_carry_no_body() {
    let server = TestServer::start().await;
    let mut pipeline = b"HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n".to_vec();
    pipeline.extend_from_slice(&get("/no-content"));
    pipeline.extend_from_slice(&get("/not-modified"));
    pipeline.extend_from_slice(&get("/x"));
    let responses = parse_responses(&server.exchange(&pipeline).await, &[true]);
    assert_eq!(responses.len(), 4);
    // HEAD keeps the length of the body the handler built ("HEAD /x? len=0")
    // and sends none of it, so the next response parses right after.
    assert_eq!(responses[0].header("content-length").as_deref(), Some("14"));
    assert_eq!(responses[3].text(), "GET /x? len=0");
    for bodiless in &responses[1..3] {
        assert_eq!(bodiless.header("content-length"), None);
        assert_eq!(bodiless.header("transfer-encoding"), None);
    }
    assert_eq!([responses[1].status, responses[2].status], [204, 304]);
}

#[tokio::test]
async fn responses_carry_a_date() {
    let server = TestServer::start().await;
    let response = only_response(&server.exchange(&get("/")).await);
    let date = response.header("date").expect("a Date header");
    assert!(httpdate::parse_http_date(&date).is_ok(), "{date}");
}
