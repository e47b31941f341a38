//! `u` on the queue and its full detail, against the remembering fixture
//! server: a priority or an assignee put back as a new write at the
//! version the step left, refused when the RFC changed since, and plain
//! words when nothing can be undone.

use crossterm::event::{KeyCode, KeyEvent};
use serde_json::json;

use super::typed_ahead_tests::{FIRST, Server, burst};
use crate::api::text;
use crate::app::App;
use crate::fixtures;
use crate::strings;

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn press(app: &mut App, server: &mut Server, keys: &str) {
    let commands = burst(app, keys);
    server.answer_all(app, commands);
}

#[test]
fn undo_puts_the_priority_back_as_a_new_write_at_the_version_seen() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    let before = text(server.rfc(FIRST), "priority").to_string();
    press(&mut app, &mut server, "u");
    assert_eq!(message(&app), strings::RFC_NOTHING_TO_UNDO);
    assert!(server.writes.is_empty());

    press(&mut app, &mut server, "p4");
    assert_eq!(text(server.rfc(FIRST), "priority"), "low");
    press(&mut app, &mut server, "u");
    // A new write, with If-Match of the version the step left (2).
    assert_eq!(
        server.writes.last(),
        Some(&(format!("priority={before}"), FIRST.to_string(), 2))
    );
    assert_eq!(text(server.rfc(FIRST), "priority"), before);
    assert!(
        message(&app).starts_with("Undo of Priority low: 00a001"),
        "{}",
        message(&app)
    );
    // An undo is not undone: a second `u` has nothing left.
    press(&mut app, &mut server, "u");
    assert_eq!(message(&app), strings::RFC_NOTHING_TO_UNDO);
    assert_eq!(server.writes.len(), 2);
}

#[test]
fn undo_of_an_assignment_in_the_full_detail_clears_it_again() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    assert_eq!(text(server.rfc(FIRST), "assignee_id"), "");
    press(&mut app, &mut server, "a");
    assert_eq!(text(server.rfc(FIRST), "assignee_id"), "s1");
    // `u` also works with the whole detail open, which stays open.
    press(&mut app, &mut server, "vu");
    assert!(matches!(
        fixtures::overlay(&app),
        Some(fixtures::Overlay::Rfc(super::RfcOverlay::Detail { .. }))
    ));
    assert_eq!(
        server.writes.last().map(|w| w.0.as_str()),
        Some("assignee_id=")
    );
    assert_eq!(server.rfc(FIRST).get("assignee_id"), Some(&json!(null)));
}

#[test]
fn an_rfc_changed_since_is_not_rewritten() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    press(&mut app, &mut server, "p4");
    // A colleague changes the RFC after the step.
    let rfc = server
        .rfcs
        .iter_mut()
        .find(|r| crate::api::record_id(r) == FIRST)
        .expect("the first RFC");
    rfc.insert("priority".into(), json!("high"));
    rfc.insert("version".into(), json!(3));
    press(&mut app, &mut server, "u");
    assert_eq!(text(server.rfc(FIRST), "priority"), "high", "not rewritten");
    assert!(
        message(&app).contains(strings::UNDO_CHANGED_SINCE),
        "{}",
        message(&app)
    );
}

#[test]
fn a_workflow_step_says_it_cannot_be_undone() {
    let mut app = fixtures::rfc_queue();
    let mut server = Server::new();
    press(&mut app, &mut server, "tc");
    let writes = server.writes.len();
    press(&mut app, &mut server, "u");
    assert_eq!(message(&app), strings::UNDO_TRIAGE_FORBIDDEN);
    assert_eq!(server.writes.len(), writes, "nothing sent");
    // The key is in the key map, so help lists it.
    let map = crate::keymap::KeyMap::default();
    assert!(map.is(
        crate::keymap::Action::RfcUndo,
        &KeyEvent::from(KeyCode::Char('u'))
    ));
}
