//! The customer screen driven through the whole app against the fixture
//! server: Enter on a customer opens it, sections switch by key, the budget
//! drills down and back up, new records belong to the customer, and the
//! screen draws at 80x24 and 160x48 (snapshots, seen from [`TODAY`]).

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::fixtures::TODAY;
use super::{CustomerScreen, Drill, Section};
use crate::app::{App, Msg};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

fn press(app: &mut App, code: KeyCode) {
    let commands = app.update(Msg::Key(KeyEvent::from(code)));
    answer_all(app, commands, Permission::Admin);
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> &CustomerScreen {
    app.screens
        .typed::<CustomerScreen>(ScreenId::Customer)
        .expect("the customer screen")
}

/// The app at `width` x `height` with the first customer opened by Enter.
fn opened(width: u16, height: u16) -> App {
    let mut app = fixtures::app(Permission::Admin, width, height);
    if let Some(customer) = app.screens.typed_mut::<CustomerScreen>(ScreenId::Customer) {
        customer.state.today = TODAY;
    }
    press(&mut app, KeyCode::Enter);
    app
}

fn render(app: &App) -> TestBackend {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

#[test]
fn enter_on_a_customer_opens_its_screen_with_every_section_loaded() {
    let app = opened(120, 40);
    assert_eq!(app.tab, ScreenId::Customer);
    let state = &screen(&app).state;
    assert_eq!(state.customer_id.as_deref(), Some("c1"));
    assert!(state.customer.is_some());
    assert_eq!(state.contacts.items.len(), 2);
    assert_eq!(state.agreements.items.len(), 1);
    assert_eq!(state.activities.items.len(), 3);
    assert!(
        state.attainment.contains_key("a1"),
        "attainment asked per agreement"
    );
    assert!(state.budget.view.is_some());
}

#[test]
fn section_keys_walk_and_jump() {
    let mut app = opened(80, 24);
    assert_eq!(
        screen(&app).state.section,
        Section::Health,
        "opens on its health"
    );
    keys(&mut app, "]]");
    assert_eq!(screen(&app).state.section, Section::Contacts);
    keys(&mut app, "[[[");
    assert_eq!(screen(&app).state.section, Section::Meetings);
    keys(&mut app, "[");
    assert_eq!(screen(&app).state.section, Section::Notices);
    keys(&mut app, "i");
    assert_eq!(screen(&app).state.section, Section::Improvements);
    keys(&mut app, "w");
    assert_eq!(screen(&app).state.section, Section::Notices);
    // Only the notices reaching the customer are kept.
    let notices: Vec<_> = screen(&app)
        .state
        .notices
        .items
        .iter()
        .map(|n| crate::api::record_id(n).to_string())
        .collect();
    assert_eq!(notices, ["n1"]);
    keys(&mut app, "b");
    assert_eq!(screen(&app).state.section, Section::Budget);
    keys(&mut app, "p");
    assert_eq!(screen(&app).state.section, Section::Plan);
}

#[test]
fn the_budget_drills_into_a_service_then_a_month_and_back_up() {
    let mut app = opened(80, 24);
    keys(&mut app, "b");
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app).state.budget.drill, Drill::Service("v1".into()));
    let months = super::budget::budget_rows(&screen(&app).state);
    let keys_of: Vec<&str> = months.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys_of, ["2026-03", "2026-04"]);
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        screen(&app).state.budget.drill,
        Drill::Month("v1".into(), "2026-04".into())
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(screen(&app).state.budget.drill, Drill::Service("v1".into()));
    assert_eq!(
        screen(&app).state.budget.row,
        1,
        "back on the month drilled into"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(screen(&app).state.budget.drill, Drill::Services);
    keys(&mut app, "v");
    let programs = super::budget::budget_rows(&screen(&app).state);
    let names: Vec<&str> = programs.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(names, ["Treasury", "unallocated"]);
}

#[test]
fn a_new_record_in_a_section_belongs_to_the_customer() {
    let mut app = opened(80, 24);
    keys(&mut app, "p");
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('n'))));
    let form = app.form.as_ref().expect("an activity form");
    assert_eq!(form.object().get("customer_id"), Some(&json!("c1")));
    answer_all(&mut app, commands, Permission::Admin);
}

#[test]
fn e_on_an_agreement_opens_its_form() {
    let mut app = opened(80, 24);
    keys(&mut app, "a");
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('e'))));
    let form = app.form.as_ref().expect("an agreement form");
    assert_eq!(form.object().get("title"), Some(&json!("Desktop SLA")));
    answer_all(&mut app, commands, Permission::Admin);
    assert_eq!(Section::Agreements.collection(), Collection::Agreements);
}

#[test]
fn an_agreements_levels_are_edited_one_per_line_and_saved_as_objects() {
    let mut app = opened(120, 40);
    keys(&mut app, "a");
    press(&mut app, KeyCode::Char('e'));
    let form = app.form.as_mut().expect("an agreement form");
    let at = form
        .fields
        .iter()
        .position(|f| f.spec.name == "levels")
        .expect("a levels field");
    assert_eq!(
        form.fields[at].value.to_json(),
        json!("availability | 99.5 | % | higher\nresolution | 8 | h | lower")
    );
    while app.form.as_ref().is_some_and(|f| f.focus != at) {
        press(&mut app, KeyCode::Tab);
    }
    // A third level typed on a new line; `better` left to its default.
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "first response | 30 | min");
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    let [crate::messages::Command::Update { id, patch, .. }] = commands.as_slice() else {
        panic!("an update: {commands:?}");
    };
    assert_eq!(id, "a1");
    assert_eq!(
        patch.get("levels"),
        Some(&json!([
            {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher"},
            {"metric": "resolution", "target": 8, "unit": "h", "better": "lower"},
            {"metric": "first response", "target": 30, "unit": "min"}
        ]))
    );
}

