//! The follow-up proposal: the period's delivery, item by item.

use jiff::civil::Date;

use super::{
    Facts, ProposedItem, days_between, money, open_actions, query, records, start_of_day, within,
};
use crate::collection::Collection;
use crate::month::Month;
use crate::records::MeetingKind;

/// The age buckets of open RFCs, in days: under 7, 7 to 29, 30 to 89, 90
/// and over.
pub const AGE_BUCKETS: [(i64, &str); 4] = [
    (7, "under a week"),
    (30, "1 to 4 weeks"),
    (90, "1 to 3 months"),
    (i64::MAX, "over 3 months"),
];

/// The follow-up items for the period `from` through `to`.
pub fn follow_up(facts: &Facts, from: Date, to: Date, today: Date) -> Vec<ProposedItem> {
    let mut items = rfc_items(facts, from, to, today);
    items.extend(level_items(facts));
    items.push(satisfaction_item(facts, from, to));
    items.push(budget_item(facts, to));
    items.extend(open_actions(
        facts,
        MeetingKind::FollowUp,
        "Actions still open from the last follow-up",
    ));
    items
}

/// RFCs opened and closed in the period, with the median time to close,
/// and the open ones by age.
fn rfc_items(facts: &Facts, from: Date, to: Date, today: Date) -> Vec<ProposedItem> {
    let opened: Vec<_> = facts
        .rfcs
        .iter()
        .filter(|r| within(r.created_at, from, to))
        .collect();
    let closed: Vec<_> = facts
        .rfcs
        .iter()
        .filter(|r| r.closed_at.is_some_and(|at| within(at, from, to)))
        .collect();
    let mut days: Vec<i64> = closed
        .iter()
        .filter_map(|r| r.closed_at.map(|at| days_between(r.created_at, at)))
        .collect();
    days.sort_unstable();
    let median = match days.len() {
        0 => "no RFC closed".to_string(),
        n if !n.is_multiple_of(2) => format!("{} days", days[n / 2]),
        n => {
            let tenths = (days[n / 2 - 1] + days[n / 2]) * 5;
            format!("{}.{} days", tenths / 10, tenths % 10)
        }
    };
    let ids =
        |rfcs: &[&super::RfcFacts]| -> Vec<String> { rfcs.iter().map(|r| r.id.clone()).collect() };
    let mut both = ids(&opened);
    for id in ids(&closed) {
        if !both.contains(&id) {
            both.push(id);
        }
    }
    let flow = ProposedItem::new(
        "RFCs opened and closed",
        vec![
            format!("Opened in the period: {}", opened.len()),
            format!("Closed in the period: {}", closed.len()),
            format!("Median time to close: {median}"),
        ],
        records(Collection::Rfcs, both),
    );
    let open: Vec<_> = facts.rfcs.iter().filter(|r| r.is_open()).collect();
    let now = start_of_day(today);
    let mut notes = vec![format!("Open now: {}", open.len())];
    let mut lower = 0;
    for (below, words) in AGE_BUCKETS {
        let count = open
            .iter()
            .filter(|r| {
                let age = days_between(r.created_at, now).max(0);
                (lower..below).contains(&age)
            })
            .count();
        notes.push(format!("{words}: {count}"));
        lower = below;
    }
    let backlog = ProposedItem::new(
        "Open RFCs by age",
        notes,
        records(Collection::Rfcs, ids(&open)),
    );
    vec![flow, backlog]
}

/// Each active agreement's levels over the period's months.
fn level_items(facts: &Facts) -> Vec<ProposedItem> {
    let active: Vec<_> = facts.agreements.iter().filter(|a| a.active).collect();
    if active.is_empty() {
        return vec![ProposedItem::new(
            "Service levels",
            vec!["No active agreement: nothing was agreed to be measured.".into()],
            query(
                Collection::Agreements,
                format!("customer_id={}", facts.customer_id),
            ),
        )];
    }
    active
        .into_iter()
        .map(|agreement| {
            let mut notes = Vec::new();
            for level in agreement.attainment.iter().flat_map(|a| &a.levels) {
                let measured: Vec<_> = level.months.iter().filter(|m| m.met.is_some()).collect();
                let met = measured.iter().filter(|m| m.met == Some(true)).count();
                let sign = match level.better {
                    crate::records::Better::Higher => "≥",
                    crate::records::Better::Lower => "≤",
                };
                let mut line = format!(
                    "{} {sign} {} {}: met {met} of {} months measured",
                    level.metric,
                    level.target,
                    level.unit,
                    measured.len()
                );
                let missed: Vec<String> = measured
                    .iter()
                    .filter(|m| m.met == Some(false))
                    .map(|m| match &m.value {
                        Some(value) => format!("{} ({value})", m.month),
                        None => m.month.clone(),
                    })
                    .collect();
                if !missed.is_empty() {
                    line.push_str(&format!("; missed {}", missed.join(", ")));
                }
                notes.push(line);
            }
            if notes.is_empty() {
                notes.push("No service level agreed.".into());
            }
            ProposedItem::new(
                format!("Service levels: {}", agreement.title),
                notes,
                records(Collection::Agreements, vec![agreement.id.clone()]),
            )
        })
        .collect()
}

