//! What meetings read from the records: a proposed agenda,
//! `GET /api/v1/customers/{id}/agenda-proposal?kind=&from=&to=`, and the
//! open actions across meetings, `GET /api/v1/actions`. The proposal's
//! items are [`rapport_shared::agenda`]'s; this module reads the query and
//! gathers the customer's facts from the store.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, Zoned};
use rapport_shared::Collection;
use rapport_shared::agenda::{
    ActivityFacts, AgreementFacts, Facts, HeldMeeting, ImprovementFacts, RfcFacts, SurveyScore,
    propose,
};
use rapport_shared::enums::{Permission, RfcStatus};
use rapport_shared::fields::parse_date;
use rapport_shared::month::Month;
use rapport_shared::records::{
    ActivityInput, ActivityStatus, AgreementInput, AgreementStatus, ImprovementInput,
    ImprovementStatus, MeetingInput, MeetingKind, Rfc, RfcTransition, effective_status,
};
use serde_json::{Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::{Filter, Store, StoredRecord};

use super::agreements::{attainment_over, read, unreadable};
use super::budget::budget_for;
use super::error::{ApiError, ApiResult};
use super::lists::{every_record, every_record_where};
use super::respond;
use super::route::{Call, Route, RouteDoc};
use super::survey_results::satisfaction_items;

/// How far back a follow-up looks when `from` is not given.
const FOLLOW_UP_MONTHS: i64 = 3;

/// Adds the agenda proposal and the actions routes.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/customers/{id}/agenda-proposal",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "A meeting's agenda proposed from the customer's records".into(),
            request: None,
            response: Some("agenda_proposal".into()),
            status: 200,
            query: vec!["kind".into(), "from".into(), "to".into()],
            if_match: false,
        },
        agenda_proposal,
    ));
    routes.push(Route::new(
        Method::GET,
        "/api/v1/actions",
        Some(Permission::Viewer),
        RouteDoc {
            summary: "Action items across meetings, overdue first, then by due date".into(),
            request: None,
            response: Some("actions".into()),
            status: 200,
            query: vec!["owner_id".into(), "done".into(), "customer_id".into()],
            if_match: false,
        },
        actions,
    ));
}

/// `GET /api/v1/customers/{id}/agenda-proposal?kind=&from=&to=`: `kind` is
/// required; a follow-up looks back three months to today, a
/// forward-looking session a year ahead from today, unless `from`/`to` say.
async fn agenda_proposal(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["kind", "from", "to"])?;
    let kind = match call.query.get("kind") {
        None => return Err(ApiError::invalid("kind", "is required")),
        Some(text) => MeetingKind::parse(text).ok_or_else(|| {
            ApiError::invalid(
                "kind",
                format!("must be one of {}", MeetingKind::NAMES.join(", ")),
            )
        })?,
    };
    let date = |name: &str| {
        call.query
            .get(name)
            .map(|text| {
                parse_date(text).ok_or_else(|| ApiError::invalid(name, "must be a date YYYY-MM-DD"))
            })
            .transpose()
    };
    let today = Zoned::now().date();
    let (from, to) = match kind {
        MeetingKind::FollowUp => {
            let to = date("to")?.unwrap_or(today);
            let back = to.checked_sub(FOLLOW_UP_MONTHS.months()).unwrap_or(to);
            (date("from")?.unwrap_or(back), to)
        }
        MeetingKind::ForwardLooking => {
            let from = date("from")?.unwrap_or(today);
            let ahead = from
                .checked_add(1.year())
                .and_then(|d| d.checked_sub(1.day()))
                .unwrap_or(from);
            (from, date("to")?.unwrap_or(ahead))
        }
    };
    if to < from {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    let store = call.state.store.as_ref();
    let customer_id = call.param(0)?.to_string();
    store
        .get(Collection::Customers, customer_id.clone())
        .await?;
    let facts = facts(store, &customer_id, kind, from, to, today).await?;
    let proposal = propose(kind, &facts, from, to, today);
    Ok(respond::json(StatusCode::OK, &proposal))
}

/// What the proposal of `kind` reads about the customer.
async fn facts(
    store: &dyn Store,
    customer_id: &str,
    kind: MeetingKind,
    from: Date,
    to: Date,
    today: Date,
) -> ApiResult<Facts> {
    let mut facts = Facts {
        customer_id: customer_id.to_string(),
        rfcs: rfcs(store, customer_id, kind).await?,
        ..Facts::default()
    };
    for record in every_record(store, Collection::Agreements, "customer_id", customer_id).await? {
        let agreement: AgreementInput = read(&record)?;
        let status = effective_status(agreement.status, agreement.valid_to, today);
        let attainment = if kind == MeetingKind::FollowUp && status == AgreementStatus::Active {
            Some(
                attainment_over(
                    store,
                    &record.id,
                    &agreement,
                    Month::of(from),
                    Month::of(to),
                )
                .await?,
            )
        } else {
            None
        };
        facts.agreements.push(AgreementFacts {
            id: record.id.clone(),
            title: agreement.title,
            active: status == AgreementStatus::Active,
            review_on: agreement.review_on,
            attainment,
        });
    }
    match kind {
        MeetingKind::FollowUp => {
            facts.surveys = satisfaction_items(store, customer_id)
                .await?
                .iter()
                .map(survey_score)
                .collect();
            let budget = budget_for(store, customer_id, i32::from(to.year())).await?;
            for service in &budget.services {
                if let Ok(record) = store
                    .get(Collection::Services, service.service_id.clone())
                    .await
                {
                    let name = record
                        .fields
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    facts
                        .service_names
                        .insert(record.id.clone(), name.to_string());
                }
            }
            facts.budget = Some(budget);
        }
        MeetingKind::ForwardLooking => {
            for record in
                every_record(store, Collection::Activities, "customer_id", customer_id).await?
            {
                let activity: ActivityInput = read(&record)?;
                facts.activities.push(ActivityFacts {
                    id: record.id.clone(),
                    title: activity.title,
                    horizon: activity.horizon,
                    starts_on: activity.starts_on,
                    ends_on: activity.ends_on,
                    open: matches!(
                        activity.status,
                        ActivityStatus::Planned | ActivityStatus::InProgress
                    ),
                });
            }
            for record in
                every_record(store, Collection::Improvements, "customer_id", customer_id).await?
            {
                let improvement: ImprovementInput = read(&record)?;
                facts.improvements.push(ImprovementFacts {
                    id: record.id.clone(),
                    description: improvement.description,
                    open: matches!(
                        improvement.status,
                        ImprovementStatus::Proposed | ImprovementStatus::InProgress
                    ),
                });
            }
        }
    }
    let now = Timestamp::now();
    for record in every_record(store, Collection::Meetings, "customer_id", customer_id).await? {
        let meeting: MeetingInput = read(&record)?;
        if meeting.starts_at <= now {
            facts.meetings.push(HeldMeeting {
                id: record.id.clone(),
                kind: meeting.kind,
                starts_at: meeting.starts_at,
                actions: meeting.actions,
            });
        }
    }
    Ok(facts)
}

