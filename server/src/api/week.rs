//! The week ahead of a staff member: `GET /api/v1/week-ahead?days=7`
//! (`staff_id=me` by default, or another staff member's id): by day, the
//! meetings they attend or their teams hold, the reviews and expiries of
//! their customers' agreements, their customers' activity milestones, the
//! notices reaching their customers, and their open actions due (the
//! overdue ones on the first day); and each of their customers' health
//! today, so a client can tell which changed since it last looked. Their
//! customers are those of the teams they are the BRM, delivery manager or
//! a service owner of.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::{ToSpan, Zoned};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::records::{
    ActivityInput, ActivityStatus, AgreementInput, AgreementStatus, MeetingInput, NoticeInput,
    TeamInput,
};
use serde_json::{Value, json};

use crate::http::{Method, Response, StatusCode};
use crate::store::Filter;

use super::agreements::read;
use super::error::{ApiError, ApiResult};
use super::health::health_of;
use super::lists::{every_record, every_record_where};
use super::resources::Resource;
use super::respond;
use super::route::{Call, QueryParam, Route, RouteDoc, value};

/// The longest look ahead.
pub const MAX_DAYS: i64 = 62;

/// Adds the week-ahead route.
pub fn routes(routes: &mut Vec<Route>) {
    routes.push(Route::new(
        Method::GET,
        "/api/v1/week-ahead",
        Some(Permission::Viewer),
        RouteDoc {
            summary:
                "A staff member's days ahead: meetings, reviews, milestones, notices, actions due"
                    .into(),
            request: None,
            response: Some("week_ahead".into()),
            status: 200,
            query: vec![
                QueryParam::typed("days", value::whole(1, MAX_DAYS)),
                "staff_id".into(),
            ],
            if_match: false,
        },
        week_ahead,
    ));
}

/// One thing on a day.
struct Item {
    date: Date,
    kind: &'static str,
    title: String,
    customer_id: Option<String>,
    collection: Collection,
    id: String,
}

