//! Responses to bytes: the status line, the handler's headers, and the
//! framing headers the connection owns (`Date`, `Content-Length` or
//! `Transfer-Encoding: chunked`, `Connection`).
//!
//! [`prepare`] decides the framing from the request (HEAD, HTTP/1.0) and
//! the response (204, 304, streaming) and says whether the connection must
//! close after it; the connection then writes the bytes.

use std::time::SystemTime;

use http::header::{CONNECTION, CONTENT_LENGTH, DATE, TRANSFER_ENCODING};
use http::{HeaderMap, Method, StatusCode};
use tokio::sync::mpsc;

use super::{Body, Response, Version};

/// The interim response that tells a client waiting on
/// `Expect: 100-continue` to send its body.
pub const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// The chunk that ends a chunked body (no trailers).
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// What follows the head on the wire.
pub enum Payload {
    /// Nothing: HEAD, 1xx, 204, 304, or an empty body.
    None,
    /// These bytes, announced by `Content-Length`.
    Full(Vec<u8>),
    /// Chunks as the handler sends them, chunked-encoded.
    Chunked(mpsc::Receiver<Vec<u8>>),
    /// Chunks sent raw, the end marked by closing: an HTTP/1.0 client does
    /// not understand chunked coding.
    UntilClose(mpsc::Receiver<Vec<u8>>),
}

/// A response ready for the wire.
pub struct Outgoing {
    pub head: Vec<u8>,
    pub payload: Payload,
    /// Whether the connection closes after this response.
    pub close: bool,
}

/// What of the request decides how its response is framed.
#[derive(Debug, Clone, Copy)]
pub struct RequestKind {
    pub is_head: bool,
    pub version: Version,
}

impl RequestKind {
    /// The request kind of `method` and `version`.
    pub fn new(method: &Method, version: Version) -> Self {
        RequestKind {
            is_head: *method == Method::HEAD,
            version,
        }
    }
}

/// Frames `response` for a request of `kind`; `keep_alive` is whether the
/// connection intends to stay open, which a body delimited by closing or a
/// handler's own `Connection: close` overrides.
pub fn prepare(response: Response, kind: RequestKind, keep_alive: bool) -> Outgoing {
    let Response {
        status,
        mut headers,
        body,
    } = response;
    // A HEAD answer may tell the length of the GET body the handler chose
    // not to build; every other length is computed here.
    let handler_length = headers.get(CONTENT_LENGTH).cloned();
    // A handler may ask for the connection to close after its response.
    let handler_closes = headers
        .get_all(CONNECTION)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"close"));
    for owned in [CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, DATE] {
        headers.remove(owned);
    }
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    let mut length = None;
    let mut chunked = false;
    let payload = match body {
        _ if bodiless => Payload::None,
        Body::Empty => {
            length = if kind.is_head {
                handler_length
            } else {
                Some(0.into())
            };
            Payload::None
        }
        Body::Full(bytes) => {
            length = Some(bytes.len().into());
            if kind.is_head {
                Payload::None
            } else {
                Payload::Full(bytes)
            }
        }
        Body::Stream(_) if kind.is_head => Payload::None,
        Body::Stream(chunks) if kind.version == Version::Http10 => Payload::UntilClose(chunks),
        Body::Stream(chunks) => {
            chunked = true;
            Payload::Chunked(chunks)
        }
    };
    let close = !keep_alive || handler_closes || matches!(payload, Payload::UntilClose(_));
    let mut head = Vec::with_capacity(256);
    status_line(&mut head, status);
    write_headers(&mut head, &headers);
    head.extend_from_slice(b"date: ");
    head.extend_from_slice(httpdate::fmt_http_date(SystemTime::now()).as_bytes());
    head.extend_from_slice(b"\r\n");
    if let Some(length) = length {
        head.extend_from_slice(b"content-length: ");
        head.extend_from_slice(length.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    if chunked {
        head.extend_from_slice(b"transfer-encoding: chunked\r\n");
    }
    if close {
        head.extend_from_slice(b"connection: close\r\n");
    } else if kind.version == Version::Http10 {
        head.extend_from_slice(b"connection: keep-alive\r\n");
    }
    head.extend_from_slice(b"\r\n");
    Outgoing {
        head,
        payload,
        close,
    }
}

/// One chunk of a chunked body; empty input would end the body, so callers
/// skip it.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 20);
    out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// `HTTP/1.1 <code> <reason>`: we answer every request as HTTP/1.1, the
/// highest version we support, as RFC 9110 section 6.2 asks.
fn status_line(out: &mut Vec<u8>, status: StatusCode) {
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("Unknown").as_bytes());
    out.extend_from_slice(b"\r\n");
}

fn write_headers(out: &mut Vec<u8>, headers: &HeaderMap) {
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_text(outgoing: &Outgoing) -> String {
        String::from_utf8_lossy(&outgoing.head).into_owned()
    }

    #[test]
    fn head_keeps_the_get_length_but_sends_no_body() {
        let response = Response::with_body(StatusCode::OK, "text/plain", b"hello".to_vec());
        let kind = RequestKind::new(&Method::HEAD, Version::Http11);
        let outgoing = prepare(response, kind, true);
        assert!(head_text(&outgoing).contains("content-length: 5\r\n"));
        assert!(matches!(outgoing.payload, Payload::None));
    }

    #[test]
    fn no_content_has_neither_length_nor_body() {
        let mut response = Response::with_body(StatusCode::NO_CONTENT, "text/plain", b"x".to_vec());
        response.headers.insert(CONTENT_LENGTH, 1.into());
        let kind = RequestKind::new(&Method::DELETE, Version::Http11);
        let outgoing = prepare(response, kind, true);
        assert!(!head_text(&outgoing).contains("content-length"));
        assert!(matches!(outgoing.payload, Payload::None));
    }

    #[test]
    fn a_handler_may_ask_to_close() {
        let mut response = Response::empty(StatusCode::OK);
        response
            .headers
            .insert(CONNECTION, http::HeaderValue::from_static("Close"));
        let kind = RequestKind::new(&Method::GET, Version::Http11);
        let outgoing = prepare(response, kind, true);
        assert!(outgoing.close);
        assert_eq!(head_text(&outgoing).matches("connection").count(), 1);
    }

    #[test]
    fn streams_to_http10_end_by_closing() {
        let (_sender, receiver) = mpsc::channel(1);
        let response = Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Body::Stream(receiver),
        };
        let outgoing = prepare(
            response,
            RequestKind::new(&Method::GET, Version::Http10),
            true,
        );
        assert!(outgoing.close);
        assert!(head_text(&outgoing).contains("connection: close\r\n"));
        assert!(!head_text(&outgoing).contains("transfer-encoding"));
    }
}
