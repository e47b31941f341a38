//! `ctrl-e` in a form: the focused multi-line field's text goes to the
//! editor, keys typed meanwhile wait and follow the text back, and a
//! failed editor leaves the text as it was, saying so.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;

use super::*;
use crate::fixtures;
use crate::terminal::editor::EditFailure;

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

/// The text of the form's focused field.
fn focused_text(app: &App) -> String {
    let form = app.form.as_ref().expect("a form is open");
    form.fields[form.focus].value.text().unwrap_or_default()
}

/// A new customer's form with the focus on its description.
fn on_description() -> App {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    key(&mut app, KeyCode::Char('n'), KeyModifiers::NONE);
    for _ in 0..20 {
        let form = app.form.as_ref().expect("the new customer's form");
        if form.fields[form.focus].spec.kind.is_multi_line() {
            return app;
        }
        key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    }
    panic!("the customer form has a multi-line field");
}

#[test]
fn ctrl_e_hands_the_text_over_and_keys_typed_meanwhile_follow_it_back() {
    let mut app = on_description();
    type_text(&mut app, "a draft");
    let commands = key(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert_eq!(commands, vec![Command::EditText("a draft".to_string())]);
    // Typed while the editor had the terminal (or just before it did).
    type_text(&mut app, " ok");
    assert_eq!(focused_text(&app), "a draft");
    assert_eq!(app.typed_ahead.len(), 3);

    app.update(Msg::Edited(Ok("the final\ntext\n".to_string())));
    assert_eq!(focused_text(&app), "the final\ntext ok");
    assert!(app.typed_ahead.is_empty());
    assert!(app.external_edit.is_none());
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("the edited text is in the field"), "{said}");
}

#[test]
fn a_failed_editor_leaves_the_text_as_it_was_and_says_so() {
    let mut app = on_description();
    type_text(&mut app, "my notes");
    key(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    app.update(Msg::Edited(Err(EditFailure::Failed {
        editor: "vi".to_string(),
        how: "exited with status 1".to_string(),
    })));
    assert_eq!(focused_text(&app), "my notes");
    let message = app.message.clone().expect("a message");
    assert!(message.error);
    assert!(
        message.text.contains("vi exited with status 1"),
        "{}",
        message.text
    );
    assert!(message.text.contains("kept as it was"), "{}", message.text);
}

#[test]
fn ctrl_e_in_a_one_line_field_stays_a_text_key() {
    let mut app = fixtures::app(Permission::Admin, 80, 24);
    key(&mut app, KeyCode::Char('n'), KeyModifiers::NONE);
    let form = app.form.as_ref().expect("the new customer's form");
    assert!(!form.fields[form.focus].spec.kind.is_multi_line());
    let commands = key(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert!(commands.is_empty(), "{commands:?}");
    assert!(app.external_edit.is_none());
}
