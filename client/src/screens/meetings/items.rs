//! A meeting's contents as data, changed without I/O: its lists (agenda,
//! decisions, actions) read from the record, an item moved, removed or
//! ticked, the agenda a proposal gives, the period a proposal covers, and
//! the screen that shows an agenda item's source records.

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use rapport_shared::Collection;
use serde_json::{Map, Value};

use super::{Side, starts};
use crate::api::{Record, record_id, text};
use crate::screens::{Effect, ScreenId};
use crate::strings;

/// How far back a follow-up's proposal looks when the customer had no
/// follow-up before: a quarter, the usual rhythm of delivery reviews.
pub const FOLLOW_UP_MONTHS: i64 = 3;

/// How far ahead a forward-looking proposal looks: the strategic horizon.
pub const FORWARD_MONTHS: i64 = 12;

/// A list field of a meeting (empty when absent or not a list).
pub fn list(meeting: &Record, field: &str) -> Vec<Value> {
    meeting
        .get(field)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The list with item `at` swapped with its neighbour above (`up`) or
/// below, and where the item now is; `None` at either end.
pub fn moved(list: &[Value], at: usize, up: bool) -> Option<(Vec<Value>, usize)> {
    let to = if up { at.checked_sub(1)? } else { at + 1 };
    if at >= list.len() || to >= list.len() {
        return None;
    }
    let mut list = list.to_vec();
    list.swap(at, to);
    Some((list, to))
}

/// The list without item `at`.
pub fn removed(list: &[Value], at: usize) -> Option<Vec<Value>> {
    if at >= list.len() {
        return None;
    }
    let mut list = list.to_vec();
    list.remove(at);
    Some(list)
}

/// The actions with action `at` ticked done, or back to open if it was.
pub fn ticked(actions: &[Value], at: usize) -> Option<Vec<Value>> {
    let mut actions = actions.to_vec();
    let action = actions.get_mut(at)?.as_object_mut()?;
    let done = action.get("done").and_then(Value::as_bool).unwrap_or(false);
    action.insert("done".into(), Value::Bool(!done));
    Some(actions)
}

/// Whether an action is still to be done.
pub fn is_open(action: &Value) -> bool {
    !action.get("done").and_then(Value::as_bool).unwrap_or(false)
}

/// How many of a meeting's actions are open.
pub fn open_actions(meeting: &Record) -> usize {
    list(meeting, "actions")
        .iter()
        .filter(|a| is_open(a))
        .count()
}

/// The agenda a proposal view gives: its items' title, notes and source
/// (anything else it may carry stays out, so the agenda is valid).
pub fn agenda_of(proposal: &Value) -> Vec<Value> {
    proposal
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let title = item.get("title").and_then(Value::as_str)?.trim();
            if title.is_empty() {
                return None;
            }
            let mut agenda = Map::new();
            agenda.insert("title".into(), Value::String(title.to_string()));
            for field in ["notes", "source"] {
                if let Some(value) = item.get(field).filter(|v| !v.is_null()) {
                    agenda.insert(field.into(), value.clone());
                }
            }
            Some(Value::Object(agenda))
        })
        .collect()
}

/// The period a proposal for a meeting of `side` on `day` covers: a
/// follow-up reviews what was delivered since the customer's previous
/// follow-up (or the last quarter), a forward-looking session looks at
/// the coming year.
pub fn period(side: Side, day: Date, previous: Option<Date>) -> (Date, Date) {
    let months = |n: i64| day.checked_add(Span::new().months(n)).unwrap_or(day);
    match side {
        Side::FollowUp => (previous.unwrap_or_else(|| months(-FOLLOW_UP_MONTHS)), day),
        // A year from the day, that day a year on excluded (as the
        // server reads a forward-looking period it is not given).
        Side::ForwardLooking => (day, months(FORWARD_MONTHS).yesterday().unwrap_or(day)),
    }
}

/// When the customer's follow-up before `meeting` started, among
/// `earlier` (the customer's follow-ups up to the meeting).
pub fn previous_start(earlier: &[Record], meeting: &Record) -> Option<Timestamp> {
    let at = starts(meeting)?;
    earlier
        .iter()
        .filter(|m| record_id(m) != record_id(meeting))
        .filter_map(starts)
        .filter(|start| *start < at)
        .max()
}

/// The screen showing an agenda item's source records: one record
/// itself, several narrowed to their ids, a query's records narrowed by
/// its filters. Records shown on the customer screen (agreements and
/// their results, budget lines, usage) open the meeting's customer on
/// their section; a survey opens its results.
pub fn source_screen(item: &Value, meeting: &Record) -> Result<Effect, &'static str> {
    let source = item
        .get("source")
        .filter(|s| s.is_object())
        .ok_or(strings::MEETING_NO_SOURCE)?;
    let name = source
        .get("collection")
        .and_then(Value::as_str)
        .unwrap_or("");
    let collection = Collection::parse(name).ok_or(strings::MEETING_UNKNOWN_SOURCE)?;
    let ids: Vec<String> = source
        .get("ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    let query = query_pairs(source.get("query").and_then(Value::as_str).unwrap_or(""));
    let customer = text(meeting, "customer_id").to_string();
    let pair = |key: &str, value: &str| (key.to_string(), value.to_string());
    let on_customer = |section: Collection| {
        Effect::Show(
            ScreenId::Customer,
            vec![pair("id", &customer), pair("section", section.name())],
        )
    };
    Ok(match collection {
        Collection::Agreements | Collection::LevelResults => on_customer(Collection::Agreements),
        Collection::BudgetLines | Collection::Usage => on_customer(Collection::BudgetLines),
        Collection::Customers => {
            let id = ids.first().cloned().unwrap_or(customer);
            Effect::Show(ScreenId::Customer, vec![pair("id", &id)])
        }
        Collection::Surveys if ids.len() == 1 => {
            Effect::Show(ScreenId::SurveyResults, vec![pair("id", &ids[0])])
        }
        Collection::SurveyResponses => match query.iter().find(|(key, _)| key == "survey_id") {
            Some((_, survey)) => Effect::Show(ScreenId::SurveyResults, vec![pair("id", survey)]),
            None => Effect::Show(ScreenId::Surveys, Vec::new()),
        },
        Collection::Meetings => {
            let id = ids.first().ok_or(strings::MEETING_NO_SOURCE)?;
            Effect::Show(ScreenId::Meetings, vec![pair("id", id)])
        }
        other => {
            let screen = ScreenId::of(other).ok_or(strings::MEETING_UNKNOWN_SOURCE)?;
            let takes = |key: &str| other.filters().iter().any(|f| f.param == key);
            let mut filters: Vec<(String, String)> = Vec::new();
            if ids.is_empty() {
                filters.extend(query.into_iter().filter(|(key, _)| takes(key)));
                if filters.is_empty() && takes("customer_id") {
                    filters.push(pair("customer_id", &customer));
                }
            } else {
                filters.push(pair("id", &ids.join(",")));
            }
            Effect::Show(screen, filters)
        }
    })
}

/// `status=closed&customer_id=c1` as pairs (empty parts left out).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|part| part.split_once('='))
        .filter(|(key, value)| !key.is_empty() && !value.is_empty())
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}