/// `GET /api/v1/week-ahead?days=N&staff_id=ID|me`.
async fn week_ahead(call: Call) -> ApiResult<Response> {
    call.query.reject_unknown(&["days", "staff_id"])?;
    let days = match call.query.get("days") {
        None => 7,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|days| (1..=MAX_DAYS).contains(days))
            .ok_or_else(|| {
                ApiError::invalid(
                    "days",
                    format!("must be a whole number from 1 to {MAX_DAYS}"),
                )
            })?,
    };
    let staff_id = match call.query.get("staff_id") {
        None | Some("me") => call.actor()?.staff_id.clone().ok_or_else(|| {
            ApiError::invalid("staff_id", "me needs a token linked to a staff member")
        })?,
        Some(id) => id.to_string(),
    };
    let store = call.state.store.as_ref();
    store.get(Collection::Staff, staff_id.clone()).await?;
    let from = Zoned::now().date();
    let to = from.checked_add((days - 1).days()).unwrap_or(from);
    let within = |date: Date| from <= date && date <= to;

    let mut teams = BTreeSet::new();
    for record in every_record_where(store, Collection::Teams, Vec::new()).await? {
        let team: TeamInput = read(&record)?;
        if team.brm_id == staff_id
            || team.delivery_manager_id == staff_id
            || team.service_owner_ids.contains(&staff_id)
        {
            teams.insert(record.id.clone());
        }
    }
    let mut customers = BTreeMap::new();
    for team in &teams {
        for record in every_record(store, Collection::Customers, "team_id", team).await? {
            let code = record
                .fields
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            customers.insert(record.id.clone(), code);
        }
    }

    let mut items = Vec::new();
    let range = vec![
        Filter::is("from", &from.to_string()),
        Filter::is("to", &to.to_string()),
    ];
    for record in every_record_where(store, Collection::Meetings, range).await? {
        let meeting: MeetingInput = read(&record)?;
        let team = record.fields.get("team_id").and_then(Value::as_str);
        let attends = meeting.attendee_staff_ids.contains(&staff_id);
        if attends || team.is_some_and(|t| teams.contains(t)) {
            let date = meeting.starts_at.to_zoned(jiff::tz::TimeZone::UTC).date();
            let title = meeting
                .title
                .clone()
                .unwrap_or_else(|| meeting.kind.as_str().replace('_', " "));
            items.push(Item {
                date,
                kind: "meeting",
                title: format!("{title} at {}", meeting.starts_at.strftime("%H:%M UTC")),
                customer_id: Some(meeting.customer_id.clone()),
                collection: Collection::Meetings,
                id: record.id.clone(),
            });
        }
        // Their open actions from any meeting are below.
    }
    for customer_id in customers.keys() {
        for record in
            every_record(store, Collection::Agreements, "customer_id", customer_id).await?
        {
            let agreement: AgreementInput = read(&record)?;
            if agreement.status != AgreementStatus::Active {
                continue;
            }
            for (date, kind, words) in [
                (agreement.review_on, "review", "review of"),
                (agreement.valid_to, "expiry", "last day of"),
            ] {
                if let Some(date) = date.filter(|d| within(*d)) {
                    items.push(Item {
                        date,
                        kind,
                        title: format!("{words} {}", agreement.title),
                        customer_id: Some(customer_id.clone()),
                        collection: Collection::Agreements,
                        id: record.id.clone(),
                    });
                }
            }
        }
        for record in
            every_record(store, Collection::Activities, "customer_id", customer_id).await?
        {
            let activity: ActivityInput = read(&record)?;
            if !matches!(
                activity.status,
                ActivityStatus::Planned | ActivityStatus::InProgress
            ) {
                continue;
            }
            for (date, words) in [(activity.starts_on, "starts"), (activity.ends_on, "due")] {
                if let Some(date) = date.filter(|d| within(*d)) {
                    items.push(Item {
                        date,
                        kind: "milestone",
                        title: format!("{} {words}", activity.title),
                        customer_id: Some(customer_id.clone()),
                        collection: Collection::Activities,
                        id: record.id.clone(),
                    });
                }
            }
        }
    }
    for mut record in every_record(store, Collection::Notices, "active", "true").await? {
        NoticeInput::derive(&mut record, store).await?;
        let notice: NoticeInput = read(&record)?;
        let reached: Vec<String> = record
            .fields
            .get("affected_customer_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|id| id.as_str().map(str::to_owned))
            .filter(|id| customers.contains_key(id))
            .collect();
        let starts = notice.starts_at.to_zoned(jiff::tz::TimeZone::UTC).date();
        if reached.is_empty() || starts > to {
            continue;
        }
        let codes: Vec<&str> = reached
            .iter()
            .filter_map(|id| customers.get(id).map(String::as_str))
            .collect();
        items.push(Item {
            date: starts.max(from),
            kind: "notice",
            title: format!(
                "{} ({})",
                notice.text.lines().next().unwrap_or_default(),
                codes.join(", ")
            ),
            customer_id: reached.first().cloned(),
            collection: Collection::Notices,
            id: record.id.clone(),
        });
    }
    for record in every_record_where(store, Collection::Meetings, Vec::new()).await? {
        let meeting: MeetingInput = read(&record)?;
        for action in &meeting.actions {
            let Some(due) = action.due_on else { continue };
            if action.done || action.owner_id.as_ref() != Some(&staff_id) || due > to {
                continue;
            }
            let overdue = due < from;
            items.push(Item {
                date: due.max(from),
                kind: if overdue { "overdue_action" } else { "action" },
                title: if overdue {
                    format!("{} (overdue since {due})", action.text)
                } else {
                    action.text.clone()
                },
                customer_id: Some(meeting.customer_id.clone()),
                collection: Collection::Meetings,
                id: record.id.clone(),
            });
        }
    }
    items.sort_by(|a, b| (a.date, a.kind, &a.title).cmp(&(b.date, b.kind, &b.title)));

    let mut by_day: Vec<Value> = Vec::new();
    let mut day = from;
    while day <= to {
        let of_day: Vec<Value> = items
            .iter()
            .filter(|item| item.date == day)
            .map(|item| {
                json!({
                    "kind": item.kind, "title": item.title, "customer_id": item.customer_id,
                    "source": {"collection": item.collection.name(), "ids": [item.id]},
                })
            })
            .collect();
        by_day.push(json!({"date": day, "items": of_day}));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let mut health = Vec::new();
    for customer_id in customers.keys() {
        let judged = health_of(store, &call.state.health, customer_id, from).await?;
        health.push(json!({"customer_id": customer_id, "state": judged.state}));
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({"staff_id": staff_id, "from": from, "to": to, "days": by_day, "customers": health}),
    ))
}
