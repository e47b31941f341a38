//! Every signal on fixed data at a fixed day, against figures worked out by
//! hand, with the threshold edges and the cases without data.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use serde_json::{Number, json};

use super::*;
use crate::agenda::{AgreementFacts, HeldMeeting, RfcFacts, SurveyScore};
use crate::attainment::{Attainment, LevelAttainment, MonthAttainment};
use crate::budget::{BudgetView, ServiceBudget};
use crate::enums::RfcStatus;
use crate::records::{ActionItem, Better, MeetingKind};

const AS_OF: Date = date(2026, 12, 3);

fn at(text: &str) -> Timestamp {
    text.parse().expect("a time")
}

fn named<'a>(health: &'a Health, name: &str) -> &'a Signal {
    health
        .signals
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no signal {name}"))
}

fn of(facts: &Facts, name: &str) -> Signal {
    named(&health(facts, AS_OF, &Thresholds::default()), name).clone()
}

fn months(values: &[(&str, f64, bool)]) -> Vec<MonthAttainment> {
    values
        .iter()
        .map(|(month, value, met)| MonthAttainment {
            month: (*month).into(),
            value: Number::from_f64(*value),
            met: Some(*met),
        })
        .collect()
}

fn agreement(levels: Vec<LevelAttainment>) -> AgreementFacts {
    AgreementFacts {
        id: "a1".into(),
        title: "Hosting SLA".into(),
        active: true,
        expired: false,
        review_due: false,
        review_on: None,
        attainment: Some(Attainment {
            agreement_id: "a1".into(),
            levels,
        }),
    }
}

fn availability(months: Vec<MonthAttainment>) -> LevelAttainment {
    LevelAttainment {
        metric: "availability".into(),
        target: Number::from_f64(99.5).expect("a number"),
        unit: "%".into(),
        better: Better::Higher,
        met_share: None,
        months,
    }
}

#[test]
fn the_level_months_are_the_last_three_complete_months() {
    let (from, to) = level_months(AS_OF);
    assert_eq!(
        (from.to_string(), to.to_string()),
        ("2026-09".into(), "2026-11".into())
    );
}

#[test]
fn service_levels_count_level_months_met() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "service_levels").state, State::Unknown);
    // 5 of 6 met (83%): at least 80%, under 100%: watch.
    facts.agreements = vec![agreement(vec![
        availability(months(&[
            ("2026-09", 99.7, true),
            ("2026-10", 99.6, true),
            ("2026-11", 98.2, false),
        ])),
        availability(months(&[
            ("2026-09", 99.9, true),
            ("2026-10", 99.9, true),
            ("2026-11", 99.9, true),
        ])),
    ])];
    let signal = of(&facts, "service_levels");
    assert_eq!(signal.state, State::Watch);
    assert_eq!(signal.value, json!(0.83));
    assert_eq!(
        signal.reason,
        "1 of 6 level-months missed: availability 98.2 % in 2026-11 against at least 99.5"
    );
    assert_eq!(signal.source.ids, ["a1"]);
    // 4 of 5 met is exactly 80%: watch, not act; 3 of 5 is act.
    facts.agreements = vec![agreement(vec![availability(months(&[
        ("2026-07", 99.7, true),
        ("2026-08", 99.7, true),
        ("2026-09", 99.7, true),
        ("2026-10", 99.7, true),
        ("2026-11", 90.0, false),
    ]))])];
    assert_eq!(of(&facts, "service_levels").state, State::Watch);
    facts.agreements[0]
        .attainment
        .as_mut()
        .expect("attainment")
        .levels[0]
        .months[0]
        .met = Some(false);
    assert_eq!(of(&facts, "service_levels").state, State::Act);
    // All met: good.
    facts.agreements = vec![agreement(vec![availability(months(&[(
        "2026-11", 99.9, true,
    )]))])];
    let good = of(&facts, "service_levels");
    assert_eq!(
        (good.state, good.reason.as_str()),
        (State::Good, "all 1 level-months met")
    );
}

