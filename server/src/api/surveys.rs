//! A survey's responses: `POST`, `GET /surveys/{id}/responses` and
//! `DELETE /surveys/{id}/responses/{rid}`. A response is taken only while
//! its survey is open (409), once per contact (409), from a contact of an
//! audience customer (422), with answers that fit the questions (422 on
//! `answers.<question id>`). The survey's status, questions and audience
//! are guards, so a survey closed or changed meanwhile is seen. The
//! figures are [`super::survey_results`].

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::fields::FieldError;
use rapport_shared::records::{
    RecordInput, ResponseInput, SurveyInput, SurveyResponseFields, SurveyStatus, to_object,
};
use serde_json::{Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::{
    Condition, Guard, IdempotencyKey, Link, Requirement, StoreError, StoredRecord, Taken,
    UniqueField, WriteBatch, WriteOp,
};

use super::error::{ApiError, ApiResult};
use super::lists::every_record;
use super::records::{request_hash, try_again, write_one};
use super::request::{idempotency_key, if_match, json_object};
use super::respond;
use super::route::{Call, Route, RouteDoc};

/// Adds the response routes.
pub fn routes(routes: &mut Vec<Route>) {
    let doc =
        |summary: &str, request: Option<&str>, response: Option<&str>, status, if_match| RouteDoc {
            summary: summary.into(),
            request: request.map(str::to_string),
            response: response.map(str::to_string),
            status,
            query: Vec::new(),
            if_match,
        };
    routes.push(Route::new(
        Method::POST,
        "/api/v1/surveys/{id}/responses",
        Some(Permission::Operator),
        doc(
            "Record a contact's response to an open survey",
            Some("survey_response_input"),
            Some("survey_response"),
            201,
            false,
        ),
        respond_to,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/surveys/{id}/responses",
        Some(Permission::Viewer),
        doc(
            "A survey's responses, oldest first",
            None,
            Some("survey_responses"),
            200,
            false,
        ),
        responses,
    ));
    routes.push(Route::new(
        Method::DELETE,
        "/api/v1/surveys/{id}/responses/{response_id}",
        Some(Permission::Manager),
        doc("Delete a wrong response", None, None, 204, true),
        delete_response,
    ));
}

/// A stored survey's fields, read back.
pub fn survey_of(record: &StoredRecord) -> ApiResult<SurveyInput> {
    SurveyInput::from_json(&record.fields).map_err(|errors| {
        ApiError::Internal(format!("a stored survey does not validate: {errors}"))
    })
}

/// `POST /api/v1/surveys/{id}/responses`.
async fn respond_to(call: Call) -> ApiResult<Response> {
    let survey_id = call.param(0)?.to_string();
    let actor = call.actor()?.clone();
    let store = call.state.store.clone();
    let idempotency = match idempotency_key(&call.request.head.headers)? {
        None => None,
        Some(key) => {
            let request_hash = request_hash(&call);
            if let Some(replay) = store
                .idempotent_replay(actor.token_id.clone(), key.clone())
                .await?
            {
                if replay.request_hash != request_hash
                    || replay.collection != Collection::SurveyResponses
                {
                    return Err(ApiError::invalid(
                        "Idempotency-Key",
                        "this key was already used for a different request; use a new key for a new record",
                    ));
                }
                return Ok(created(&survey_id, &replay.record));
            }
            Some(IdempotencyKey {
                token_id: actor.token_id.clone(),
                key,
                request_hash,
            })
        }
    };
    let object = json_object(&call.request)?;
    let record = store.get(Collection::Surveys, survey_id.clone()).await?;
    let survey = survey_of(&record)?;
    if survey.status != SurveyStatus::Open {
        return Err(ApiError::Conflict(format!(
            "the survey is {}: responses are taken only while it is open",
            survey.status
        )));
    }
    let ResponseInput {
        contact_id,
        answers,
    } = ResponseInput::from_json(&object, &survey.questions)?;
    let contact = match store.get(Collection::Contacts, contact_id.clone()).await {
        Err(StoreError::NotFound { .. }) => {
            return Err(ApiError::invalid(
                "contact_id",
                format!("no contact with id {contact_id}"),
            ));
        }
        other => other?,
    };
    let customer_id = contact
        .fields
        .get("customer_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !survey.customer_ids.contains(&customer_id) {
        return Err(ApiError::invalid(
            "contact_id",
            "the contact's customer is not in this survey's audience",
        ));
    }
    let fields = SurveyResponseFields {
        survey_id: survey_id.clone(),
        contact_id: contact_id.clone(),
        customer_id: customer_id.clone(),
        answers,
    };
    let batch = WriteBatch {
        actor,
        ops: vec![response_op(&fields)],
        idempotency,
        at: None,
        guards: response_guards(&fields, &record),
        derivations: Vec::new(),
    };
    let written = match write_one(&call, batch).await {
        Err(ApiError::Conflict(detail)) if detail.starts_with("another record already has") => {
            return Err(ApiError::ConflictOn(
                format!("contact {contact_id} has already responded to this survey"),
                FieldError::new("contact_id", "has already responded to this survey"),
            ));
        }
        other => other?,
    };
    Ok(created(&survey_id, &written))
}

/// The 201 of a recorded response.
fn created(survey_id: &str, record: &StoredRecord) -> Response {
    let mut response = respond::json(StatusCode::CREATED, &record.to_json());
    respond::set_etag(&mut response, record.version);
    respond::set_location(
        &mut response,
        &format!("/api/v1/surveys/{survey_id}/responses/{}", record.id),
    );
    response
}

/// The write of one response: linked to its survey, contact and customer,
/// one per survey and contact.
pub fn response_op(fields: &SurveyResponseFields) -> WriteOp {
    let link = |field: &str, collection, id: &str| Link {
        field: field.into(),
        collection,
        id: id.into(),
    };
    WriteOp::Create {
        collection: Collection::SurveyResponses,
        fields: to_object(fields),
        links: vec![
            link("survey_id", Collection::Surveys, &fields.survey_id),
            link("contact_id", Collection::Contacts, &fields.contact_id),
            link("customer_id", Collection::Customers, &fields.customer_id),
        ],
        unique: vec![UniqueField {
            field: "contact_id".into(),
            value: fields.key(),
            taken: Taken::Conflict,
        }],
    }
}

/// What must still hold when the response commits: the survey is open
/// with the questions the answers were checked against (else 409), its
/// audience holds the contact's customer and the contact is still theirs
/// (else 422).
pub fn response_guards(fields: &SurveyResponseFields, survey: &StoredRecord) -> Vec<Guard> {
    let requirement = |field: &str, value: Value, message: &str| Requirement {
        condition: Condition::Equals {
            field: field.into(),
            value,
        },
        message: message.into(),
        on_field: None,
    };
    let questions = survey
        .fields
        .get("questions")
        .cloned()
        .unwrap_or(Value::Null);
    vec![
        Guard::Conflict(Box::new(Guard::Requires {
            collection: Collection::Surveys,
            id: survey.id.clone(),
            field: "survey_id".into(),
            missing: format!("no survey with id {}", survey.id),
            requirements: vec![
                requirement(
                    "status",
                    json!(SurveyStatus::Open.as_str()),
                    "the survey is no longer open: responses are taken only while it is open",
                ),
                requirement(
                    "questions",
                    questions,
                    "the survey's questions changed meanwhile: check the answers again",
                ),
            ],
        })),
        Guard::Requires {
            collection: Collection::Surveys,
            id: survey.id.clone(),
            field: "contact_id".into(),
            missing: format!("no survey with id {}", survey.id),
            requirements: vec![Requirement {
                condition: Condition::Contains {
                    field: "customer_ids".into(),
                    value: json!(fields.customer_id),
                },
                message: "the contact's customer is not in this survey's audience".into(),
                on_field: None,
            }],
        },
        Guard::Requires {
            collection: Collection::Contacts,
            id: fields.contact_id.clone(),
            field: "contact_id".into(),
            missing: format!("no contact with id {}", fields.contact_id),
            requirements: vec![requirement(
                "customer_id",
                json!(fields.customer_id),
                "the contact moved to another customer meanwhile",
            )],
        },
    ]
}

/// Every response to the survey `survey_id`, oldest first (404 for an
/// unknown survey).
pub async fn responses_to(call: &Call, survey_id: &str) -> ApiResult<Vec<StoredRecord>> {
    let store = call.state.store.as_ref();
    every_record(store, Collection::SurveyResponses, "survey_id", survey_id).await
}

/// `GET /api/v1/surveys/{id}/responses`.
async fn responses(call: Call) -> ApiResult<Response> {
    let survey_id = call.param(0)?.to_string();
    call.state
        .store
        .get(Collection::Surveys, survey_id.clone())
        .await?;
    let items: Vec<Value> = responses_to(&call, &survey_id)
        .await?
        .iter()
        .map(StoredRecord::to_json)
        .collect();
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}

/// `DELETE /api/v1/surveys/{id}/responses/{response_id}` under `If-Match`.
async fn delete_response(call: Call) -> ApiResult<Response> {
    let expected = if_match(&call.request.head.headers)?;
    let survey_id = call.param(0)?.to_string();
    let response_id = call.param(1)?.to_string();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let current = call
            .state
            .store
            .get(Collection::SurveyResponses, response_id.clone())
            .await?;
        if current.fields.get("survey_id").and_then(Value::as_str) != Some(survey_id.as_str()) {
            return Err(ApiError::NotFound(format!(
                "survey {survey_id} has no response with id {response_id}"
            )));
        }
        let batch = WriteBatch {
            actor: call.actor()?.clone(),
            ops: vec![WriteOp::Delete {
                collection: Collection::SurveyResponses,
                id: response_id.clone(),
                expected_version: expected.unwrap_or(current.version),
            }],
            idempotency: None,
            at: None,
            guards: Vec::new(),
            derivations: Vec::new(),
        };
        match write_one(&call, batch).await {
            Err(ApiError::Stale { .. }) if try_again(expected, attempts) => continue,
            other => break other.map(drop)?,
        }
    }
    Ok(Response::empty(StatusCode::NO_CONTENT))
}
