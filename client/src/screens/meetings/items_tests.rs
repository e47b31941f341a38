//! A meeting's contents changed as data (`items`): the period of a
//! proposal per kind, lists moved, removed and ticked only where they can
//! be, a proposal's items made agenda items, and the screen each kind of
//! source record opens on.

use serde_json::{Value, json};

use super::fixtures::NOW;
use super::{Side, items};
use crate::api::Record;
use crate::screens::{Effect, ScreenId};

#[test]
fn the_period_of_a_proposal_follows_the_kind() {
    let day = jiff::civil::date(2026, 5, 26);
    let previous = jiff::civil::date(2026, 2, 24);
    assert_eq!(
        items::period(Side::FollowUp, day, Some(previous)),
        (previous, day)
    );
    assert_eq!(
        items::period(Side::FollowUp, day, None),
        (jiff::civil::date(2026, 2, 26), day)
    );
    assert_eq!(
        items::period(Side::ForwardLooking, day, Some(previous)),
        (day, jiff::civil::date(2027, 5, 25))
    );
    assert_eq!(NOW, "2026-05-20T12:00:00Z");
}

#[test]
fn lists_change_only_where_they_can() {
    let list = vec![json!("a"), json!("b"), json!("c")];
    assert_eq!(
        items::moved(&list, 0, false),
        Some((vec![json!("b"), json!("a"), json!("c")], 1))
    );
    assert_eq!(items::moved(&list, 0, true), None);
    assert_eq!(items::moved(&list, 2, false), None);
    assert_eq!(items::removed(&list, 3), None);
    assert_eq!(
        items::ticked(&[json!({"text": "t"})], 0),
        Some(vec![json!({"text": "t", "done": true})])
    );
    assert_eq!(items::ticked(&list, 0), None, "not an action");
    let proposal = json!({"items": [
        {"title": "  ", "notes": "no title"},
        {"title": "Kept", "notes": null, "figures": [1, 2]},
    ]});
    assert_eq!(items::agenda_of(&proposal), vec![json!({"title": "Kept"})]);
}

#[test]
fn sources_open_on_the_screen_of_their_records() {
    let meeting: Record = json!({"id": "m1", "customer_id": "c1"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let open =
        |source: Value| items::source_screen(&json!({"title": "x", "source": source}), &meeting);
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        open(json!({"collection": "level_results", "ids": ["l1"]})),
        Ok(Effect::Show(
            ScreenId::Customer,
            vec![pair("id", "c1"), pair("section", "agreements")]
        ))
    );
    assert_eq!(
        open(json!({"collection": "improvements", "ids": ["i1", "i2"]})),
        Ok(Effect::Show(
            ScreenId::Improvements,
            vec![pair("id", "i1,i2")]
        ))
    );
    assert_eq!(
        open(
            json!({"collection": "activities", "query": "horizon=strategic&nonsense=1&customer_id=c1"})
        ),
        Ok(Effect::Show(
            ScreenId::Activities,
            vec![pair("horizon", "strategic"), pair("customer_id", "c1")]
        ))
    );
    assert_eq!(
        open(json!({"collection": "surveys", "ids": ["sv1"]})),
        Ok(Effect::Show(
            ScreenId::SurveyResults,
            vec![pair("id", "sv1")]
        ))
    );
    assert!(open(json!({"collection": "nowhere"})).is_err());
    assert!(items::source_screen(&json!({"title": "x"}), &meeting).is_err());
}