fn survey(id: &str, end: Date, mean: f64, nps: f64) -> SurveyScore {
    SurveyScore {
        survey_id: id.into(),
        title: format!("Round {id}"),
        period_end: Some(end),
        mean: Some(mean),
        nps: Some(nps),
        responses: 5,
    }
}

#[test]
fn satisfaction_is_judged_by_mean_nps_and_fall() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "satisfaction").state, State::Unknown);
    // Exactly at the thresholds (3.5, NPS 0) is good.
    facts.surveys = vec![survey("s1", date(2026, 9, 30), 3.5, 0.0)];
    assert_eq!(of(&facts, "satisfaction").state, State::Good);
    // A fall of exactly 0.5 is watched, even above the mean threshold.
    facts.surveys = vec![
        survey("s1", date(2026, 6, 30), 4.5, 30.0),
        survey("s2", date(2026, 9, 30), 4.0, 20.0),
    ];
    let fell = of(&facts, "satisfaction");
    assert_eq!(fell.state, State::Watch);
    assert_eq!(
        fell.reason,
        "Round s2: mean 4.00 (-0.50 on Round s1), NPS 20 — the mean fell by 0.50"
    );
    assert_eq!(fell.source.ids, ["s2", "s1"]);
    // Under 3.0 or an NPS under -20 is act.
    facts.surveys = vec![survey("s1", date(2026, 9, 30), 2.99, 10.0)];
    assert_eq!(of(&facts, "satisfaction").state, State::Act);
    facts.surveys = vec![survey("s1", date(2026, 9, 30), 4.0, -21.0)];
    assert_eq!(of(&facts, "satisfaction").state, State::Act);
    // A round ending after the day is not counted yet.
    facts.surveys = vec![survey("s1", date(2026, 12, 31), 1.0, -100.0)];
    assert_eq!(of(&facts, "satisfaction").state, State::Unknown);
}

fn budget_view(planned: i64, charged: i64, forecast: i64) -> BudgetView {
    BudgetView {
        year: 2026,
        planned_cents: planned,
        charged_cents: charged,
        difference_cents: planned - charged,
        services: vec![ServiceBudget {
            service_id: "v1".into(),
            planned_cents: planned,
            charged_cents: charged,
            remaining_cents: planned - charged,
            forecast_cents: forecast,
            months: Default::default(),
        }],
        programs: Vec::new(),
    }
}

#[test]
fn the_budget_is_judged_by_its_forecast() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "budget").state, State::Unknown);
    facts.budget = Some(budget_view(1_000_000, 900_000, 1_000_000));
    let exactly = of(&facts, "budget");
    assert_eq!(exactly.state, State::Good);
    assert_eq!(
        exactly.reason,
        "charged 9 000.00 of 10 000.00 planned for 2026 (90%), forecast 10 000.00 (100%)"
    );
    facts.budget = Some(budget_view(1_000_000, 900_000, 1_010_000));
    assert_eq!(of(&facts, "budget").state, State::Watch);
    facts.budget = Some(budget_view(1_000_000, 900_000, 1_110_000));
    assert_eq!(of(&facts, "budget").state, State::Act);
    facts.budget = Some(budget_view(1_000_000, 1_000_001, 1_000_001));
    assert_eq!(of(&facts, "budget").state, State::Act);
    facts.budget = Some(budget_view(0, 5_000, 5_000));
    assert_eq!(of(&facts, "budget").state, State::Watch);
}

fn rfc(id: &str, created: &str, status: RfcStatus) -> RfcFacts {
    RfcFacts {
        id: id.into(),
        title: format!("RFC {id}"),
        status,
        route: None,
        created_at: at(created),
        closed_at: None,
    }
}

