//! The API client: the only module that uses reqwest. It speaks the REST
//! contract of API.md with the types of `rapport-shared`: lists as
//! [`Page`], errors as [`Problem`], `If-Match` on updates and deletes,
//! `Idempotency-Key` on creates. Records travel as JSON objects
//! ([`Record`]); forms validate them with the shared `RecordInput` types
//! before they are sent.

mod feed;
pub mod rfcs;
pub mod survey_data;
pub mod views;

pub use feed::{ChangeFeed, FeedEvent, ServerChange, parse_frame};

use std::path::Path;
use std::time::Duration;

use rapport_shared::Collection;
use rapport_shared::problem::Problem;
use rapport_shared::wire::{Me, Page};
use reqwest::{Method, RequestBuilder, StatusCode, header};
use serde_json::{Map, Value};

/// How long one call may take before it is reported as failed: long enough
/// for a slow link, short enough that a dead server is noticed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// How long connecting may take; a refused or unroutable host fails fast.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the change feed may stay silent before it counts as broken:
/// the server sends a heartbeat every 15 s, so three missed ones.
pub const FEED_SILENCE: Duration = Duration::from_secs(45);

/// A record as the server sends it: metadata and fields in one object.
pub type Record = Map<String, Value>;

/// The id of a record (empty when missing).
pub fn record_id(record: &Record) -> &str {
    record.get("id").and_then(Value::as_str).unwrap_or("")
}

/// The version of a record (0 when missing).
pub fn record_version(record: &Record) -> i64 {
    record.get("version").and_then(Value::as_i64).unwrap_or(0)
}

/// A text field of a record, or "".
pub fn text<'a>(record: &'a Record, field: &str) -> &'a str {
    record.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Why a call failed, in terms the UI can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (refused, DNS, timeout, TLS).
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The record changed since it was read (412).
    #[error("changed on the server since you read it")]
    Stale,
    /// The server answered with a problem, told as a sentence with what
    /// to do (never its HTTP status).
    #[error("{}", crate::strings::refusal(.0))]
    Problem(Problem),
    /// The answer was not what the contract promises.
    #[error("unexpected answer: {0}")]
    Protocol(String),
    /// The client's own settings cannot be used (an unreadable `ca_file`).
    #[error("{0}")]
    Config(String),
}

impl ApiError {
    /// Field errors of a 422, to show next to the fields.
    pub fn field_errors(&self) -> Vec<rapport_shared::FieldError> {
        match self {
            ApiError::Problem(problem) => problem.errors.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether the server is down rather than refusing the request.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Unreachable(_))
    }
}

/// Parameters of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: u32,
    pub cursor: Option<String>,
    pub q: Option<String>,
    /// Exact-match filters such as `customer_id`.
    pub filters: Vec<(String, String)>,
}

/// A connection to one server with one token.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    /// Without the overall timeout: the change feed stays open for hours.
    feed: reqwest::Client,
    base_url: String,
    token: String,
}

impl ApiClient {
    /// A client for `base_url` (without `/api/v1`) using `token`, trusting
    /// the system's certificate authorities for `https://`.
    pub fn new(base_url: &str, token: &str) -> Result<ApiClient, ApiError> {
        ApiClient::trusting(base_url, token, None)
    }

