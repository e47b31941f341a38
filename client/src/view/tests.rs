//! Rendering snapshots at 80x24 and 160x48 over the fixture data. The
//! fixtures hold fixed ids and times, so the snapshots are stable.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{App, Msg};
use crate::fixtures::{self, answer_all};

fn render(app: &App) -> TestBackend {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| super::draw(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

/// The screen's rows as text, one line per row.
fn rows(screen: &TestBackend) -> Vec<String> {
    let buffer = screen.buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        answer_all(app, commands, Permission::Admin);
    }
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let commands = app.update(Msg::Key(KeyEvent::new(code, modifiers)));
    answer_all(app, commands, Permission::Admin);
}

#[test]
fn customers_board() {
    for (width, height) in [(80, 24), (160, 48)] {
        let app = fixtures::app(Permission::Admin, width, height);
        insta::assert_snapshot!(format!("customers_{width}x{height}"), render(&app));
    }
}

#[test]
fn teams_board() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, "2j");
        insta::assert_snapshot!(format!("teams_{width}x{height}"), render(&app));
    }
}

#[test]
fn team_cards_that_do_not_fit_are_announced() {
    let mut app = fixtures::app(Permission::Admin, 60, 20);
    keys(&mut app, "2");
    let shown = rows(&render(&app)).join("\n");
    assert!(shown.contains("1 more \u{2192}"), "{shown}");
    assert!(!shown.contains("\u{2190} 1 more"), "{shown}");
    keys(&mut app, "l");
    let shown = rows(&render(&app)).join("\n");
    assert!(shown.contains("\u{2190} 1 more"), "{shown}");
    assert!(!shown.contains("1 more \u{2192}"), "{shown}");
    // At 80 columns both of the fixture's teams fit: nothing to announce.
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "2");
    assert!(!rows(&render(&app)).join("\n").contains(" more "));
}

#[test]
fn a_long_message_leaves_the_key_hints_and_the_connection_in_view() {
    for (width, height) in [(80, 24), (60, 20)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        let said = "Ministry of Finance still names Margit Lindqvist as its purchaser: \
                    choose another purchaser for Ministry of Finance first, then delete the contact.";
        app.say(said, true);
        let shown = rows(&render(&app));
        let last = shown.len() - 1;
        assert!(shown[last].contains("[live]"), "{shown:#?}");
        assert!(shown[last - 1].contains("help"), "{shown:#?}");
        // Every word of the message is on screen, above the hint line.
        let above: String = shown[..last - 1].join(" ");
        for word in said.split(' ') {
            assert!(
                above.contains(word),
                "{word:?} at {width}x{height}: {shown:#?}"
            );
        }
    }
}

#[test]
fn a_message_does_not_follow_the_user_to_another_screen() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    app.say("Copied MOF", false);
    keys(&mut app, "j");
    assert!(app.message.is_some(), "moving within a screen keeps it");
    keys(&mut app, "2");
    assert_eq!(app.message, None);
}

#[test]
fn the_sort_column_and_its_direction_are_shown_in_the_header() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "s");
    let header = rows(&render(&app))[2].clone();
    assert!(header.contains("Code \u{25b2}"), "{header}");
    keys(&mut app, "S");
    let header = rows(&render(&app))[2].clone();
    assert!(header.contains("Code \u{25bc}"), "{header}");
    // The RFC queue's header too.
    keys(&mut app, "6s");
    let shown = rows(&render(&app)).join("\n");
    assert!(shown.contains("Id \u{25b2}"), "{shown}");
}

#[test]
fn a_multi_line_field_wraps_its_long_lines() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "e");
    if let Some(form) = app.form.as_mut() {
        form.focus = form.fields.len() - 1;
    }
    let said = " Peaks in demand at the end of the budget cycle need reporting capacity.";
    keys(&mut app, said);
    let shown = rows(&render(&app)).join("\n");
    for word in said.split(' ') {
        assert!(shown.contains(word), "{word:?}: {shown}");
    }
}

#[test]
fn v_shows_the_whole_detail_on_every_list_screen() {
    for screen in [
        "customers",
        "staff",
        "services",
        "contacts",
        "improvements",
        "notices",
        "surveys",
        "activities",
    ] {
        let mut app = fixtures::app(Permission::Admin, 80, 24);
        keys(&mut app, &format!(":{screen}"));
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        if app.board().is_none_or(|b| b.selected_record().is_none()) {
            continue;
        }
        keys(&mut app, "v");
        assert!(
            app.overlay_screen().is_some(),
            "{screen}: v opens the detail"
        );
        let shown = rows(&render(&app)).join("\n");
        assert!(shown.contains("closes"), "{screen}: {shown}");
        keys(&mut app, "jk");
        keys(&mut app, "v");
        assert!(
            app.overlay_screen().is_none(),
            "{screen}: v closes it again"
        );
    }
    // The customer's description is there whole, line breaks kept.
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "v");
    let shown = rows(&render(&app)).join("\n");
    assert!(shown.contains("Heavy users of reporting."), "{shown}");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.overlay_screen().is_none());
}

#[test]
fn at_60x20_every_main_tab_keeps_its_number() {
    let app = fixtures::app(Permission::Admin, 60, 20);
    let tabs = rows(&render(&app))[0].clone();
    for number in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"] {
        assert!(tabs.contains(number), "{number}: {tabs}");
    }
    let mut app = fixtures::app(Permission::Admin, 60, 20);
    keys(&mut app, "6");
    let tabs = rows(&render(&app))[0].clone();
    assert!(
        tabs.contains("RFCs"),
        "the current tab keeps its title: {tabs}"
    );
}

