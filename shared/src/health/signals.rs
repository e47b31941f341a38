//! The six signals, each judged by its thresholds.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::{Signal, State, Thresholds};
use crate::agenda::{Facts, money};
use crate::collection::Collection;
use crate::records::{AgendaSource, Better, MeetingKind};

/// Every signal of the customer on `as_of`, in the contract's order.
pub fn signals(facts: &Facts, as_of: Date, t: &Thresholds) -> Vec<Signal> {
    vec![
        service_levels(facts, t),
        satisfaction(facts, as_of, t),
        budget(facts, t),
        rfc_backlog(facts, as_of, t),
        rhythm(facts, as_of, t),
        agreements(facts),
    ]
}

fn source(collection: Collection, ids: Vec<String>) -> AgendaSource {
    AgendaSource {
        collection: collection.name().to_string(),
        ids,
        query: None,
    }
}

fn signal(
    name: &str,
    value: Value,
    threshold: Value,
    state: State,
    reason: String,
    source: AgendaSource,
) -> Signal {
    Signal {
        name: name.to_string(),
        value,
        threshold,
        state,
        reason,
        source,
    }
}

/// The share of level-months met over the last complete months, of the
/// active agreements' levels.
fn service_levels(facts: &Facts, t: &Thresholds) -> Signal {
    let threshold = json!({"watch_below": t.levels_watch, "act_below": t.levels_act});
    let active: Vec<_> = facts.agreements.iter().filter(|a| a.active).collect();
    let ids = active.iter().map(|a| a.id.clone()).collect();
    let mut measured = 0;
    let mut missed = Vec::new();
    for agreement in &active {
        for level in agreement.attainment.iter().flat_map(|a| &a.levels) {
            for month in &level.months {
                match month.met {
                    Some(true) => measured += 1,
                    Some(false) => {
                        measured += 1;
                        let sign = if level.better == Better::Higher {
                            "against at least"
                        } else {
                            "against at most"
                        };
                        let value = month
                            .value
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        missed.push(format!(
                            "{} {value} {} in {} {sign} {}",
                            level.metric, level.unit, month.month, level.target
                        ));
                    }
                    None => {}
                }
            }
        }
    }
    let source = source(Collection::Agreements, ids);
    if measured == 0 {
        let reason = if active.is_empty() {
            "no active agreement".to_string()
        } else {
            "nothing measured in the last three months".to_string()
        };
        return signal(
            "service_levels",
            Value::Null,
            threshold,
            State::Unknown,
            reason,
            source,
        );
    }
    let met = measured - missed.len();
    let share = met as f64 / measured as f64;
    let state = if share < t.levels_act {
        State::Act
    } else if share < t.levels_watch {
        State::Watch
    } else {
        State::Good
    };
    let reason = if missed.is_empty() {
        format!("all {measured} level-months met")
    } else {
        format!(
            "{} of {measured} level-months missed: {}",
            missed.len(),
            missed.join("; ")
        )
    };
    let share = (share * 100.0).round() / 100.0;
    signal(
        "service_levels",
        json!(share),
        threshold,
        state,
        reason,
        source,
    )
}

/// The latest answered survey's mean and NPS, and the mean's change on
/// the round before.
fn satisfaction(facts: &Facts, as_of: Date, t: &Thresholds) -> Signal {
    let threshold = json!({
        "mean_watch_below": t.mean_watch, "mean_act_below": t.mean_act,
        "nps_watch_below": t.nps_watch, "nps_act_below": t.nps_act,
        "mean_fall_watch": t.mean_fall_watch,
    });
    let answered: Vec<_> = facts
        .surveys
        .iter()
        .filter(|s| s.responses > 0 && s.period_end.is_none_or(|end| end <= as_of))
        .collect();
    let Some(latest) = answered.last() else {
        return signal(
            "satisfaction",
            Value::Null,
            threshold,
            State::Unknown,
            "no survey answered".into(),
            source(Collection::Surveys, Vec::new()),
        );
    };
    let previous = answered.len().checked_sub(2).map(|i| answered[i]);
    let mut state = State::Good;
    let mut why = Vec::new();
    let mut figures = Vec::new();
    if let Some(mean) = latest.mean {
        let mut figure = format!("mean {mean:.2}");
        if let Some(before) = previous.and_then(|p| p.mean) {
            figure.push_str(&format!(
                " ({:+.2} on {})",
                mean - before,
                previous.map_or("", |p| p.title.as_str())
            ));
            if before - mean >= t.mean_fall_watch {
                state = state.worst(State::Watch);
                why.push(format!("the mean fell by {:.2}", before - mean));
            }
        }
        figures.push(figure);
        if mean < t.mean_act {
            state = state.worst(State::Act);
            why.push(format!("mean below {:.1}", t.mean_act));
        } else if mean < t.mean_watch {
            state = state.worst(State::Watch);
            why.push(format!("mean below {:.1}", t.mean_watch));
        }
    }
    if let Some(nps) = latest.nps {
        figures.push(format!("NPS {nps:.0}"));
        if nps < t.nps_act {
            state = state.worst(State::Act);
            why.push(format!("NPS below {:.0}", t.nps_act));
        } else if nps < t.nps_watch {
            state = state.worst(State::Watch);
            why.push(format!("NPS below {:.0}", t.nps_watch));
        }
    }
    if figures.is_empty() {
        state = State::Unknown;
    }
    let mut reason = format!("{}: {}", latest.title, figures.join(", "));
    if !why.is_empty() {
        reason.push_str(&format!(" — {}", why.join(", ")));
    }
    let mut ids = vec![latest.survey_id.clone()];
    ids.extend(previous.map(|p| p.survey_id.clone()));
    let value = latest
        .mean
        .map_or(Value::Null, |m| json!((m * 100.0).round() / 100.0));
    signal(
        "satisfaction",
        value,
        threshold,
        state,
        reason,
        source(Collection::Surveys, ids),
    )
}

