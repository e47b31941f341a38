//! The RFC workflow calls of the API client: transitions (with
//! `If-Match`), comments, history and the live counts of saved views. They
//! travel as one [`RfcCall`] command and come back as one [`RfcAnswer`],
//! so the app's message enums grow by one variant each.

use rapport_shared::Collection;
use rapport_shared::enums::{RfcRoute, RfcStatus};
use rapport_shared::wire::TransitionRequest;
use reqwest::{Method, header};
use serde::Deserialize;

use super::{ApiClient, ApiError, Record, decode, encode, send};

/// One RFC workflow call.
#[derive(Debug, Clone, PartialEq)]
pub enum RfcCall {
    /// `POST /rfcs/{id}/transitions` if the RFC is still at `version`.
    Transition {
        id: String,
        version: i64,
        to: RfcStatus,
        route: Option<RfcRoute>,
        note: Option<String>,
    },
    /// `POST /rfcs/{id}/comments`.
    Comment { id: String, text: String },
    /// `GET /rfcs/{id}/history`.
    History { id: String },
    /// `GET /rfcs/{id}/comments`.
    Comments { id: String },
    /// `GET /rfcs/count` with these filters.
    Count { filters: Vec<(String, String)> },
}

/// The answer to an [`RfcCall`].
#[derive(Debug, Clone, PartialEq)]
pub enum RfcAnswer {
    /// The RFC after a transition, or the new comment.
    Record(Result<Record, ApiError>),
    /// History entries or comments, oldest first.
    Items(Result<Vec<Record>, ApiError>),
    Count(Result<u64, ApiError>),
}

impl RfcAnswer {
    /// The error, if the call failed.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            RfcAnswer::Record(Err(e)) | RfcAnswer::Items(Err(e)) | RfcAnswer::Count(Err(e)) => {
                Some(e)
            }
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Items {
    items: Vec<Record>,
    /// The priority and assignee changes a history also holds (none in
    /// a list of comments, or from a server older than them).
    #[serde(default)]
    changes: Vec<Record>,
}

/// An RFC's history as one timeline, oldest first: the workflow steps
/// and the priority and assignee changes (which carry a `field`), merged
/// by `when` (a step and a change of the same moment keep that order).
pub fn timeline(steps: Vec<Record>, changes: Vec<Record>) -> Vec<Record> {
    let when = |entry: &Record| {
        super::text(entry, "when")
            .parse::<jiff::Timestamp>()
            .unwrap_or(jiff::Timestamp::MIN)
    };
    let mut entries: Vec<Record> = steps.into_iter().chain(changes).collect();
    entries.sort_by_key(when);
    entries
}

#[derive(Deserialize)]
struct Count {
    count: u64,
}

impl ApiClient {
    /// Sends one workflow call.
    pub async fn rfc(&self, call: RfcCall) -> RfcAnswer {
        match call {
            RfcCall::Transition {
                id,
                version,
                to,
                route,
                note,
            } => {
                let body = TransitionRequest { to, route, note };
                let request = self
                    .request(Method::POST, &format!("rfcs/{}/transitions", encode(&id)))
                    .header(header::IF_MATCH, format!("\"{version}\""))
                    .json(&body);
                RfcAnswer::Record(async { decode(send(request).await?).await }.await)
            }
            RfcCall::Comment { id, text } => {
                let request = self
                    .request(Method::POST, &format!("rfcs/{}/comments", encode(&id)))
                    .json(&serde_json::json!({ "text": text }));
                RfcAnswer::Record(async { decode(send(request).await?).await }.await)
            }
            RfcCall::History { id } => RfcAnswer::Items(self.items(&id, "history").await),
            RfcCall::Comments { id } => RfcAnswer::Items(self.items(&id, "comments").await),
            RfcCall::Count { filters } => {
                RfcAnswer::Count(self.count(Collection::Rfcs, &filters).await)
            }
        }
    }

    async fn items(&self, id: &str, what: &str) -> Result<Vec<Record>, ApiError> {
        let request = self.request(Method::GET, &format!("rfcs/{}/{what}", encode(id)));
        let items: Items = decode(send(request).await?).await?;
        Ok(timeline(items.items, items.changes))
    }

    /// How many records of `collection` match `filters`.
    pub async fn count(
        &self,
        collection: Collection,
        filters: &[(String, String)],
    ) -> Result<u64, ApiError> {
        let base = format!("{}/api/v1/{}/count", self.base_url, collection.name());
        let mut url =
            reqwest::Url::parse(&base).map_err(|error| ApiError::Protocol(error.to_string()))?;
        url.query_pairs_mut().extend_pairs(filters.iter().cloned());
        let request = self
            .http
            .request(Method::GET, url)
            .bearer_auth(&self.token)
            .header(header::ACCEPT, "application/json");
        let count: Count = decode(send(request).await?).await?;
        Ok(count.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::text;
    use serde_json::json;

    fn record(value: serde_json::Value) -> Record {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_timeline_merges_steps_and_changes_by_time() {
        let steps = vec![
            record(json!({"from": "new", "to": "triaged", "when": "2026-12-01T10:00:00Z"})),
            record(json!({"from": "triaged", "to": "assessing", "when": "2026-12-03T09:00:00.5Z"})),
        ];
        let changes = vec![
            record(json!({"field": "priority", "when": "2026-12-01T09:59:59.9Z"})),
            record(json!({"field": "assignee_id", "when": "2026-12-03T09:00:00.25Z"})),
        ];
        let order: Vec<String> = timeline(steps, changes)
            .iter()
            .map(|e| format!("{}{}", text(e, "field"), text(e, "to")))
            .collect();
        assert_eq!(order, ["priority", "triaged", "assignee_id", "assessing"]);
    }
}
