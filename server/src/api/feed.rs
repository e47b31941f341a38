//! The one change-feed task of a server: it follows the change sequence,
//! renders each change as an event-stream frame once, and fans the frames
//! out through a bounded broadcast to every `GET /api/v1/events` stream.
//! It is woken by this server's commits and also polls, so it sees the
//! commits of other servers sharing the database. A stream that falls more
//! than the buffer behind is told to `resync` and closed (see
//! [`super::events`]), so a slow subscriber never slows writers or others.

use std::sync::{Arc, OnceLock};

use rapport_shared::Collection;
use tokio::sync::{broadcast, watch};

use crate::store::Store;

use super::events::{BATCH, EVENTS_POLL, frame};

/// Frames a stream may fall behind by before it is told to resync.
pub const FEED_BUFFER: usize = 4096;

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
}

impl Feed {
    /// A feed whose subscribers may fall `buffer` frames behind.
    pub fn new(buffer: usize) -> Feed {
        let (sender, _) = broadcast::channel(buffer.max(1));
        Feed {
            sender,
            started: OnceLock::new(),
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
