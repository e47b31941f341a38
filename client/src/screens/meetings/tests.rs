//! The Meetings screen driven through the whole app against the fixture
//! server (seen from the fixtures' now): the two boards keep the kinds apart, `n`
//! creates a meeting of the focused board's kind, `P` fills an agenda from
//! the proposal over the kind's period, Enter on an agenda item opens its
//! sources, items are edited, moved, removed and ticked with PATCHes of
//! their list, an action becomes an RFC or an improvement, my actions come
//! overdue first. The drawings are in `draw_tests`, the pure parts in
//! `items_tests`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::{Value, json};

use super::fixtures::{RFC_ONE, RFC_THREE, now};
use super::{MeetingsScreen, Mode, Part, Side, items};
use crate::api::Record;
use crate::api::views::ViewCall;
use crate::app::{App, Command, Msg};
use crate::fixtures::{self, answer};
use crate::screens::ScreenId;
use crate::screens::customer::CustomerScreen;
use crate::screens::rfcs::RfcScreen;

/// Answers `commands` like the fixture server, as `permission`, and
/// returns every command seen on the way (the requests the keys caused).
fn run(app: &mut App, commands: Vec<Command>, permission: Permission) -> Vec<Command> {
    let mut seen = Vec::new();
    let mut waiting = commands;
    while let Some(command) = waiting.pop() {
        seen.push(command.clone());
        if let Some((request, reply)) = answer(command, permission) {
            waiting.extend(app.update(Msg::Reply { request, reply }));
        }
    }
    seen
}

fn key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let commands = app.update(Msg::Key(key));
    run(app, commands, Permission::Manager)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    key(app, KeyEvent::from(code))
}

fn keys(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

pub(super) fn screen(app: &App) -> &MeetingsScreen {
    app.screens
        .typed::<MeetingsScreen>(ScreenId::Meetings)
        .expect("the meetings screen")
}

/// A manager's app at `width` x `height` on the Meetings screen (`:meetings`).
pub(super) fn opened(width: u16, height: u16, permission: Permission) -> App {
    let mut app = fixtures::app(permission, width, height);
    if let Some(meetings) = app.screens.typed_mut::<MeetingsScreen>(ScreenId::Meetings) {
        meetings.now = Some(now());
    }
    keys(&mut app, ":meetings");
    press(&mut app, KeyCode::Enter);
    app
}

/// The app with meeting `row` of the follow-up board open.
fn follow_up_open(row: usize) -> App {
    let mut app = opened(120, 40, Permission::Manager);
    press(&mut app, KeyCode::Tab);
    for _ in 0..row {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    app
}

fn updates(commands: &[Command]) -> Vec<(String, Record)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Update {
                collection: Collection::Meetings,
                id,
                patch,
                ..
            } => Some((id.clone(), patch.clone())),
            _ => None,
        })
        .collect()
}

fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("title").and_then(Value::as_str))
        .collect()
}

#[test]
fn the_boards_keep_the_kinds_apart_upcoming_soonest_first_then_recent() {
    let app = opened(160, 48, Permission::Manager);
    assert_eq!(app.tab, ScreenId::Meetings);
    let meetings = screen(&app);
    let ids = |rows: &[usize]| -> Vec<String> {
        rows.iter()
            .map(|at| crate::api::record_id(&meetings.meetings[*at]).to_string())
            .collect()
    };
    let forward = meetings.board_rows(Side::ForwardLooking, &app.lookup);
    assert_eq!(ids(&forward.upcoming), ["m3"]);
    assert_eq!(ids(&forward.recent), ["m4"]);
    let follow_up = meetings.board_rows(Side::FollowUp, &app.lookup);
    assert_eq!(ids(&follow_up.upcoming), ["m1", "m5"]);
    assert_eq!(ids(&follow_up.recent), ["m2"]);
}

