//! Building responses: JSON bodies, problem+json, `ETag` and `Location`.

use rapport_shared::Problem;
use rapport_shared::problem::PROBLEM_CONTENT_TYPE;
use serde::Serialize;

use crate::http::{HeaderValue, Response, StatusCode};

/// The media type of every JSON answer.
pub const JSON: &str = "application/json";

/// A JSON response with `status`.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => Response::with_body(status, JSON, bytes),
        Err(error) => {
            tracing::error!(%error, "a response did not serialise");
            problem(&Problem::new(500, "the server failed to write its answer"))
        }
    }
}

/// A problem+json response; the status comes from the problem.
pub fn problem(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = serde_json::to_vec(problem).unwrap_or_default();
    Response::with_body(status, PROBLEM_CONTENT_TYPE, bytes)
}

/// The strong entity tag of a record version: `"3"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Sets `ETag` to the version's tag.
pub fn set_etag(response: &mut Response, version: i64) {
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers.insert(http::header::ETAG, value);
    }
}

/// Sets `Location` to `path`.
pub fn set_location(response: &mut Response, path: &str) {
    if let Ok(value) = HeaderValue::from_str(path) {
        response.headers.insert(http::header::LOCATION, value);
    }
}
