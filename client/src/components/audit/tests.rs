use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::wire::AuditEntry;
use serde_json::{Value, json};

use super::*;

fn clock() -> Clock {
    Clock::fixed("2026-03-01T12:00:00Z".parse().expect("a time"))
}

fn lookup() -> Lookup {
    let mut lookup = Lookup::default();
    lookup.remember("s2", "Helen Achterberg");
    lookup.remember("t1", "Team Atlas");
    lookup.remember("t2", "Team Boreal");
    lookup
}

fn entry(seq: i64, action: &str, before: Value, after: Value) -> AuditEntry {
    AuditEntry {
        seq,
        when: "2026-03-01T09:00:00Z".parse::<Timestamp>().expect("a time"),
        who: "helen-laptop".into(),
        who_staff_id: Some("s2".into()),
        entity: "customers".into(),
        entity_id: "c1".into(),
        action: action.into(),
        before: (!before.is_null()).then_some(before),
        after: (!after.is_null()).then_some(after),
    }
}

fn trail(entries: Vec<AuditEntry>) -> AuditTrail {
    let fields = vec![
        ("name".to_string(), "Name".to_string()),
        ("team_id".to_string(), "Team".to_string()),
        (
            "review_on".to_string(),
            "Review on (YYYY-MM-DD)".to_string(),
        ),
    ];
    let mut trail = AuditTrail::new(
        Collection::Customers,
        "c1",
        "MOF Ministry of Finance",
        fields,
    );
    trail.entries = entries;
    trail.load = Remote::Loaded;
    trail
}

#[test]
fn a_change_is_told_field_by_field_with_names_not_ids() {
    let unknown = "0190f5c2-7a41-7c3e-9d2b-3f5e8aef83c5";
    let trail = trail(vec![entry(
        2,
        "update",
        json!({"id": "c1", "version": 1, "updated_at": "2026-02-01T00:00:00Z", "team_id": "t2",
            "purchaser_contact_id": unknown, "active": true, "review_on": "2026-05-01"}),
        json!({"id": "c1", "version": 2, "updated_at": "2026-03-01T09:00:00Z", "team_id": "t1",
            "purchaser_contact_id": null, "active": false, "review_on": "2026-06-01",
            "ends_at": "2026-03-01T10:00:00Z"}),
    )]);
    let lines = trail.lines(&lookup(), &clock(), "G");
    assert_eq!(
        lines,
        [
            "3 h ago  Helen Achterberg changed it",
            "  Team: Team Boreal -> Team Atlas",
            "  Review on: 2026-05-01 -> 2026-06-01",
            "  Active: yes -> no",
            "  Ends at: (none) -> 2 h ago",
            "  Purchaser contact: record ef83c5 -> (none)",
            "",
        ]
    );
}

#[test]
fn creations_list_what_was_set_and_deletions_say_so() {
    let trail = trail(vec![
        entry(
            1,
            "create",
            Value::Null,
            json!({"id": "c1", "version": 1, "name": "Ministry of Finance", "code": "MOF", "description": ""}),
        ),
        entry(3, "delete", json!({"id": "c1", "version": 2}), Value::Null),
    ]);
    let lines = trail.lines(&lookup(), &clock(), "G");
    assert_eq!(
        lines,
        [
            "3 h ago  Helen Achterberg created it",
            "  Name: Ministry of Finance",
            "  Code: MOF",
            "",
            "3 h ago  Helen Achterberg deleted it",
            "",
        ]
    );
}

#[test]
fn who_is_the_token_name_when_the_staff_member_is_unknown_and_text_is_made_safe() {
    let mut unnamed = entry(
        2,
        "update",
        json!({"name": "Old"}),
        json!({"name": "New\u{1b}[2J\tname\nsecond line"}),
    );
    unnamed.who_staff_id = Some("0190f5c2-7a41-7c3e-9d2b-3f5e8aef83c6".into());
    unnamed.who = "ci\u{7}-token".into();
    let lines = trail(vec![unnamed]).lines(&lookup(), &clock(), "G");
    assert_eq!(lines[0], "3 h ago  ci?-token changed it");
    assert_eq!(lines[1], "  Name: Old -> New?[2J name / second line");
}

#[test]
fn long_values_wrap_to_the_width() {
    let long = "word ".repeat(40);
    let trail = trail(vec![entry(
        2,
        "update",
        json!({"name": "Short"}),
        json!({"name": long}),
    )]);
    let rows = trail.rows(&lookup(), &clock(), "G", 40);
    assert!(rows.len() > 4, "{rows:?}");
    assert!(rows.iter().all(|row| row.chars().count() <= 38), "{rows:?}");
    assert_eq!(rows[1], "  Name: Short -> word word word word");
    assert!(
        rows[2..rows.len() - 1]
            .iter()
            .all(|row| row.starts_with("  word")),
        "a long value's rows keep its line's indent: {rows:?}"
    );
}

#[test]
fn pages_follow_the_cursor_and_stale_answers_are_dropped() {
    let mut trail = trail(Vec::new());
    trail.load = Remote::Loading(7);
    assert_eq!(trail.lines(&lookup(), &clock(), "G"), [strings::LOADING]);
    let page = json!({"items": [{"seq": 5, "when": "2026-03-01T09:00:00Z", "who": "helen",
        "who_staff_id": "s2", "entity": "customers", "entity_id": "c1", "action": "update",
        "before": {"name": "A"}, "after": {"name": "B"}}], "next_cursor": "5"});
    trail.arrived(6, Ok(page.clone()));
    assert!(
        trail.entries.is_empty(),
        "an answer to another request is dropped"
    );
    trail.arrived(7, Ok(page));
    assert_eq!(trail.entries.len(), 1);
    assert_eq!(
        trail.next_call(),
        ViewCall::Audit {
            entity: Collection::Customers,
            id: "c1".into(),
            cursor: Some("5".into())
        }
    );
    assert!(
        trail.wants_next(3, 20),
        "all of it fits: the next page is wanted"
    );
    assert!(
        !trail.wants_next(40, 20),
        "scrolled to the top of a long trail"
    );
    trail.scroll = 20;
    assert!(trail.wants_next(40, 20), "at the end of a long trail");
    assert_eq!(
        trail
            .lines(&lookup(), &clock(), "G")
            .last()
            .map(String::as_str),
        Some(strings::audit_more("G").as_str())
    );
    trail.load = Remote::Loading(8);
    trail.arrived(8, Err(ApiError::Protocol("broken".into())));
    assert!(
        !trail.wants_next(3, 20),
        "a failed page is not asked again by itself"
    );
    assert_eq!(trail.entries.len(), 1, "what was read stays");
}

#[test]
fn lists_of_objects_are_told_with_their_fields_in_words() {
    let trail = trail(vec![entry(
        2,
        "update",
        json!({"actions": []}),
        json!({"actions": [{"text": "Send the plan", "owner_id": "s2", "done": false, "kind": "follow_up"}]}),
    )]);
    let lines = trail.lines(&lookup(), &clock(), "G");
    assert_eq!(
        lines[1],
        "  Actions: (none) -> Done: no; Kind: follow up; Owner: Helen Achterberg; Text: Send the plan"
    );
}

#[test]
fn an_empty_trail_says_so() {
    let trail = trail(Vec::new());
    assert_eq!(
        trail.lines(&lookup(), &clock(), "G"),
        [strings::AUDIT_EMPTY]
    );
}
