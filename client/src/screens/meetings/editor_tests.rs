//! The in-place editor kept when the app is ended from outside: the text
//! typed over an agenda item becomes a draft, and the next start reopens
//! it in the editor over the same meeting. Targets survive the trip.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::enums::Permission;

use super::editor::Target;
use super::tests::{opened, screen};
use super::{Mode, Part};
use crate::app::{Command, Msg};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

#[test]
fn targets_are_kept_as_words_and_read_back() {
    for target in [
        Target::Agenda(Some(2)),
        Target::Agenda(None),
        Target::Minutes,
        Target::Decision(Some(0)),
        Target::Action(None),
    ] {
        assert_eq!(Target::parse(&target.key()), Some(target));
    }
    assert_eq!(Target::parse("agenda:two"), None);
    assert_eq!(Target::parse("budget:1"), None);
}

#[test]
fn text_being_edited_is_kept_as_a_draft_and_reopens_in_the_editor() {
    let mut app = opened(120, 40, Permission::Manager);
    for code in [
        KeyCode::Tab,
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Enter,
        KeyCode::Char('e'),
    ] {
        let commands = app.update(Msg::Key(KeyEvent::from(code)));
        answer_all(&mut app, commands, Permission::Manager);
    }
    for c in " and more".chars() {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        answer_all(&mut app, commands, Permission::Manager);
    }
    let commands = app.update(Msg::Terminate);
    let draft = commands
        .iter()
        .find_map(|c| match c {
            Command::SaveDraft(draft) => Some(draft.clone()),
            _ => None,
        })
        .expect("the edit is kept");
    assert_eq!(draft.comment_on.as_ref().map(|t| t.id.as_str()), Some("m2"));

    let mut next = fixtures::app(Permission::Manager, 120, 40);
    let commands = next.restore_draft(&draft);
    answer_all(&mut next, commands, Permission::Manager);
    assert_eq!(next.tab, ScreenId::Meetings);
    let meetings = screen(&next);
    assert_eq!(meetings.mode, Mode::Meeting);
    assert_eq!(meetings.part, Part::Agenda);
    let editor = meetings.editor.as_ref().expect("reopened in the editor");
    assert_eq!(editor.target, Target::Agenda(Some(0)));
    assert_eq!(editor.values()[0], "Service levels and more");
    assert!(editor.is_dirty());
}