    /// [`ApiClient::new`], trusting only the certificate authorities in
    /// `ca_file` (PEM, the config's `ca_file`) when given, instead of the
    /// system's: a server with a certificate of an in-house CA.
    pub fn trusting(
        base_url: &str,
        token: &str,
        ca_file: Option<&Path>,
    ) -> Result<ApiClient, ApiError> {
        let roots = match ca_file {
            Some(path) => Some(read_ca_file(path)?),
            None => None,
        };
        let builder = |roots: &Option<Vec<reqwest::Certificate>>| {
            let builder = reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")));
            match roots {
                Some(roots) => builder.tls_certs_only(roots.iter().cloned()),
                None => builder,
            }
        };
        let http = builder(&roots)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| ApiError::Protocol(error.to_string()))?;
        let feed = builder(&roots)
            .read_timeout(FEED_SILENCE)
            .build()
            .map_err(|error| ApiError::Protocol(error.to_string()))?;
        Ok(ApiClient {
            http,
            feed,
            base_url: base_url.trim_end_matches('/').to_string(),
            token: token.to_string(),
        })
    }

    /// The server's base URL, for the status bar.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}/api/v1/{path}", self.base_url))
            .bearer_auth(&self.token)
            .header(header::ACCEPT, "application/json")
    }

    /// `GET /api/v1/me`: who the token belongs to and what it may do.
    pub async fn me(&self) -> Result<Me, ApiError> {
        let response = send(self.request(Method::GET, "me")).await?;
        decode(response).await
    }

    /// Opens the change feed, after change `last_seq` when resuming.
    pub async fn change_feed(&self, last_seq: Option<&str>) -> Result<ChangeFeed, ApiError> {
        let mut request = self
            .feed
            .get(format!("{}/api/v1/events", self.base_url))
            .bearer_auth(&self.token)
            .header(header::ACCEPT, "text/event-stream");
        if let Some(seq) = last_seq {
            request = request.header("Last-Event-ID", seq);
        }
        let response = send(request).await?;
        if !response.status().is_success() {
            return Err(problem(response).await);
        }
        Ok(ChangeFeed::new(response))
    }

    /// One page of a collection.
    pub async fn list(
        &self,
        collection: Collection,
        query: &ListQuery,
    ) -> Result<Page<Record>, ApiError> {
        let mut params: Vec<(String, String)> = vec![("limit".into(), query.limit.to_string())];
        if let Some(cursor) = &query.cursor {
            params.push(("cursor".into(), cursor.clone()));
        }
        if let Some(q) = query.q.as_ref().filter(|q| !q.is_empty()) {
            params.push(("q".into(), q.clone()));
        }
        params.extend(query.filters.iter().cloned());
        let base = format!("{}/api/v1/{}", self.base_url, collection.name());
        let mut url =
            reqwest::Url::parse(&base).map_err(|error| ApiError::Protocol(error.to_string()))?;
        url.query_pairs_mut().extend_pairs(params);
        let request = self
            .http
            .request(Method::GET, url)
            .bearer_auth(&self.token)
            .header(header::ACCEPT, "application/json");
        decode(send(request).await?).await
    }

    /// Every record of `collection` matching the exact-match `filters`,
    /// reading page after page.
    pub async fn list_all(
        &self,
        collection: Collection,
        filters: &[(&str, &str)],
    ) -> Result<Vec<Record>, ApiError> {
        let mut records = Vec::new();
        let mut query = ListQuery {
            limit: 500,
            filters: filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..ListQuery::default()
        };
        loop {
            let page = self.list(collection, &query).await?;
            records.extend(page.items);
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => return Ok(records),
            }
        }
    }

    /// One record.
    pub async fn get(&self, collection: Collection, id: &str) -> Result<Record, ApiError> {
        let path = format!("{}/{}", collection.name(), encode(id));
        decode(send(self.request(Method::GET, &path)).await?).await
    }

    /// Creates a record; a retry with the same `idempotency_key` creates nothing new.
    pub async fn create(
        &self,
        collection: Collection,
        body: &Record,
        idempotency_key: &str,
    ) -> Result<Record, ApiError> {
        let request = self
            .request(Method::POST, collection.name())
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        decode(send(request).await?).await
    }

    /// Creates a record that belongs to record `owner` (a response to a
    /// survey), under it; a retry with the same `idempotency_key` creates
    /// nothing new.
    pub async fn create_under(
        &self,
        collection: Collection,
        owner: &str,
        body: &Record,
        idempotency_key: &str,
    ) -> Result<Record, ApiError> {
        match collection {
            Collection::SurveyResponses => {
                self.post_response(owner, &Value::Object(body.clone()), idempotency_key)
                    .await
            }
            other => Err(ApiError::Protocol(format!(
                "{} are not created under another record",
                other.name()
            ))),
        }
    }

    /// Applies a JSON merge patch if the record is still at `version`.
    pub async fn update(
        &self,
        collection: Collection,
        id: &str,
        version: i64,
        patch: &Record,
    ) -> Result<Record, ApiError> {
        let path = format!("{}/{}", collection.name(), encode(id));
        let request = self
            .request(Method::PATCH, &path)
            .header(header::IF_MATCH, format!("\"{version}\""))
            .header(header::CONTENT_TYPE, "application/merge-patch+json")
            .body(Value::Object(patch.clone()).to_string());
        decode(send(request).await?).await
    }

    /// Deletes a record if it is still at `version`.
    pub async fn delete(
        &self,
        collection: Collection,
        id: &str,
        version: i64,
    ) -> Result<(), ApiError> {
        let path = format!("{}/{}", collection.name(), encode(id));
        let request = self
            .request(Method::DELETE, &path)
            .header(header::IF_MATCH, format!("\"{version}\""));
        let response = send(request).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(problem(response).await)
        }
    }
}

