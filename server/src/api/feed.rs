//! The one change-feed task of a server: it follows the change sequence,
//! renders each change as an event-stream frame once, and fans the frames
//! out through a bounded broadcast to every `GET /api/v1/events` stream.
//! It is woken by this server's commits and also polls, so it sees the
//! commits of other servers sharing the database. A stream that falls more
//! than the buffer behind is told to `resync` and closed (see
//! [`super::events`]), so a slow subscriber never slows writers or others.
//! A stream may resume from a change up to the retention window old
//! ([`FeedSettings::retention`]); from further back it is told to resync.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rapport_shared::Collection;
use tokio::sync::{broadcast, watch};

use crate::store::Store;

use super::events::{BATCH, EVENTS_POLL, frame};

/// Frames a stream may fall behind by before it is told to resync.
pub const FEED_BUFFER: usize = 4096;

/// The least time between two messages of the feed task.
pub const FEED_PACE: std::time::Duration = std::time::Duration::from_millis(20);

/// How long a stream may resume from by default (the config's
/// `change_retention_days`, which may only raise it).
pub const RETENTION_DAYS: u32 = 7;

/// How a server's change feed runs.
#[derive(Debug, Clone, Copy)]
pub struct FeedSettings {
    /// Frames a stream may fall behind by before it is told to resync.
    pub buffer: usize,
    /// How old the first change a resuming stream missed may be; a stream
    /// resuming from further back is told to resync (reloading is then
    /// cheaper than replaying). Every change stays in the audit trail.
    pub retention: Duration,
}

impl FeedSettings {
    /// The default settings, keeping changes for `days`.
    pub fn retaining_days(days: u32) -> FeedSettings {
        FeedSettings {
            buffer: FEED_BUFFER,
            retention: Duration::from_secs(u64::from(days) * 24 * 60 * 60),
        }
    }
}

impl Default for FeedSettings {
    fn default() -> FeedSettings {
        FeedSettings::retaining_days(RETENTION_DAYS)
    }
}

/// One change rendered once for every subscriber.
#[derive(Debug)]
pub struct Frame {
    pub seq: i64,
    pub collection: Collection,
    pub bytes: Vec<u8>,
}

/// The changes of one read of the store, published as one message: under
/// a burst of writes a subscriber is woken (and its socket written) once
/// per read, not once per change, so a thousand subscribers cost the
/// writers little.
#[derive(Debug)]
pub struct Frames {
    pub frames: Vec<Frame>,
    /// Every frame's bytes in order, for the streams that keep them all.
    pub all: Vec<u8>,
}

impl Frames {
    fn new(frames: Vec<Frame>) -> Frames {
        let all = frames
            .iter()
            .flat_map(|f| f.bytes.iter().copied())
            .collect();
        Frames { frames, all }
    }

    /// The sequence number of the last change (0 for none).
    pub fn last_seq(&self) -> i64 {
        self.frames.last().map_or(0, |f| f.seq)
    }

    /// The bytes of the changes after `after` that `keep` keeps, appended
    /// to `out`.
    pub fn append_after(&self, after: i64, keep: impl Fn(Collection) -> bool, out: &mut Vec<u8>) {
        let every = self.frames.first().is_some_and(|f| f.seq > after)
            && self.frames.iter().all(|f| keep(f.collection));
        if every {
            out.extend_from_slice(&self.all);
            return;
        }
        for frame in &self.frames {
            if frame.seq > after && keep(frame.collection) {
                out.extend_from_slice(&frame.bytes);
            }
        }
    }
}

/// The broadcast the feed task publishes to, started on first use.
pub struct Feed {
    sender: broadcast::Sender<Arc<Frames>>,
    started: OnceLock<()>,
    /// How far back a stream may resume.
    pub retention: Duration,
}

impl Feed {
    /// A feed run by `settings`.
    pub fn new(settings: FeedSettings) -> Feed {
        let (sender, _) = broadcast::channel(settings.buffer.max(1));
        Feed {
            sender,
            started: OnceLock::new(),
            retention: settings.retention,
        }
    }

    /// A receiver of every frame published from now on, starting the feed
    /// task the first time (it ends when `woken`'s sender, the server's
    /// state, is dropped).
    pub async fn subscribe(
        &self,
        store: &Arc<dyn Store>,
        woken: watch::Receiver<i64>,
    ) -> broadcast::Receiver<Arc<Frames>> {
        let receiver = self.sender.subscribe();
        if self.started.set(()).is_ok() {
            let store = Arc::clone(store);
            let sender = self.sender.clone();
            let head = match store.last_seq().await {
                Ok(head) => head,
                Err(error) => {
                    tracing::warn!(%error, "change feed could not read the last change");
                    0
                }
            };
            tokio::spawn(follow(store, sender, woken, head));
        }
        receiver
    }
}

/// Follows the change sequence from `last`, publishing each change once.
async fn follow(
    store: Arc<dyn Store>,
    sender: broadcast::Sender<Arc<Frames>>,
    mut woken: watch::Receiver<i64>,
    mut last: i64,
) {
    loop {
        let changes = match store.changes_since(last, BATCH).await {
            Ok(changes) => changes,
            Err(error) => {
                tracing::warn!(%error, "change feed could not read changes");
                Vec::new()
            }
        };
        if let Some(newest) = changes.last() {
            last = newest.seq;
            let frames = changes
                .iter()
                .map(|change| Frame {
                    seq: change.seq,
                    collection: change.collection,
                    bytes: frame(change),
                })
                .collect();
            // No receiver is not an error: the next subscriber catches up
            // from the store.
            let _ = sender.send(Arc::new(Frames::new(frames)));
        }
        if changes.len() as u32 == BATCH {
            continue;
        }
        if !changes.is_empty() {
            // Writes that come on the heels of this one wait a moment and
            // go out together: a thousand subscribers are woken a few
            // dozen times a second however fast the writes come, while a
            // write after a quiet spell still goes out at once.
            tokio::time::sleep(FEED_PACE).await;
        }
        tokio::select! {
            changed = woken.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            _ = tokio::time::sleep(EVENTS_POLL) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(seq: i64, collection: Collection) -> Frame {
        Frame {
            seq,
            collection,
            bytes: format!("id: {seq}\n\n").into_bytes(),
        }
    }

    /// A stream takes a message's changes after the last one it sent and
    /// of the collections it keeps, in order.
    #[test]
    fn a_message_gives_each_stream_only_what_it_has_not_sent_and_keeps() {
        let frames = Frames::new(vec![
            frame(4, Collection::Rfcs),
            frame(5, Collection::Customers),
            frame(6, Collection::Rfcs),
        ]);
        assert_eq!(frames.last_seq(), 6);
        let mut every = Vec::new();
        frames.append_after(3, |_| true, &mut every);
        assert_eq!(every, b"id: 4\n\nid: 5\n\nid: 6\n\n");
        let mut later = Vec::new();
        frames.append_after(4, |_| true, &mut later);
        assert_eq!(later, b"id: 5\n\nid: 6\n\n");
        let mut rfcs = Vec::new();
        frames.append_after(0, |c| c == Collection::Rfcs, &mut rfcs);
        assert_eq!(rfcs, b"id: 4\n\nid: 6\n\n");
    }
}
