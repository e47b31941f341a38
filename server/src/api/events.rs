//! The change feed: `GET /api/v1/events` streams every write as a
//! server-sent event (`id` = change sequence, `event` = collection,
//! `data` = `{"id","version","action"}`), resumable with `Last-Event-ID`.
//! A stream catches up from the store once, then takes the frames the
//! server's one feed task ([`super::feed`]) renders and broadcasts;
//! `?collections=` keeps only those collections. A stream that falls behind
//! the broadcast gets `event: resync` and is closed. A stream whose token is
//! revoked ends within about a second ([`auth::TOKEN_RECHECK`]).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::json;
use tokio::sync::{broadcast, mpsc};

use crate::http::{Body, HeaderValue, Method, Response, StatusCode};
use crate::store::Change;

use super::error::{ApiError, ApiResult};
use super::route::{Call, QueryParam, Route, RouteDoc, value};
use super::{AppState, auth};

/// How often the feed task looks for writes it was not woken for (those of
/// another server sharing the database).
pub const EVENTS_POLL: Duration = Duration::from_secs(2);

/// Changes read from the store per round trip.
pub const BATCH: u32 = 500;

/// A comment line sent when nothing happened for this long, so proxies keep
/// the stream open and a vanished client is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Events buffered per stream before the producer waits for the socket.
const STREAM_BUFFER: usize = 16;

/// Adds `GET /api/v1/events`.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/events",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "The change feed (text/event-stream), resumable with Last-Event-ID".into(),
            response: Some("event_stream".into()),
            status: 200,
            query: vec![
                QueryParam::typed("after", value::whole(0, i64::MAX)),
                QueryParam::typed("collections", json!({"type": "string"})),
            ],
            ..RouteDoc::default()
        },
        events,
    ));
}

/// One change as an event-stream frame.
pub fn frame(change: &Change) -> Vec<u8> {
    let data = json!({"id": change.id, "version": change.version, "action": change.action});
    format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        change.seq,
        change.collection.name(),
        data
    )
    .into_bytes()
}

/// The frame that tells a subscriber to reload and that ends its stream.
pub fn resync_frame(reason: &str) -> Vec<u8> {
    format!("event: resync\ndata: {}\n\n", json!({"reason": reason})).into_bytes()
}

