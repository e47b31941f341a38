//! Update-function tests: keys in, commands and state out, answered by the
//! fixture server.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::json;

use super::*;
use crate::api::{ApiError, record_id};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

/// The customers list board.
fn customers(app: &App) -> &crate::components::board::Board {
    fixtures::board(app, ScreenId::Customers)
}

/// The contacts list board.
fn contacts(app: &App) -> &crate::components::board::Board {
    fixtures::board(app, ScreenId::Contacts)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::from(code)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

fn admin() -> App {
    fixtures::app(Permission::Admin, 80, 24)
}

#[test]
fn start_loads_the_customers_board_and_the_selected_detail() {
    let app = admin();
    assert_eq!(app.connection, Connection::Online);
    assert_eq!(customers(&app).rows.len(), 3);
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c1"));
    assert_eq!(fixtures::customers(&app).related.records.len(), 2);
    assert_eq!(app.lookup.name("t1"), "Team Atlas");
    assert!(!app.busy());
}

#[test]
fn number_keys_switch_tabs_and_load_a_board_once() {
    let mut app = admin();
    let commands = press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.tab, ScreenId::Teams);
    assert!(matches!(
        commands.as_slice(),
        [Command::List {
            collection: Collection::Teams,
            ..
        }]
    ));
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(
        fixtures::teams(&app)
            .customers_of(&fixtures::teams(&app).teams[0])
            .len(),
        2
    );
    press(&mut app, KeyCode::Char('1'));
    assert!(
        press(&mut app, KeyCode::Char('2')).is_empty(),
        "already loaded"
    );
}

#[test]
fn the_tenth_tab_is_reached_by_zero_and_says_so() {
    // (The registry's order is checked in `navigation_tests`.)
    let mut app = admin();
    press(&mut app, KeyCode::Char('0'));
    assert_eq!(app.tab, ScreenId::Notices);
    let labels = app.tab_labels(200);
    let notices = labels
        .iter()
        .find(|(tab, _)| *tab == ScreenId::Notices)
        .map(|(_, label)| label.content.to_string());
    assert_eq!(notices.as_deref(), Some(" 0 Notices "));
}

#[test]
fn a_customer_is_created_from_the_keyboard_with_an_idempotency_key() {
    let mut app = admin();
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.form.is_some());
    type_text(&mut app, "Digital Unit");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "DIGI");
    let commands = ctrl(&mut app, 's');
    let [
        Command::Create {
            collection,
            body,
            idempotency_key,
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("one create: {commands:?}");
    };
    assert_eq!(*collection, Collection::Customers);
    assert_eq!(body.get("code"), Some(&json!("DIGI")));
    assert!(!idempotency_key.is_empty());
    answer_all(&mut app, commands, Permission::Admin);
    assert!(app.form.is_none());
    assert_eq!(customers(&app).selected_id.as_deref(), Some("new1"));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("Saved customer DIGI"))
    );
    // The new customer's detail pane lists its contacts (none), not
    // "Loading..." until r.
    let related = &fixtures::customers(&app).related;
    assert_eq!(related.of.as_deref(), Some("new1"));
    assert_eq!(related.load, crate::remote::Remote::Loaded);
}

#[test]
fn an_invalid_form_is_not_sent_and_says_why() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "x");
    assert!(ctrl(&mut app, 's').is_empty());
    let form = app.form.as_ref().expect("still open");
    assert_eq!(
        form.errors.get("code").map(String::as_str),
        Some("is required")
    );
}

#[test]
fn a_conflict_keeps_the_edit_and_offers_reapply() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " (HQ)");
    let commands = ctrl(&mut app, 's');
    let [
        Command::Update {
            request,
            version: 1,
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("an update at version 1: {commands:?}");
    };
    let commands = app.update(Msg::Reply {
        request: *request,
        reply: Reply::Record(Err(ApiError::Stale)),
    });
    let [Command::Get { request, id, .. }] = commands.as_slice() else {
        panic!("fetches the current record: {commands:?}");
    };
    assert_eq!(id, "c1");
    let mut current = fixtures::records(Collection::Customers).remove(0);
    current.insert("version".into(), json!(2));
    current.insert("kind".into(), json!("municipality"));
    app.update(Msg::Reply {
        request: *request,
        reply: Reply::Record(Ok(current)),
    });
    let conflict = app
        .form
        .as_ref()
        .and_then(|f| f.conflict.clone())
        .expect("conflict shown");
    assert_eq!(conflict.changes[0].0, "kind");
    press(&mut app, KeyCode::Char('r'));
    let form = app.form.as_ref().expect("form kept");
    assert_eq!(
        form.object().get("name"),
        Some(&json!("Ministry of Finance (HQ)"))
    );
    assert_eq!(form.object().get("kind"), Some(&json!("municipality")));
    let commands = ctrl(&mut app, 's');
    assert!(
        matches!(commands.as_slice(), [Command::Update { version: 2, patch, .. }] if patch.len() == 1)
    );
}

