//! The change feed followed in a task of its own, its events sent to the
//! event loop as messages.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::{ApiClient, ApiError, FeedEvent};
use crate::app::Msg;

/// How long to wait before reopening a broken change feed.
pub const FEED_RETRY: Duration = Duration::from_secs(5);

/// Follows the server's change feed in a task of its own, sending each
/// change as [`Msg::Changed`]; a broken feed is reopened after
/// [`FEED_RETRY`], resuming after the last change seen. A failure (a
/// refused token, a server gone) is sent as [`Msg::FeedFailed`] when it
/// starts, not again on every retry while it lasts. Each opening is told
/// as [`Msg::FeedOpened`]; a `resync` from the server as [`Msg::Resync`],
/// after which the feed reopens at once from now (no `Last-Event-ID`: the
/// screens reload instead).
pub fn watch_changes(
    api: ApiClient,
    tx: mpsc::UnboundedSender<Msg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last: Option<String> = None;
        let mut told: Option<ApiError> = None;
        loop {
            let mut resynced = false;
            let failure = match api.change_feed(last.as_deref()).await {
                Ok(mut feed) => {
                    told = None;
                    if tx.send(Msg::FeedOpened).is_err() {
                        return;
                    }
                    loop {
                        match feed.next_event().await {
                            Ok(Some(FeedEvent::Change(change))) => {
                                if !change.seq.is_empty() {
                                    last = Some(change.seq.clone());
                                }
                                if tx.send(Msg::Changed(change)).is_err() {
                                    return;
                                }
                            }
                            Ok(Some(FeedEvent::Resync(reason))) => {
                                last = None;
                                resynced = true;
                                if tx.send(Msg::Resync(reason)).is_err() {
                                    return;
                                }
                                break None;
                            }
                            // The server ended the stream: reopen quietly.
                            Ok(None) => break None,
                            Err(error) => break Some(error),
                        }
                    }
                }
                Err(error) => Some(error),
            };
            if let Some(error) = failure
                && told.as_ref() != Some(&error)
            {
                told = Some(error.clone());
                if tx.send(Msg::FeedFailed(error)).is_err() {
                    return;
                }
            }
            if tx.is_closed() {
                return;
            }
            if !resynced {
                tokio::time::sleep(FEED_RETRY).await;
            }
        }
    })
}