/// Charged to date and the year-end forecast against planned.
fn budget(facts: &Facts, t: &Thresholds) -> Signal {
    let threshold = json!({"forecast_watch_above_percent": t.budget_watch_percent,
                           "forecast_act_above_percent": t.budget_act_percent});
    let source = AgendaSource {
        collection: Collection::BudgetLines.name().to_string(),
        ids: Vec::new(),
        query: Some(format!("customer_id={}", facts.customer_id)),
    };
    let Some(view) = facts
        .budget
        .as_ref()
        .filter(|b| b.planned_cents > 0 || b.charged_cents > 0)
    else {
        return signal(
            "budget",
            Value::Null,
            threshold,
            State::Unknown,
            "no budget and no charges this year".into(),
            source,
        );
    };
    let forecast: i64 = view.services.iter().map(|s| s.forecast_cents).sum();
    if view.planned_cents == 0 {
        let reason = format!(
            "{} charged in {} without a budget",
            money(view.charged_cents),
            view.year
        );
        return signal(
            "budget",
            Value::Null,
            threshold,
            State::Watch,
            reason,
            source,
        );
    }
    let percent = |cents: i64| cents * 100 / view.planned_cents;
    let (charged, expected) = (percent(view.charged_cents), percent(forecast));
    let state = if view.charged_cents > view.planned_cents || expected > t.budget_act_percent {
        State::Act
    } else if expected > t.budget_watch_percent {
        State::Watch
    } else {
        State::Good
    };
    let reason = format!(
        "charged {} of {} planned for {} ({charged}%), forecast {} ({expected}%)",
        money(view.charged_cents),
        money(view.planned_cents),
        view.year,
        money(forecast)
    );
    signal("budget", json!(expected), threshold, state, reason, source)
}

/// Open RFCs older than the backlog age, and the oldest one's age.
fn rfc_backlog(facts: &Facts, as_of: Date, t: &Thresholds) -> Signal {
    let threshold = json!({"older_than_days": t.backlog_days, "act_at": t.backlog_act,
                           "oldest_act_above_days": t.backlog_oldest_act_days});
    // Raised by the end of the day; ages counted to its start.
    let day = crate::agenda::start_of_day(as_of);
    let end = crate::agenda::start_of_day(as_of.tomorrow().unwrap_or(as_of));
    let known: Vec<_> = facts.rfcs.iter().filter(|r| r.created_at < end).collect();
    if known.is_empty() {
        return signal(
            "rfc_backlog",
            Value::Null,
            threshold,
            State::Unknown,
            "no RFC raised".into(),
            source(Collection::Rfcs, Vec::new()),
        );
    }
    let mut old: Vec<(i64, &crate::agenda::RfcFacts)> = known
        .iter()
        .filter(|r| r.is_open())
        .map(|r| {
            (
                day.duration_since(r.created_at)
                    .as_secs()
                    .div_euclid(86_400),
                *r,
            )
        })
        .filter(|(age, _)| *age > t.backlog_days)
        .collect();
    old.sort_by_key(|(age, r)| (-age, r.id.clone()));
    let oldest = old.first().map_or(0, |(age, _)| *age);
    let state = if old.len() >= t.backlog_act || oldest > t.backlog_oldest_act_days {
        State::Act
    } else if !old.is_empty() {
        State::Watch
    } else {
        State::Good
    };
    let reason = match old.first() {
        None => format!("no open RFC older than {} days", t.backlog_days),
        Some((age, rfc)) => format!(
            "{} open RFCs older than {} days; the oldest, {}, is {age} days old",
            old.len(),
            t.backlog_days,
            rfc.title
        ),
    };
    let ids = old.iter().map(|(_, r)| r.id.clone()).collect();
    signal(
        "rfc_backlog",
        json!(old.len()),
        threshold,
        state,
        reason,
        source(Collection::Rfcs, ids),
    )
}

