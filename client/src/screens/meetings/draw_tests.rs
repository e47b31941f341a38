//! The Meetings screen as drawn (insta snapshots, seen from the fixtures'
//! now in UTC): the two boards side by side at 160x48 with the selected
//! meeting's preview and stacked at 80x24, an open meeting both ways, my
//! actions, and the editor over an agenda item.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::tests::opened;
use crate::app::{App, Msg};
use crate::fixtures::answer_all;

fn press(app: &mut App, code: KeyCode) {
    let commands = app.update(Msg::Key(KeyEvent::from(code)));
    answer_all(app, commands, Permission::Manager);
}

fn render(app: &App) -> TestBackend {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

/// The app with the past follow-up (m2, third on its board) open.
fn with_m2_open(width: u16, height: u16) -> App {
    let mut app = opened(width, height, Permission::Manager);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    app
}

#[test]
fn the_split_boards_at_160x48() {
    let mut app = opened(160, 48, Permission::Manager);
    press(&mut app, KeyCode::Tab);
    let drawn = render(&app);
    // The escape sequence in a place is drawn harmless.
    assert!(!format!("{drawn:?}").contains('\u{1b}'));
    insta::assert_snapshot!("meetings_boards_160x48", drawn);
}

#[test]
fn the_stacked_boards_at_80x24() {
    let app = opened(80, 24, Permission::Manager);
    insta::assert_snapshot!("meetings_boards_80x24", render(&app));
}

#[test]
fn an_open_meeting_at_160x48_and_80x24() {
    let app = with_m2_open(160, 48);
    insta::assert_snapshot!("meeting_open_160x48", render(&app));
    let mut app = with_m2_open(80, 24);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    insta::assert_snapshot!("meeting_actions_80x24", render(&app));
}

#[test]
fn my_actions_and_the_editor_at_80x24() {
    let mut app = opened(80, 24, Permission::Manager);
    press(&mut app, KeyCode::Char('m'));
    insta::assert_snapshot!("meetings_my_actions_80x24", render(&app));
    let mut app = with_m2_open(80, 24);
    press(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!("meeting_editor_80x24", render(&app));
}