/// The customer's RFCs; for a follow-up with when each closed one closed
/// (its last step to `closed`).
async fn rfcs(store: &dyn Store, customer_id: &str, kind: MeetingKind) -> ApiResult<Vec<RfcFacts>> {
    let mut facts = Vec::new();
    for record in every_record(store, Collection::Rfcs, "customer_id", customer_id).await? {
        let rfc: Rfc = serde_json::from_value(record.to_json())
            .map_err(|error| unreadable(&record, &error.to_string()))?;
        let closed_at = if kind == MeetingKind::FollowUp && rfc.status == RfcStatus::Closed {
            closing(store, &record).await?
        } else {
            None
        };
        facts.push(RfcFacts {
            id: record.id.clone(),
            title: rfc.fields.title,
            status: rfc.status,
            route: rfc.route,
            created_at: record.created_at,
            closed_at,
        });
    }
    Ok(facts)
}

/// When RFC `record` last moved to `closed`.
async fn closing(store: &dyn Store, record: &StoredRecord) -> ApiResult<Option<Timestamp>> {
    let mut closed = None;
    for step in every_record(store, Collection::RfcTransitions, "rfc_id", &record.id).await? {
        let step: RfcTransition = serde_json::from_value(step.to_json())
            .map_err(|error| unreadable(&step, &error.to_string()))?;
        if step.fields.to == RfcStatus::Closed {
            closed = closed.max(Some(step.fields.when));
        }
    }
    Ok(closed)
}

/// One item of the satisfaction view, as the proposal reads it.
fn survey_score(item: &Value) -> SurveyScore {
    let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default();
    SurveyScore {
        survey_id: text("survey_id").to_string(),
        title: text("title").to_string(),
        period_end: parse_date(text("period_end")),
        mean: item.get("mean").and_then(Value::as_f64),
        nps: item.get("nps").and_then(Value::as_f64),
        responses: item.get("responses").and_then(Value::as_i64).unwrap_or(0),
    }
}

/// `GET /api/v1/actions?owner_id=ID|me&done=true|false&customer_id=`: the
/// action items of every meeting matching, overdue first (due before today
/// and not done), then by due date (none last), then by meeting and place.
async fn actions(call: Call) -> ApiResult<Response> {
    call.query
        .reject_unknown(&["owner_id", "done", "customer_id"])?;
    let owner = match call.query.get("owner_id") {
        Some("me") => Some(call.actor()?.staff_id.clone().ok_or_else(|| {
            ApiError::invalid("owner_id", "me needs a token linked to a staff member")
        })?),
        Some(id) => Some(id.to_string()),
        None => None,
    };
    let done = match call.query.get("done") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(ApiError::invalid("done", "must be one of true, false")),
    };
    let filters = call
        .query
        .get("customer_id")
        .map(|id| Filter {
            param: "customer_id".into(),
            value: id.into(),
        })
        .into_iter()
        .collect();
    let today = Zoned::now().date();
    let mut items = Vec::new();
    for record in
        every_record_where(call.state.store.as_ref(), Collection::Meetings, filters).await?
    {
        let meeting: MeetingInput = read(&record)?;
        for (index, action) in meeting.actions.iter().enumerate() {
            if owner
                .as_ref()
                .is_some_and(|o| action.owner_id.as_ref() != Some(o))
                || done.is_some_and(|d| action.done != d)
            {
                continue;
            }
            let overdue = !action.done && action.due_on.is_some_and(|due| due < today);
            let key = (
                !overdue,
                action.due_on.is_none(),
                action.due_on,
                meeting.starts_at,
                index,
            );
            items.push((
                key,
                json!({
                    "meeting_id": record.id, "index": index, "text": action.text,
                    "owner_id": action.owner_id, "due_on": action.due_on, "done": action.done,
                    "overdue": overdue, "customer_id": meeting.customer_id, "kind": meeting.kind,
                }),
            ));
        }
    }
    items.sort_by_key(|(key, _)| *key);
    let items: Vec<Value> = items.into_iter().map(|(_, item)| item).collect();
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}
