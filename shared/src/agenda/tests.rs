//! Proposals on a fixed data set, item by item against figures worked out
//! by hand.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use serde_json::Number;

use super::*;
use crate::attainment::{Attainment, LevelAttainment, MonthAttainment};
use crate::budget::ServiceBudget;
use crate::records::{ActionItem, Better};

const TODAY: Date = date(2026, 12, 3);

fn at(text: &str) -> Timestamp {
    text.parse().expect("a time")
}

fn rfc(id: &str, created: &str, closed: Option<&str>, status: RfcStatus) -> RfcFacts {
    RfcFacts {
        id: id.into(),
        title: format!("RFC {id}"),
        status,
        route: Some(RfcRoute::ChangeManagement),
        created_at: at(created),
        closed_at: closed.map(at),
    }
}

fn month(month: &str, value: Option<f64>, met: Option<bool>) -> MonthAttainment {
    MonthAttainment {
        month: month.into(),
        value: value.and_then(Number::from_f64),
        met,
    }
}

fn facts() -> Facts {
    let mut slm = rfc("r5", "2026-11-20T10:00:00Z", None, RfcStatus::Negotiating);
    slm.route = Some(RfcRoute::ServiceLevelManagement);
    Facts {
        customer_id: "c1".into(),
        rfcs: vec![
            // Opened before the period, closed in it after 20 days.
            rfc(
                "r1",
                "2026-08-22T09:00:00Z",
                Some("2026-09-11T09:00:00Z"),
                RfcStatus::Closed,
            ),
            // Opened and closed in the period after 5 days.
            rfc(
                "r2",
                "2026-10-01T09:00:00Z",
                Some("2026-10-06T12:00:00Z"),
                RfcStatus::Closed,
            ),
            // Opened in the period, open: 63 days old on 3 December.
            rfc("r3", "2026-10-01T08:00:00Z", None, RfcStatus::Assessing),
            // Open for 200 days, opened before the period.
            rfc("r4", "2026-05-17T12:00:00Z", None, RfcStatus::Triaged),
            slm,
        ],
        agreements: vec![
            AgreementFacts {
                id: "a1".into(),
                title: "Hosting SLA".into(),
                active: true,
                expired: false,
                review_due: true,
                review_on: Some(date(2026, 12, 20)),
                attainment: Some(Attainment {
                    agreement_id: "a1".into(),
                    levels: vec![
                        LevelAttainment {
                            metric: "availability".into(),
                            target: Number::from_f64(99.5).expect("a number"),
                            unit: "%".into(),
                            better: Better::Higher,
                            met_share: Some(0.5),
                            months: vec![
                                month("2026-09", Some(99.7), Some(true)),
                                month("2026-10", Some(98.9), Some(false)),
                                month("2026-11", None, None),
                            ],
                        },
                        LevelAttainment {
                            metric: "incident response".into(),
                            target: Number::from(4),
                            unit: "hours".into(),
                            better: Better::Lower,
                            met_share: Some(1.0),
                            months: vec![
                                month("2026-09", Some(3.0), Some(true)),
                                month("2026-10", Some(4.0), Some(true)),
                                month("2026-11", Some(2.5), Some(true)),
                            ],
                        },
                    ],
                }),
            },
            AgreementFacts {
                id: "a0".into(),
                title: "Old desktop SLA".into(),
                active: false,
                expired: true,
                review_due: false,
                review_on: Some(date(2026, 1, 1)),
                attainment: None,
            },
        ],
        surveys: vec![
            SurveyScore {
                survey_id: "s1".into(),
                title: "Q2 2026".into(),
                period_end: Some(date(2026, 6, 30)),
                mean: Some(3.8),
                nps: Some(5.0),
                responses: 10,
            },
            SurveyScore {
                survey_id: "s2".into(),
                title: "Q3 2026".into(),
                period_end: Some(date(2026, 9, 30)),
                mean: Some(3.4),
                nps: Some(-10.0),
                responses: 8,
            },
        ],
        budget: Some(crate::budget::BudgetView {
            year: 2026,
            planned_cents: 1_000_000,
            charged_cents: 950_000,
            difference_cents: 50_000,
            services: vec![ServiceBudget {
                service_id: "v1".into(),
                planned_cents: 1_000_000,
                charged_cents: 950_000,
                remaining_cents: 50_000,
                forecast_cents: 1_036_364,
                months: Default::default(),
            }],
            programs: Vec::new(),
        }),
        service_names: [("v1".to_string(), "Hosting".to_string())].into(),
        activities: vec![
            ActivityFacts {
                id: "p1".into(),
                title: "Data centre exit".into(),
                horizon: Some(Horizon::Strategic),
                starts_on: Some(date(2027, 3, 1)),
                ends_on: Some(date(2027, 12, 31)),
                open: true,
            },
            ActivityFacts {
                id: "p2".into(),
                title: "Budget cycle support".into(),
                horizon: Some(Horizon::Operational),
                starts_on: Some(date(2026, 12, 10)),
                ends_on: Some(date(2026, 12, 20)),
                open: true,
            },
            ActivityFacts {
                id: "p3".into(),
                title: "Finished migration".into(),
                horizon: Some(Horizon::Tactical),
                starts_on: Some(date(2026, 12, 1)),
                ends_on: None,
                open: false,
            },
            ActivityFacts {
                id: "p4".into(),
                title: "Past work".into(),
                horizon: Some(Horizon::Tactical),
                starts_on: Some(date(2025, 1, 1)),
                ends_on: Some(date(2025, 6, 1)),
                open: true,
            },
        ],
        improvements: vec![
            ImprovementFacts {
                id: "i1".into(),
                description: "Publish the change calendar\nmonthly".into(),
                open: true,
            },
            ImprovementFacts {
                id: "i2".into(),
                description: "Done already".into(),
                open: false,
            },
        ],
        meetings: vec![
            HeldMeeting {
                id: "m1".into(),
                kind: MeetingKind::FollowUp,
                starts_at: at("2026-06-01T09:00:00Z"),
                actions: vec![action("Old action", false)],
            },
            HeldMeeting {
                id: "m2".into(),
                kind: MeetingKind::FollowUp,
                starts_at: at("2026-09-01T09:00:00Z"),
                actions: vec![
                    action("Send the report", false),
                    action("Fix the VPN", true),
                ],
            },
            HeldMeeting {
                id: "m3".into(),
                kind: MeetingKind::ForwardLooking,
                starts_at: at("2026-10-01T09:00:00Z"),
                actions: vec![action("Sketch the exit plan", false)],
            },
        ],
    }
}

