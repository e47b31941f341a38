//! Snapshots of the RFC queue at 80x24 and 160x48 over the fixtures, with
//! ages measured from a fixed "now".

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{App, Msg};
use crate::fixtures::{self, answer_all};

fn render(app: &App) -> TestBackend {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        answer_all(app, commands, Permission::Operator);
    }
}

fn queue(width: u16, height: u16) -> App {
    let mut app = fixtures::app(Permission::Operator, width, height);
    fixtures::queue_mut(&mut app).now = Some(crate::screens::rfcs::fixtures::now());
    keys(&mut app, "6");
    app
}

#[test]
fn queue_all_open() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = queue(width, height);
        // All open, the second row marked and selected.
        keys(&mut app, "[j j");
        insta::assert_snapshot!(format!("rfc_queue_{width}x{height}"), render(&app));
    }
}

#[test]
fn untriaged_with_triage_chooser() {
    let mut app = queue(80, 24);
    keys(&mut app, "t");
    insta::assert_snapshot!("rfc_triage_80x24", render(&app));
}

#[test]
fn bulk_summary() {
    let mut app = queue(80, 24);
    // The choices are approved, rejected, agreement updated, declined, closed, withdrawn.
    keys(&mut app, "[*m5");
    // Enter on the empty note, then the final move's question.
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    answer_all(&mut app, commands, Permission::Operator);
    keys(&mut app, "y");
    insta::assert_snapshot!("rfc_bulk_summary_80x24", render(&app));
}

#[test]
fn full_detail_below_side_by_side_width() {
    let mut app = queue(80, 24);
    // The narrow pane cannot hold history and comments; v shows them all.
    keys(&mut app, "v");
    insta::assert_snapshot!("rfc_full_detail_80x24", render(&app));
}
