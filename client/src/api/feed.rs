//! The change feed (`GET /api/v1/events`) as the client reads it: frames
//! of server-sent events, each a change or a `resync`.

use rapport_shared::Collection;
use serde_json::{Map, Value};

use super::{ApiError, record_version, text};

/// One change from the server's change feed (`GET /api/v1/events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChange {
    /// The change sequence number (`Last-Event-ID` to resume after it).
    pub seq: String,
    /// `None` for a collection this client does not know.
    pub collection: Option<Collection>,
    pub id: String,
    pub version: i64,
    /// `create`, `update` or `delete`.
    pub action: String,
}

/// An open change feed; [`ChangeFeed::next`] reads one change at a time.
pub struct ChangeFeed {
    response: reqwest::Response,
    buffer: String,
}

/// What the change feed says: a change, or that the client must reload
/// what it shows (`event: resync`, after which the server closes the
/// stream: it fell behind, or resumed from beyond the retention window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEvent {
    Change(ServerChange),
    /// The server's reason (`behind`, `expired`).
    Resync(String),
}

impl ChangeFeed {
    /// A feed reading the event stream of `response`.
    pub(super) fn new(response: reqwest::Response) -> ChangeFeed {
        ChangeFeed {
            response,
            buffer: String::new(),
        }
    }

    /// The next change; `Ok(None)` when the server ended the stream (a
    /// `resync` ends it too: see [`ChangeFeed::next_event`]).
    pub async fn next(&mut self) -> Result<Option<ServerChange>, ApiError> {
        match self.next_event().await? {
            Some(FeedEvent::Change(change)) => Ok(Some(change)),
            Some(FeedEvent::Resync(_)) | None => Ok(None),
        }
    }

    /// The next change or resync; `Ok(None)` when the server ended the stream.
    pub async fn next_event(&mut self) -> Result<Option<FeedEvent>, ApiError> {
        loop {
            // Events end with a blank line; comments (heartbeats) start with ':'.
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse_frame(&frame) {
                    return Ok(Some(event));
                }
                continue;
            }
            let chunk = self
                .response
                .chunk()
                .await
                .map_err(|error| ApiError::Unreachable(error.to_string()))?;
            match chunk {
                Some(bytes) => self
                    .buffer
                    .push_str(&String::from_utf8_lossy(&bytes).replace("\r\n", "\n")),
                None => return Ok(None),
            }
        }
    }
}

/// Reads one server-sent event frame as a change or a resync; `None` for
/// comments and frames without data.
pub fn parse_frame(frame: &str) -> Option<FeedEvent> {
    let (mut seq, mut event, mut data) = (String::new(), String::new(), String::new());
    for line in frame.lines() {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => seq = value.to_string(),
            "event" => event = value.to_string(),
            "data" => data.push_str(value),
            _ => {}
        }
    }
    if event == "resync" {
        // The reason is informative only: any resync means reload.
        let body: Map<String, Value> = serde_json::from_str(&data).unwrap_or_default();
        return Some(FeedEvent::Resync(text(&body, "reason").to_string()));
    }
    if data.is_empty() {
        return None;
    }
    let body: Map<String, Value> = serde_json::from_str(&data).ok()?;
    Some(FeedEvent::Change(ServerChange {
        seq,
        collection: Collection::parse(&event),
        id: text(&body, "id").to_string(),
        version: record_version(&body),
        action: text(&body, "action").to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The change a frame holds, if it holds one.
    fn change_of(frame: &str) -> Option<ServerChange> {
        match parse_frame(frame)? {
            FeedEvent::Change(change) => Some(change),
            FeedEvent::Resync(_) => None,
        }
    }

    #[test]
    fn reads_event_frames_and_skips_comments() {
        let change = change_of(
            "id: 42\nevent: customers\ndata: {\"id\":\"c1\",\"version\":3,\"action\":\"update\"}\n\n",
        )
        .expect("an event");
        assert_eq!(change.seq, "42");
        assert_eq!(change.collection, Some(Collection::Customers));
        assert_eq!((change.id.as_str(), change.version), ("c1", 3));
        assert_eq!(change.action, "update");
        assert_eq!(change_of(": live from 41\n\n"), None);
    }

    #[test]
    fn reads_a_resync_with_its_reason() {
        let frame = "event: resync\ndata: {\"reason\":\"behind\"}\n\n";
        assert_eq!(parse_frame(frame), Some(FeedEvent::Resync("behind".into())));
        assert_eq!(change_of(frame), None);
        // A resync without a body (or with one the client cannot read) is
        // still a resync.
        assert_eq!(
            parse_frame("event: resync\n\n"),
            Some(FeedEvent::Resync(String::new()))
        );
    }
}