/// Ids are opaque: keep them to the characters a path segment may hold.
fn encode(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.~".contains(*c))
        .collect()
}

/// The certificates of a CA file, refusing a file that holds none.
fn read_ca_file(path: &Path) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let unusable =
        |reason: String| ApiError::Config(format!("ca_file {}: {reason}", path.display()));
    let pem = std::fs::read(path).map_err(|error| unusable(error.to_string()))?;
    let certificates =
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|error| unusable(error.to_string()))?;
    if certificates.is_empty() {
        return Err(unusable("holds no PEM certificate".to_owned()));
    }
    Ok(certificates)
}

async fn send(request: RequestBuilder) -> Result<reqwest::Response, ApiError> {
    request.send().await.map_err(|error| {
        // reqwest's Display names only the outermost layer; the cause
        // (connection refused, DNS failure) is what the user needs.
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message = cause.to_string();
            source = cause.source();
        }
        ApiError::Unreachable(message)
    })
}

async fn decode<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ApiError> {
    if !response.status().is_success() {
        return Err(problem(response).await);
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|error| ApiError::Unreachable(error.to_string()))?;
    parse_clean(&bytes).map_err(|error| ApiError::Protocol(error.to_string()))
}

/// `bytes` as JSON, every string in it made safe to draw
/// ([`without_controls`]): the one place text from the server enters the
/// client, so no record can reach the terminal with escape sequences.
fn parse_clean<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let mut value: Value = serde_json::from_slice(bytes)?;
    clean_strings(&mut value);
    serde_json::from_value(value)
}

fn clean_strings(value: &mut Value) {
    match value {
        Value::String(text) if text.chars().any(is_unsafe) => *text = without_controls(text),
        Value::Array(items) => items.iter_mut().for_each(clean_strings),
        Value::Object(fields) => fields.values_mut().for_each(clean_strings),
        _ => {}
    }
}

/// A control character other than a line break or tab (ESC, BEL, C1, ...).
fn is_unsafe(c: char) -> bool {
    rapport_shared::fields::is_unsafe_char(c, true)
}

/// `text` with every control character but line breaks and tabs, and every
/// bidirectional override, shown as `?`.
pub fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { '?' } else { c })
        .collect()
}

/// Turns an error answer into an [`ApiError`]; bodies that are not
/// problem+json still give a readable message.
async fn problem(response: reqwest::Response) -> ApiError {
    let status = response.status();
    if status == StatusCode::PRECONDITION_FAILED {
        return ApiError::Stale;
    }
    let bytes = response.bytes().await.unwrap_or_default();
    match parse_clean::<Problem>(&bytes) {
        Ok(problem) => ApiError::Problem(problem),
        Err(_) => {
            let text = without_controls(&String::from_utf8_lossy(&bytes));
            let detail: String = text.trim().chars().take(200).collect();
            ApiError::Problem(Problem::new(status.as_u16(), detail))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_server_loses_its_control_characters() {
        let record: Record = parse_clean(
            br#"{"title":"A\u001b[2J\u0007B","description":"line one\nline\ttwo","list":["\u009bx"]}"#,
        )
        .expect("valid JSON");
        assert_eq!(text(&record, "title"), "A?[2J?B");
        assert_eq!(text(&record, "description"), "line one\nline\ttwo");
        assert_eq!(record["list"][0], "?x");
    }
}