/// The latest survey of the period against the round before it.
fn satisfaction_item(facts: &Facts, from: Date, to: Date) -> ProposedItem {
    let in_period = |end: Option<Date>| end.is_some_and(|end| from <= end && end <= to);
    let latest = facts
        .surveys
        .iter()
        .rposition(|s| in_period(s.period_end) && s.responses > 0);
    let Some(index) = latest else {
        return ProposedItem::new(
            "Satisfaction",
            vec!["No survey answered in the period.".into()],
            records(Collection::Surveys, Vec::new()),
        );
    };
    let survey = &facts.surveys[index];
    let previous = facts.surveys[..index]
        .iter()
        .rev()
        .find(|s| s.responses > 0);
    let figure = |value: Option<f64>, decimals: usize| match value {
        Some(value) => format!("{value:.decimals$}"),
        None => "none".into(),
    };
    let change = |now: Option<f64>, before: Option<f64>, decimals: usize| match (now, before) {
        (Some(now), Some(before)) => format!(" ({:+.decimals$} on the round before)", now - before),
        _ => String::new(),
    };
    let mut notes = vec![
        format!("{}: {} responses", survey.title, survey.responses),
        format!(
            "Mean {}{}",
            figure(survey.mean, 2),
            change(survey.mean, previous.and_then(|p| p.mean), 2)
        ),
        format!(
            "NPS {}{}",
            figure(survey.nps, 0),
            change(survey.nps, previous.and_then(|p| p.nps), 0)
        ),
    ];
    let mut ids = vec![survey.survey_id.clone()];
    if let Some(previous) = previous {
        notes.push(format!(
            "Round before: {} (mean {}, NPS {})",
            previous.title,
            figure(previous.mean, 2),
            figure(previous.nps, 0)
        ));
        ids.push(previous.survey_id.clone());
    }
    ProposedItem::new("Satisfaction", notes, records(Collection::Surveys, ids))
}

/// The budget of the year the period ends in: planned, charged to date,
/// and the year-end forecast.
fn budget_item(facts: &Facts, to: Date) -> ProposedItem {
    let year = Month::of(to).year();
    let source = query(
        Collection::BudgetLines,
        format!("customer_id={}&year={year}", facts.customer_id),
    );
    let Some(budget) = facts
        .budget
        .as_ref()
        .filter(|b| b.planned_cents > 0 || b.charged_cents > 0)
    else {
        return ProposedItem::new(
            "Budget",
            vec![format!("No budget and no charges in {year}.")],
            source,
        );
    };
    let forecast: i64 = budget.services.iter().map(|s| s.forecast_cents).sum();
    let share = |cents: i64| {
        if budget.planned_cents > 0 {
            format!(" ({}% of planned)", cents * 100 / budget.planned_cents)
        } else {
            String::new()
        }
    };
    let mut notes = vec![
        format!("Planned for {year}: {}", money(budget.planned_cents)),
        format!(
            "Charged to date: {}{}",
            money(budget.charged_cents),
            share(budget.charged_cents)
        ),
        format!("Year-end forecast: {}{}", money(forecast), share(forecast)),
    ];
    for service in budget
        .services
        .iter()
        .filter(|s| s.forecast_cents > s.planned_cents)
    {
        let name = facts
            .service_names
            .get(&service.service_id)
            .unwrap_or(&service.service_id);
        notes.push(format!(
            "{name}: forecast {} against {} planned",
            money(service.forecast_cents),
            money(service.planned_cents)
        ));
    }
    ProposedItem::new("Budget", notes, source)
}
