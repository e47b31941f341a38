//! Notifications through the whole app: an RFC change on the feed has its
//! audit entry read; one worth telling is counted in the status bar, rings
//! the bell only with `notify_bell`, and the list (`!`) clears the count
//! and opens the RFC.

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

use crate::api::ServerChange;
use crate::api::views::ViewCall;
use crate::app::{App, Command, Msg, Overlay, Reply};
use crate::fixtures;
use crate::screens::ScreenId;

/// The app drawn, as text.
fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row + "\n"
        })
        .collect()
}

fn change(id: &str, seq: i64) -> ServerChange {
    ServerChange {
        seq: seq.to_string(),
        collection: Some(Collection::Rfcs),
        id: id.into(),
        version: 2,
        action: "update".into(),
    }
}

/// The audit page the server gives for change `seq` of RFC `id`: assigned
/// to the fixtures' user (`s1`) by `who_staff_id`.
fn assigned_page(id: &str, seq: i64, who_staff_id: &str) -> Value {
    json!({"items": [{
        "seq": seq, "when": "2026-12-04T10:00:00Z", "who": "ines",
        "who_staff_id": who_staff_id, "entity": "rfcs", "entity_id": id,
        "action": "update",
        "before": {"title": "VPN access", "priority": "low", "assignee_id": null},
        "after": {"title": "VPN access", "priority": "low", "assignee_id": "s1"}
    }], "next_cursor": null})
}

/// Sends the change and answers its audit read with `page`; the commands
/// the answer returned.
fn told(app: &mut App, change: ServerChange, page: Value) -> Vec<Command> {
    let commands = app.update(Msg::Changed(change.clone()));
    let request = commands
        .iter()
        .find_map(|command| match command {
            Command::View {
                request,
                call: ViewCall::ChangeAudit { id, seq, .. },
            } if *id == change.id && seq.to_string() == change.seq => Some(*request),
            _ => None,
        })
        .expect("the change's audit entry is read");
    app.update(Msg::Reply {
        request,
        reply: Reply::View(Ok(page)),
    })
}

#[test]
fn assigned_to_me_by_someone_else_is_counted_by_myself_not() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    told(&mut app, change("r1", 41), assigned_page("r1", 41, "s1"));
    assert_eq!(app.notifications.unseen, 0, "my own assignment");
    let commands = told(&mut app, change("r1", 42), assigned_page("r1", 42, "s2"));
    assert_eq!(app.notifications.unseen, 1);
    assert!(
        !commands.contains(&Command::Bell),
        "the bell is off by default"
    );
    // An entry of another change (a later one read late) tells nothing.
    told(&mut app, change("r2", 43), assigned_page("r2", 44, "s2"));
    assert_eq!(app.notifications.unseen, 1);
    let screen = screen(&app);
    assert!(screen.contains("1 new: !"), "{screen}");
}

#[test]
fn the_bell_rings_only_when_enabled() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    app.notify_bell = true;
    let commands = told(&mut app, change("r1", 42), assigned_page("r1", 42, "s2"));
    assert!(commands.contains(&Command::Bell));
    // Nothing told: no bell.
    let commands = told(&mut app, change("r1", 43), assigned_page("r1", 43, "s1"));
    assert!(!commands.contains(&Command::Bell));
}

#[test]
fn the_list_clears_the_count_and_opens_the_rfc() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    told(&mut app, change("r1", 42), assigned_page("r1", 42, "s2"));
    fixtures::operator_keys(&mut app, "!");
    assert!(matches!(app.overlay, Some(Overlay::Notifications(_))));
    assert_eq!(app.notifications.unseen, 0);
    let screen = screen(&app);
    assert!(
        screen.contains("assigned to you: r1 VPN access (by ines"),
        "{screen}"
    );
    let enter = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
    let commands = app.update(Msg::Key(enter));
    fixtures::answer_all(&mut app, commands, Permission::Operator);
    assert!(app.overlay.is_none());
    assert_eq!(app.tab, ScreenId::Rfcs);
    assert_eq!(fixtures::board(&app, ScreenId::Rfcs).filter, "r1");
}
