//! The parsing functions without sockets: byte fixtures for the
//! `shared/HTTP.md` rows decided by the head and the chunked decoder, each
//! fed whole and split at every byte, and property tests: arbitrary bytes
//! never panic, and any valid request or chunked body split anywhere
//! parses as it does in one piece.

use proptest::prelude::*;
use rapport_server::http::{
    BodyError, BodyFraming, ChunkedDecoder, Limits, ParseError, ParsedHead, Version, parse_head,
};

type Parsed = Result<Option<(ParsedHead, usize)>, ParseError>;

fn parse(bytes: &[u8]) -> Parsed {
    parse_head(bytes, &Limits::default())
}

/// What a connection sees when `bytes` arrives in two reads split at `at`:
/// the first read's result if it was final, else the whole one's.
fn parse_split(bytes: &[u8], at: usize, limits: &Limits) -> Parsed {
    match parse_head(&bytes[..at], limits) {
        Ok(None) => parse_head(bytes, limits),
        done => done,
    }
}

/// Asserts that `bytes` parses the same split at every byte (at about 512
/// evenly spread bytes for the 16 KiB fixtures, whose every split would be
/// quadratic).
fn assert_split_invariant(bytes: &[u8]) -> Parsed {
    let limits = Limits::default();
    let whole = parse_head(bytes, &limits);
    let step = (bytes.len() / 512).max(1);
    for at in (0..bytes.len()).step_by(step) {
        assert_eq!(parse_split(bytes, at, &limits), whole, "split at {at}");
    }
    whole
}

fn head(bytes: &[u8]) -> ParsedHead {
    let (head, len) = assert_split_invariant(bytes)
        .expect("valid")
        .expect("complete");
    assert!(len <= bytes.len());
    head
}

fn error(bytes: &[u8]) -> ParseError {
    assert_split_invariant(bytes).expect_err("refused")
}

#[test]
fn row01_partial_input_is_not_an_error() {
    let request = b"GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n";
    for at in 0..request.len() {
        assert_eq!(parse(&request[..at]), Ok(None), "prefix of {at} bytes");
    }
    let head = head(request);
    assert_eq!((head.path.as_str(), head.query.as_str()), ("/a", "b=c"));
}

#[test]
fn row02_row03_row04_limits() {
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "v".repeat(16 * 1024)
    );
    assert_eq!(error(big.as_bytes()), ParseError::HeadTooLarge(16 * 1024));
    let many: String = (0..101).map(|i| format!("X-{i}: v\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
    assert_eq!(error(many.as_bytes()), ParseError::TooManyHeaders(100));
    let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "p".repeat(8 * 1024));
    assert_eq!(error(long.as_bytes()), ParseError::TargetTooLong(8 * 1024));
}

#[test]
fn row05_row06_content_length() {
    let with = |values: &str| format!("POST / HTTP/1.1\r\nHost: x\r\n{values}\r\n");
    for bad in [
        "Content-Length: 1a\r\n",
        "Content-Length: -0\r\n",
        "Content-Length: 99999999999999999999\r\n",
        "Content-Length: 1\r\nContent-Length: 2\r\n",
    ] {
        assert_eq!(
            error(with(bad).as_bytes()),
            ParseError::BadContentLength,
            "{bad}"
        );
    }
    let repeated = head(with("Content-Length: 7\r\nContent-Length: 7\r\n").as_bytes());
    assert_eq!(repeated.framing, BodyFraming::Length(7));
    let zero = head(with("Content-Length: 0\r\n").as_bytes());
    assert_eq!(zero.framing, BodyFraming::Empty);
}