/// The collections named in `?collections=a,b` (`None`: all of them).
fn wanted_collections(text: Option<&str>) -> ApiResult<Option<Vec<Collection>>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let mut wanted = Vec::new();
    for name in text
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        match Collection::parse(name) {
            Some(collection) => wanted.push(collection),
            None => {
                return Err(ApiError::invalid(
                    "collections",
                    format!(
                        "there is no collection called \"{name}\"; known ones are {}",
                        Collection::ALL
                            .iter()
                            .map(|c| c.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    Ok(Some(wanted))
}

/// Counts one open stream in `GET /metrics` for as long as it lives.
struct Subscribed(Arc<AppState>);

impl Subscribed {
    fn new(state: &Arc<AppState>) -> Subscribed {
        if let Some(metrics) = state.metrics.get() {
            metrics.subscribers.fetch_add(1, Ordering::Relaxed);
        }
        Subscribed(Arc::clone(state))
    }
}

impl Drop for Subscribed {
    fn drop(&mut self) {
        if let Some(metrics) = self.0.metrics.get() {
            metrics.subscribers.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

async fn events(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["after", "collections"])?;
    let wanted = wanted_collections(call.query.get("collections"))?;
    let from_header = call
        .request
        .head
        .headers
        .get("last-event-id")
        .map(|value| value.to_str().unwrap_or_default().trim().to_string());
    let from_query = call.query.get("after").map(str::to_string);
    let head = call.state.store.last_seq().await?;
    let after = match from_header.or(from_query) {
        None => head,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .ok_or_else(|| {
                ApiError::BadRequest("Last-Event-ID must be a change sequence number".into())
            })?,
    };
    // A sequence number this database never reached (a restored backup, or
    // another installation's feed): what the client holds is not ours.
    let beyond = after > head;
    let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
    let state = call.state.clone();
    let headers = call.request.head.headers.clone();
    // Subscribed before catching up, so no change falls between the two.
    let frames = state
        .feed
        .subscribe(&state.store, state.changes.subscribe())
        .await;
    tokio::spawn(async move {
        let _subscribed = Subscribed::new(&state);
        if beyond {
            let _ = sender
                .send(resync_frame("the server has no change that recent"))
                .await;
            return;
        }
        stream(&state, &headers, after, wanted, frames, &sender).await;
    });
    let mut response = Response::empty(StatusCode::OK);
    response.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response.headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    response.body = Body::Stream(receiver);
    Ok(response)
}

/// Tells a stream that fell behind the broadcast to resync. Sent when the
/// socket takes it; a client that never reads again is let go after a
/// heartbeat's time.
async fn fell_behind(sender: &mpsc::Sender<Vec<u8>>) {
    let _ = tokio::time::timeout(HEARTBEAT, sender.send(resync_frame("fell behind"))).await;
}

/// Whether `at` lies more than `window` in the past.
fn older_than(at: jiff::Timestamp, window: Duration) -> bool {
    let Ok(window) = jiff::SignedDuration::try_from(window) else {
        return false;
    };
    jiff::Timestamp::now()
        .checked_sub(window)
        .is_ok_and(|edge| at < edge)
}

/// Feeds one stream until its client goes, its token stops allowing it, or
/// it falls behind (then after a `resync`).
async fn stream(
    state: &Arc<AppState>,
    headers: &http::HeaderMap,
    after: i64,
    wanted: Option<Vec<Collection>>,
    mut frames: broadcast::Receiver<Arc<super::feed::Frames>>,
    sender: &mpsc::Sender<Vec<u8>>,
) {
    let keep = |collection: Collection| wanted.as_ref().is_none_or(|w| w.contains(&collection));
    let mut last = after;
    // Opening comment: tells the client the stream is live at once.
    if sender
        .send(format!(": live from {last}\n\n").into_bytes())
        .await
        .is_err()
    {
        return;
    }
    // Catch up from the store (a resume, or changes the feed task has not
    // read yet); everything later comes through the broadcast.
    loop {
        let changes = match state.store.changes_since(last, BATCH).await {
            Ok(changes) => changes,
            Err(error) => {
                tracing::warn!(%error, "change feed could not read changes");
                let _ = sender
                    .send(resync_frame("the changes could not be read"))
                    .await;
                return;
            }
        };
        // Resuming from before the retention window: the client reloads.
        if last == after
            && changes
                .first()
                .is_some_and(|first| older_than(first.at, state.feed.retention))
        {
            let _ = sender
                .send(resync_frame("resumed from beyond the change window"))
                .await;
            return;
        }
        for change in &changes {
            if keep(change.collection) && sender.send(frame(change)).await.is_err() {
                return;
            }
            last = change.seq;
        }
        if (changes.len() as u32) < BATCH {
            break;
        }
    }
    // The token is checked again as often as the cache forgets it, so a
    // stream ends within about a second of its token being revoked (or
    // losing the permission), on every server sharing the database.
    let mut recheck = tokio::time::interval(auth::TOKEN_RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            received = tokio::time::timeout(HEARTBEAT, frames.recv()) => match received {
                Err(_) => {
                    if sender.send(b": heartbeat\n\n".to_vec()).await.is_err() {
                        return;
                    }
                }
                Ok(Ok(first)) => {
                    // Everything already published goes out as one write.
                    let mut bytes = Vec::new();
                    let mut next = Ok(first);
                    let lagged = loop {
                        match next {
                            Ok(frames) => {
                                frames.append_after(last, keep, &mut bytes);
                                last = last.max(frames.last_seq());
                            }
                            Err(broadcast::error::TryRecvError::Lagged(_)) => break true,
                            Err(_) => break false,
                        }
                        next = frames.try_recv();
                    };
                    if lagged {
                        fell_behind(sender).await;
                        return;
                    }
                    if !bytes.is_empty() && sender.send(bytes).await.is_err() {
                        return;
                    }
                }
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => {
                    fell_behind(sender).await;
                    return;
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => return,
            },
            _ = sender.closed() => return,
            _ = recheck.tick() => {
                let still = auth::authenticate(state.store.as_ref(), &state.tokens, headers).await;
                if !still.is_ok_and(|actor| actor.permission.allows(Permission::Viewer)) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{Actor, Store, WriteBatch, WriteOp};

    fn staff(name: &str) -> WriteBatch {
        WriteBatch {
            actor: Actor {
                token_id: "t1".into(),
                name: "Ann".into(),
                staff_id: None,
                permission: Permission::Admin,
            },
            ops: vec![WriteOp::Create {
                collection: Collection::Staff,
                fields: json!({"name": name})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
                links: Vec::new(),
                unique: Vec::new(),
            }],
            at: None,
            idempotency: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        }
    }

    #[test]
    fn the_collections_filter_names_an_unknown_collection() {
        assert_eq!(wanted_collections(None).ok(), Some(None));
        let both = wanted_collections(Some("rfcs, meetings")).ok().flatten();
        assert_eq!(both, Some(vec![Collection::Rfcs, Collection::Meetings]));
        let Err(ApiError::Invalid(errors)) = wanted_collections(Some("rfcs,rfc")) else {
            panic!("an unknown collection is refused");
        };
        let text = format!("{errors:?}");
        assert!(
            text.contains("collections") && text.contains("no collection called"),
            "{text}"
        );
    }

    /// A subscriber that reads nothing while more changes than its buffer
    /// are committed gets `resync` and its stream ends; the feed (and so
    /// every writer and other subscriber) went on without waiting for it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_subscriber_that_falls_behind_gets_resync_and_is_closed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.path().join("rapport.db")).expect("a store"));
        let state = AppState::with_feed(
            Arc::clone(&store),
            rapport_shared::health::Thresholds::default(),
            None,
            crate::api::feed::FeedSettings {
                buffer: 2,
                ..Default::default()
            },
        );
        let secret = auth::new_secret();
        store
            .create_token(
                "viewer".into(),
                Permission::Viewer,
                None,
                auth::hash_secret(&secret),
            )
            .await
            .expect("a token");
        let mut headers = http::HeaderMap::new();
        let bearer = format!("Bearer {secret}");
        headers.insert(
            http::header::AUTHORIZATION,
            bearer.parse().expect("a header"),
        );
        let after = store.last_seq().await.expect("the last change");
        let slow = state
            .feed
            .subscribe(&state.store, state.changes.subscribe())
            .await;
        let mut probe = state
            .feed
            .subscribe(&state.store, state.changes.subscribe())
            .await;
        // A socket that takes one frame (the opening comment) and no more.
        let (sender, mut receiver) = mpsc::channel(1);
        let streaming = {
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                stream(&state, &headers, after, None, slow, &sender).await;
            })
        };
        // Each change is published (as a message of its own, since the
        // next is written only once the probe has it) although the slow
        // stream reads none.
        let mut last = after;
        for n in 0..10 {
            let written = store
                .write(staff(&format!("Staff {n}")))
                .await
                .expect("a write");
            assert_eq!(written.len(), 1);
            state.notify_write();
            let target = store.last_seq().await.expect("the last change");
            while last < target {
                match probe.recv().await {
                    Ok(frames) => last = frames.last_seq(),
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => panic!("the feed ended"),
                }
            }
        }
        let mut frames = Vec::new();
        while let Some(bytes) = receiver.recv().await {
            frames.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        streaming.await.expect("the stream task ends");
        assert!(frames[0].starts_with(": live from"), "{frames:?}");
        let resync = frames.last().expect("a last frame");
        assert!(resync.starts_with("event: resync\n"), "{frames:?}");
        assert!(resync.contains("fell behind"), "{frames:?}");
    }
}