fn action(text: &str, done: bool) -> ActionItem {
    ActionItem {
        text: text.into(),
        owner_id: None,
        due_on: Some(date(2026, 9, 15)),
        done,
    }
}

fn item<'a>(items: &'a [ProposedItem], title: &str) -> &'a ProposedItem {
    items
        .iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no item {title}: {items:#?}"))
}

#[test]
fn a_follow_up_holds_the_periods_delivery_figures() {
    let proposal = propose(
        MeetingKind::FollowUp,
        &facts(),
        date(2026, 9, 1),
        date(2026, 11, 30),
        TODAY,
    );
    let titles: Vec<&str> = proposal.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "RFCs opened and closed",
            "Open RFCs by age",
            "Service levels: Hosting SLA",
            "Satisfaction",
            "Budget",
            "Actions still open from the last follow-up",
        ]
    );
    let items = &proposal.items;
    let flow = item(items, "RFCs opened and closed");
    // r2, r3, r5 opened; r1 and r2 closed (20 and 5 days): median 12.5.
    assert_eq!(
        flow.notes,
        "Opened in the period: 3\nClosed in the period: 2\nMedian time to close: 12.5 days"
    );
    assert_eq!(flow.source.ids, ["r2", "r3", "r5", "r1"]);
    assert_eq!(flow.source.collection, "rfcs");
    // Open on 3 December: r3 63 days, r4 200 days, r5 13 days.
    assert_eq!(
        item(items, "Open RFCs by age").notes,
        "Open now: 3\nunder a week: 0\n1 to 4 weeks: 1\n1 to 3 months: 1\nover 3 months: 1"
    );
    let levels = item(items, "Service levels: Hosting SLA");
    assert_eq!(
        levels.notes,
        "availability ≥ 99.5 %: met 1 of 2 months measured; missed 2026-10 (98.9)\n\
         incident response ≤ 4 hours: met 3 of 3 months measured"
    );
    assert_eq!(levels.source.ids, ["a1"]);
    let satisfaction = item(items, "Satisfaction");
    assert_eq!(
        satisfaction.notes,
        "Q3 2026: 8 responses\nMean 3.40 (-0.40 on the round before)\n\
         NPS -10 (-15 on the round before)\nRound before: Q2 2026 (mean 3.80, NPS 5)"
    );
    assert_eq!(satisfaction.source.ids, ["s2", "s1"]);
    assert_eq!(
        item(items, "Budget").notes,
        "Planned for 2026: 10 000.00\nCharged to date: 9 500.00 (95% of planned)\n\
         Year-end forecast: 10 363.64 (103% of planned)\n\
         Hosting: forecast 10 363.64 against 10 000.00 planned"
    );
    let actions = item(items, "Actions still open from the last follow-up");
    assert_eq!(actions.notes, "Send the report (due 2026-09-15)");
    assert_eq!(actions.source.ids, ["m2"]);
}

