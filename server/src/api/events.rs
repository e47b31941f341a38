//! The change feed: `GET /api/v1/events` streams every write as a
//! server-sent event (`id` = change sequence, `event` = collection,
//! `data` = `{"id","version","action"}`), resumable with `Last-Event-ID`.
//! A stream is woken by this server's writes and also polls, so it sees the
//! writes of other servers sharing the database. A stream whose token is
//! revoked ends within about a second ([`auth::TOKEN_RECHECK`]).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rapport_shared::enums::Permission;
use serde_json::json;
use tokio::sync::mpsc;

use crate::http::{Body, HeaderValue, Method, Response, StatusCode};
use crate::store::Change;

use super::error::{ApiError, ApiResult};
use super::route::{Call, QueryParam, Route, RouteDoc, value};
use super::{AppState, auth};

/// How often a stream looks for writes it was not woken for (those of
/// another server sharing the database).
pub const EVENTS_POLL: Duration = Duration::from_secs(2);

/// Changes read from the store per round trip.
const BATCH: u32 = 500;

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
            query: vec![QueryParam::typed("after", value::whole(0, i64::MAX))],
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
    call.query.reject_unknown(&["after"])?;
    let from_header = call
        .request
        .head
        .headers
        .get("last-event-id")
        .map(|value| value.to_str().unwrap_or_default().trim().to_string());
    let from_query = call.query.get("after").map(str::to_string);
    let after = match from_header.or(from_query) {
        None => call.state.store.last_seq().await?,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .ok_or_else(|| {
                ApiError::BadRequest("Last-Event-ID must be a change sequence number".into())
            })?,
    };
    let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
    let state = call.state.clone();
    let headers = call.request.head.headers.clone();
    tokio::spawn(async move {
        let _subscribed = Subscribed::new(&state);
        let mut last = after;
        let mut woken = state.changes.subscribe();
        // The token is checked again as often as the cache forgets it, so a
        // stream ends within about a second of its token being revoked (or
        // losing the permission), on every server sharing the database.
        let mut recheck = tokio::time::interval(auth::TOKEN_RECHECK);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Opening comment: tells the client the stream is live at once.
        if sender
            .send(format!(": live from {last}\n\n").into_bytes())
            .await
            .is_err()
        {
            return;
        }
        let mut quiet = Duration::ZERO;
        loop {
            let changes = match state.store.changes_since(last, BATCH).await {
                Ok(changes) => changes,
                Err(error) => {
                    tracing::warn!(%error, "change feed could not read changes");
                    Vec::new()
                }
            };
            for change in &changes {
                if sender.send(frame(change)).await.is_err() {
                    return;
                }
                last = change.seq;
            }
            if changes.len() as u32 == BATCH {
                continue;
            }
            if !changes.is_empty() {
                quiet = Duration::ZERO;
            }
            tokio::select! {
                changed = woken.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                _ = tokio::time::sleep(EVENTS_POLL) => {
                    quiet += EVENTS_POLL;
                    if quiet >= HEARTBEAT {
                        quiet = Duration::ZERO;
                        if sender.send(b": heartbeat\n\n".to_vec()).await.is_err() {
                            return;
                        }
                    }
                }
                _ = sender.closed() => return,
                _ = recheck.tick() => {
                    let still = auth::authenticate(state.store.as_ref(), &state.tokens, &headers).await;
                    if !still.is_ok_and(|actor| actor.permission.allows(Permission::Viewer)) {
                        return;
                    }
                }
            }
        }
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