#[test]
fn delete_asks_first_and_sends_the_version() {
    let mut app = admin();
    assert!(press(&mut app, KeyCode::Char('d')).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    let commands = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(commands.as_slice(), [Command::Delete { id, version: 1, .. }] if id == "c1"));
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(customers(&app).rows.len(), 2);
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c2"));
}

#[test]
fn a_viewer_token_hides_every_write() {
    let mut app = fixtures::app(Permission::Viewer, 80, 24);
    assert!(app.read_only());
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Char('d'));
    assert!(app.form.is_none() && app.overlay.is_none());
    assert!(app.message.as_ref().is_some_and(|m| m.error));
}

#[test]
fn quitting_with_unsaved_text_asks() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "q");
    assert!(!app.quitting, "q is text in a form");
    assert!(ctrl(&mut app, 'c').is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    press(&mut app, KeyCode::Char('n'));
    assert!(app.form.is_some());
    press(&mut app, KeyCode::Esc);
    assert!(
        matches!(app.overlay, Some(Overlay::Confirm(_))),
        "discarding asks too"
    );
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form.is_none());
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Quit]);
}

#[test]
fn a_customer_moves_to_the_next_team() {
    let mut app = admin();
    let commands = press(&mut app, KeyCode::Char('2'));
    answer_all(&mut app, commands, Permission::Admin);
    let commands = press(&mut app, KeyCode::Char('L'));
    let [
        Command::Update {
            collection: Collection::Customers,
            id,
            version: 1,
            patch,
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("a customer update: {commands:?}");
    };
    assert_eq!(id, "c1");
    assert_eq!(patch.get("team_id"), Some(&json!("t2")));

    // The server now lists MOF in Team Boreal: the selection follows it.
    let mut pending = commands;
    while let Some(command) = pending.pop() {
        let team = match &command {
            Command::List {
                collection: Collection::Customers,
                query,
                ..
            } => query
                .filters
                .iter()
                .find(|(key, _)| key == "team_id")
                .map(|(_, team)| team.clone()),
            _ => None,
        };
        let Some((request, mut reply)) = fixtures::answer(command, Permission::Admin) else {
            continue;
        };
        if let (Some(team), Reply::Page(Ok(page))) = (team, &mut reply) {
            page.items.retain(|c| record_id(c) != "c1");
            if team == "t2" {
                let mut moved = fixtures::records(Collection::Customers).remove(0);
                moved.insert("team_id".into(), json!("t2"));
                page.items.push(moved);
            }
        }
        pending.extend(app.update(Msg::Reply { request, reply }));
    }
    let board = fixtures::teams(&app);
    assert_eq!(board.team().map(record_id), Some("t2"));
    assert_eq!(board.customer().map(record_id), Some("c1"));
}

#[test]
fn copy_and_palette_search() {
    let mut app = admin();
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        vec![Command::Copy("MOF".to_string())]
    );
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "customer fin");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customers);
    assert!(
        matches!(commands.as_slice(), [Command::List { query, .. }] if query.q.as_deref() == Some("fin"))
    );
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(customers(&app).rows.len(), 1);
}

#[test]
fn a_filter_answer_that_arrives_late_is_dropped() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('/'));
    // "a" matches all three customers, "an" only Finance and Land Registry.
    let first = type_text(&mut app, "a");
    let second = type_text(&mut app, "n");
    // The answer to "an" arrives, then the older one to "a": it is ignored.
    answer_all(&mut app, second, Permission::Admin);
    answer_all(&mut app, first, Permission::Admin);
    let ids: Vec<&str> = customers(&app).rows.iter().map(record_id).collect();
    assert_eq!(ids, ["c1", "c3"]);
    assert_eq!(customers(&app).filter, "an");
}

#[test]
fn an_unreachable_server_is_retried_on_ticks() {
    let mut app = App::new(
        &crate::config::Settings::default(),
        KeyMap::default(),
        Theme::default(),
        "http://down",
    );
    let commands = app.start();
    let Some(Command::Me { request }) = commands.first().cloned() else {
        panic!("asks who am I first");
    };
    app.update(Msg::Reply {
        request,
        reply: Reply::Me(Err(ApiError::Unreachable("connection refused".into()))),
    });
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("connection refused"))
    );
    fixtures::assert_offline_and_retrying(&mut app);
}

#[test]
fn enter_on_a_customer_opens_its_contacts() {
    let mut app = admin();
    // Enter opens the customer screen; Enter on its contacts section the
    // Contacts board narrowed to the customer.
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customer);
    answer_all(&mut app, commands, Permission::Admin);
    press(&mut app, KeyCode::Char('c'));
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Contacts);
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(contacts(&app).rows.len(), 2);
    let commands = press(&mut app, KeyCode::Char('n'));
    let form = app.form.as_ref().expect("a contact form");
    assert_eq!(
        form.object().get("customer_id"),
        Some(&json!("c1")),
        "prefilled"
    );
    answer_all(&mut app, commands, Permission::Admin);
}

