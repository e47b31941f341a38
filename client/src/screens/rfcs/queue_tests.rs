//! The queue's guards over the fixture server: filters on searching
//! views, questions before final moves, actions run from the palette,
//! reference lists that failed, an unreachable server.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;

use crate::api::ApiError;
use crate::api::rfcs::{RfcAnswer, RfcCall};
use crate::app::{App, Command, Msg, Reply};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;
use crate::screens::rfcs::RfcQueue;
use crate::screens::rfcs::views::ViewConfig;

fn enter(app: &mut App) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
}

fn error_message(app: &App) -> String {
    app.message
        .as_ref()
        .filter(|m| m.error)
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn filter_is_refused_on_a_view_with_its_own_search() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    fixtures::rfcs_mut(&mut app).queue = RfcQueue::new(&[ViewConfig {
        name: "VPN".to_string(),
        filter: "q=vpn".to_string(),
    }]);
    fixtures::operator_keys(&mut app, "6[");
    // The user's view comes after the built-in ones.
    assert_eq!(
        fixtures::queue(&app).current,
        super::views::built_in().len()
    );
    fixtures::operator_keys(&mut app, "/");
    assert!(
        !fixtures::board(&app, ScreenId::Rfcs).filtering,
        "no filter line opens"
    );
    assert!(error_message(&app).contains("\"vpn\""), "{:?}", app.message);
    // The palette's search is refused the same way: no second q is sent.
    fixtures::operator_keys(&mut app, ":rfc audit");
    let commands = enter(&mut app);
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::List { query, .. } if query.q.is_some())),
        "{commands:?}"
    );
    // A view without q= filters as usual.
    fixtures::operator_keys(&mut app, "]/");
    assert!(fixtures::board(&app, ScreenId::Rfcs).filtering);
}

fn palette(app: &mut App, text: &str) -> Vec<Command> {
    fixtures::operator_keys(app, ":");
    fixtures::operator_keys(app, text);
    enter(app)
}

#[test]
fn queue_actions_from_the_palette_on_another_board_show_the_queue() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    // Never opened: the queue loads and says to run the action again.
    let commands = palette(&mut app, "rfc assign me");
    assert_eq!(app.tab, ScreenId::Rfcs);
    assert!(!commands.is_empty(), "the queue loads");
    answer_all(&mut app, commands, Permission::Operator);
    // Loaded: from the customers board the action runs on its selection.
    fixtures::operator_keys(&mut app, "1");
    let commands = palette(&mut app, "rfc assign me");
    assert_eq!(app.tab, ScreenId::Rfcs);
    assert!(
        commands.iter().any(|c| matches!(
            c,
            Command::Update {
                collection: rapport_shared::Collection::Rfcs,
                ..
            }
        )),
        "{commands:?}"
    );
}

#[test]
fn a_failed_reference_list_is_asked_for_again_on_the_next_refresh() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    // Services are known from the start-up lookups, before the queue opens.
    assert_eq!(app.lookup.name("v1"), "Managed desktop");
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('6'))));
    for command in commands {
        let failing = matches!(
            &command,
            Command::List {
                collection: rapport_shared::Collection::Customers,
                ..
            }
        );
        if failing {
            let Command::List { request, .. } = command else {
                continue;
            };
            let reply = crate::app::Reply::Page(Err(crate::api::ApiError::Protocol(
                "bad gateway".to_string(),
            )));
            let more = app.update(Msg::Reply { request, reply });
            answer_all(&mut app, more, Permission::Operator);
        } else {
            answer_all(&mut app, vec![command], Permission::Operator);
        }
    }
    assert!(
        fixtures::queue(&app).codes.is_empty(),
        "the customers list failed"
    );
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('r'))));
    assert!(
        commands.iter().any(|c| matches!(
            c,
            Command::List {
                collection: rapport_shared::Collection::Customers,
                ..
            }
        )),
        "{commands:?}"
    );
    answer_all(&mut app, commands, Permission::Operator);
    assert!(fixtures::queue(&app).codes.contains_key("MOF"));
}

#[test]
fn rfc_changes_recount_the_views_on_the_next_tick() {
    let mut app = fixtures::app(Permission::Operator, 120, 40);
    fixtures::operator_keys(&mut app, "6");
    let change = |id: &str| {
        Msg::Changed(crate::api::ServerChange {
            seq: "9".into(),
            collection: Some(rapport_shared::Collection::Rfcs),
            id: id.into(),
            version: 5,
            action: "update".into(),
        })
    };
    let counts = |commands: &[Command]| {
        commands
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Command::Rfc {
                        call: crate::api::rfcs::RfcCall::Count { .. },
                        ..
                    }
                )
            })
            .count()
    };
    // A burst of changes: one round of counts, on the tick.
    for id in ["x1", "x2", "x3"] {
        let commands = app.update(change(id));
        assert_eq!(counts(&commands), 0);
    }
    let commands = app.update(Msg::Tick);
    assert_eq!(counts(&commands), fixtures::queue(&app).views.len());
    answer_all(&mut app, commands, Permission::Operator);
    assert_eq!(counts(&app.update(Msg::Tick)), 0);
}

/// Answers the first command that `pick` accepts with `answer` (as from a
/// server that is down), then checks the app went offline and retries.
fn offline_after(
    mut app: App,
    commands: Vec<Command>,
    pick: impl Fn(&RfcCall) -> bool,
    answer: RfcAnswer,
) {
    let request = commands
        .iter()
        .find_map(|c| match c {
            Command::Rfc { request, call } if pick(call) => Some(*request),
            _ => None,
        })
        .expect("the keys sent the RFC call");
    app.update(Msg::Reply {
        request,
        reply: Reply::Rfc(answer),
    });
    fixtures::assert_offline_and_retrying(&mut app);
}

fn down() -> ApiError {
    ApiError::Unreachable("connection refused".into())
}

#[test]
fn an_unreachable_server_on_an_rfc_call_goes_offline_and_retries() {
    let mut app = fixtures::rfc_queue();
    let keys = "tc"
        .chars()
        .flat_map(|c| app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c)))))
        .collect();
    let transition = |call: &RfcCall| matches!(call, RfcCall::Transition { .. });
    offline_after(app, keys, transition, RfcAnswer::Record(Err(down())));

    let mut app = fixtures::rfc_queue();
    let refresh = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    let count = |call: &RfcCall| matches!(call, RfcCall::Count { .. });
    offline_after(app, refresh, count, RfcAnswer::Count(Err(down())));
}