#[test]
fn row07_transfer_encoding() {
    let both = head(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n");
    assert_eq!(both.framing, BodyFraming::Chunked);
    assert!(!both.keep_alive, "TE with CL closes after");
    assert!(matches!(
        error(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
        ParseError::BadTransferEncoding(_)
    ));
    assert!(matches!(
        error(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ParseError::BadTransferEncoding(_)
    ));
}

#[test]
fn row08_declared_body_over_the_limit() {
    let limits = Limits {
        max_body_bytes: 3,
        ..Limits::default()
    };
    let refused = parse_head(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n",
        &limits,
    );
    assert_eq!(
        refused,
        Err(ParseError::BodyTooLarge {
            declared: 4,
            max: 3
        })
    );
    assert_eq!(refused.expect_err("refused").status().as_u16(), 413);
}

#[test]
fn row10_keep_alive_rules() {
    let cases: &[(&[u8], bool)] = &[
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, Close\r\n\r\n",
            false,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: foo\r\nConnection: close\r\n\r\n",
            false,
        ),
        (b"GET / HTTP/1.0\r\n\r\n", false),
        (b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        (
            b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
            false,
        ),
    ];
    for (request, keep_alive) in cases {
        assert_eq!(
            head(request).keep_alive,
            *keep_alive,
            "{:?}",
            String::from_utf8_lossy(request)
        );
    }
}

#[test]
fn row12_expect_continue_only_with_a_body_on_http11() {
    let cases: &[(&[u8], bool)] = &[
        (b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n", true),
        (b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n", true),
        (b"GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", false),
        (b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n", false),
    ];
    for (request, expects) in cases {
        assert_eq!(
            head(request).expects_continue,
            *expects,
            "{:?}",
            String::from_utf8_lossy(request)
        );
    }
}

#[test]
fn row15_versions_and_targets() {
    assert_eq!(
        error(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        ParseError::UnsupportedVersion
    );
    assert_eq!(error(b"GET / HTTP/1.1\r\n\r\n"), ParseError::MissingHost);
    assert_eq!(head(b"GET / HTTP/1.0\r\n\r\n").version, Version::Http10);
    assert!(matches!(
        error(b"GET x HTTP/1.1\r\nHost: x\r\n\r\n"),
        ParseError::BadTarget(_)
    ));
}

#[test]
fn row17_names_ignore_case_values_are_bytes() {
    let parsed = head(b"GET / HTTP/1.1\r\nHOST: x\r\nX-Raw: \xff\x80ok\r\n\r\n");
    assert_eq!(
        parsed.headers.get("x-raw").map(|v| v.as_bytes()),
        Some(&b"\xff\x80ok"[..])
    );
    assert_eq!(
        parsed.headers.get("host").map(|v| v.as_bytes()),
        Some(&b"x"[..])
    );
}

/// Decodes `input` fed in pieces ending at `cuts`; returns the body and the
/// bytes used, or the first error.
fn decode_in_pieces(
    input: &[u8],
    cuts: &[usize],
    max: usize,
) -> Result<(Vec<u8>, usize), BodyError> {
    let mut decoder = ChunkedDecoder::new(max);
    let mut pending = Vec::new();
    let mut used_total = 0;
    let mut start = 0;
    for &end in cuts.iter().chain(std::iter::once(&input.len())) {
        pending.extend_from_slice(&input[start..end]);
        start = end;
        let used = decoder.decode(&pending)?;
        pending.drain(..used);
        used_total += used;
        if decoder.is_done() {
            return Ok((decoder.into_body(), used_total));
        }
    }
    panic!("chunked body incomplete");
}

#[test]
fn row07_row08_chunked_fixtures_split_at_every_byte() {
    let body: &[u8] = b"5;name=\"v\"\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\nNEXT";
    let whole = decode_in_pieces(body, &[], 1024).expect("valid");
    assert_eq!(whole, (b"hello world!".to_vec(), body.len() - 4));
    for at in 0..body.len() {
        assert_eq!(
            decode_in_pieces(body, &[at], 1024),
            Ok(whole.clone()),
            "split at {at}"
        );
    }
    let every_byte: Vec<usize> = (1..body.len()).collect();
    assert_eq!(decode_in_pieces(body, &every_byte, 1024), Ok(whole));
    assert_eq!(
        decode_in_pieces(body, &[3], 11),
        Err(BodyError::TooLarge(11))
    );
}

/// A valid request head and its parts, for the split property.
fn valid_request() -> impl Strategy<Value = Vec<u8>> {
    let method = prop::sample::select(vec![
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
    ]);
    let path = "/[a-z0-9/._~%-]{0,40}";
    let query = prop::option::of("[a-z0-9=&]{0,20}");
    let value_byte = prop_oneof![0x21u8..=0x7e, 0x80u8..=0xff];
    let header = (
        "x-[a-z0-9-]{1,12}",
        prop::collection::vec(value_byte, 1..24),
    );
    let headers = prop::collection::vec(header, 0..12);
    let length = prop::option::of(0u32..5000);
    let version = prop::bool::ANY;
    (method, path, query, headers, length, version).prop_map(
        |(method, path, query, headers, length, http11)| {
            let mut bytes = format!("{method} {path}").into_bytes();
            if let Some(query) = query {
                bytes.extend_from_slice(format!("?{query}").as_bytes());
            }
            bytes.extend_from_slice(if http11 {
                b" HTTP/1.1\r\nHost: h\r\n"
            } else {
                b" HTTP/1.0\r\n"
            });
            for (name, value) in headers {
                bytes.extend_from_slice(name.as_bytes());
                bytes.extend_from_slice(b": ");
                bytes.extend_from_slice(&value);
                bytes.extend_from_slice(b"\r\n");
            }
            if let Some(length) = length {
                bytes.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
            bytes
        },
    )
}

proptest! {
    // Each split case re-parses every prefix; 128 cases keep the suite quick
    // in debug builds on a shared machine.
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let small = Limits { max_head_bytes: 64, max_headers: 2, max_target_bytes: 8, max_body_bytes: 16, ..Limits::default() };
        let _ = parse_head(&bytes, &Limits::default());
        let _ = parse_head(&bytes, &small);
        let _ = ChunkedDecoder::new(16).decode(&bytes);
        let _ = ChunkedDecoder::new(1 << 20).decode(&bytes);
    }

    #[test]
    fn arbitrary_heads_after_a_valid_line_never_panic(tail in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = b"POST / HTTP/1.1\r\n".to_vec();
        bytes.extend_from_slice(&tail);
        bytes.extend_from_slice(b"\r\n\r\n");
        let _ = parse(&bytes);
    }

    #[test]
    fn valid_request_parses_the_same_split_anywhere(request in valid_request(), extra in prop::collection::vec(any::<u8>(), 0..8)) {
        let limits = Limits::default();
        let mut bytes = request.clone();
        bytes.extend_from_slice(&extra);
        let whole = parse_head(&bytes, &limits);
        let (_, len) = whole.clone().expect("valid request").expect("complete");
        prop_assert_eq!(len, request.len());
        for at in 0..bytes.len() {
            prop_assert_eq!(&parse_split(&bytes, at, &limits), &whole);
        }
    }

    #[test]
    fn chunked_body_decodes_the_same_split_anywhere(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..64), 0..8),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut encoded = Vec::new();
        for chunk in &chunks {
            encoded.extend_from_slice(format!("{:X};e=1\r\n", chunk.len()).as_bytes());
            encoded.extend_from_slice(chunk);
            encoded.extend_from_slice(b"\r\n");
        }
        encoded.extend_from_slice(b"0\r\n\r\n");
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(encoded.len())).collect();
        cuts.sort_unstable();
        let decoded = decode_in_pieces(&encoded, &cuts, 1 << 20);
        prop_assert_eq!(decoded, Ok((chunks.concat(), encoded.len())));
    }
}
