//! The offline outbox through the app's update: writes queued while the
//! server is away, marked on screen, kept on disk, sent in order on
//! reconnect, a 412 ending in the conflict dialog, refusals kept.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;
use rapport_shared::problem::Problem;

use super::*;
use crate::api::{ApiError, record_id, record_version, text};
use crate::fixtures::{self, answer, answer_all};
use crate::outbox::{Write, is_pending};
use crate::screens::ScreenId;

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::from(code)))
}

fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

fn save(app: &mut App) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )))
}

fn offline() -> App {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    app.update(Msg::FeedFailed(ApiError::Unreachable("refused".into())));
    assert!(matches!(app.connection, Connection::Offline { .. }));
    app
}

/// The outbox as last asked to be kept on disk.
fn kept(commands: &[Command]) -> Option<Vec<crate::outbox::Entry>> {
    commands.iter().rev().find_map(|c| match c {
        Command::KeepOutbox(entries) => Some(entries.clone()),
        _ => None,
    })
}

fn writes(commands: &[Command]) -> Vec<&Command> {
    commands
        .iter()
        .filter(|c| {
            matches!(
                c,
                Command::Create { .. } | Command::Update { .. } | Command::Rfc { .. }
            )
        })
        .collect()
}

/// Ticks until the app asks who it is again, then answers that: the
/// server is back. Returns what the app sent then.
fn reconnect(app: &mut App) -> Vec<Command> {
    let mut sent = Vec::new();
    for _ in 0..RETRY_SECS {
        sent.extend(app.update(Msg::Tick));
    }
    let mut out = Vec::new();
    for command in sent {
        match command {
            Command::Me { .. } => {
                let (request, reply) = answer(command, Permission::Admin).expect("me");
                out.extend(app.update(Msg::Reply { request, reply }));
            }
            other => out.push(other),
        }
    }
    assert_eq!(app.connection, Connection::Online);
    out
}

fn reply(app: &mut App, command: &Command, reply: Reply) -> Vec<Command> {
    let request = command.request().expect("a request");
    app.update(Msg::Reply { request, reply })
}

#[test]
fn an_edit_made_offline_is_queued_marked_and_kept_on_disk() {
    let mut app = offline();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " HQ");
    let commands = save(&mut app);
    assert!(writes(&commands).is_empty(), "{commands:?}");
    let entries = kept(&commands).expect("the outbox is kept on disk");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].label.contains("edit customer"), "{entries:?}");
    assert!(app.form.is_none(), "the form closes: its write is queued");
    let board = fixtures::board(&app, ScreenId::Customers);
    let row = board.selected_record().expect("a row");
    assert!(is_pending(row), "{row:?}");
    assert!(text(row, "name").ends_with(" HQ"));
    assert_eq!(app.outbox.waiting(), 1);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("Queued"))
    );
}

#[test]
fn queued_writes_are_sent_in_order_on_reconnect_with_their_keys_and_versions() {
    let mut app = offline();
    // A create, then an edit of the first customer.
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Queued Agency");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "QAG");
    let created = save(&mut app);
    assert!(writes(&created).is_empty(), "{created:?}");
    let key = match &kept(&created).expect("kept")[0].write {
        Write::Form { draft } => draft.idempotency_key.clone().expect("a create's key"),
        other => panic!("a form's create, got {other:?}"),
    };
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "!");
    save(&mut app);
    assert_eq!(app.outbox.entries.len(), 2);

    let sent = reconnect(&mut app);
    let first = writes(&sent);
    assert_eq!(first.len(), 1, "one at a time: {sent:?}");
    match first[0] {
        Command::Create {
            idempotency_key,
            body,
            ..
        } => {
            assert_eq!(idempotency_key, &key);
            assert_eq!(text(body, "code"), "QAG");
        }
        other => panic!("the create first, got {other:?}"),
    }
    let first = first[0].clone();
    let (request, answer_) = answer(first, Permission::Admin).expect("answered");
    let next = app.update(Msg::Reply {
        request,
        reply: answer_,
    });
    let second = writes(&next);
    match second.first() {
        Some(Command::Update { version, patch, .. }) => {
            assert_eq!(*version, 1, "the version the edit was made on");
            assert!(text(patch, "name").ends_with('!'), "{patch:?}");
        }
        other => panic!("then the edit, got {other:?}"),
    }
    let second = second[0].clone();
    answer_all(&mut app, vec![second], Permission::Admin);
    assert!(app.outbox.entries.is_empty());
    let board = fixtures::board(&app, ScreenId::Customers);
    assert!(
        board.rows.iter().all(|r| !is_pending(r)),
        "{:?}",
        board.rows
    );
    assert!(board.rows.iter().any(|r| record_id(r) == "new1"));
}

#[test]
fn a_queued_edit_meeting_a_newer_version_ends_in_the_conflict_dialog() {
    let mut app = offline();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " HQ");
    save(&mut app);
    let sent = reconnect(&mut app);
    let update = writes(&sent)[0].clone();
    let fetch = reply(&mut app, &update, Reply::Record(Err(ApiError::Stale)));
    let form = app.form.as_ref().expect("the edit reopens in its form");
    assert!(matches!(
        &form.mode,
        crate::components::form::FormMode::Edit { .. }
    ));
    let get = fetch
        .iter()
        .find(|c| matches!(c, Command::Get { .. }))
        .expect("the server's version is fetched")
        .clone();
    let mut current = fixtures::records(rapport_shared::Collection::Customers)
        .into_iter()
        .next()
        .expect("c1");
    current.insert("kind".into(), serde_json::json!("municipality"));
    current.insert(
        "version".into(),
        serde_json::json!(record_version(&current) + 1),
    );
    reply(&mut app, &get, Reply::Record(Ok(current)));
    let form = app.form.as_ref().expect("open");
    let conflict = form.conflict.as_ref().expect("the conflict dialog");
    assert!(
        conflict
            .changes
            .iter()
            .any(|(f, _, now)| f == "kind" && now == "municipality")
    );
    // The entry stays, refused, until the form is saved or it is cancelled.
    assert_eq!(app.outbox.entries.len(), 1);
    assert!(app.outbox.entries[0].refused.is_some());
}