#[test]
fn the_boards_load_a_range_of_days_narrowed_by_customer_or_team() {
    let mut app = opened(120, 40, Permission::Manager);
    let commands = keys(&mut app, ":meetings-with MOF");
    assert!(commands.is_empty());
    let commands = press(&mut app, KeyCode::Enter);
    let lists: Vec<&Vec<(String, String)>> = commands
        .iter()
        .filter_map(|c| match c {
            Command::List {
                collection: Collection::Meetings,
                query,
                ..
            } => Some(&query.filters),
            _ => None,
        })
        .collect();
    let filters = lists.last().expect("the boards load again");
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert!(filters.contains(&pair("from", "2026-02-19")), "{filters:?}");
    assert!(filters.contains(&pair("to", "2026-08-18")), "{filters:?}");
    assert!(filters.contains(&pair("customer_id", "c1")), "{filters:?}");
    assert_eq!(screen(&app).meetings.len(), 3);
    // A team is found by its name; Esc lifts the narrowing.
    keys(&mut app, ":meetings-with boreal");
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app).narrowing, [pair("team_id", "t2")]);
    assert_eq!(screen(&app).meetings.len(), 1);
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).narrowing.is_empty());
    assert_eq!(screen(&app).meetings.len(), 5);
}

#[test]
fn slash_searches_the_boards_by_customer_team_and_title() {
    let mut app = opened(120, 40, Permission::Manager);
    keys(&mut app, "/health");
    press(&mut app, KeyCode::Enter);
    let meetings = screen(&app);
    assert!(!meetings.searching);
    assert_eq!(
        meetings.board_rows(Side::ForwardLooking, &app.lookup).len(),
        1
    );
    assert!(meetings.board_rows(Side::FollowUp, &app.lookup).is_empty());
    press(&mut app, KeyCode::Esc);
    assert_eq!(screen(&app).search, "");
}

#[test]
fn n_creates_a_meeting_of_the_focused_boards_kind() {
    let mut app = opened(120, 40, Permission::Manager);
    keys(&mut app, "n");
    let form = app.form.as_ref().expect("the meeting form");
    assert_eq!(form.collection, Collection::Meetings);
    assert_eq!(form.object().get("kind"), Some(&json!("forward_looking")));
    press(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());
    press(&mut app, KeyCode::Tab);
    assert_eq!(screen(&app).side, Side::FollowUp);
    keys(&mut app, "n");
    let form = app.form.as_ref().expect("the meeting form");
    assert_eq!(form.object().get("kind"), Some(&json!("follow_up")));
    let names: Vec<&str> = form.fields.iter().map(|f| f.spec.name.as_ref()).collect();
    let expected = "customer_id kind starts_at title duration_minutes location attendee_staff_ids attendee_contact_ids";
    assert_eq!(names.join(" "), expected);
}

#[test]
fn p_fills_a_follow_ups_agenda_from_the_period_since_the_previous_follow_up() {
    let mut app = opened(120, 40, Permission::Manager);
    press(&mut app, KeyCode::Tab);
    // m1, the upcoming review without an agenda.
    let commands = keys(&mut app, "P");
    let proposal = commands.iter().find_map(|c| match c {
        Command::View {
            call: call @ ViewCall::AgendaProposal { .. },
            ..
        } => Some(call.clone()),
        _ => None,
    });
    assert_eq!(
        proposal,
        Some(ViewCall::AgendaProposal {
            customer_id: "c1".into(),
            kind: "follow_up".into(),
            from: "2026-02-24".into(),
            to: "2026-05-26".into(),
        })
    );
    let written = updates(&commands);
    assert_eq!(written.len(), 1, "{commands:?}");
    let (id, patch) = &written[0];
    assert_eq!(id, "m1");
    assert_eq!(
        titles(&patch["agenda"]),
        [
            "Service levels of the period",
            "RFCs opened and closed",
            "Satisfaction",
            "Open RFCs by age"
        ]
    );
    assert_eq!(
        patch["agenda"][1]["source"]["ids"],
        json!([RFC_ONE, RFC_THREE])
    );
    let filled = screen(&app)
        .meetings
        .iter()
        .find(|m| crate::api::record_id(m) == "m1");
    assert_eq!(filled.map(|m| items::list(m, "agenda").len()), Some(4));
}

