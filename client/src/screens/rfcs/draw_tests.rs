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

/// The text of the screen, one line a row.
fn screen_text(app: &App) -> String {
    let backend = render(app);
    let buffer = backend.buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table's header row: the line naming the Id column.
fn header(app: &App) -> String {
    screen_text(app)
        .lines()
        .find(|line| line.contains(" Id "))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_header_marks_the_views_sort_and_due_this_week_shows_the_due_column() {
    let mut app = queue(80, 24);
    // Untriaged lists in triage order: the priority, most urgent first.
    let untriaged = header(&app);
    assert!(untriaged.contains("Pri \u{25bc}"), "{untriaged}");
    assert!(!untriaged.contains("Due"), "{untriaged}");
    // Closed, Withdrawn, then Due this week: sorted by the due date,
    // soonest first, its column shown though not configured.
    keys(&mut app, "]]]]]]");
    let view = fixtures::queue(&app).view().map(|v| v.name.clone());
    assert_eq!(view.as_deref(), Some(crate::strings::VIEW_DUE_WEEK));
    let due = header(&app);
    assert!(due.contains("Due \u{25b2}"), "{due}");
    assert!(
        due.contains("Pri ") && !due.contains("Pri \u{25bc}"),
        "{due}"
    );
    assert!(
        screen_text(&app).contains("27 Feb"),
        "the RFC due this week"
    );
    // A sort of the loaded rows (`s` on the Age column) takes the mark.
    keys(&mut app, "ss");
    let sorted = header(&app);
    assert!(!sorted.contains("Due \u{25b2}"), "{sorted}");
}

#[test]
fn closed_and_withdrawn_are_built_in_views() {
    let names: Vec<String> = fixtures::queue(&queue(80, 24))
        .views
        .iter()
        .map(|v| v.name.clone())
        .collect();
    for name in [crate::strings::VIEW_CLOSED, crate::strings::VIEW_WITHDRAWN] {
        assert!(names.iter().any(|n| n == name), "{names:?}");
    }
}
