//! The read-only views that are not collections: an agreement's
//! attainment, a customer's budget, satisfaction, health and agenda
//! proposal, a survey's results and comments, the open actions across
//! meetings, the week ahead, the customers by health, one record's
//! audit trail and the audit entry of one change (what the notifications
//! read).
//! Their answers stay JSON values; the screen showing them reads the
//! fields it draws.

use reqwest::Method;
use serde_json::Value;

use super::{ApiClient, ApiError, decode, encode, send};

/// A view to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewCall {
    /// `GET /api/v1/agreements/{id}/attainment?from=YYYY-MM&to=YYYY-MM`.
    Attainment {
        agreement_id: String,
        from: String,
        to: String,
    },
    /// `GET /api/v1/customers/{id}/budget?year=YYYY`.
    Budget { customer_id: String, year: i32 },
    /// `GET /api/v1/customers/{id}/satisfaction`: the customer's mean and
    /// NPS in each survey past its draft, in time order.
    Satisfaction { customer_id: String },
    /// `GET /api/v1/surveys/{id}/results`.
    SurveyResults { survey_id: String },
    /// `GET /api/v1/surveys/{id}/comments`.
    SurveyComments { survey_id: String },
    /// `GET /api/v1/customers/{id}/agenda-proposal?kind=&from=&to=`: the
    /// agenda the customer's records suggest for a meeting of `kind`
    /// (`follow_up` or `forward_looking`) over the period (`YYYY-MM-DD`).
    AgendaProposal {
        customer_id: String,
        kind: String,
        from: String,
        to: String,
    },
    /// `GET /api/v1/actions?owner_id=&done=&customer_id=`: action items
    /// across meetings, overdue first, then by due date.
    Actions {
        /// A staff id, or `me`.
        owner_id: Option<String>,
        done: Option<bool>,
        customer_id: Option<String>,
    },
    /// A customer's health today.
    Health { customer_id: String },
    /// The signed-in staff member's next `days` days.
    WeekAhead { days: i64 },
    /// A page of customers worst health first, each with its state, after
    /// the page `offset` (the server's cursor is `health:OFFSET`).
    Portfolio { offset: usize },
    /// `GET /api/v1/audit?entity=C&id=ID&cursor=SEQ`: one record's audit
    /// trail, oldest first, a page after the page ending at `cursor`.
    Audit {
        entity: rapport_shared::Collection,
        id: String,
        cursor: Option<String>,
    },
    /// `GET /api/v1/audit?entity=&id=&after=SEQ-1&limit=1`: the audit entry
    /// of the change the feed numbered `seq` (who made it, before, after).
    ChangeAudit {
        entity: &'static str,
        id: String,
        seq: i64,
    },
}

impl ViewCall {
    /// The path under `/api/v1/` and the query parameters.
    fn path(&self) -> (String, Vec<(&'static str, String)>) {
        match self {
            ViewCall::Attainment {
                agreement_id,
                from,
                to,
            } => (
                format!("agreements/{}/attainment", encode(agreement_id)),
                vec![("from", from.clone()), ("to", to.clone())],
            ),
            ViewCall::Budget { customer_id, year } => (
                format!("customers/{}/budget", encode(customer_id)),
                vec![("year", year.to_string())],
            ),
            ViewCall::Satisfaction { customer_id } => (
                format!("customers/{}/satisfaction", encode(customer_id)),
                Vec::new(),
            ),
            ViewCall::SurveyResults { survey_id } => {
                (format!("surveys/{}/results", encode(survey_id)), Vec::new())
            }
            ViewCall::SurveyComments { survey_id } => (
                format!("surveys/{}/comments", encode(survey_id)),
                Vec::new(),
            ),
            ViewCall::AgendaProposal {
                customer_id,
                kind,
                from,
                to,
            } => (
                format!("customers/{}/agenda-proposal", encode(customer_id)),
                vec![
                    ("kind", kind.clone()),
                    ("from", from.clone()),
                    ("to", to.clone()),
                ],
            ),
            ViewCall::Actions {
                owner_id,
                done,
                customer_id,
            } => {
                let mut params = Vec::new();
                if let Some(owner) = owner_id {
                    params.push(("owner_id", owner.clone()));
                }
                if let Some(done) = done {
                    params.push(("done", done.to_string()));
                }
                if let Some(customer) = customer_id {
                    params.push(("customer_id", customer.clone()));
                }
                ("actions".to_string(), params)
            }
            ViewCall::Health { customer_id } => (
                format!("customers/{}/health", encode(customer_id)),
                Vec::new(),
            ),
            ViewCall::WeekAhead { days } => ("week-ahead".into(), vec![("days", days.to_string())]),
            ViewCall::Portfolio { offset } => {
                let mut params = vec![("sort", "health".to_string()), ("include", "health".into())];
                params.push(("limit", rapport_shared::wire::MAX_PAGE_LIMIT.to_string()));
                if *offset > 0 {
                    params.push(("cursor", format!("health:{offset}")));
                }
                ("customers".into(), params)
            }
            ViewCall::Audit { entity, id, cursor } => {
                let mut params = vec![("entity", entity.name().to_string()), ("id", id.clone())];
                if let Some(cursor) = cursor {
                    params.push(("cursor", cursor.clone()));
                }
                ("audit".into(), params)
            }
            ViewCall::ChangeAudit { entity, id, seq } => (
                "audit".into(),
                vec![
                    ("entity", entity.to_string()),
                    ("id", id.clone()),
                    ("after", seq.saturating_sub(1).max(0).to_string()),
                    ("limit", "1".into()),
                ],
            ),
        }
    }
}

impl ApiClient {
    /// Reads one view.
    pub async fn view(&self, call: &ViewCall) -> Result<Value, ApiError> {
        let (path, params) = call.path();
        let query: Vec<String> = params
            .iter()
            .map(|(key, value)| {
                // Every value is a number, a date, a month or a word of
                // the contract's; nothing else reaches the URL.
                let value: String = value
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '_'))
                    .collect();
                format!("{key}={value}")
            })
            .collect();
        let path = if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        };
        let request = self.request(Method::GET, &path);
        decode(send(request).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_name_their_record_and_period() {
        let budget = ViewCall::Budget {
            customer_id: "c/1".into(),
            year: 2026,
        };
        assert_eq!(
            budget.path(),
            ("customers/c1/budget".into(), vec![("year", "2026".into())])
        );
        let satisfaction = ViewCall::Satisfaction {
            customer_id: "c1".into(),
        };
        assert_eq!(
            satisfaction.path(),
            ("customers/c1/satisfaction".into(), Vec::new())
        );
    }

    #[test]
    fn the_meeting_views_name_their_period_and_owner() {
        let proposal = ViewCall::AgendaProposal {
            customer_id: "c1".into(),
            kind: "follow_up".into(),
            from: "2026-02-20".into(),
            to: "2026-05-20".into(),
        };
        assert_eq!(
            proposal.path(),
            (
                "customers/c1/agenda-proposal".into(),
                vec![
                    ("kind", "follow_up".into()),
                    ("from", "2026-02-20".into()),
                    ("to", "2026-05-20".into())
                ]
            )
        );
        let mine = ViewCall::Actions {
            owner_id: Some("me".into()),
            done: Some(false),
            customer_id: None,
        };
        assert_eq!(
            mine.path(),
            (
                "actions".into(),
                vec![("owner_id", "me".into()), ("done", "false".into())]
            )
        );
    }
}
