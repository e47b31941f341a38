//! `:save NAME` on the queue: what is written, the new view shown at once,
//! and the refusals in words.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;

use crate::app::{App, Command, Msg};
use crate::config::ViewConfig;
use crate::fixtures::{self, answer_all};
use crate::messages::Reply;
use crate::screens::ScreenId;

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Types `text` into the palette and runs it, returning what it asked for.
fn palette(app: &mut App, text: &str) -> Vec<Command> {
    let mut commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
    for c in text.chars() {
        commands.extend(app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c)))));
    }
    commands.extend(press(app, KeyCode::Enter));
    commands
}

/// The views `:save` asked the runtime to write.
fn saves(commands: &[Command]) -> Vec<ViewConfig> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::SaveView { view, .. } => Some(view.clone()),
            _ => None,
        })
        .collect()
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn save_keeps_the_view_shown_with_its_search_and_shows_it_at_once() {
    let mut app = fixtures::rfc_queue();
    // Untriaged, searched for "mailbox storage".
    fixtures::operator_keys(&mut app, "/mailbox storage");
    let commands = press(&mut app, KeyCode::Enter);
    answer_all(&mut app, commands, Permission::Operator);
    let before = fixtures::board(&app, ScreenId::Rfcs).first_page();
    let commands = palette(&mut app, "save Storage asks");
    assert_eq!(
        saves(&commands),
        vec![ViewConfig {
            name: "Storage asks".to_string(),
            filter: "status=new q=\"mailbox storage\"".to_string(),
        }]
    );
    answer_all(&mut app, commands, Permission::Operator);
    // Added, selected and loaded with the same server query, no restart.
    let queue = fixtures::queue(&app);
    assert_eq!(queue.view().map(|v| v.name.as_str()), Some("Storage asks"));
    assert_eq!(queue.current, queue.views.len() - 1);
    let board = fixtures::board(&app, ScreenId::Rfcs);
    assert!(board.filter.is_empty(), "the search is the view's own now");
    let mut now: Vec<_> = board.first_page().filters;
    let mut was: Vec<_> = before.filters;
    was.push(("q".to_string(), before.q.unwrap_or_default()));
    now.sort();
    was.sort();
    assert_eq!(now, was);
    assert_eq!(
        crate::screens::rfcs::fixtures::records()
            .iter()
            .filter(|r| crate::api::text(r, "title") == "More mailbox storage for the board")
            .count(),
        board.rows.len()
    );
    assert!(
        message(&app).contains("Saved the view"),
        "{}",
        message(&app)
    );
    assert!(message(&app).contains("config.toml"), "{}", message(&app));
}

#[test]
fn a_sort_by_due_date_is_saved_as_the_servers_order() {
    let mut app = fixtures::rfc_queue();
    // `s` steps through the visible columns; the Due column is not one of
    // them unless named, so the Due this week view's own order is kept.
    fixtures::operator_keys(&mut app, "]]]]]]");
    let commands = palette(&mut app, "save Week");
    let saved = saves(&commands);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].filter, "open due=week sort=due");
    // A sort of the loaded rows by age (`s` on Id, Pri, then Age) is the
    // server's oldest first.
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "sss");
    let saved = saves(&palette(&mut app, "save Oldest new"));
    assert_eq!(saved[0].filter, "status=new sort=age");
    // One by priority words is not the server's: the message says so.
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "ss");
    let commands = palette(&mut app, "save By words");
    assert_eq!(saves(&commands)[0].filter, "status=new");
    answer_all(&mut app, commands, Permission::Operator);
    assert!(
        message(&app).contains("the sort by Pri"),
        "{}",
        message(&app)
    );
}

#[test]
fn save_refuses_in_words_and_writes_nothing() {
    let mut app = fixtures::rfc_queue();
    for (input, said) in [
        ("save ", "Give the view a name"),
        ("save closed", "\u{201c}Closed\u{201d} is a built-in view"),
    ] {
        let commands = palette(&mut app, input);
        assert!(saves(&commands).is_empty(), "{input}");
        assert!(message(&app).contains(said), "{input}: {}", message(&app));
    }
    let commands = palette(&mut app, "save Mine now");
    answer_all(&mut app, commands, Permission::Operator);
    let commands = palette(&mut app, "save MINE NOW");
    assert!(saves(&commands).is_empty());
    assert!(
        message(&app).contains("exists already"),
        "{}",
        message(&app)
    );
    // The file could not be written: said with its path, no view added.
    let views = fixtures::queue(&app).views.len();
    let commands = palette(&mut app, "save Other");
    let request = commands
        .iter()
        .find_map(|c| match c {
            Command::SaveView { request, .. } => Some(*request),
            _ => None,
        })
        .expect("asked to save");
    let problem = "cannot write the config file /etc/rapport/config.toml: permission denied";
    app.update(Msg::Reply {
        request,
        reply: Reply::ViewSaved(Err(problem.to_string())),
    });
    assert_eq!(message(&app), problem);
    assert_eq!(fixtures::queue(&app).views.len(), views);
}