#[test]
fn a_level_line_that_is_not_a_level_is_refused_before_sending() {
    let mut app = opened(120, 40);
    keys(&mut app, "a");
    press(&mut app, KeyCode::Char('e'));
    let at = app
        .form
        .as_ref()
        .and_then(|f| f.fields.iter().position(|f| f.spec.name == "levels"))
        .expect("a levels field");
    while app.form.as_ref().is_some_and(|f| f.focus != at) {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "uptime | lots | %");
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    assert!(commands.is_empty(), "{commands:?}");
    let form = app.form.as_ref().expect("still open");
    let message = form.errors.get("levels").cloned().unwrap_or_default();
    assert!(message.contains("target"), "{message:?}");
}

#[test]
fn record_text_reaches_the_terminal_cleaned() {
    assert_eq!(super::clean("a\u{1b}[31mb\r"), "a?[31mb?");
}

#[test]
fn customer_screen_snapshots() {
    for (width, height, section) in [
        (80, 24, "H"),
        (160, 48, "H"),
        (80, 24, "a"),
        (160, 48, "a"),
        (80, 24, "p"),
        (160, 48, "b"),
        (80, 24, "w"),
    ] {
        let mut app = opened(width, height);
        keys(&mut app, section);
        let name = section.to_lowercase();
        insta::assert_snapshot!(format!("customer_{name}_{width}x{height}"), render(&app));
    }
}

#[test]
fn the_customer_screen_lists_its_meetings_latest_first_and_enter_opens_one() {
    let mut app = fixtures::app(Permission::Admin, 120, 40);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customer);
    keys(&mut app, "m");
    let ids: Vec<&str> = screen(&app)
        .state
        .meetings
        .items
        .iter()
        .map(crate::api::record_id)
        .collect();
    assert_eq!(ids, ["m3", "m1", "m2"]);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Meetings);
    let meetings = app
        .screens
        .typed::<crate::screens::meetings::MeetingsScreen>(ScreenId::Meetings)
        .expect("the meetings screen");
    assert_eq!(meetings.open_id.as_deref(), Some("m3"));
    assert_eq!(meetings.mode, crate::screens::meetings::Mode::Meeting);
}

#[test]
fn the_customer_opens_on_its_health_and_a_signal_opens_its_records() {
    let mut app = opened(80, 24);
    let health = &screen(&app).state.health;
    assert_eq!(health.state(), Some("act"));
    assert_eq!(health.signals().len(), 3);
    // Service levels: the agreement whose levels were missed.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customer);
    assert_eq!(screen(&app).state.section, Section::Agreements);
    // Budget: the budget section.
    keys(&mut app, "Hj");
    assert_eq!(screen(&app).state.health.row, 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app).state.section, Section::Budget);
    // Satisfaction, with no survey answered: the Surveys board.
    keys(&mut app, "Hj");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Surveys);
}

#[test]
fn a_signal_leads_to_the_records_behind_it() {
    use super::health::{Target, target};
    let signal = |source| json!({"name": "x", "state": "act", "reason": "r", "source": source});
    let show = |source| match target(&signal(source), "c1") {
        Ok(Target::Show(crate::screens::Effect::Show(screen, filters))) => (screen, filters),
        other => panic!("another screen: {other:?}"),
    };
    // The old RFCs: the queue narrowed to them.
    assert_eq!(
        show(json!({"collection": "rfcs", "ids": ["r1", "r2"]})),
        (
            ScreenId::Rfcs,
            vec![("id".to_string(), "r1,r2".to_string())]
        )
    );
    // One meeting with overdue actions opens on the Meetings screen;
    // several are the customer's own Meetings section.
    assert_eq!(
        show(json!({"collection": "meetings", "ids": ["m1"]})),
        (
            ScreenId::Meetings,
            vec![("id".to_string(), "m1".to_string())]
        )
    );
    assert!(matches!(
        target(
            &signal(json!({"collection": "meetings", "ids": ["m1", "m2"]})),
            "c1"
        ),
        Ok(Target::Section(Section::Meetings))
    ));
    assert!(matches!(
        target(
            &signal(json!({"collection": "agreements", "ids": []})),
            "c1"
        ),
        Ok(Target::Section(Section::Agreements))
    ));
    assert!(target(&signal(json!({"collection": "nothing"})), "c1").is_err());
}

#[test]
fn health_reads_without_colour() {
    use super::health::mark;
    assert_eq!(mark("act"), "\u{25b2} act");
    assert_eq!(mark("watch"), "\u{25cf} watch");
    assert_eq!(mark("unknown"), "? unknown");
    assert_eq!(mark("good"), "\u{2713} good");
    assert_eq!(mark("odd\u{1b}"), "odd?");
}
