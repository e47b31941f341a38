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
        Ok(items.items)
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
