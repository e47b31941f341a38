//! `u` on the teams board, against the fixture server: the last move made
//! here goes back as a new write at the version the move left, a customer
//! changed since is not moved back, and keys typed during a move wait for
//! it.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::json;

use crate::api::{ApiError, record_id};
use crate::app::{App, Command, Msg, Reply};
use crate::fixtures;
use crate::keymap::{Action, KeyMap};
use crate::strings;

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn press(app: &mut App, c: char) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))))
}

/// The teams board, loaded, with Ministry of Finance (c1, in Team Atlas,
/// at version 1) selected.
fn board() -> App {
    let mut app = fixtures::app(Permission::Manager, 80, 24);
    let commands = press(&mut app, '2');
    fixtures::answer_all(&mut app, commands, Permission::Manager);
    assert_eq!(
        fixtures::teams(&app).customer().map(record_id),
        Some("c1"),
        "MOF selected"
    );
    app
}

/// Answers `commands` like the fixture server, feeding the answers back,
/// and gives every customer PATCH sent meanwhile as (id, version, team).
fn answer(app: &mut App, mut commands: Vec<Command>) -> Vec<(String, i64, String)> {
    let mut moves = Vec::new();
    while let Some(command) = commands.pop() {
        if let Command::Update {
            collection: Collection::Customers,
            id,
            version,
            patch,
            ..
        } = &command
        {
            let team = patch.get("team_id").cloned().unwrap_or(json!(null));
            moves.push((
                id.clone(),
                *version,
                team.as_str().unwrap_or("").to_string(),
            ));
        }
        if let Some((request, reply)) = fixtures::answer(command, Permission::Manager) {
            commands.extend(app.update(Msg::Reply { request, reply }));
        }
    }
    moves
}

#[test]
fn undo_moves_the_customer_back_as_a_new_write_at_the_version_the_move_left() {
    let mut app = board();
    let commands = press(&mut app, 'u');
    assert!(commands.is_empty());
    assert_eq!(message(&app), strings::TEAM_NOTHING_TO_UNDO);

    let commands = press(&mut app, 'L');
    let moves = answer(&mut app, commands);
    assert_eq!(moves, [("c1".to_string(), 1, "t2".to_string())]);
    assert_eq!(message(&app), "Moved MOF to Team Boreal.");

    // The fixture server answers a write at version 2: the way back is
    // sent with If-Match 2, to the team the customer left.
    let commands = press(&mut app, 'u');
    let moves = answer(&mut app, commands);
    assert_eq!(moves, [("c1".to_string(), 2, "t1".to_string())]);
    assert_eq!(message(&app), "Undone: MOF is back in Team Atlas.");
    assert_eq!(fixtures::teams(&app).team().map(record_id), Some("t1"));

    // An undo is not undone.
    assert!(press(&mut app, 'u').is_empty());
    assert_eq!(message(&app), strings::TEAM_NOTHING_TO_UNDO);

    // The key is in the key map, so help lists it under the teams board.
    let map = KeyMap::default();
    assert!(map.is(Action::TeamUndo, &KeyEvent::from(KeyCode::Char('u'))));
    assert_eq!(Action::TeamUndo.context(), crate::keymap::Context::Teams);
}

#[test]
fn a_customer_changed_since_the_move_is_not_moved_back() {
    let mut app = board();
    let commands = press(&mut app, 'L');
    answer(&mut app, commands);
    let commands = press(&mut app, 'u');
    let [
        Command::Update {
            request, version, ..
        },
    ] = commands.as_slice()
    else {
        panic!("one undo write: {commands:?}");
    };
    assert_eq!(*version, 2);
    // Someone changed the customer after the move: the server refuses
    // the stale If-Match (412).
    let reload = app.update(Msg::Reply {
        request: *request,
        reply: Reply::Record(Err(ApiError::Stale)),
    });
    let said = app.message.clone().expect("a message");
    assert!(said.error);
    assert_eq!(
        said.text,
        "MOF changed on the server since your change: nothing undone, r shows it"
    );
    // The board reloads to show what the server holds; nothing is sent again.
    let moves = answer(&mut app, reload);
    assert!(moves.is_empty(), "{moves:?}");
    assert!(press(&mut app, 'u').is_empty());
    assert_eq!(message(&app), strings::TEAM_NOTHING_TO_UNDO);
}

#[test]
fn u_typed_during_the_move_waits_for_it_and_takes_it_back() {
    let mut app = board();
    let commands = press(&mut app, 'L');
    // `u` pressed before the move's answer: kept, not refused.
    assert!(press(&mut app, 'u').is_empty());
    assert_eq!(app.typed_ahead.len(), 1);
    let moves = answer(&mut app, commands);
    assert_eq!(
        moves,
        [
            ("c1".to_string(), 1, "t2".to_string()),
            ("c1".to_string(), 2, "t1".to_string())
        ]
    );
    assert!(app.typed_ahead.is_empty());
    assert_eq!(message(&app), "Undone: MOF is back in Team Atlas.");
}

#[test]
fn a_move_waiting_in_the_outbox_says_where_to_cancel_it() {
    let mut app = board();
    // The move's answer is the outbox's optimistic copy (offline).
    let commands = press(&mut app, 'L');
    let Some(Command::Update { request, .. }) = commands.first() else {
        panic!("a move: {commands:?}");
    };
    let mut queued = fixtures::records(Collection::Customers).remove(0);
    queued.insert("team_id".into(), json!("t2"));
    queued.insert("_pending".into(), json!(true));
    let reload = app.update(Msg::Reply {
        request: *request,
        reply: Reply::Record(Ok(queued)),
    });
    answer(&mut app, reload);
    assert!(press(&mut app, 'u').is_empty());
    let said = message(&app);
    assert!(said.contains("cancel it in the outbox (O)"), "{said}");
}