/// Days since the last meeting of each kind, and overdue actions.
fn rhythm(facts: &Facts, as_of: Date, t: &Thresholds) -> Signal {
    let threshold = json!({
        "follow_up_watch_above_days": t.follow_up_watch_days, "follow_up_act_above_days": t.follow_up_act_days,
        "forward_looking_watch_above_days": t.forward_watch_days, "forward_looking_act_above_days": t.forward_act_days,
        "overdue_actions_act_at": t.overdue_actions_act,
    });
    let end = crate::agenda::start_of_day(as_of.tomorrow().unwrap_or(as_of));
    let held: Vec<_> = facts
        .meetings
        .iter()
        .filter(|m| m.starts_at < end)
        .collect();
    if held.is_empty() {
        return signal(
            "rhythm",
            Value::Null,
            threshold,
            State::Unknown,
            "no meeting held".into(),
            source(Collection::Meetings, Vec::new()),
        );
    }
    let mut state = State::Good;
    let mut parts = Vec::new();
    let mut ids = Vec::new();
    let mut follow_up_days = Value::Null;
    for (kind, words, watch, act) in [
        (
            MeetingKind::FollowUp,
            "follow-up",
            t.follow_up_watch_days,
            t.follow_up_act_days,
        ),
        (
            MeetingKind::ForwardLooking,
            "forward-looking session",
            t.forward_watch_days,
            t.forward_act_days,
        ),
    ] {
        let last = held
            .iter()
            .filter(|m| m.kind == kind)
            .max_by_key(|m| m.starts_at);
        match last {
            None => {
                state = state.worst(State::Act);
                parts.push(format!("no {words} held"));
            }
            Some(meeting) => {
                let days = end
                    .duration_since(meeting.starts_at)
                    .as_secs()
                    .div_euclid(86_400);
                if kind == MeetingKind::FollowUp {
                    follow_up_days = json!(days);
                }
                state = state.worst(if days > act {
                    State::Act
                } else if days > watch {
                    State::Watch
                } else {
                    State::Good
                });
                parts.push(format!("last {words} {days} days ago"));
                ids.push(meeting.id.clone());
            }
        }
    }
    let overdue: Vec<_> = held
        .iter()
        .flat_map(|m| m.actions.iter().map(move |a| (m, a)))
        .filter(|(_, a)| !a.done && a.due_on.is_some_and(|due| due < as_of))
        .collect();
    if !overdue.is_empty() {
        state = state.worst(if overdue.len() >= t.overdue_actions_act {
            State::Act
        } else {
            State::Watch
        });
        let texts: Vec<&str> = overdue.iter().map(|(_, a)| a.text.as_str()).collect();
        parts.push(format!(
            "{} overdue actions: {}",
            overdue.len(),
            texts.join("; ")
        ));
        for (meeting, _) in &overdue {
            if !ids.contains(&meeting.id) {
                ids.push(meeting.id.clone());
            }
        }
    } else {
        parts.push("no overdue action".into());
    }
    signal(
        "rhythm",
        follow_up_days,
        threshold,
        state,
        parts.join("; "),
        source(Collection::Meetings, ids),
    )
}

/// Agreements expired or due for review.
fn agreements(facts: &Facts) -> Signal {
    let threshold = json!({"review_window_days": crate::records::REVIEW_WINDOW_DAYS});
    if facts.agreements.is_empty() {
        return signal(
            "agreements",
            Value::Null,
            threshold,
            State::Unknown,
            "no agreement".into(),
            source(Collection::Agreements, Vec::new()),
        );
    }
    let expired: Vec<_> = facts.agreements.iter().filter(|a| a.expired).collect();
    let due: Vec<_> = facts
        .agreements
        .iter()
        .filter(|a| a.active && a.review_due)
        .collect();
    let state = if !expired.is_empty() {
        State::Act
    } else if !due.is_empty() {
        State::Watch
    } else {
        State::Good
    };
    let mut parts = Vec::new();
    for agreement in &expired {
        parts.push(format!("{} has expired", agreement.title));
    }
    for agreement in &due {
        let on = agreement
            .review_on
            .map(|d| format!(" (review on {d})"))
            .unwrap_or_default();
        parts.push(format!("{} is due for review{on}", agreement.title));
    }
    if parts.is_empty() {
        parts.push("none expired or due for review".into());
    }
    let ids = expired.iter().chain(&due).map(|a| a.id.clone()).collect();
    signal(
        "agreements",
        json!(expired.len() + due.len()),
        threshold,
        state,
        parts.join("; "),
        source(Collection::Agreements, ids),
    )
}