#[test]
fn p_on_an_agenda_asks_first_and_a_forward_looking_one_looks_a_year_ahead() {
    let mut app = opened(120, 40, Permission::Manager);
    // m3 has an agenda already.
    let commands = keys(&mut app, "P");
    assert!(commands.is_empty());
    assert!(matches!(
        fixtures::overlay(&app),
        Some(fixtures::Overlay::Confirm(_))
    ));
    let commands = keys(&mut app, "y");
    let proposal = commands.iter().find_map(|c| match c {
        Command::View {
            call: ViewCall::AgendaProposal { from, to, kind, .. },
            ..
        } => Some((from.clone(), to.clone(), kind.clone())),
        _ => None,
    });
    assert_eq!(
        proposal,
        Some((
            "2026-06-10".into(),
            "2027-06-09".into(),
            "forward_looking".into()
        ))
    );
    let written = updates(&commands);
    assert_eq!(
        titles(&written[0].1["agenda"]),
        ["Activity plan: strategic", "Open improvements"]
    );
}

#[test]
fn enter_on_an_agenda_item_opens_its_source_records() {
    // m2 is the third row of the follow-up board (two upcoming first).
    let mut app = follow_up_open(2);
    let meetings = screen(&app);
    assert_eq!(meetings.mode, Mode::Meeting);
    assert_eq!(meetings.open_id.as_deref(), Some("m2"));
    assert_eq!(meetings.part, Part::Agenda);
    // The agreements: the customer screen on its agreements.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Customer);
    let customer = app
        .screens
        .typed::<CustomerScreen>(ScreenId::Customer)
        .expect("the customer screen");
    assert_eq!(customer.state.customer_id.as_deref(), Some("c1"));
    assert_eq!(
        customer.state.section,
        crate::screens::customer::Section::Agreements
    );
    // The RFCs: the queue on exactly those two.
    keys(&mut app, ":meetings");
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app).mode, Mode::Meeting);
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Rfcs);
    let rfcs = app
        .screens
        .typed::<RfcScreen>(ScreenId::Rfcs)
        .expect("the queue");
    assert_eq!(
        rfcs.board.only,
        Some(vec![RFC_ONE.to_string(), RFC_THREE.to_string()])
    );
    assert_eq!(rfcs.board.order.len(), 2);
    // Esc shows the whole queue again.
    press(&mut app, KeyCode::Esc);
    let rfcs = app
        .screens
        .typed::<RfcScreen>(ScreenId::Rfcs)
        .expect("the queue");
    assert_eq!(rfcs.board.only, None);
    // An item without a source says so and stays.
    keys(&mut app, ":meetings");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "jj");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, ScreenId::Meetings);
}

#[test]
fn x_ticks_an_action_with_a_patch_of_the_actions_list() {
    let mut app = follow_up_open(2);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(screen(&app).part, Part::Actions);
    let commands = keys(&mut app, "x");
    let written = updates(&commands);
    assert_eq!(written.len(), 1);
    let (id, patch) = &written[0];
    assert_eq!(id, "m2");
    assert_eq!(patch["actions"][0]["done"], json!(true));
    assert_eq!(patch["actions"][1]["done"], json!(true), "the other kept");
    let version = commands.iter().find_map(|c| match c {
        Command::Update { version, .. } => Some(*version),
        _ => None,
    });
    assert_eq!(version, Some(1), "If-Match the version read");
    let open = screen(&app).open.as_ref().expect("still open");
    assert_eq!(items::open_actions(open), 0);
}

#[test]
fn an_action_becomes_an_rfc_or_an_improvement_with_one_key() {
    let mut app = follow_up_open(2);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    let created = |commands: &[Command]| {
        commands.iter().find_map(|c| match c {
            Command::Create {
                collection, body, ..
            } => Some((*collection, body.clone())),
            _ => None,
        })
    };
    let (collection, body) = created(&keys(&mut app, "R")).expect("an RFC posted");
    assert_eq!(collection, Collection::Rfcs);
    assert_eq!(body["customer_id"], json!("c1"));
    assert_eq!(body["title"], json!("Send the availability report"));
    let (collection, body) = created(&keys(&mut app, "I")).expect("an improvement posted");
    assert_eq!(collection, Collection::Improvements);
    assert_eq!(body["source"], json!("meeting"));
    assert_eq!(body["owner_id"], json!("s1"));
    let description = body["description"].as_str().unwrap_or_default();
    assert!(
        description.starts_with("Send the availability report"),
        "{description}"
    );
    assert!(
        description.contains("follow-up meeting of"),
        "{description}"
    );
}

