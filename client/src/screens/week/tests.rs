//! The week ahead driven through the whole app against the fixture
//! server: `:week` shows the staff member's days and the customers whose
//! health changed since last shown (and keeps what it showed), Enter opens
//! an item's records, a token without a staff member is told so plainly,
//! and the screen draws at 80x24 and 160x48.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Changed, WeekScreen};
use crate::app::{App, Command, Msg};
use crate::fixtures::{self, answer};
use crate::screens::ScreenId;
use crate::screens::customer::{CustomerScreen, Section};

/// Answers `commands` like the fixture server and returns every command
/// seen on the way.
fn run(app: &mut App, commands: Vec<Command>) -> Vec<Command> {
    let mut seen = Vec::new();
    let mut waiting = commands;
    while let Some(command) = waiting.pop() {
        seen.push(command.clone());
        if let Some((request, reply)) = answer(command, Permission::Manager) {
            waiting.extend(app.update(Msg::Reply { request, reply }));
        }
    }
    seen
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    let commands = app.update(Msg::Key(KeyEvent::from(code)));
    run(app, commands)
}

fn keys(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

fn screen(app: &App) -> &WeekScreen {
    app.screens
        .typed::<WeekScreen>(ScreenId::Week)
        .expect("the week screen")
}

/// The app at `width` x `height` on the week ahead, and the commands its
/// opening caused.
fn opened(width: u16, height: u16) -> (App, Vec<Command>) {
    let mut app = fixtures::app(Permission::Manager, width, height);
    let mut seen = keys(&mut app, ":week");
    seen.extend(press(&mut app, KeyCode::Enter));
    (app, seen)
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
fn week_shows_the_days_and_the_health_changed_since_last_shown() {
    let (app, commands) = opened(120, 40);
    assert_eq!(app.tab, ScreenId::Week);
    let week = screen(&app);
    assert_eq!(week.items().len(), 3);
    assert_eq!(
        week.changed,
        [Changed {
            customer_id: "c1".into(),
            before: "good".into(),
            now: "act".into()
        }]
    );
    // What was shown is kept, in the command line's format.
    let kept = commands.iter().find_map(|c| match c {
        Command::KeepSeen(seen) => Some(seen.clone()),
        _ => None,
    });
    let kept = kept.expect("the states shown are kept");
    assert_eq!(kept.get("c1").map(String::as_str), Some("act"));
    assert_eq!(kept.get("c2").map(String::as_str), Some("good"));
    let drawn = format!("{:?}", render(&app));
    assert!(
        drawn.contains("Health changed since you last looked"),
        "{drawn}"
    );
    assert!(
        drawn.contains("? good -> ") || drawn.contains("good -> "),
        "{drawn}"
    );
    // An escape sequence in a title reaches the terminal cleaned.
    assert!(!drawn.contains('\u{1b}'), "{drawn}");
}

#[test]
fn enter_on_an_item_opens_its_records() {
    let (mut app, _) = opened(120, 40);
    // The second item is the meeting m3.
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Meetings);
    let meetings = app
        .screens
        .typed::<crate::screens::meetings::MeetingsScreen>(ScreenId::Meetings)
        .expect("the meetings screen");
    assert_eq!(meetings.open_id.as_deref(), Some("m3"));

    // The agreement review opens the customer's agreements.
    let (mut app, _) = opened(120, 40);
    keys(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customer);
    let customer = app
        .screens
        .typed::<CustomerScreen>(ScreenId::Customer)
        .expect("the customer screen");
    assert_eq!(customer.state.customer_id.as_deref(), Some("c1"));
    assert_eq!(customer.state.section, Section::Agreements);
}

#[test]
fn a_token_without_a_staff_member_is_told_so_plainly() {
    let mut app = fixtures::app(Permission::Manager, 120, 40);
    if let Some(me) = app.me.as_mut() {
        me.staff_id = None;
    }
    keys(&mut app, ":week");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        !commands.iter().any(|c| matches!(c, Command::View { .. })),
        "{commands:?}"
    );
    assert_eq!(
        screen(&app).load,
        crate::remote::Remote::Failed(crate::strings::WEEK_NO_STAFF.to_string())
    );
    let drawn = format!("{:?}", render(&app));
    assert!(
        drawn.contains("The week ahead is a staff member's"),
        "{drawn}"
    );
}

#[test]
fn week_snapshots() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (app, _) = opened(width, height);
        insta::assert_snapshot!(format!("week_{width}x{height}"), render(&app));
    }
}
