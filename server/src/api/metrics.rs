//! `GET /metrics`: the server's figures ([`crate::metrics`]) in the
//! Prometheus text format, for a token with the `metrics` permission (a
//! scraper's, which reads nothing else) or `admin`.

use rapport_shared::enums::Permission;

use crate::http::{HeaderValue, Method, Response, StatusCode};

use super::error::{ApiError, ApiResult};
use super::route::{Call, Route, RouteDoc};

/// The content type of the Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Adds `GET /metrics`.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/metrics",
        Some(Permission::Metrics),
        RouteDoc {
            summary: "The server's metrics in the Prometheus text format".into(),
            response: Some("prometheus_text".into()),
            status: 200,
            ..RouteDoc::default()
        },
        metrics,
    ));
}

async fn metrics(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&[])?;
    let metrics = call
        .state
        .metrics
        .get()
        .ok_or_else(|| ApiError::Internal("metrics were never set up".into()))?;
    let text = metrics.render(call.state.store.metrics());
    let mut response = Response::with_body(StatusCode::OK, CONTENT_TYPE, text.into_bytes());
    response.headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
