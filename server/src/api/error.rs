//! Every way an API call can fail, and the one function that maps each to
//! an HTTP status and a problem+json body.

use rapport_shared::enums::Permission;
use rapport_shared::{FieldError, Problem, ValidationErrors};

use crate::http::{HeaderValue, Method, Response};
use crate::store::StoreError;

use super::respond;

/// A failed API call.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.to_problem().summary())]
pub enum ApiError {
    /// Malformed JSON, query or header: 400.
    BadRequest(String),
    /// No token or an unknown one: 401.
    Unauthorized(String),
    /// The token lacks the permission: 403.
    Forbidden { needed: Permission, has: Permission },
    /// No such record or path: 404.
    NotFound(String),
    /// Known path, other method: 405 with `Allow`.
    MethodNotAllowed(Vec<Method>),
    /// Illegal workflow step, a delete that would orphan records, a second
    /// survey response: 409.
    Conflict(String),
    /// A conflict that one field's value causes (a second response from
    /// the same contact): 409 with the detail and the field named, so a
    /// form shows it where the value was typed.
    ConflictOn(String, FieldError),
    /// `If-Match` names an old version: 412 with the current `ETag`.
    Stale { current_version: i64 },
    /// Well-formed but invalid: 422 naming the fields.
    Invalid(ValidationErrors),
    /// `If-Match` missing on a write that needs it: 428.
    PreconditionRequired,
    /// The token made more requests than its rate limit allows: 429 with
    /// `Retry-After`.
    TooManyRequests {
        retry_after: std::time::Duration,
        limit: super::rate::RateLimit,
    },
    /// The server's disk is full and nothing was written: 507 (logged).
    DiskFull(String),
    /// Our fault: 500 (logged; the detail shown is generic).
    Internal(String),
}

impl ApiError {
    /// A 422 on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(ValidationErrors::one(field, message))
    }

    /// The status and problem body of this error.
    pub fn to_problem(&self) -> Problem {
        match self {
            ApiError::BadRequest(detail) => Problem::new(400, detail.clone()),
            ApiError::Unauthorized(detail) => Problem::new(401, detail.clone()),
            ApiError::Forbidden { needed, has } => Problem::new(
                403,
                format!("this needs the {needed} permission; your token has {has}"),
            ),
            ApiError::NotFound(detail) => Problem::new(404, detail.clone()),
            ApiError::MethodNotAllowed(allowed) => {
                Problem::new(405, format!("this path takes {}", method_list(allowed)))
            }
            ApiError::Conflict(detail) => Problem::new(409, detail.clone()),
            ApiError::ConflictOn(detail, error) => Problem {
                errors: vec![error.clone()],
                ..Problem::new(409, detail.clone())
            },
            ApiError::Stale { current_version } => Problem::new(
                412,
                format!(
                    "the record was changed by someone else; it is now at version {current_version}: reload it and apply your change again"
                ),
            ),
            ApiError::Invalid(errors) => Problem::invalid(errors.0.clone()),
            ApiError::PreconditionRequired => Problem::new(
                428,
                "this write needs an If-Match header with the version you read, like If-Match: \"3\"",
            ),
            ApiError::TooManyRequests { retry_after, limit } => Problem::new(
                429,
                format!(
                    "too many requests with this token: at most {} a second ({} at once); retry in {} s",
                    limit.per_second,
                    limit.burst,
                    retry_after.as_secs()
                ),
            ),
            ApiError::DiskFull(_) => Problem::new(
                507,
                "the server's disk is full, so nothing was written: free space on the server and send it again",
            ),
            ApiError::Internal(_) => {
                Problem::new(500, "the server failed; the error is in its log")
            }
        }
    }

    /// The response for this error.
    pub fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        if let ApiError::DiskFull(detail) = &self {
            tracing::error!(%detail, "the disk is full: a write was refused");
        }
        let problem = self.to_problem();
        let mut response = respond::problem(&problem);
        match &self {
            ApiError::MethodNotAllowed(allowed) => {
                if let Ok(value) = HeaderValue::from_str(&method_list(allowed)) {
                    response.headers.insert(http::header::ALLOW, value);
                }
            }
            ApiError::Stale { current_version } => {
                respond::set_etag(&mut response, *current_version)
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                response.headers.insert(
                    http::header::RETRY_AFTER,
                    HeaderValue::from(retry_after.as_secs()),
                );
            }
            ApiError::Unauthorized(_) => {
                response.headers.insert(
                    http::header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer"),
                );
            }
            _ => {}
        }
        response
    }
}

fn method_list(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } | StoreError::UnknownToken(_) => {
                ApiError::NotFound(error.to_string())
            }
            StoreError::VersionMismatch { current, .. } => ApiError::Stale {
                current_version: current,
            },
            StoreError::MissingLink {
                ref field,
                collection,
                ref id,
            } => ApiError::Invalid(ValidationErrors(vec![FieldError::new(
                field.clone(),
                format!("no {} with id {id}", collection.noun()),
            )])),
            StoreError::Duplicate {
                ref field,
                ref value,
            } => ApiError::invalid(field, format!("{value} is already taken")),
            StoreError::HasDependents { .. } | StoreError::KeyTaken { .. } => {
                ApiError::Conflict(error.to_string())
            }
            StoreError::UnknownFilter(ref param) => {
                ApiError::invalid(param, "is not a filter of this list")
            }
            StoreError::BadCursor => {
                ApiError::invalid("cursor", "is not a cursor this server gave out")
            }
            StoreError::Refused(violations) => ApiError::Invalid(ValidationErrors(
                violations
                    .into_iter()
                    .map(|v| FieldError::new(v.field, v.message))
                    .collect(),
            )),
            StoreError::Conflicted(violations) => ApiError::Conflict(
                violations
                    .into_iter()
                    .map(|v| v.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            StoreError::DiskFull(detail) => ApiError::DiskFull(detail),
            StoreError::Backend(detail) => ApiError::Internal(detail),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Invalid(errors)
    }
}

/// The result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