#[test]
fn agenda_items_move_are_removed_and_are_edited_in_place() {
    let mut app = follow_up_open(2);
    let written = updates(&keys(&mut app, "J"));
    assert_eq!(
        titles(&written[0].1["agenda"]),
        ["RFCs closed", "Service levels", "Any other business"]
    );
    assert_eq!(screen(&app).item, 1, "the selection moves with the item");
    keys(&mut app, "d");
    let written = updates(&keys(&mut app, "y"));
    assert_eq!(
        titles(&written[0].1["agenda"]),
        ["RFCs closed", "Any other business"]
    );
    assert_eq!(screen(&app).item, 0);
    // `e`: the notes of the item in the multi-line editor.
    keys(&mut app, "e");
    assert!(screen(&app).editor.is_some());
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "ask for the outage report");
    let commands = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    );
    let written = updates(&commands);
    let notes = written[0].1["agenda"][0]["notes"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(notes, "2 closed, median 12 days\nask for the outage report");
    assert_eq!(
        written[0].1["agenda"][0]["source"],
        json!({"collection": "rfcs", "ids": [RFC_ONE, RFC_THREE]}),
        "the source stays"
    );
    assert!(screen(&app).editor.is_none(), "closed once saved");
}

#[test]
fn a_new_decision_and_action_are_added_and_blank_ones_refused() {
    let mut app = follow_up_open(2);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(screen(&app).part, Part::Decisions);
    keys(&mut app, "a");
    let commands = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    );
    assert!(
        updates(&commands).is_empty(),
        "a blank decision is not sent"
    );
    keys(&mut app, "Buy more disks");
    let written = updates(&press(&mut app, KeyCode::Enter));
    assert_eq!(
        written[0].1["decisions"],
        json!(["Move the backup window to Sunday night", "Buy more disks"])
    );
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "a");
    keys(&mut app, "Call the CFO");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "2026-06-01");
    let written = updates(&press(&mut app, KeyCode::Enter));
    let added = &written[0].1["actions"][2];
    assert_eq!(
        added,
        &json!({"text": "Call the CFO", "owner_id": "s1", "due_on": "2026-06-01", "done": false})
    );
}

#[test]
fn my_actions_come_overdue_first_and_tick_through_their_meeting() {
    let mut app = opened(120, 40, Permission::Manager);
    let commands = keys(&mut app, "m");
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::View {
            call: ViewCall::Actions {
                owner_id: Some(owner),
                done: Some(false),
                ..
            },
            ..
        } if owner == "me"
    )));
    let meetings = screen(&app);
    assert_eq!(meetings.mode, Mode::MyActions);
    assert_eq!(meetings.actions.len(), 2);
    keys(&mut app, "j");
    let commands = keys(&mut app, "x");
    let written = updates(&commands);
    assert_eq!(written[0].0, "m4");
    assert_eq!(written[0].1["actions"][0]["done"], json!(true));
    // Enter opens the action's meeting on its actions; `m` goes back.
    press(&mut app, KeyCode::Enter);
    let meetings = screen(&app);
    assert_eq!(meetings.mode, Mode::Meeting);
    assert_eq!(meetings.open_id.as_deref(), Some("m4"));
    assert_eq!(meetings.part, Part::Actions);
    press(&mut app, KeyCode::Esc);
    assert_eq!(screen(&app).mode, Mode::Boards);
}

#[test]
fn a_viewer_reads_but_neither_proposes_nor_ticks() {
    let mut app = opened(120, 40, Permission::Viewer);
    assert!(keys(&mut app, "P").is_empty());
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    assert!(screen(&app).asked.is_none());
}
