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

/// The broadcast the feed task publishes to, started on first use.
pub struct Feed {
    sender: broadcast::Sender<Arc<Frame>>,
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
    ) -> broadcast::Receiver<Arc<Frame>> {
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
    sender: broadcast::Sender<Arc<Frame>>,
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
        for change in &changes {
            // No receiver is not an error: the next subscriber catches up
            // from the store.
            let _ = sender.send(Arc::new(Frame {
                seq: change.seq,
                collection: change.collection,
                bytes: frame(change),
            }));
            last = change.seq;
        }
        if changes.len() as u32 == BATCH {
            continue;
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
