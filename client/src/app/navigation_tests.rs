//! Navigation through the screens' registry: number keys in tab order,
//! and the `:` palette jumping to any screen by a prefix of its name or to
//! a loaded record by its short id.

use crossterm::event::{KeyCode, KeyEvent};
use rapport_shared::enums::Permission;

use super::*;
use crate::api::record_id;
use crate::fixtures::{self, answer_all};

fn enter(app: &mut App) {
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    answer_all(app, commands, Permission::Operator);
}

#[test]
fn the_registry_names_each_screen_once_and_numbers_them_in_tab_order() {
    let keymap = KeyMap::default();
    for (number, id) in ScreenId::ALL.iter().enumerate() {
        let entry = id.entry();
        let others = ScreenId::ALL.iter().filter(|o| *o != id);
        for other in others {
            assert_ne!(other.entry().name, entry.name);
            if entry.go.is_some() {
                assert_ne!(other.entry().go, entry.go);
            }
            assert_ne!(other.collection(), entry.collection);
        }
        let Some(go) = entry.go else {
            assert!(
                number >= 10,
                "the first ten screens have number keys: {id:?}"
            );
            continue;
        };
        let shown = crate::screens::tab_number(number).map(String::from);
        assert_eq!(Some(keymap.label(go)), shown, "{id:?}");
        assert_eq!(ScreenId::shown_by(go), Some(*id));
    }
}

#[test]
fn number_keys_show_the_screens_in_tab_order() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    for (number, id) in ScreenId::ALL.iter().enumerate().take(9) {
        fixtures::operator_keys(&mut app, &(number + 1).to_string());
        assert_eq!(app.tab, *id);
        assert!(!app.screen().is_idle(), "{id:?} loads when first shown");
    }
}

#[test]
fn the_palette_jumps_to_a_screen_by_a_prefix_of_its_name() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    fixtures::operator_keys(&mut app, ":rfcs");
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Rfcs);
    assert!(app.overlay.is_none());
    fixtures::operator_keys(&mut app, ":tea");
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Teams);
    fixtures::operator_keys(&mut app, ":contacts");
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Contacts);
    fixtures::operator_keys(&mut app, ":surveys");
    enter(&mut app);
    assert_eq!(
        app.tab,
        ScreenId::Surveys,
        "the tenth screen has no number key"
    );
    assert!(!app.screen().is_idle(), "the surveys load when first shown");
}

#[test]
fn the_palette_selects_a_loaded_record_by_its_short_id() {
    let mut app = fixtures::rfc_queue();
    let board = fixtures::board(&app, ScreenId::Rfcs);
    let last = board
        .order
        .last()
        .map(|i| record_id(&board.rows[*i]).to_string());
    let last = last.expect("the queue shows RFCs");
    assert_ne!(board.selected_id.as_deref(), Some(last.as_str()));
    let short = &last[last.len() - 6..];
    fixtures::operator_keys(&mut app, "1");
    fixtures::operator_keys(&mut app, &format!(":rfc {short}"));
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Rfcs);
    let board = fixtures::board(&app, ScreenId::Rfcs);
    assert_eq!(board.selected_id.as_deref(), Some(last.as_str()));
    assert!(
        board.filter.is_empty(),
        "a short id selects, it does not search"
    );
}

#[test]
fn a_search_from_the_palette_on_a_screen_never_shown_leaves_no_request_waiting() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    fixtures::operator_keys(&mut app, ":staff am");
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Staff);
    assert_eq!(fixtures::board(&app, ScreenId::Staff).filter, "am");
    assert!(!app.busy(), "the plain load it replaced was never sent");
}

#[test]
fn the_palette_reaches_a_closed_rfc_by_its_short_id_from_any_view() {
    let mut app = fixtures::rfc_queue();
    let closed = fixtures::records(rapport_shared::Collection::Rfcs)
        .into_iter()
        .find(|r| crate::api::text(r, "status") == "closed")
        .expect("the fixture has a closed RFC");
    let id = record_id(&closed).to_string();
    let board = fixtures::board(&app, ScreenId::Rfcs);
    assert!(
        !board.rows.iter().any(|r| record_id(r) == id),
        "the open queue does not load it"
    );
    let short = &id[id.len() - 6..];
    fixtures::operator_keys(&mut app, "1");
    fixtures::operator_keys(&mut app, &format!(":rfc {short}"));
    enter(&mut app);
    assert_eq!(app.tab, ScreenId::Rfcs);
    let queue = fixtures::queue(&app);
    assert_eq!(
        queue.view().map(|v| v.name.as_str()),
        Some(crate::strings::VIEW_ALL)
    );
    let board = fixtures::board(&app, ScreenId::Rfcs);
    assert_eq!(board.filter, short);
    assert_eq!(board.selected_id.as_deref(), Some(id.as_str()));
}
