//! RFC 9457 problem details: the one error body the server sends and the
//! client reads (`application/problem+json`).

use serde::{Deserialize, Serialize};

use crate::fields::FieldError;

/// The media type of a [`Problem`] body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error answer: a status, a short title, a detail for people and, for
/// invalid input, the fields at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default)]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn about_blank() -> String {
    "about:blank".to_string()
}

impl Problem {
    /// A problem with the standard title for `status`.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Problem {
            kind: about_blank(),
            title: status_title(status).to_string(),
            status,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// A 422 naming every field at fault.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect::<Vec<_>>()
            .join("; ");
        Problem {
            errors,
            ..Problem::new(422, detail)
        }
    }

    /// One line for a status bar: the detail, or the title when there is none.
    pub fn summary(&self) -> String {
        if self.detail.is_empty() {
            format!("{} {}", self.status, self.title)
        } else {
            format!("{} {}: {}", self.status, self.title, self.detail)
        }
    }
}

/// The reason phrase of the statuses rapport sends.
pub fn status_title(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        422 => "Unprocessable Content",
        428 => "Precondition Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}