#[test]
fn a_forward_looking_session_holds_the_plan_and_the_open_needs() {
    let proposal = propose(
        MeetingKind::ForwardLooking,
        &facts(),
        TODAY,
        date(2027, 12, 2),
        TODAY,
    );
    let titles: Vec<&str> = proposal.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Strategic plan (about a year ahead)",
            "Operational plan (the coming weeks)",
            "Needs outside the agreement",
            "Agreements due for review",
            "Open improvements",
            "Actions still open from the last forward-looking session",
        ]
    );
    let items = &proposal.items;
    assert_eq!(
        item(items, "Strategic plan (about a year ahead)").notes,
        "Data centre exit (2027-03-01 to 2027-12-31)"
    );
    assert_eq!(
        item(items, "Operational plan (the coming weeks)")
            .source
            .ids,
        ["p2"]
    );
    let needs = item(items, "Needs outside the agreement");
    assert_eq!(needs.notes, "RFC r5 (negotiating)");
    assert_eq!(needs.source.ids, ["r5"]);
    assert_eq!(
        item(items, "Agreements due for review").notes,
        "Hosting SLA (review on 2026-12-20)"
    );
    assert_eq!(
        item(items, "Open improvements").notes,
        "Publish the change calendar"
    );
    assert_eq!(
        item(
            items,
            "Actions still open from the last forward-looking session"
        )
        .source
        .ids,
        ["m3"]
    );
}

#[test]
fn no_item_of_one_kind_appears_in_the_others_proposal() {
    let follow = propose(
        MeetingKind::FollowUp,
        &facts(),
        date(2026, 9, 1),
        date(2026, 11, 30),
        TODAY,
    );
    let forward = propose(
        MeetingKind::ForwardLooking,
        &facts(),
        TODAY,
        date(2027, 12, 2),
        TODAY,
    );
    for item in &follow.items {
        assert!(
            forward.items.iter().all(|other| other.title != item.title),
            "{}",
            item.title
        );
    }
}

#[test]
fn a_customer_without_agreement_or_rfcs_gets_plain_answers() {
    let empty = Facts {
        customer_id: "c9".into(),
        ..Facts::default()
    };
    let proposal = propose(
        MeetingKind::FollowUp,
        &empty,
        date(2026, 9, 1),
        date(2026, 11, 30),
        TODAY,
    );
    let items = &proposal.items;
    assert_eq!(
        item(items, "RFCs opened and closed").notes,
        "Opened in the period: 0\nClosed in the period: 0\nMedian time to close: no RFC closed"
    );
    let levels = item(items, "Service levels");
    assert_eq!(
        levels.notes,
        "No active agreement: nothing was agreed to be measured."
    );
    assert_eq!(levels.source.query.as_deref(), Some("customer_id=c9"));
    assert_eq!(
        item(items, "Satisfaction").notes,
        "No survey answered in the period."
    );
    assert_eq!(
        item(items, "Budget").notes,
        "No budget and no charges in 2026."
    );
    assert!(items.iter().all(|i| !i.title.starts_with("Actions")));
    let forward = propose(
        MeetingKind::ForwardLooking,
        &empty,
        TODAY,
        date(2027, 12, 2),
        TODAY,
    );
    assert_eq!(forward.items[0].title, "Activity plan");
}

#[test]
fn money_groups_thousands() {
    assert_eq!(money(1_036_364), "10 363.64");
    assert_eq!(money(-5_000), "-50.00");
    assert_eq!(money(7), "0.07");
    assert_eq!(money(123_456_789), "1 234 567.89");
}
