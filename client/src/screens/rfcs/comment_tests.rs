//! The comment editor never loses typed text: Esc asks first, a post
//! keeps the editor open until the server answers, a refused post hands
//! the text back, and an ending from outside keeps it as a draft.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;
use rapport_shared::problem::Problem;

use crate::api::ApiError;
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::app::{App, Command, Msg, Reply};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;
use crate::screens::rfcs::{CommentEditor, CommentState, RfcOverlay};

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

fn editor(app: &App) -> Option<&CommentEditor> {
    match &fixtures::rfcs(app).overlay {
        Some(RfcOverlay::Comment(comment)) => Some(comment),
        _ => None,
    }
}

#[test]
fn esc_asks_before_dropping_a_typed_comment_and_enter_does_not_drop_it() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "cWaiting for the vendor");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(
        editor(&app).map(|c| c.state),
        Some(CommentState::AskingDrop)
    );
    // A stray Enter neither drops the text nor types into it.
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let comment = editor(&app).expect("still open");
    assert_eq!(comment.text(), "Waiting for the vendor");
    // n goes back to editing; a second Esc asks again and y drops.
    fixtures::operator_keys(&mut app, "n");
    assert_eq!(editor(&app).map(|c| c.state), Some(CommentState::Editing));
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    fixtures::operator_keys(&mut app, "y");
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn esc_closes_an_empty_editor_at_once() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "c");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn the_editor_stays_open_until_the_server_takes_the_comment() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "cOn it");
    let commands = press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let comment = editor(&app).expect("open while posting");
    assert_eq!(comment.state, CommentState::Posting);
    // Keys wait while posting.
    fixtures::operator_keys(&mut app, "x");
    assert_eq!(
        editor(&app).map(CommentEditor::text).as_deref(),
        Some("On it")
    );
    answer_all(&mut app, commands, Permission::Operator);
    assert!(
        fixtures::overlay(&app).is_none(),
        "taken: the editor closes"
    );
}

#[test]
fn a_refused_comment_comes_back_to_the_editor() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "cOn it");
    let commands = press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let request = commands
        .iter()
        .find_map(|c| match c {
            Command::Rfc {
                request,
                call: RfcCall::Comment { .. },
            } => Some(*request),
            _ => None,
        })
        .expect("a comment is posted");
    let refusal = ApiError::Problem(Problem::new(403, "not allowed".to_string()));
    app.update(Msg::Reply {
        request,
        reply: Reply::Rfc(RfcAnswer::Record(Err(refusal))),
    });
    let comment = editor(&app).expect("the editor is back");
    assert_eq!(comment.state, CommentState::Editing);
    assert_eq!(comment.text(), "On it");
    assert!(app.message.as_ref().is_some_and(|m| m.error));
}

#[test]
fn a_comment_being_typed_is_kept_as_a_draft_on_terminate() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "cHalf a thought");
    let commands = app.update(Msg::Terminate);
    let draft = commands
        .iter()
        .find_map(|c| match c {
            Command::SaveDraft(draft) => Some(draft.clone()),
            _ => None,
        })
        .expect("the comment is kept");
    let target = draft.comment_on.clone().expect("a comment draft");
    assert!(target.id.ends_with("a001"));

    let mut next = fixtures::app(Permission::Operator, 120, 40);
    let commands = next.restore_draft(&draft);
    answer_all(&mut next, commands, Permission::Operator);
    assert_eq!(next.tab, ScreenId::Rfcs);
    let comment = editor(&next).expect("reopened in the editor");
    assert_eq!(comment.text(), "Half a thought");
    assert_eq!(comment.id, target.id);
}

#[test]
fn ctrl_e_hands_the_comment_to_the_editor_and_keys_typed_meanwhile_follow_it_back() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "cfirst draft");
    let commands = press(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    // The same hand-over as a form's multi-line field.
    assert_eq!(commands, vec![Command::EditText("first draft".to_string())]);
    // Typed while the editor had the terminal: they wait.
    fixtures::operator_keys(&mut app, " ok");
    assert_eq!(app.typed_ahead.len(), 3);
    assert_eq!(
        editor(&app).map(CommentEditor::text).as_deref(),
        Some("first draft")
    );

    app.update(Msg::Edited(Ok("Waiting for\nthe vendor\n".to_string())));
    let comment = editor(&app).expect("the comment editor is still open");
    assert_eq!(comment.state, CommentState::Editing);
    assert_eq!(comment.text(), "Waiting for\nthe vendor ok");
    assert!(app.typed_ahead.is_empty());
    assert!(app.external_edit.is_none());
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("ctrl-s posts it"), "{said}");

    // A failed editor leaves the comment as it was, saying why.
    press(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    app.update(Msg::Edited(Err(
        crate::terminal::editor::EditFailure::Failed {
            editor: "vi".to_string(),
            how: "exited with status 1".to_string(),
        },
    )));
    assert_eq!(
        editor(&app).map(CommentEditor::text).as_deref(),
        Some("Waiting for\nthe vendor ok")
    );
    let message = app.message.clone().expect("a message");
    assert!(message.error && message.text.contains("kept as it was"));
}
