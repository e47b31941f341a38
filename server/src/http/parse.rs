//! Request heads: bytes to [`ParsedHead`] with httparse, and the header
//! rules that decide how the body is framed and whether the connection stays
//! open.
//!
//! [`parse_head`] is a pure function over the bytes received so far, so the
//! connection calls it again after every read and tests can feed it any
//! split of a request. The rules follow `shared/HTTP.md` rows 1 to 7, 10, 12
//! and 17; getting framing wrong is request smuggling, so every doubtful
//! framing header is a 400 rather than a guess.

use http::header::{CONNECTION, CONTENT_LENGTH, EXPECT, HOST, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

use super::{Limits, Version};

/// How the body of a request is delimited on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFraming {
    /// No body: neither `Content-Length` nor `Transfer-Encoding`, or a
    /// `Content-Length: 0`.
    Empty,
    /// Exactly this many bytes follow the head (already checked against
    /// [`Limits::max_body_bytes`]).
    Length(u64),
    /// Chunked transfer coding, decoded by [`super::ChunkedDecoder`].
    Chunked,
}

impl BodyFraming {
    /// Whether body bytes follow the head.
    pub fn has_body(self) -> bool {
        !matches!(self, BodyFraming::Empty)
    }
}

/// A request head with the decisions the connection needs, but without the
/// peer address, which only the connection knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedHead {
    /// The method, extension methods included.
    pub method: Method,
    /// The path of the target, still percent-encoded; `*` for `OPTIONS *`.
    pub path: String,
    /// The query without its `?`, empty when there is none.
    pub query: String,
    /// HTTP/1.0 or HTTP/1.1; anything else was refused with 505.
    pub version: Version,
    /// Every header line, in order; names are lower-cased, values are the
    /// bytes received.
    pub headers: HeaderMap,
    /// How the body is delimited, already checked against the limits.
    pub framing: BodyFraming,
    /// Whether the connection may carry another request after this one.
    pub keep_alive: bool,
    /// Whether the client waits for `100 Continue` before sending the body.
    pub expects_continue: bool,
}

/// Why a head was refused; [`ParseError::status`] is the answer sent, always
/// followed by closing the connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("request head larger than {0} bytes")]
    HeadTooLarge(usize),
    #[error("more than {0} header fields")]
    TooManyHeaders(usize),
    #[error("request target longer than {0} bytes")]
    TargetTooLong(usize),
    #[error("HTTP version other than 1.0 and 1.1")]
    UnsupportedVersion,
    #[error("malformed request head: {0}")]
    Malformed(&'static str),
    #[error("request target is not origin-form: {0}")]
    BadTarget(&'static str),
    #[error("invalid Content-Length")]
    BadContentLength,
    #[error("invalid Transfer-Encoding: {0}")]
    BadTransferEncoding(&'static str),
    #[error("HTTP/1.1 request without Host")]
    MissingHost,
    #[error("declared body of {declared} bytes exceeds {max}")]
    BodyTooLarge { declared: u64, max: usize },
}

impl ParseError {
    /// The status that answers this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ParseError::HeadTooLarge(_) | ParseError::TooManyHeaders(_) => {
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
            }
            ParseError::TargetTooLong(_) => StatusCode::URI_TOO_LONG,
            ParseError::UnsupportedVersion => StatusCode::HTTP_VERSION_NOT_SUPPORTED,
            ParseError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ParseError::Malformed(_)
            | ParseError::BadTarget(_)
            | ParseError::BadContentLength
            | ParseError::BadTransferEncoding(_)
            | ParseError::MissingHost => StatusCode::BAD_REQUEST,
        }
    }
}

/// Parses the head at the start of `buf`.
///
/// Returns `Ok(None)` when `buf` holds only part of a head (read more), or
/// the head and the number of bytes it used; the body, if any, starts there.
pub fn parse_head(buf: &[u8], limits: &Limits) -> Result<Option<(ParsedHead, usize)>, ParseError> {
    // The target check comes first so that a huge target is a 414 even
    // when it also makes the head too large.
    if target_too_long(buf, limits.max_target_bytes) {
        return Err(ParseError::TargetTooLong(limits.max_target_bytes));
    }
    let mut slots = vec![httparse::EMPTY_HEADER; limits.max_headers];
    let mut request = httparse::Request::new(&mut slots);
    let head_len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() > limits.max_head_bytes => {
            return Err(ParseError::HeadTooLarge(limits.max_head_bytes));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => return Err(from_httparse(error, limits)),
    };
    if head_len > limits.max_head_bytes {
        return Err(ParseError::HeadTooLarge(limits.max_head_bytes));
    }
    let version = match request.version {
        Some(0) => Version::Http10,
        Some(1) => Version::Http11,
        _ => return Err(ParseError::UnsupportedVersion),
    };
    let method = request
        .method
        .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
        .ok_or(ParseError::Malformed("method"))?;
    let target = request.path.ok_or(ParseError::Malformed("target"))?;
    let (path, query) = split_target(&method, target)?;
    let headers = header_map(request.headers)?;
    if version == Version::Http11 && !headers.contains_key(HOST) {
        return Err(ParseError::MissingHost);
    }
    let (framing, te_with_cl) = framing(&headers, version, limits)?;
    let keep_alive = !te_with_cl && keeps_alive(&headers, version);
    let expects_continue = version == Version::Http11
        && framing.has_body()
        && headers
            .get_all(EXPECT)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let head = ParsedHead {
        method,
        path,
        query,
        version,
        headers,
        framing,
        keep_alive,
        expects_continue,
    };
    Ok(Some((head, head_len)))
}

