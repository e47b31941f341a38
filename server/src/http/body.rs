//! Request bodies: the chunked transfer-coding decoder.
//!
//! [`ChunkedDecoder`] consumes bytes as they arrive and keeps its place, so
//! a body split at any byte decodes the same. Every part a client controls
//! is bounded: the body by [`super::Limits::max_body_bytes`] (checked from
//! each chunk's declared size, before allocating), a chunk-size line with its
//! extensions by [`MAX_CHUNK_LINE_BYTES`], the trailers by
//! [`MAX_TRAILER_BYTES`]. Trailers are read and dropped.

use http::StatusCode;

/// Longest chunk-size line, extensions included. Our clients send no
/// extensions; 4 KiB leaves room for any legitimate ones while stopping a
/// client from streaming an endless extension.
pub const MAX_CHUNK_LINE_BYTES: usize = 4 * 1024;

/// Most trailer bytes after the last chunk. Trailers are discarded, so this
/// only has to be generous enough not to refuse a well-behaved client.
pub const MAX_TRAILER_BYTES: usize = 8 * 1024;

/// Why a chunked body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
    #[error("invalid chunk size line")]
    BadChunkSize,
    #[error("chunk size line longer than {MAX_CHUNK_LINE_BYTES} bytes")]
    ChunkLineTooLong,
    #[error("chunk data not followed by CRLF")]
    MissingChunkEnd,
    #[error("trailers longer than {MAX_TRAILER_BYTES} bytes")]
    TrailersTooLong,
}

impl BodyError {
    /// The status that answers this error (the connection closes after).
    pub fn status(&self) -> StatusCode {
        match self {
            BodyError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// Where the decoder is within the chunked body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting a chunk-size line.
    Size,
    /// Inside a chunk's data, with this many bytes left.
    Data(u64),
    /// Expecting the CRLF after a chunk's data.
    DataEnd,
    /// After the last chunk: trailer lines until an empty one; the number is
    /// the trailer bytes seen so far.
    Trailers(usize),
    /// The body is complete.
    Done,
}

/// Incremental decoder of a chunked request body.
#[derive(Debug)]
pub struct ChunkedDecoder {
    state: State,
    body: Vec<u8>,
    max_body: usize,
}

impl ChunkedDecoder {
    /// A decoder that refuses bodies over `max_body` bytes.
    pub fn new(max_body: usize) -> Self {
        ChunkedDecoder {
            state: State::Size,
            body: Vec::new(),
            max_body,
        }
    }

    /// Consumes as much of `input` as it can and returns how many bytes it
    /// used. The caller drops those bytes, appends newly read ones and calls
    /// again until [`ChunkedDecoder::is_done`]. Bytes after the body are
    /// never consumed: they are the next request.
    pub fn decode(&mut self, input: &[u8]) -> Result<usize, BodyError> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            let step = match self.state {
                State::Size => self.size_line(rest)?,
                State::Data(left) => self.data(rest, left),
                State::DataEnd => self.data_end(rest)?,
                State::Trailers(seen) => self.trailer_line(rest, seen)?,
                State::Done => None,
            };
            match step {
                Some(n) => used += n,
                None => return Ok(used),
            }
        }
    }

    /// Whether the whole body, trailers included, has been decoded.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// The decoded body.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// Each step below returns the bytes it consumed, or `None` when it
    /// needs more input (or, for data, has none to take).
    fn size_line(&mut self, rest: &[u8]) -> Result<Option<usize>, BodyError> {
        let Some(&first) = rest.first() else {
            return Ok(None);
        };
        // httparse accepts a line without digits as size 0; we do not.
        if !first.is_ascii_hexdigit() {
            return Err(BodyError::BadChunkSize);
        }
        let (used, size) = match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) if rest.len() > MAX_CHUNK_LINE_BYTES => {
                return Err(BodyError::ChunkLineTooLong);
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::InvalidChunkSize) => return Err(BodyError::BadChunkSize),
        };
        if used > MAX_CHUNK_LINE_BYTES {
            return Err(BodyError::ChunkLineTooLong);
        }
        // Extensions may hold any byte for httparse, but a bare LF inside
        // them is a line break to other parsers: refuse the ambiguity.
        if rest[..used - 1].contains(&b'\n') {
            return Err(BodyError::BadChunkSize);
        }
        let room = (self.max_body - self.body.len()) as u64;
        if size > room {
            return Err(BodyError::TooLarge(self.max_body));
        }
        if size == 0 {
            self.state = State::Trailers(0);
        } else {
            // `size <= room <= max_body`, so this allocation is bounded.
            self.body.reserve(size as usize);
            self.state = State::Data(size);
        }
        Ok(Some(used))
    }

    fn data(&mut self, rest: &[u8], left: u64) -> Option<usize> {
        if rest.is_empty() {
            return None;
        }
        let take = rest.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        self.body.extend_from_slice(&rest[..take]);
        let left = left - take as u64;
        self.state = if left == 0 {
            State::DataEnd
        } else {
            State::Data(left)
        };
        Some(take)
    }

    fn data_end(&mut self, rest: &[u8]) -> Result<Option<usize>, BodyError> {
        match rest {
            [b'\r', b'\n', ..] => {
                self.state = State::Size;
                Ok(Some(2))
            }
            [] | [b'\r'] => Ok(None),
            _ => Err(BodyError::MissingChunkEnd),
        }
    }

    fn trailer_line(&mut self, rest: &[u8], seen: usize) -> Result<Option<usize>, BodyError> {
        let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
            if seen + rest.len() > MAX_TRAILER_BYTES {
                return Err(BodyError::TrailersTooLong);
            }
            return Ok(None);
        };
        let used = newline + 1;
        if seen + used > MAX_TRAILER_BYTES {
            return Err(BodyError::TrailersTooLong);
        }
        self.state = if &rest[..used] == b"\r\n" {
            State::Done
        } else {
            State::Trailers(seen + used)
        };
        Ok(Some(used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(input: &[u8], max: usize) -> Result<(Vec<u8>, usize), BodyError> {
        let mut decoder = ChunkedDecoder::new(max);
        let used = decoder.decode(input)?;
        assert!(decoder.is_done(), "incomplete");
        Ok((decoder.into_body(), used))
    }

    #[test]
    fn decodes_and_stops_at_the_body_end() {
        let input = b"4;ext=1\r\nRust\r\n3\r\n!!!\r\n0\r\nX-T: 1\r\n\r\nGET /";
        let (body, used) = decode_all(input, 100).expect("valid");
        assert_eq!(body, b"Rust!!!");
        assert_eq!(&input[used..], b"GET /");
    }

    #[test]
    fn refuses_oversized_and_malformed_chunks() {
        assert_eq!(decode_all(b"10\r\n", 15), Err(BodyError::TooLarge(15)));
        assert_eq!(decode_all(b"\r\n", 15), Err(BodyError::BadChunkSize));
        assert_eq!(decode_all(b"2\r\nabX", 15), Err(BodyError::MissingChunkEnd));
        assert_eq!(decode_all(b"2;a\nb\r\n", 15), Err(BodyError::BadChunkSize));
    }
}
