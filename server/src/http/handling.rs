//! What surrounds each call to the handler: panics caught and turned into
//! 500s, the problem responses the connection answers with itself, and the
//! one log line per request.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use http::{Method, StatusCode};
use tokio::time::Instant;

use super::{Handler, Request, Response};

/// What the request log line needs once the response is out.
pub(super) struct RequestLog {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) started: Instant,
}

impl RequestLog {
    /// Logs the one line per request.
    pub(super) fn finish(&self, status: StatusCode) {
        let duration_ms = self.started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(
            method = %self.method,
            path = %self.path,
            status = status.as_u16(),
            duration_ms,
            "request"
        );
    }
}

/// Calls the handler; a panic, in building the future or in running it,
/// becomes a 500 so the connection survives.
pub(super) async fn call_handler(handler: &dyn Handler, request: Request, path: &str) -> Response {
    let future = std::panic::catch_unwind(AssertUnwindSafe(|| handler.handle(request)));
    let outcome = match future {
        Ok(future) => AssertUnwindSafe(future).catch_unwind().await,
        Err(panic) => Err(panic),
    };
    outcome.unwrap_or_else(|_| {
        tracing::error!(%path, "handler panicked");
        problem(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    })
}

/// An RFC 9457 problem response, the error format of `shared/API.md`.
pub(super) fn problem(status: StatusCode, detail: &str) -> Response {
    let problem = rapport_shared::Problem::new(status.as_u16(), detail);
    Response::with_body(
        status,
        rapport_shared::problem::PROBLEM_CONTENT_TYPE,
        serde_json::to_vec(&problem).unwrap_or_default(),
    )
}
