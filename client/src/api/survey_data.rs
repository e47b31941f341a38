//! A survey's side calls for the command line: its responses (every page,
//! and posting one), its results and its comments. Answers stay JSON
//! values, read with the shared types where the arithmetic matters.

use reqwest::Method;
use serde_json::Value;

use super::{ApiClient, ApiError, Page, Record, decode, encode, send};

impl ApiClient {
    /// Every response to survey `id`, oldest first.
    pub async fn survey_responses(&self, id: &str) -> Result<Vec<Record>, ApiError> {
        let mut records = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("surveys/{}/responses?limit=500", encode(id));
            if let Some(cursor) = &cursor {
                let mut url = reqwest::Url::parse("http://x/")
                    .map_err(|error| ApiError::Protocol(error.to_string()))?;
                url.query_pairs_mut().append_pair("cursor", cursor);
                path.push('&');
                path.push_str(url.query().unwrap_or_default());
            }
            let page: Page<Record> = decode(send(self.request(Method::GET, &path)).await?).await?;
            records.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(records),
            }
        }
    }

    /// Records one response (`{"contact_id", "answers"}`); a retry with
    /// the same `idempotency_key` records nothing new.
    pub async fn post_response(
        &self,
        survey_id: &str,
        body: &Value,
        idempotency_key: &str,
    ) -> Result<Record, ApiError> {
        let path = format!("surveys/{}/responses", encode(survey_id));
        let request = self
            .request(Method::POST, &path)
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        decode(send(request).await?).await
    }

    /// `GET /api/v1/surveys/{id}/results` or `/comments` (`part`).
    pub async fn survey_part(&self, id: &str, part: SurveyPart) -> Result<Value, ApiError> {
        let path = format!("surveys/{}/{}", encode(id), part.path());
        decode(send(self.request(Method::GET, &path)).await?).await
    }
}

/// A survey's computed views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyPart {
    Results,
    Comments,
}

impl SurveyPart {
    fn path(self) -> &'static str {
        match self {
            SurveyPart::Results => "results",
            SurveyPart::Comments => "comments",
        }
    }
}
