//! The forward-looking proposal: what is planned and what is asked for.

use jiff::civil::Date;

use super::{Facts, ProposedItem, open_actions, records};
use crate::collection::Collection;
use crate::enums::RfcRoute;
use crate::records::{Horizon, MeetingKind};

/// The forward-looking items for the period `from` through `to`.
pub fn forward_looking(facts: &Facts, from: Date, to: Date, _today: Date) -> Vec<ProposedItem> {
    let mut items = plan_items(facts, from, to);
    items.push(outside_agreement(facts));
    items.extend(reviews_due(facts, to));
    items.push(improvements(facts));
    items.extend(open_actions(
        facts,
        MeetingKind::ForwardLooking,
        "Actions still open from the last forward-looking session",
    ));
    items
}

/// The open activities touching the period, one item per horizon (the
/// strategic first); an activity without dates counts as touching it.
fn plan_items(facts: &Facts, from: Date, to: Date) -> Vec<ProposedItem> {
    let touches = |start: Option<Date>, end: Option<Date>| {
        let start = start.or(end);
        let end = end.or(start);
        match (start, end) {
            (Some(start), Some(end)) => start <= to && from <= end,
            _ => true,
        }
    };
    let mut items = Vec::new();
    let horizons = Horizon::ALL
        .iter()
        .map(|h| Some(*h))
        .chain(std::iter::once(None));
    for horizon in horizons {
        let mut planned: Vec<_> = facts
            .activities
            .iter()
            .filter(|a| a.open && a.horizon == horizon && touches(a.starts_on, a.ends_on))
            .collect();
        if planned.is_empty() {
            continue;
        }
        planned.sort_by_key(|a| (a.starts_on.is_none(), a.starts_on, a.title.clone()));
        let notes = planned
            .iter()
            .map(|a| match (a.starts_on, a.ends_on) {
                (Some(start), Some(end)) => format!("{} ({start} to {end})", a.title),
                (Some(start), None) => format!("{} (from {start})", a.title),
                (None, Some(end)) => format!("{} (by {end})", a.title),
                (None, None) => format!("{} (not yet dated)", a.title),
            })
            .collect();
        let title = match horizon {
            Some(Horizon::Strategic) => "Strategic plan (about a year ahead)",
            Some(Horizon::Tactical) => "Tactical plan (the coming months)",
            Some(Horizon::Operational) => "Operational plan (the coming weeks)",
            None => "Activities without a horizon",
        };
        let ids = planned.iter().map(|a| a.id.clone()).collect();
        items.push(ProposedItem::new(
            title,
            notes,
            records(Collection::Activities, ids),
        ));
    }
    if items.is_empty() {
        items.push(ProposedItem::new(
            "Activity plan",
            vec!["Nothing planned for the period yet: what is the business planning?".into()],
            records(Collection::Activities, Vec::new()),
        ));
    }
    items
}

/// Open RFCs routed to service level management: needs outside the agreement.
fn outside_agreement(facts: &Facts) -> ProposedItem {
    let needs: Vec<_> = facts
        .rfcs
        .iter()
        .filter(|r| r.is_open() && r.route == Some(RfcRoute::ServiceLevelManagement))
        .collect();
    let notes = if needs.is_empty() {
        vec!["None open.".to_string()]
    } else {
        needs
            .iter()
            .map(|r| format!("{} ({})", r.title, r.status))
            .collect()
    };
    ProposedItem::new(
        "Needs outside the agreement",
        notes,
        records(
            Collection::Rfcs,
            needs.iter().map(|r| r.id.clone()).collect(),
        ),
    )
}

/// Active agreements whose review falls by the period's end.
fn reviews_due(facts: &Facts, to: Date) -> Option<ProposedItem> {
    let due: Vec<_> = facts
        .agreements
        .iter()
        .filter(|a| a.active && a.review_on.is_some_and(|on| on <= to))
        .collect();
    if due.is_empty() {
        return None;
    }
    let notes = due
        .iter()
        .map(|a| match a.review_on {
            Some(on) => format!("{} (review on {on})", a.title),
            None => a.title.clone(),
        })
        .collect();
    Some(ProposedItem::new(
        "Agreements due for review",
        notes,
        records(
            Collection::Agreements,
            due.iter().map(|a| a.id.clone()).collect(),
        ),
    ))
}

/// The customer's improvements still proposed or under way.
fn improvements(facts: &Facts) -> ProposedItem {
    let open: Vec<_> = facts.improvements.iter().filter(|i| i.open).collect();
    let notes = if open.is_empty() {
        vec!["None open.".to_string()]
    } else {
        open.iter()
            .map(|i| i.description.lines().next().unwrap_or_default().to_string())
            .collect()
    };
    ProposedItem::new(
        "Open improvements",
        notes,
        records(
            Collection::Improvements,
            open.iter().map(|i| i.id.clone()).collect(),
        ),
    )
}