#[test]
fn the_backlog_counts_open_rfcs_older_than_thirty_days() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "rfc_backlog").state, State::Unknown);
    // 30 days old exactly is not in the backlog; 31 is.
    facts.rfcs = vec![rfc("r1", "2026-11-03T00:00:00Z", RfcStatus::New)];
    assert_eq!(of(&facts, "rfc_backlog").state, State::Good);
    facts
        .rfcs
        .push(rfc("r2", "2026-11-02T00:00:00Z", RfcStatus::Assessing));
    facts
        .rfcs
        .push(rfc("r3", "2026-01-02T00:00:00Z", RfcStatus::Closed));
    let one = of(&facts, "rfc_backlog");
    assert_eq!(one.state, State::Watch);
    assert_eq!(
        one.reason,
        "1 open RFCs older than 30 days; the oldest, RFC r2, is 31 days old"
    );
    assert_eq!(one.source.ids, ["r2"]);
    // 91 days old is act.
    facts
        .rfcs
        .push(rfc("r4", "2026-09-03T00:00:00Z", RfcStatus::Triaged));
    assert_eq!(of(&facts, "rfc_backlog").state, State::Act);
}

fn meeting(id: &str, kind: MeetingKind, starts: &str, actions: Vec<ActionItem>) -> HeldMeeting {
    HeldMeeting {
        id: id.into(),
        kind,
        starts_at: at(starts),
        actions,
    }
}

fn action(due: Date, done: bool) -> ActionItem {
    ActionItem {
        text: "Send the report".into(),
        owner_id: None,
        due_on: Some(due),
        done,
    }
}

#[test]
fn the_rhythm_is_days_since_each_kind_and_overdue_actions() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "rhythm").state, State::Unknown);
    // A follow-up 45 days before the end of the day, a session 120: good.
    facts.meetings = vec![
        meeting(
            "m1",
            MeetingKind::FollowUp,
            "2026-10-20T00:00:00Z",
            vec![action(AS_OF, false)],
        ),
        meeting(
            "m2",
            MeetingKind::ForwardLooking,
            "2026-08-06T00:00:00Z",
            vec![],
        ),
    ];
    let good = of(&facts, "rhythm");
    assert_eq!(good.state, State::Good, "{}", good.reason);
    assert_eq!(
        good.reason,
        "last follow-up 45 days ago; last forward-looking session 120 days ago; no overdue action"
    );
    assert_eq!(good.value, json!(45));
    // An action due yesterday is overdue: watch.
    facts.meetings[0].actions = vec![
        action(date(2026, 12, 2), false),
        action(date(2026, 1, 1), true),
    ];
    let overdue = of(&facts, "rhythm");
    assert_eq!(overdue.state, State::Watch);
    assert!(
        overdue
            .reason
            .ends_with("1 overdue actions: Send the report"),
        "{}",
        overdue.reason
    );
    // No forward-looking session ever held: act.
    facts.meetings.truncate(1);
    assert_eq!(of(&facts, "rhythm").state, State::Act);
}

#[test]
fn agreements_expired_act_and_due_for_review_watch() {
    let mut facts = Facts::default();
    assert_eq!(of(&facts, "agreements").state, State::Unknown);
    let mut sla = agreement(Vec::new());
    facts.agreements = vec![sla.clone()];
    assert_eq!(of(&facts, "agreements").state, State::Good);
    sla.review_due = true;
    sla.review_on = Some(date(2026, 12, 20));
    facts.agreements = vec![sla.clone()];
    let due = of(&facts, "agreements");
    assert_eq!(
        (due.state, due.reason.as_str()),
        (
            State::Watch,
            "Hosting SLA is due for review (review on 2026-12-20)"
        )
    );
    sla.active = false;
    sla.expired = true;
    facts.agreements = vec![sla];
    assert_eq!(of(&facts, "agreements").state, State::Act);
}

#[test]
fn the_overall_state_is_the_worst_and_unknown_is_never_good() {
    let empty = health(&Facts::default(), AS_OF, &Thresholds::default());
    assert_eq!(empty.state, State::Unknown);
    let names: Vec<&str> = empty.signals.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "service_levels",
            "satisfaction",
            "budget",
            "rfc_backlog",
            "rhythm",
            "agreements"
        ]
    );
    let facts = Facts {
        budget: Some(budget_view(1_000_000, 900_000, 1_110_000)),
        ..Facts::default()
    };
    assert_eq!(
        health(&facts, AS_OF, &Thresholds::default()).state,
        State::Act
    );
    assert!(
        State::Unknown.rank() > State::Good.rank() && State::Unknown.rank() < State::Watch.rank()
    );
}