/// Maps an httparse error to ours.
fn from_httparse(error: httparse::Error, limits: &Limits) -> ParseError {
    match error {
        httparse::Error::TooManyHeaders => ParseError::TooManyHeaders(limits.max_headers),
        httparse::Error::Version => ParseError::UnsupportedVersion,
        httparse::Error::HeaderName => ParseError::Malformed("header name"),
        httparse::Error::HeaderValue => ParseError::Malformed("header value"),
        httparse::Error::NewLine => ParseError::Malformed("line ending"),
        httparse::Error::Token => ParseError::Malformed("token"),
        httparse::Error::Status => ParseError::Malformed("status"),
    }
}

/// Whether the request line's target, complete or not, is already longer
/// than `max`. Works on partial input so a client cannot make us buffer a
/// whole head's worth of target before answering 414.
fn target_too_long(buf: &[u8], max: usize) -> bool {
    // Leading empty lines are allowed before the request line.
    let start = buf
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(buf.len());
    let line = &buf[start..];
    let Some(space) = line.iter().position(|&b| b == b' ') else {
        return false;
    };
    let target = &line[space + 1..];
    let len = target
        .iter()
        .position(|&b| matches!(b, b' ' | b'\r' | b'\n'))
        .unwrap_or(target.len());
    len > max
}

/// Splits a target into path and query. Origin-form (`/path?query`) is the
/// norm; absolute-form (`http://host/path`) is reduced to its path; `*` is
/// allowed only for `OPTIONS`; authority-form and anything else is a 400.
fn split_target(method: &Method, target: &str) -> Result<(String, String), ParseError> {
    let origin = if target.starts_with('/') {
        target
    } else if target == "*" {
        if *method != Method::OPTIONS {
            return Err(ParseError::BadTarget("`*` outside OPTIONS"));
        }
        return Ok(("*".to_owned(), String::new()));
    } else if let Some(rest) = strip_scheme(target) {
        match rest.find(['/', '?']) {
            Some(at) if rest.as_bytes()[at] == b'/' => &rest[at..],
            Some(at) => return Ok(("/".to_owned(), rest[at + 1..].to_owned())),
            None => "/",
        }
    } else {
        return Err(ParseError::BadTarget("not origin-form"));
    };
    let origin = origin.split_once('#').map_or(origin, |(before, _)| before);
    Ok(match origin.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (origin.to_owned(), String::new()),
    })
}

/// The part of an absolute-form target after `http://` or `https://`.
fn strip_scheme(target: &str) -> Option<&str> {
    ["http://", "https://"].iter().find_map(|scheme| {
        let prefix = target.get(..scheme.len())?;
        prefix
            .eq_ignore_ascii_case(scheme)
            .then(|| &target[scheme.len()..])
    })
}

