//! The arithmetic of survey results on hand-computed cases.

use super::*;
use crate::records::{Question, SurveyStatus};
use serde_json::json;

fn question(id: &str, kind: QuestionKind, service_id: Option<&str>) -> Question {
    Question {
        id: id.into(),
        text: id.into(),
        kind,
        service_id: service_id.map(str::to_string),
    }
}

/// q1 scale5 and q2 nps about service s1, q3 text; audience c1 and c2.
fn survey() -> SurveyInput {
    SurveyInput {
        title: "Q1".into(),
        questions: vec![
            question("q1", QuestionKind::Scale5, Some("s1")),
            question("q2", QuestionKind::Nps, Some("s1")),
            question("q3", QuestionKind::Text, None),
        ],
        period_start: None,
        period_end: None,
        customer_ids: vec!["c1".into(), "c2".into()],
        status: SurveyStatus::Open,
    }
}

fn invited() -> BTreeMap<String, u64> {
    BTreeMap::from([("c1".to_string(), 3), ("c2".to_string(), 2)])
}

fn answers(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn run(survey: &SurveyInput, rows: &[(&str, Value)]) -> SurveyResults {
    let kept: Vec<(&str, Map<String, Value>)> = rows
        .iter()
        .map(|(customer, value)| (*customer, answers(value.clone())))
        .collect();
    let answered: Vec<Answered<'_>> = kept
        .iter()
        .map(|(customer_id, answers)| Answered {
            customer_id,
            answers,
        })
        .collect();
    results(survey, &invited(), &answered)
}

fn distribution(pairs: &[(i64, u64)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|(value, count)| (value.to_string(), *count))
        .collect()
}

#[test]
fn fixed_data_gives_the_hand_computed_figures() {
    let results = run(
        &survey(),
        &[
            ("c1", json!({"q1": 5, "q2": 10, "q3": "great"})),
            ("c1", json!({"q1": 4, "q2": 6})),
            ("c2", json!({"q1": 2, "q2": 8, "q3": "slow"})),
            // A contact outside the audience: not counted anywhere.
            ("c9", json!({"q1": 1, "q2": 0, "q3": "who asked me?"})),
        ],
    );
    assert_eq!(
        (results.responses, results.invited, results.response_rate),
        (3, 5, Some(0.6))
    );
    let [q1, q2, q3] = &results.questions[..] else {
        panic!("three questions")
    };
    assert_eq!((q1.count, q1.mean, q1.nps), (3, Some(3.67), None));
    assert_eq!(
        q1.distribution,
        distribution(&[(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)])
    );
    assert_eq!((q2.count, q2.mean, q2.nps), (3, None, Some(0.0)));
    let mut expected = distribution(&(0..=10).map(|v| (v, 0)).collect::<Vec<_>>());
    for value in ["6", "8", "10"] {
        expected.insert(value.into(), 1);
    }
    assert_eq!(q2.distribution, expected);
    assert_eq!(
        (q3.count, q3.mean, q3.nps, q3.distribution.len()),
        (2, None, None, 0)
    );
    let customers: Vec<_> = results
        .customers
        .iter()
        .map(|c| {
            (
                c.customer_id.as_str(),
                c.invited,
                c.responses,
                c.mean,
                c.nps,
            )
        })
        .collect();
    assert_eq!(
        customers,
        [
            ("c1", 3, 2, Some(4.5), Some(0.0)),
            ("c2", 2, 1, Some(2.0), Some(0.0))
        ]
    );
    assert_eq!(
        results.services,
        [ServiceResult {
            service_id: "s1".into(),
            count: 6,
            mean: Some(3.67),
            nps: Some(0.0),
        }]
    );
}

#[test]
fn no_responses_means_zero_counts_and_null_figures() {
    let results = run(&survey(), &[]);
    assert_eq!((results.responses, results.response_rate), (0, Some(0.0)));
    for question in &results.questions {
        assert_eq!(
            (question.count, question.mean, question.nps),
            (0, None, None)
        );
        assert!(question.distribution.values().all(|count| *count == 0));
    }
    assert_eq!(results.questions[0].distribution.len(), 5);
    assert_eq!(results.questions[1].distribution.len(), 11);
    assert!(
        results
            .customers
            .iter()
            .all(|c| c.mean.is_none() && c.nps.is_none())
    );
    assert_eq!(
        (results.services[0].count, results.services[0].mean),
        (0, None)
    );
}

#[test]
fn all_promoters_score_100_and_all_detractors_minus_100() {
    let promoters = run(
        &survey(),
        &[("c1", json!({"q2": 9})), ("c2", json!({"q2": 10}))],
    );
    assert_eq!(promoters.questions[1].nps, Some(100.0));
    let detractors = run(
        &survey(),
        &[("c1", json!({"q2": 0})), ("c2", json!({"q2": 6}))],
    );
    assert_eq!(detractors.questions[1].nps, Some(-100.0));
    assert_eq!(detractors.customers[0].nps, Some(-100.0));
}

#[test]
fn thirds_and_eighths_round_half_away_from_zero() {
    let one_of_three = run(
        &survey(),
        &[
            ("c1", json!({"q2": 9})),
            ("c1", json!({"q2": 7})),
            ("c2", json!({"q2": 8})),
        ],
    );
    assert_eq!(one_of_three.questions[1].nps, Some(33.33));
    let two_detractors = run(
        &survey(),
        &[
            ("c1", json!({"q2": 1})),
            ("c1", json!({"q2": 2})),
            ("c2", json!({"q2": 8})),
        ],
    );
    assert_eq!(two_detractors.questions[1].nps, Some(-66.67));
    // 25 / 8 = 3.125: the half goes up.
    let rows: Vec<(&str, Value)> = [5, 5, 5, 5, 2, 1, 1, 1]
        .iter()
        .map(|v| ("c1", json!({"q1": v})))
        .collect();
    assert_eq!(run(&survey(), &rows).questions[0].mean, Some(3.13));
    assert_eq!(hundredths(-1, 8), -0.0);
    assert_eq!(hundredths(-50, 100), -0.01);
}

#[test]
fn a_text_only_survey_has_counts_but_no_figures() {
    let mut text_only = survey();
    text_only.questions = vec![question("q3", QuestionKind::Text, None)];
    let results = run(
        &text_only,
        &[("c1", json!({"q3": "fine"})), ("c2", json!({}))],
    );
    assert_eq!((results.responses, results.questions[0].count), (2, 1));
    assert_eq!(
        (results.questions[0].mean, results.questions[0].nps),
        (None, None)
    );
    assert!(results.services.is_empty());
    assert!(
        results
            .customers
            .iter()
            .all(|c| c.mean.is_none() && c.nps.is_none())
    );
}

#[test]
fn an_unanswered_question_counts_only_those_who_answered() {
    let results = run(
        &survey(),
        &[("c1", json!({"q1": 3})), ("c2", json!({"q1": 4, "q2": 9}))],
    );
    assert_eq!(
        (results.questions[0].count, results.questions[0].mean),
        (2, Some(3.5))
    );
    assert_eq!(
        (results.questions[1].count, results.questions[1].nps),
        (1, Some(100.0))
    );
    assert_eq!(
        (results.customers[0].mean, results.customers[0].nps),
        (Some(3.0), None)
    );
}

#[test]
fn nobody_invited_has_no_response_rate() {
    let mut nobody = survey();
    nobody.customer_ids.clear();
    let results = run(&nobody, &[("c1", json!({"q1": 3}))]);
    assert_eq!(
        (results.responses, results.invited, results.response_rate),
        (0, 0, None)
    );
    assert!(results.customers.is_empty());
}