#[test]
fn survey_results() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, ":surveys");
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        let screen = render(&app);
        let text = format!("{screen:?}");
        assert!(
            !text.contains('\u{1b}'),
            "no escape from a comment reaches the terminal"
        );
        insta::assert_snapshot!(format!("survey_results_{width}x{height}"), screen);
    }
}

#[test]
fn survey_response_form() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, ":surveys");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    keys(&mut app, "R");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    keys(&mut app, "6");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    insta::assert_snapshot!("survey_response_form_80x24", render(&app));
}

#[test]
fn surveys_board() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, ":surveys");
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        insta::assert_snapshot!(format!("surveys_{width}x{height}"), render(&app));
    }
}

#[test]
fn survey_form_edits_questions_one_per_line() {
    let mut app = fixtures::app(Permission::Admin, 160, 48);
    keys(&mut app, ":surveys");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    keys(&mut app, "e");
    insta::assert_snapshot!("survey_form_160x48", render(&app));
}

#[test]
fn form_with_inline_errors() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, "n");
        keys(&mut app, "Ministry of Fun");
        key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
        keys(&mut app, "mof");
        key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        insta::assert_snapshot!(format!("form_errors_{width}x{height}"), render(&app));
    }
}

#[test]
fn help_overlay() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, "?");
        insta::assert_snapshot!(format!("help_{width}x{height}"), render(&app));
    }
}

#[test]
fn palette() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, ":new c");
    insta::assert_snapshot!("palette_80x24", render(&app));
}

#[test]
fn conflict_dialog() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "e");
    keys(&mut app, "!");
    let mut current = fixtures::records(rapport_shared::Collection::Customers).remove(0);
    current.insert("version".into(), serde_json::json!(2));
    current.insert("kind".into(), serde_json::json!("municipality"));
    if let Some(form) = app.form.as_mut() {
        form.conflict_arrived(Some(current));
    }
    insta::assert_snapshot!("conflict_80x24", render(&app));
}

#[test]
fn the_conflict_dialog_keeps_its_keys_in_view_when_a_changed_field_is_long() {
    for (width, height) in [(80, 24), (60, 20)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        keys(&mut app, "e");
        keys(&mut app, "!");
        let mut current = fixtures::records(rapport_shared::Collection::Customers).remove(0);
        current.insert("version".into(), serde_json::json!(2));
        let long =
            "The budget cycle runs from March to June and needs reporting capacity. ".repeat(12);
        current.insert("description".into(), serde_json::json!(long));
        current.insert("kind".into(), serde_json::json!("municipality"));
        if let Some(form) = app.form.as_mut() {
            form.conflict_arrived(Some(current));
        }
        let shown = rows(&render(&app)).join("\n");
        for words in [
            "reload and reapply my edit",
            "overwrite",
            "keep editing",
            "kind:",
        ] {
            assert!(
                shown.contains(words),
                "{words:?} at {width}x{height}:\n{shown}"
            );
        }
    }
}

#[test]
fn read_only_staff_board() {
    let mut app = fixtures::app(Permission::Viewer, 80, 24);
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('3'))));
    answer_all(&mut app, commands, Permission::Viewer);
    insta::assert_snapshot!("staff_read_only_80x24", render(&app));
}

#[test]
fn delete_question() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    keys(&mut app, "d");
    insta::assert_snapshot!("delete_80x24", render(&app));
}

#[test]
fn server_down_at_start() {
    use crate::api::ApiError;
    use crate::app::{Command, Reply};
    let mut app = App::new(
        &crate::config::Settings::default(),
        crate::keymap::KeyMap::default(),
        crate::theme::Theme::default(),
        "http://rapport.test",
    );
    app.update(Msg::Resize(80, 24));
    for command in app.start() {
        let request = match command {
            Command::Me { request } | Command::List { request, .. } => request,
            _ => continue,
        };
        let error = ApiError::Unreachable("Connection refused (os error 111)".into());
        let reply = match request {
            1 => Reply::Me(Err(error)),
            _ => Reply::Page(Err(error)),
        };
        app.update(Msg::Reply { request, reply });
    }
    insta::assert_snapshot!("offline_80x24", render(&app));
}

#[test]
fn tiny_terminals_never_panic() {
    for (width, height) in [(1, 1), (10, 4), (20, 6), (40, 10)] {
        let mut app = fixtures::app(Permission::Admin, width, height);
        render(&app);
        for text in ["2", "1?", "\u{1b}:", "\u{1b}n", "x"] {
            for c in text.chars() {
                let code = if c == '\u{1b}' {
                    KeyCode::Esc
                } else {
                    KeyCode::Char(c)
                };
                key(&mut app, code, KeyModifiers::NONE);
            }
            render(&app);
        }
        key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        render(&app);
    }
}

#[test]
fn with_icons_a_click_on_a_drawn_tab_label_selects_that_tab() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    // Wide enough for every title in full.
    let mut app = fixtures::app(Permission::Admin, 220, 48);
    app.theme.icons = true;
    app.mouse = true;
    let screen = render(&app);
    let row: Vec<&str> = (0..220).map(|x| screen.buffer()[(x, 0)].symbol()).collect();
    for tab in crate::screens::ScreenId::ALL.iter().copied() {
        let title: Vec<String> = tab.title().chars().map(String::from).collect();
        let start = row
            .windows(title.len())
            .position(|cells| cells == title.as_slice())
            .expect("every tab is drawn");
        let middle = start + title.len() / 2;
        let commands = app.update(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: u16::try_from(middle).expect("on screen"),
            row: 0,
            modifiers: KeyModifiers::NONE,
        }));
        answer_all(&mut app, commands, Permission::Admin);
        assert_eq!(
            app.tab,
            tab,
            "a click on {:?} at column {middle}",
            tab.title()
        );
    }
}
