//! What surveys add up to: `GET /surveys/{id}/results` (the arithmetic is
//! [`rapport_shared::satisfaction`]), `GET /surveys/{id}/comments` (the
//! text answers, newest first) and `GET /customers/{id}/satisfaction` (a
//! customer's mean and NPS in every survey they were asked in, in time
//! order).

use std::collections::BTreeMap;

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::records::{QuestionKind, SurveyInput, SurveyStatus};
use rapport_shared::satisfaction::{Answered, results, tally_of};
use serde_json::{Map, Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::{Filter, Store, StoredRecord};

use super::error::ApiResult;
use super::lists::{count_where, every_record};
use super::respond;
use super::route::{Call, Route, RouteDoc};
use super::surveys::{responses_to, survey_of};

/// Adds the results, comments and satisfaction routes.
pub fn routes(routes: &mut Vec<Route>) {
    let doc = |summary: &str, response: &str| RouteDoc {
        summary: summary.into(),
        request: None,
        response: Some(response.into()),
        status: 200,
        query: Vec::new(),
        if_match: false,
    };
    routes.push(Route::new(
        Method::GET,
        "/api/v1/surveys/{id}/results",
        Some(Permission::Viewer),
        doc(
            "A survey's results: per question, customer and service",
            "survey_results",
        ),
        survey_results,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/surveys/{id}/comments",
        Some(Permission::Viewer),
        doc("A survey's text answers, newest first", "survey_comments"),
        comments,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/customers/{id}/satisfaction",
        Some(Permission::Viewer),
        doc(
            "A customer's mean and NPS in every survey, in time order",
            "satisfaction",
        ),
        satisfaction,
    ));
}

/// A response's customer and answers, as the arithmetic reads them.
fn answered(record: &StoredRecord) -> Answered<'_> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    Answered {
        customer_id: record
            .fields
            .get("customer_id")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        answers: record
            .fields
            .get("answers")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new)),
    }
}

/// How many contacts each audience customer has (a count each).
async fn invited(store: &dyn Store, survey: &SurveyInput) -> ApiResult<BTreeMap<String, u64>> {
    let mut invited = BTreeMap::new();
    for customer_id in &survey.customer_ids {
        let filter = Filter::is("customer_id", customer_id);
        let contacts = count_where(store, Collection::Contacts, vec![filter]).await?;
        invited.insert(customer_id.clone(), contacts);
    }
    Ok(invited)
}

/// `GET /api/v1/surveys/{id}/results`.
async fn survey_results(call: Call) -> ApiResult<Response> {
    let store = call.state.store.as_ref();
    let survey_id = call.param(0)?.to_string();
    let survey = survey_of(&store.get(Collection::Surveys, survey_id.clone()).await?)?;
    let records = responses_to(&call, &survey_id).await?;
    let answered: Vec<Answered<'_>> = records.iter().map(answered).collect();
    let body = results(&survey, &invited(store, &survey).await?, &answered);
    Ok(respond::json(StatusCode::OK, &body))
}

/// `GET /api/v1/surveys/{id}/comments`.
async fn comments(call: Call) -> ApiResult<Response> {
    let store = call.state.store.as_ref();
    let survey_id = call.param(0)?.to_string();
    let survey = survey_of(&store.get(Collection::Surveys, survey_id.clone()).await?)?;
    let mut records = responses_to(&call, &survey_id).await?;
    records.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    let mut items = Vec::new();
    for record in &records {
        let answered = answered(record);
        for question in survey
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Text)
        {
            if let Some(text) = answered.answers.get(&question.id).and_then(Value::as_str) {
                items.push(json!({
                    "question_id": question.id,
                    "text": text,
                    "contact_id": record.fields.get("contact_id"),
                    "customer_id": answered.customer_id,
                    "created_at": record.created_at.to_string(),
                }));
            }
        }
    }
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}

/// `GET /api/v1/customers/{id}/satisfaction`: every survey past its draft
/// whose audience holds the customer, by the end of its period (surveys
/// without one last), then by creation.
async fn satisfaction(call: Call) -> ApiResult<Response> {
    let store = call.state.store.as_ref();
    let customer_id = call.param(0)?.to_string();
    store
        .get(Collection::Customers, customer_id.clone())
        .await?;
    let items = satisfaction_items(store, &customer_id).await?;
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}

/// Customer `customer_id`'s score in every open or closed survey asking
/// it, in time order: `{"survey_id","title","period_end","mean","nps","responses"}`.
pub async fn satisfaction_items(store: &dyn Store, customer_id: &str) -> ApiResult<Vec<Value>> {
    let customer_id = customer_id.to_string();
    let mut surveys = Vec::new();
    for status in [SurveyStatus::Open, SurveyStatus::Closed] {
        for record in every_record(store, Collection::Surveys, "status", status.as_str()).await? {
            let survey = survey_of(&record)?;
            if survey.customer_ids.contains(&customer_id) {
                surveys.push((record, survey));
            }
        }
    }
    surveys.sort_by(|(a, sa), (b, sb)| {
        (sa.period_end.is_none(), sa.period_end, &a.id).cmp(&(
            sb.period_end.is_none(),
            sb.period_end,
            &b.id,
        ))
    });
    let mut items = Vec::new();
    for (record, survey) in &surveys {
        let responses = every_record(
            store,
            Collection::SurveyResponses,
            "customer_id",
            &customer_id,
        )
        .await?;
        let theirs: Vec<Answered<'_>> = responses
            .iter()
            .filter(|r| {
                r.fields.get("survey_id").and_then(Value::as_str) == Some(record.id.as_str())
            })
            .map(answered)
            .collect();
        let refs: Vec<&Answered<'_>> = theirs.iter().collect();
        let tally = tally_of(survey, &refs, |_| true);
        items.push(json!({
            "survey_id": record.id,
            "title": survey.title,
            "period_end": survey.period_end.map(|d| d.to_string()),
            "mean": tally.mean(),
            "nps": tally.nps(),
            "responses": theirs.len(),
        }));
    }
    Ok(items)
}