#[test]
fn a_refusal_is_kept_with_the_servers_words_never_dropped() {
    let mut app = offline();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " HQ");
    save(&mut app);
    let sent = reconnect(&mut app);
    let update = writes(&sent)[0].clone();
    let refused = ApiError::Problem(Problem::new(409, "the code is taken"));
    let after = reply(&mut app, &update, Reply::Record(Err(refused)));
    let entries = kept(&after).expect("kept");
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0]
            .refused
            .as_deref()
            .is_some_and(|w| w.contains("code is taken")),
        "{entries:?}"
    );
    let form = app.form.as_ref().expect("reopened with the server's words");
    assert!(
        form.notice
            .as_deref()
            .is_some_and(|n| n.contains("code is taken"))
    );
    // Saving the form again sends it and the entry is done.
    let resent = save(&mut app);
    answer_all(&mut app, resent, Permission::Admin);
    assert!(app.outbox.entries.is_empty(), "{:?}", app.outbox.entries);
}

#[test]
fn a_save_that_meets_an_unreachable_server_is_queued_not_lost() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " HQ");
    let sent = save(&mut app);
    let update = writes(&sent)[0].clone();
    let after = reply(
        &mut app,
        &update,
        Reply::Record(Err(ApiError::Unreachable("reset".into()))),
    );
    assert_eq!(kept(&after).map(|e| e.len()), Some(1));
    assert!(app.form.is_none());
    assert!(matches!(app.connection, Connection::Offline { .. }));
}

#[test]
fn an_rfc_transition_made_offline_is_queued_and_shown_pending() {
    let mut app = fixtures::rfc_queue();
    app.update(Msg::FeedFailed(ApiError::Unreachable("refused".into())));
    let id = fixtures::board(&app, ScreenId::Rfcs)
        .selected_record()
        .map(|r| record_id(r).to_string())
        .expect("an RFC");
    // Assign to me: a PATCH made on the screen.
    let commands = press(&mut app, KeyCode::Char('a'));
    let commands: Vec<Command> = commands
        .into_iter()
        .filter(|c| !matches!(c, Command::List { .. } | Command::Rfc { .. }))
        .collect();
    assert!(writes(&commands).is_empty(), "{commands:?}");
    assert_eq!(app.outbox.entries.len(), 1, "{:?}", app.message);
    assert!(matches!(&app.outbox.entries[0].write, Write::Patch { id: i, .. } if *i == id));
    let row = fixtures::board(&app, ScreenId::Rfcs)
        .rows
        .iter()
        .find(|r| record_id(r) == id)
        .expect("shown");
    assert!(is_pending(row));
}

#[test]
fn the_outbox_list_cancels_an_entry() {
    let mut app = offline();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " HQ");
    save(&mut app);
    press(&mut app, KeyCode::Char('O'));
    assert!(matches!(app.overlay, Some(Overlay::Outbox(_))));
    let after = press(&mut app, KeyCode::Char('x'));
    assert_eq!(kept(&after), Some(Vec::new()));
    assert!(app.outbox.entries.is_empty());
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn an_outbox_found_at_start_is_held_until_the_user_says_send() {
    let mut first = offline();
    press(&mut first, KeyCode::Char('e'));
    type_text(&mut first, " HQ");
    let entries = kept(&save(&mut first)).expect("kept");

    let mut app = fixtures::app(Permission::Admin, 80, 24);
    app.restore_outbox(entries);
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    assert!(writes(&app.update(Msg::Tick)).is_empty(), "held");
    let sent = press(&mut app, KeyCode::Char('y'));
    assert_eq!(writes(&sent).len(), 1, "{sent:?}");
}

#[test]
fn a_resync_reloads_what_the_screens_show() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    let commands = app.update(Msg::Resync("behind".into()));
    assert!(
        commands.iter().any(|c| matches!(
            c,
            Command::List {
                collection: rapport_shared::Collection::Customers,
                ..
            }
        )),
        "{commands:?}"
    );
}

#[test]
fn the_status_bar_tells_live_reconnecting_and_offline_with_the_last_contact() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let screen = |app: &App| -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 24)).expect("terminal");
        terminal
            .draw(|frame| crate::view::draw(frame, app))
            .expect("drawn");
        let buffer = terminal.backend().buffer();
        buffer.content.iter().map(|c| c.symbol()).collect()
    };
    let mut app = fixtures::app(Permission::Admin, 100, 24);
    app.message = None;
    assert!(screen(&app).contains("[live]"), "{}", screen(&app));
    app.update(Msg::FeedFailed(ApiError::Unreachable("refused".into())));
    app.message = None;
    app.update(Msg::Tick);
    app.update(Msg::Tick);
    assert!(
        screen(&app).contains("offline · last contact 2 s ago"),
        "{}",
        screen(&app)
    );
    for _ in 0..RETRY_SECS {
        app.update(Msg::Tick);
    }
    assert_eq!(app.connection, Connection::Connecting);
    assert!(screen(&app).contains("[reconnecting]"), "{}", screen(&app));
}