/// Copies httparse's headers into a [`HeaderMap`]. Values stay bytes: they
/// may be non-UTF-8, which is allowed (obs-text) and never unwrapped.
fn header_map(raw: &[httparse::Header<'_>]) -> Result<HeaderMap, ParseError> {
    let mut headers = HeaderMap::with_capacity(raw.len());
    for header in raw {
        let name = HeaderName::from_bytes(header.name.as_bytes())
            .map_err(|_| ParseError::Malformed("header name"))?;
        let value = HeaderValue::from_bytes(header.value)
            .map_err(|_| ParseError::Malformed("header value"))?;
        headers.append(name, value);
    }
    Ok(headers)
}

/// Decides the body framing. The second value is true when both
/// `Transfer-Encoding` and `Content-Length` were sent: chunked wins, and the
/// connection must close afterwards (RFC 9112 section 6.3).
fn framing(
    headers: &HeaderMap,
    version: Version,
    limits: &Limits,
) -> Result<(BodyFraming, bool), ParseError> {
    let has_cl = headers.contains_key(CONTENT_LENGTH);
    if headers.contains_key(TRANSFER_ENCODING) {
        if version == Version::Http10 {
            return Err(ParseError::BadTransferEncoding("on HTTP/1.0"));
        }
        let codings = comma_tokens(headers, &TRANSFER_ENCODING);
        let Some((last, earlier)) = codings.split_last() else {
            return Err(ParseError::BadTransferEncoding("empty"));
        };
        if !last.eq_ignore_ascii_case(b"chunked") {
            return Err(ParseError::BadTransferEncoding(
                "last coding is not chunked",
            ));
        }
        if earlier.iter().any(|c| c.eq_ignore_ascii_case(b"chunked")) {
            return Err(ParseError::BadTransferEncoding("chunked applied twice"));
        }
        return Ok((BodyFraming::Chunked, has_cl));
    }
    let Some(length) = content_length(headers)? else {
        return Ok((BodyFraming::Empty, false));
    };
    if length > limits.max_body_bytes as u64 {
        return Err(ParseError::BodyTooLarge {
            declared: length,
            max: limits.max_body_bytes,
        });
    }
    let framing = if length == 0 {
        BodyFraming::Empty
    } else {
        BodyFraming::Length(length)
    };
    Ok((framing, false))
}

/// The one `Content-Length`, if any. Each field may be a comma list (some
/// proxies merge repeats); every element must be digits only, fit a `u64`
/// and equal the others.
fn content_length(headers: &HeaderMap) -> Result<Option<u64>, ParseError> {
    let mut found = None;
    for value in headers.get_all(CONTENT_LENGTH) {
        for element in value.as_bytes().split(|&b| b == b',') {
            let digits = element.trim_ascii();
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return Err(ParseError::BadContentLength);
            }
            let length = digits.iter().try_fold(0u64, |acc, &d| {
                acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            });
            let length = length.ok_or(ParseError::BadContentLength)?;
            match found {
                Some(previous) if previous != length => return Err(ParseError::BadContentLength),
                _ => found = Some(length),
            }
        }
    }
    Ok(found)
}

/// Whether the connection stays open after this request: HTTP/1.1 unless
/// `close` is listed, HTTP/1.0 only if `keep-alive` is listed.
fn keeps_alive(headers: &HeaderMap, version: Version) -> bool {
    let tokens = comma_tokens(headers, &CONNECTION);
    let has = |word: &[u8]| tokens.iter().any(|t| t.eq_ignore_ascii_case(word));
    if has(b"close") {
        return false;
    }
    match version {
        Version::Http11 => true,
        Version::Http10 => has(b"keep-alive"),
    }
}

/// The non-empty, trimmed elements of a comma-list header over all its
/// field lines, in order.
fn comma_tokens<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Vec<&'h [u8]> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|token| !token.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Option<(ParsedHead, usize)>, ParseError> {
        parse_head(bytes, &Limits::default())
    }

    #[test]
    fn absolute_form_is_reduced_to_its_path() {
        let (head, _) = parse(b"GET http://example.com/a/b?x=1 HTTP/1.1\r\nHost: e\r\n\r\n")
            .expect("valid")
            .expect("complete");
        assert_eq!((head.path.as_str(), head.query.as_str()), ("/a/b", "x=1"));
        let (head, _) = parse(b"GET HTTP://example.com HTTP/1.1\r\nHost: e\r\n\r\n")
            .expect("valid")
            .expect("complete");
        assert_eq!(head.path, "/");
    }

    #[test]
    fn star_only_for_options() {
        assert!(parse(b"OPTIONS * HTTP/1.1\r\nHost: e\r\n\r\n").is_ok());
        assert_eq!(
            parse(b"GET * HTTP/1.1\r\nHost: e\r\n\r\n"),
            Err(ParseError::BadTarget("`*` outside OPTIONS"))
        );
        assert_eq!(
            parse(b"CONNECT example.com:443 HTTP/1.1\r\nHost: e\r\n\r\n"),
            Err(ParseError::BadTarget("not origin-form"))
        );
    }

    #[test]
    fn content_length_lists_must_agree() {
        let ok = parse(b"POST / HTTP/1.1\r\nHost: e\r\nContent-Length: 3, 3\r\n\r\n");
        assert_eq!(
            ok.expect("valid").expect("complete").0.framing,
            BodyFraming::Length(3)
        );
        let bad = parse(b"POST / HTTP/1.1\r\nHost: e\r\nContent-Length: 3, 4\r\n\r\n");
        assert_eq!(bad, Err(ParseError::BadContentLength));
    }
}