#[test]
fn server_changes_update_the_board_in_place() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c2"));
    let change = |id: &str, version: i64, action: &str| {
        Msg::Changed(crate::api::ServerChange {
            seq: "9".into(),
            collection: Some(Collection::Customers),
            id: id.into(),
            version,
            action: action.into(),
        })
    };
    // An update to a version already shown (our own save) fetches nothing.
    assert!(app.update(change("c1", 1, "update")).is_empty());
    let commands = app.update(change("c1", 2, "update"));
    assert!(matches!(commands.as_slice(), [Command::Get { id, .. }] if id == "c1"));
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(
        customers(&app).selected_id.as_deref(),
        Some("c2"),
        "selection stays"
    );
    app.update(change("c3", 2, "delete"));
    assert_eq!(customers(&app).rows.len(), 2);
    let commands = app.update(change("c9", 1, "create"));
    assert!(matches!(commands.as_slice(), [Command::Get { id, .. }] if id == "c9"));
}

#[test]
fn the_mouse_selects_and_scrolls_when_enabled() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = admin();
    let mouse = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Off by default: nothing happens.
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 4));
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c1"));
    app.mouse = true;
    // The table's first row is below its border and header (rows 1 and 2).
    let commands = app.update(mouse(MouseEventKind::Down(MouseButton::Left), 4));
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c2"));
    answer_all(&mut app, commands, Permission::Admin);
    app.update(mouse(MouseEventKind::ScrollDown, 10));
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c3"));
    app.update(mouse(MouseEventKind::ScrollUp, 10));
    assert_eq!(customers(&app).selected_id.as_deref(), Some("c2"));
    // A click on the tab bar switches boards.
    let commands = app.update(mouse(MouseEventKind::Down(MouseButton::Left), 0));
    assert_eq!(app.tab, ScreenId::Customers);
    answer_all(&mut app, commands, Permission::Admin);
}

#[test]
fn a_resize_changes_how_many_rows_a_page_moves() {
    let mut app = admin();
    let small = customers(&app).viewport;
    app.update(Msg::Resize(160, 48));
    assert!(customers(&app).viewport > small);
}

#[test]
fn an_edit_cut_off_by_a_signal_is_kept_and_reopened() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " (draft)");
    let commands = app.update(Msg::Terminate);
    let [Command::SaveDraft(draft), Command::Quit] = commands.as_slice() else {
        panic!("draft then quit: {commands:?}");
    };
    assert_eq!(
        draft.values.get("name"),
        Some(&json!("Ministry of Finance (draft)"))
    );

    let mut next = admin();
    let commands = next.restore_draft(draft);
    answer_all(&mut next, commands, Permission::Admin);
    let form = next.form.as_ref().expect("reopened");
    assert_eq!(
        form.object().get("name"),
        Some(&json!("Ministry of Finance (draft)"))
    );
    assert!(matches!(
        &form.mode,
        crate::components::form::FormMode::Edit { version: 1, .. }
    ));
    // Saving sends only the change, against the version it was based on.
    let commands = ctrl(&mut next, 's');
    assert!(
        matches!(commands.as_slice(), [Command::Update { version: 1, patch, .. }] if patch.len() == 1)
    );
}

#[test]
fn a_draft_reopened_before_any_list_loaded_names_its_team_and_purchaser() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " (draft)");
    let commands = app.update(Msg::Terminate);
    let [Command::SaveDraft(draft), Command::Quit] = commands.as_slice() else {
        panic!("draft then quit: {commands:?}");
    };
    // As at start: nothing has loaded yet, so nothing names t1 or p1.
    let mut next = App::new(
        &crate::config::Settings::default(),
        crate::keymap::KeyMap::default(),
        crate::theme::Theme::default(),
        "http://rapport.test",
    );
    next.update(Msg::Resize(80, 24));
    next.restore_draft(draft);
    let form = next.form.as_ref().expect("reopened");
    let label_of = |name: &str| {
        form.fields
            .iter()
            .find(|f| f.spec.name == name)
            .and_then(|f| match &f.value {
                crate::components::form::FieldValue::Ref { label, .. } => Some(label.clone()),
                _ => None,
            })
    };
    assert_eq!(label_of("team_id").as_deref(), Some("Team Atlas"));
    assert_eq!(
        label_of("purchaser_contact_id").as_deref(),
        Some("Margit Lindqvist")
    );
}

#[test]
fn a_clean_form_or_an_answered_quit_keeps_no_draft() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.update(Msg::Terminate), vec![Command::Quit]);
}

#[test]
fn a_stray_enter_after_d_does_not_delete() {
    let mut app = admin();
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty(), "{commands:?}");
    assert!(
        matches!(app.overlay, Some(Overlay::Confirm(_))),
        "still asking"
    );
    let message = app.message.clone().expect("the refusal");
    assert!(
        message.error
            && message
                .text
                .starts_with("Enter does not answer this question"),
        "{message:?}"
    );
    assert!(
        app.typed_ahead.is_empty(),
        "the Enter is not kept for later"
    );
    let commands = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(commands.as_slice(), [Command::Delete { .. }]));
}
