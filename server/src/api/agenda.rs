//! What meetings read from the records: a proposed agenda,
//! `GET /api/v1/customers/{id}/agenda-proposal?kind=&from=&to=`, and the
//! open actions across meetings, `GET /api/v1/actions`. The proposal's
//! items are [`rapport_shared::agenda`]'s; this module reads the query and
//! has the customer's facts gathered ([`super::facts`]).

use jiff::{ToSpan, Zoned};
use rapport_shared::Collection;
use rapport_shared::agenda::propose;
use rapport_shared::enums::Permission;
use rapport_shared::fields::parse_date;
use rapport_shared::month::Month;
use rapport_shared::records::{MeetingInput, MeetingKind};
use serde_json::{Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::Filter;

use super::agreements::read;
use super::error::{ApiError, ApiResult};
use super::facts::{Wanted, gather};
use super::lists::every_record_where;
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};

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
            query: vec![
                QueryParam::one_of("kind", MeetingKind::NAMES).required(),
                QueryParam::typed("from", value::date()),
                QueryParam::typed("to", value::date()),
            ],
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
            query: vec![
                "owner_id".into(),
                QueryParam::typed("done", value::boolean()),
                "customer_id".into(),
            ],
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
    let wanted = match kind {
        MeetingKind::FollowUp => Wanted {
            closings: true,
            attainment: Some((Month::of(from), Month::of(to))),
            money_and_scores: Some(i32::from(to.year())),
            plan: false,
        },
        MeetingKind::ForwardLooking => Wanted {
            plan: true,
            ..Wanted::default()
        },
    };
    let facts = gather(store, &customer_id, &wanted, today).await?;
    let proposal = propose(kind, &facts, from, to, today);
    Ok(respond::json(StatusCode::OK, &proposal))
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
        .map(|id| Filter::is("customer_id", id))
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
