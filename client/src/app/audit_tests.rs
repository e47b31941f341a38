//! `T` (a record's audit trail) and `v` (its whole detail) on every screen
//! of the registry, and the trail as it is drawn: names and words, not
//! ids and stamps, scrolled, and paged.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::api::views::ViewCall;
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

fn press(app: &mut App, code: KeyCode) {
    let commands = app.update(Msg::Key(KeyEvent::from(code)));
    answer_all(app, commands, Permission::Operator);
}

/// The screen as drawn, one string per row.
fn drawn(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("drawn");
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shows screen `id` loaded from the fixtures, with a record selected:
/// the screens that show one record are opened on one, as Enter elsewhere
/// opens them.
fn show(app: &mut App, id: ScreenId) {
    let mut commands = app.switch(id);
    let record = match id {
        ScreenId::Customer => Some("c1"),
        ScreenId::SurveyResults => Some("sv1"),
        _ => None,
    };
    if let Some(record) = record {
        let filters = vec![("id".to_string(), record.to_string())];
        commands.extend(app.on_screen(id, |screen, ctx| screen.narrow(ctx, filters)));
    }
    answer_all(app, commands, Permission::Operator);
}

fn audit_call(commands: &[Command]) -> Option<ViewCall> {
    commands.iter().find_map(|command| match command {
        Command::View { call, .. } if matches!(call, ViewCall::Audit { .. }) => Some(call.clone()),
        _ => None,
    })
}

#[test]
fn t_and_v_do_something_on_every_screen_of_the_registry() {
    for id in ScreenId::ALL.iter().copied() {
        let mut app = fixtures::app(Permission::Operator, 120, 40);
        show(&mut app, id);
        let selected = app.screen().selected(&app.lookup);
        let Some(selected) = selected else {
            panic!("{id:?} names no selected record for T");
        };
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('T'))));
        let Some(ViewCall::Audit {
            entity,
            id: asked,
            cursor,
        }) = audit_call(&commands)
        else {
            panic!("T on {id:?} asks for no audit trail: {commands:?}");
        };
        assert_eq!(
            (entity, asked.as_str(), cursor),
            (selected.collection, selected.id.as_str(), None)
        );
        assert!(matches!(app.overlay, Some(Overlay::Audit(_))), "{id:?}");
        answer_all(&mut app, commands, Permission::Operator);
        assert!(
            drawn(&app).contains("Helen Achterberg changed it"),
            "{id:?}"
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none(), "Esc closes the trail on {id:?}");

        press(&mut app, KeyCode::Char('v'));
        let shown =
            matches!(app.overlay, Some(Overlay::Detail(_))) || app.overlay_screen() == Some(id);
        assert!(shown, "v shows no full detail on {id:?}");
        press(&mut app, KeyCode::Esc);
        assert!(
            app.overlay.is_none() && app.overlay_screen().is_none(),
            "{id:?}"
        );
    }
}

#[test]
fn t_on_a_full_detail_opens_the_trail_over_it_and_esc_goes_back_to_it() {
    for id in [ScreenId::Customers, ScreenId::Rfcs] {
        let mut app = fixtures::app(Permission::Operator, 120, 40);
        show(&mut app, id);
        press(&mut app, KeyCode::Char('v'));
        assert!(app.screen().overlay_is_detail(), "{id:?}");
        press(&mut app, KeyCode::Char('T'));
        assert!(matches!(app.overlay, Some(Overlay::Audit(_))), "{id:?}");
        assert!(
            drawn(&app).contains("Helen Achterberg changed it"),
            "{id:?}"
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none(), "{id:?}");
        assert!(
            app.screen().overlay_is_detail(),
            "back on the detail: {id:?}"
        );
    }
}

#[test]
fn the_trail_names_who_and_what_and_follows_its_pages() {
    let mut app = fixtures::app(Permission::Operator, 80, 24);
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('T'))));
    assert!(matches!(
        audit_call(&commands),
        Some(ViewCall::Audit { entity: Collection::Customers, ref id, cursor: None }) if id == "c1"
    ));
    // The first page fits the terminal and names a next one: it is read too.
    answer_all(&mut app, commands, Permission::Operator);
    let Some(Overlay::Audit(trail)) = &app.overlay else {
        panic!("the trail is open");
    };
    assert_eq!(trail.entries.len(), 3);
    assert_eq!(trail.next, None);
    let screen = drawn(&app);
    assert!(
        screen.contains("Changes to MOF Ministry of Finance"),
        "{screen}"
    );
    assert!(screen.contains("Amara Nwosu created it"), "{screen}");
    assert!(screen.contains("Status: prospect -> active"), "{screen}");
    assert!(
        screen.contains("Team: Team Boreal -> Team Atlas"),
        "{screen}"
    );
    assert!(screen.contains("1 Mar"), "times in words: {screen}");
    assert!(!screen.contains("2026-03-01T"), "no RFC 3339: {screen}");
    assert!(
        !screen.contains(" s2") && !screen.contains("t1 "),
        "no ids: {screen}"
    );
}

#[test]
fn a_long_trail_scrolls_and_reads_its_next_page_at_the_end() {
    let mut app = fixtures::app(Permission::Operator, 80, 24);
    let mut trail = crate::components::audit::AuditTrail::new(
        Collection::Customers,
        "c1",
        "MOF Ministry of Finance",
        Vec::new(),
    );
    let entry: rapport_shared::wire::AuditEntry = serde_json::from_value(serde_json::json!({
        "seq": 1, "when": "2026-03-01T09:00:00Z", "who": "helen", "who_staff_id": "s2",
        "entity": "customers", "entity_id": "c1", "action": "update",
        "before": {"status": "prospect"}, "after": {"status": "active"}
    }))
    .expect("an audit entry");
    trail.entries = vec![entry; 30];
    trail.next = Some("30".into());
    trail.load = crate::remote::Remote::Loaded;
    app.overlay = Some(Overlay::Audit(trail));
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('j'))));
    assert!(commands.is_empty(), "one row down is not the end");
    let Some(Overlay::Audit(trail)) = &app.overlay else {
        panic!("still open");
    };
    assert_eq!(trail.scroll, 1);
    let rows = app.audit_rows(trail);
    assert!(
        rows.last()
            .is_some_and(|row| row.starts_with("More changes follow"))
    );
    assert!(drawn(&app).contains(&rows[1]), "drawn from its second row");
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('G'))));
    assert!(matches!(
        audit_call(&commands),
        Some(ViewCall::Audit { cursor: Some(ref cursor), .. }) if cursor == "30"
    ));
    answer_all(&mut app, commands, Permission::Operator);
    let Some(Overlay::Audit(trail)) = &app.overlay else {
        panic!("still open");
    };
    assert_eq!(trail.entries.len(), 31, "the next page is added below");
    assert_eq!(trail.next, None);
}
