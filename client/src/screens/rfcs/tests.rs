//! The queue's update logic over the fixture server: triage in two keys,
//! assignment, legal moves only, marks and bulk summaries.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;

use crate::api::rfcs::RfcCall;
use crate::api::{record_id, text};
use crate::app::{App, Command, Msg};
use crate::fixtures::Overlay;
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;
use crate::screens::rfcs::{Choice, RfcOverlay};

/// Where "All open" is among the built-in views: last, so `[` from the
/// first view reaches it.
const ALL_OPEN: usize = 8;

/// Presses keys without answering, returning what they asked for.
fn sent(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c)))))
        .collect()
}

fn titles(app: &App) -> Vec<String> {
    let board = &fixtures::board(app, ScreenId::Rfcs);
    board
        .order
        .iter()
        .map(|i| text(&board.rows[*i], "title").to_string())
        .collect()
}

#[test]
fn the_queue_opens_on_untriaged_with_live_counts() {
    let app = fixtures::rfc_queue();
    assert_eq!(
        titles(&app),
        vec![
            "VPN access for the audit team",
            "More mailbox storage for the board",
            "Replace the meeting room screens"
        ]
    );
    let counts: Vec<Option<u64>> = fixtures::queue(&app)
        .counts
        .iter()
        .map(|c| c.shown)
        .collect();
    // Untriaged, My queue (open, s1), CM (open), SLM (open), Closed,
    // Withdrawn, Due this week (one due in the fixed now's week), All,
    // All open.
    assert_eq!(
        counts,
        vec![
            Some(3),
            Some(2),
            Some(3),
            Some(1),
            Some(1),
            Some(0),
            Some(1),
            Some(8),
            Some(7)
        ]
    );
    assert!(
        fixtures::board(&app, ScreenId::Rfcs)
            .fixed_filters
            .contains(&("sort".to_string(), "priority".to_string()))
    );
    assert!(fixtures::queue(&app).detail.history == crate::remote::Remote::Loaded);
}

#[test]
fn triage_takes_two_keys_and_sends_the_route() {
    let mut app = fixtures::rfc_queue();
    let commands = sent(&mut app, "tc");
    let transition = commands.iter().find_map(|c| match c {
        Command::Rfc {
            call: call @ RfcCall::Transition { .. },
            ..
        } => Some(call.clone()),
        _ => None,
    });
    assert_eq!(
        transition,
        Some(RfcCall::Transition {
            id: "0195a000-0000-7000-8000-00000000a001".to_string(),
            version: 1,
            to: rapport_shared::enums::RfcStatus::Triaged,
            route: Some(rapport_shared::enums::RfcRoute::ChangeManagement),
            note: None,
        })
    );
    answer_all(&mut app, commands, Permission::Operator);
    let message = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        message.starts_with("Triage to change management: 00a001"),
        "{message}"
    );
}

#[test]
fn assign_patches_the_assignee_with_if_match() {
    let mut app = fixtures::rfc_queue();
    let commands = sent(&mut app, "a");
    assert!(commands.iter().any(|c| matches!(c,
        Command::Update { collection: rapport_shared::Collection::Rfcs, version: 1, patch, .. }
            if patch.get("assignee_id") == Some(&serde_json::json!("s1")))));
}

#[test]
fn move_offers_only_the_legal_next_statuses() {
    let mut app = fixtures::rfc_queue();
    // All open, then the critical assessing RFC (second row).
    fixtures::operator_keys(&mut app, "[j");
    assert_eq!(fixtures::queue(&app).current, ALL_OPEN);
    fixtures::operator_keys(&mut app, "m");
    let Some(Overlay::Rfc(RfcOverlay::Chooser(chooser))) = &fixtures::overlay(&app) else {
        panic!("a chooser opens, got {:?}", fixtures::overlay(&app));
    };
    use rapport_shared::enums::RfcStatus::*;
    assert_eq!(
        chooser.choices,
        vec![
            Choice::Status(Approved),
            Choice::Status(Rejected),
            Choice::Status(Withdrawn)
        ]
    );
}

#[test]
fn a_bulk_step_that_succeeds_reports_in_the_status_line_and_keeps_the_marks() {
    let mut app = fixtures::rfc_queue();
    // Untriaged: mark all three, assign them to me.
    fixtures::operator_keys(&mut app, "*a");
    assert!(
        fixtures::overlay(&app).is_none(),
        "no box to dismiss: {:?}",
        fixtures::overlay(&app)
    );
    let message = app.message.clone().expect("the outcome is told");
    assert_eq!(message.text, "Assign to me: 3 done, 0 refused (R: details)");
    assert!(!message.error);
    assert_eq!(fixtures::queue(&app).marks.len(), 3, "the marks stay");
    // `R` shows the summary; Esc closes it, the marks still stay.
    fixtures::operator_keys(&mut app, "R");
    let Some(Overlay::Rfc(RfcOverlay::Summary { lines, .. })) = &fixtures::overlay(&app) else {
        panic!("R shows the summary, got {:?}", fixtures::overlay(&app));
    };
    assert_eq!(lines.iter().filter(|l| l.starts_with("done")).count(), 3);
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    assert_eq!(fixtures::queue(&app).marks.len(), 3);
    // The next step applies to the same RFCs without marking again.
    let commands = sent(&mut app, "p1");
    let updates = commands
        .iter()
        .filter(|c| matches!(c, Command::Update { patch, .. } if patch.get("priority") == Some(&serde_json::json!("critical"))))
        .count();
    assert_eq!(updates, 3, "{commands:?}");
}

/// The transition a burst of keys sent, with its target status and note.
fn transition_sent(
    commands: &[Command],
) -> Option<(rapport_shared::enums::RfcStatus, Option<String>)> {
    commands.iter().find_map(|c| match c {
        Command::Rfc {
            call: RfcCall::Transition { to, note, .. },
            ..
        } => Some((*to, note.clone())),
        _ => None,
    })
}

#[test]
fn a_move_takes_an_optional_note_for_the_history() {
    use rapport_shared::enums::RfcStatus::Approved;
    let enter = || Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let mut app = fixtures::rfc_queue();
    // All open, then the critical assessing RFC (second row): approve it.
    fixtures::operator_keys(&mut app, "[j");
    assert!(
        sent(&mut app, "m1").is_empty(),
        "nothing moves before the note"
    );
    assert!(matches!(
        fixtures::overlay(&app),
        Some(Overlay::Rfc(RfcOverlay::Note(_)))
    ));
    // Letters go to the note, not to the queue's keys (`c` would comment).
    assert!(sent(&mut app, " costs agreed ").is_empty());
    let commands = app.update(enter());
    assert_eq!(
        transition_sent(&commands),
        Some((Approved, Some("costs agreed".to_string()))),
        "{commands:?}"
    );

    // Without a note the move is still three keys: `m`, the digit, Enter.
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "[j");
    sent(&mut app, "m1");
    let commands = app.update(enter());
    assert_eq!(
        transition_sent(&commands),
        Some((Approved, None)),
        "{commands:?}"
    );

    // Esc leaves the note and moves nothing.
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "[j");
    sent(&mut app, "m1oops");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(transition_sent(&commands), None, "{commands:?}");
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn a_bulk_close_reports_every_refusal() {
    let mut app = fixtures::rfc_queue();
    // All open: mark everything, move to closed.
    fixtures::operator_keys(&mut app, "[*m");
    let Some(Overlay::Rfc(RfcOverlay::Chooser(chooser))) = &fixtures::overlay(&app) else {
        panic!("a chooser opens");
    };
    let close = chooser
        .choices
        .iter()
        .position(|c| *c == Choice::Status(rapport_shared::enums::RfcStatus::Closed));
    let digit = char::from_digit(close.map(|p| p as u32 + 1).unwrap_or(0), 10).unwrap_or('0');
    fixtures::operator_keys(&mut app, &digit.to_string());
    // The optional note comes first: Enter on an empty one goes on.
    assert!(
        matches!(
            fixtures::overlay(&app),
            Some(Overlay::Rfc(RfcOverlay::Note(_)))
        ),
        "a note, got {:?}",
        fixtures::overlay(&app)
    );
    assert!(
        app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
            .is_empty(),
        "nothing is sent before the question"
    );
    // Closing is final: nothing is sent until the question is answered.
    let Some(Overlay::Confirm(confirm)) = &fixtures::overlay(&app) else {
        panic!("a question first, got {:?}", fixtures::overlay(&app));
    };
    assert_eq!(
        confirm.question,
        "Move 7 RFCs to closed? This ends their work."
    );
    assert!(
        app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
            .is_empty(),
        "Enter does not answer a final move"
    );
    fixtures::operator_keys(&mut app, "y");
    let Some(Overlay::Rfc(RfcOverlay::Summary { lines, .. })) = &fixtures::overlay(&app) else {
        panic!("a summary opens, got {:?}", fixtures::overlay(&app));
    };
    // Implemented and rejected close; the five others are refused by name.
    assert_eq!(lines[0], "Move to closed: 2 done, 5 refused");
    assert_eq!(lines.iter().filter(|l| l.starts_with("refused")).count(), 5);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("00a001") && l.contains("cannot go from new to closed"))
    );
    // Every mark stays until the user drops it: the refused for another
    // try, the closed ones too (the next step applies to the same RFCs).
    assert_eq!(fixtures::queue(&app).marks.len(), 7);
    let closed_ids = [
        "0195a000-0000-7000-8000-00000000a006",
        "0195a000-0000-7000-8000-00000000a008",
    ];
    assert!(
        closed_ids
            .iter()
            .all(|id| fixtures::queue(&app).marks.contains(*id))
    );
    // Esc closes the summary, a second Esc drops the marks.
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    assert!(fixtures::queue(&app).marks.is_empty());
}

#[test]
fn range_marks_and_view_switching() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "Vjj");
    fixtures::operator_keys(&mut app, "V");
    assert_eq!(fixtures::queue(&app).marks.len(), 3);
    fixtures::operator_keys(&mut app, "]");
    assert_eq!(fixtures::queue(&app).current, 1);
    assert!(
        fixtures::queue(&app).marks.is_empty(),
        "switching views drops the marks"
    );
    let mine: Vec<_> = fixtures::board(&app, ScreenId::Rfcs)
        .order
        .iter()
        .map(|i| record_id(&fixtures::board(&app, ScreenId::Rfcs).rows[*i]).to_string())
        .collect();
    assert_eq!(mine.len(), 2, "s1's open RFCs; the closed one is hidden");
}

#[test]
fn a_comment_is_posted_from_the_editor() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "c");
    fixtures::operator_keys(&mut app, "On it");
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert!(commands.iter().any(
        |c| matches!(c, Command::Rfc { call: RfcCall::Comment { text, .. }, .. } if text == "On it")
    ));
    assert!(
        fixtures::overlay(&app).is_some(),
        "open until the server answers"
    );
    answer_all(&mut app, commands, Permission::Operator);
    assert!(fixtures::overlay(&app).is_none());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("Commented on 00a001"))
    );
}

#[test]
fn a_viewer_cannot_triage() {
    let mut app = fixtures::app(Permission::Viewer, 120, 40);
    fixtures::operator_keys(&mut app, "6");
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('t'))));
    assert!(commands.is_empty());
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn the_palette_switches_views() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, ":view all open");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    assert_eq!(fixtures::queue(&app).current, ALL_OPEN);
}

#[test]
fn new_rfc_form_picks_the_requester_among_the_customers_contacts() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "n");
    let form = app.form.as_ref().expect("the form opens");
    assert_eq!(form.collection, rapport_shared::Collection::Rfcs);
    assert_eq!(
        form.object().get("priority"),
        Some(&serde_json::json!("medium"))
    );
    // Customer: type to filter, Enter picks.
    fixtures::operator_keys(&mut app, "MOF");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    let form = app.form.as_ref().expect("still open");
    assert_eq!(
        form.object().get("customer_id"),
        Some(&serde_json::json!("c1"))
    );
    // Title, service, then the requester: its picker asks for c1's contacts.
    let mut asked = Vec::new();
    for _ in 0..3 {
        asked = app.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    }
    assert!(
        asked.iter().any(|c| matches!(c, Command::List { collection: rapport_shared::Collection::Contacts, query, .. }
            if query.filters.contains(&("customer_id".to_string(), "c1".to_string())))),
        "{asked:?}"
    );
}

#[test]
fn palette_has_rfc_commands() {
    let palette =
        crate::components::palette::Palette::new(false, &crate::screens::palette_screens());
    for name in ["rfc", "new rfc", "view", "rfc triage", "rfc assign me"] {
        assert!(
            palette.entries.iter().any(|e| e.name == name),
            "{name} missing"
        );
    }
}

#[test]
fn saving_a_new_rfc_refreshes_the_counts() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "n");
    fixtures::operator_keys(&mut app, "MOF");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Operator);
    fixtures::operator_keys(&mut app, "Printer for the front desk");
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Create {
            collection: rapport_shared::Collection::Rfcs,
            ..
        }
    )));
    let mut after = Vec::new();
    for command in commands {
        if let Some((request, reply)) = fixtures::answer(command, Permission::Operator) {
            after.extend(app.update(Msg::Reply { request, reply }));
        }
    }
    assert!(app.form.is_none(), "saved");
    assert!(
        after.iter().any(|c| matches!(
            c,
            Command::Rfc {
                call: RfcCall::Count { .. },
                ..
            }
        )),
        "{after:?}"
    );
}

#[test]
fn triage_is_not_offered_for_rfcs_past_new() {
    let mut app = fixtures::rfc_queue();
    // All open; the second row is assessing.
    fixtures::operator_keys(&mut app, "[jt");
    assert!(fixtures::overlay(&app).is_none());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.error && m.text.starts_with("Only new RFCs"))
    );
}

#[test]
fn a_second_step_waits_for_the_first() {
    let mut app = fixtures::rfc_queue();
    let first = sent(&mut app, "a");
    assert_eq!(first.len(), 1);
    let second = sent(&mut app, "a");
    assert!(second.is_empty());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("still running"))
    );
    answer_all(&mut app, first, Permission::Operator);
    assert!(fixtures::queue(&app).batch.is_none());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("Assign to me: 00a001"))
    );
}

#[test]
fn v_opens_the_whole_detail_which_scrolls_and_closes() {
    // A short terminal, so the detail is longer than the screen.
    let mut app = fixtures::app(Permission::Operator, 80, 14);
    fixtures::queue_mut(&mut app).now = Some(crate::screens::rfcs::fixtures::now());
    fixtures::operator_keys(&mut app, "6v");
    assert!(matches!(
        fixtures::overlay(&app),
        Some(Overlay::Rfc(RfcOverlay::Detail { scroll: 0 }))
    ));
    // Scrolling stops at the last row however often j is pressed.
    fixtures::operator_keys(&mut app, &"j".repeat(200));
    let Some(Overlay::Rfc(RfcOverlay::Detail { scroll })) = fixtures::overlay(&app) else {
        panic!("still open");
    };
    assert!(scroll > 0 && scroll < 30, "{scroll}");
    fixtures::operator_keys(&mut app, "k");
    assert!(matches!(
        fixtures::overlay(&app),
        Some(Overlay::Rfc(RfcOverlay::Detail { scroll: s })) if s == scroll - 1
    ));
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(commands.is_empty());
    assert!(fixtures::overlay(&app).is_none());
}

/// The assignee a command patches, if it is an assignment.
fn assigned(commands: &[Command]) -> Vec<String> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Update { patch, .. } => patch
                .get("assignee_id")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            _ => None,
        })
        .collect()
}

#[test]
fn assigning_to_me_asks_before_taking_a_colleagues_rfc() {
    let mut app = fixtures::rfc_queue();
    // All open, the fourth row: the negotiating RFC Ingrid holds.
    fixtures::operator_keys(&mut app, "[jjj");
    let commands = sent(&mut app, "a");
    assert!(
        assigned(&commands).is_empty(),
        "nothing sent before the answer"
    );
    let Some(Overlay::Confirm(confirm)) = &fixtures::overlay(&app) else {
        panic!("a question first, got {:?}", fixtures::overlay(&app));
    };
    assert!(
        confirm
            .question
            .contains("is assigned to Ingrid Solberg. Assign it to you?"),
        "{}",
        confirm.question
    );
    // No leaves it with her.
    assert!(assigned(&sent(&mut app, "n")).is_empty());
    sent(&mut app, "a");
    assert_eq!(assigned(&sent(&mut app, "y")), vec!["s1"]);
}

#[test]
fn assigning_an_unassigned_rfc_does_not_ask() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "[");
    assert_eq!(assigned(&sent(&mut app, "a")), vec!["s1"]);
    assert!(fixtures::overlay(&app).is_none());
}

#[test]
fn a_bulk_assignment_names_the_colleague_it_takes_from() {
    let mut app = fixtures::rfc_queue();
    fixtures::operator_keys(&mut app, "[*");
    let marked = fixtures::queue(&app).marks.len();
    assert!(assigned(&sent(&mut app, "a")).is_empty());
    let Some(Overlay::Confirm(confirm)) = &fixtures::overlay(&app) else {
        panic!("a question first, got {:?}", fixtures::overlay(&app));
    };
    assert_eq!(
        confirm.question,
        format!(
            "One of the {marked} RFCs is assigned to Ingrid Solberg. Assign all {marked} to you?"
        )
    );
    let commands = sent(&mut app, "y");
    // Those already mine need no write; every other one is patched.
    assert!(!assigned(&commands).is_empty());
    assert!(assigned(&commands).iter().all(|id| id == "s1"));
}

#[test]
fn assign_to_narrows_the_staff_by_typed_letters_and_picks_by_digit() {
    let mut app = fixtures::rfc_queue();
    // The first RFC of All open is unassigned.
    fixtures::operator_keys(&mut app, "[");
    assert!(sent(&mut app, "A").is_empty());
    let chooser = |app: &App| match fixtures::overlay(app) {
        Some(Overlay::Rfc(RfcOverlay::Chooser(chooser))) => chooser,
        other => panic!("the assignee chooser, got {other:?}"),
    };
    // Everyone active, the user first.
    let staff = &fixtures::queue(&app).staff;
    let names: Vec<&str> = staff.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["Amara Nwosu", "Helen Achterberg", "Ingrid Solberg"]);
    assert_eq!(chooser(&app).choices.len(), 3);
    // Letters narrow (they do not move the cursor as j/k would).
    assert!(sent(&mut app, "hel").is_empty());
    assert_eq!(chooser(&app).choices, vec![Choice::Assignee(1)]);
    assert!(sent(&mut app, "x").is_empty());
    assert!(chooser(&app).choices.is_empty(), "nobody matches helx");
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    assert!(commands.is_empty());
    assert_eq!(assigned(&sent(&mut app, "1")), vec!["s2"]);
}

#[test]
fn assign_to_a_colleague_asks_when_another_holds_the_rfc() {
    let mut app = fixtures::rfc_queue();
    // Ingrid's RFC, given to Helen: asked first.
    fixtures::operator_keys(&mut app, "[jjjA");
    fixtures::operator_keys(&mut app, "helen");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(assigned(&commands).is_empty());
    let Some(Overlay::Confirm(confirm)) = &fixtures::overlay(&app) else {
        panic!("a question first, got {:?}", fixtures::overlay(&app));
    };
    assert!(
        confirm
            .question
            .ends_with("is assigned to Ingrid Solberg. Assign it to Helen Achterberg?"),
        "{}",
        confirm.question
    );
    assert_eq!(assigned(&sent(&mut app, "y")), vec!["s2"]);
}

#[test]
fn the_due_column_shows_the_day_and_sorts_by_the_date() {
    let spec = crate::screens::rfcs::spec();
    let due = spec
        .columns
        .iter()
        .find(|c| c.key == "due")
        .expect("a due column");
    let lookup = crate::lookup::Lookup::default();
    let record = |due_on: serde_json::Value| {
        serde_json::json!({"id": "r1", "due_on": due_on})
            .as_object()
            .cloned()
            .expect("an object")
    };
    let december = record(serde_json::json!("2026-12-04"));
    let january = record(serde_json::json!("2027-01-15"));
    let undated = record(serde_json::Value::Null);
    assert_eq!(due.value(&december, &lookup), "4 Dec");
    assert_eq!(due.value(&undated, &lookup), "");
    assert_eq!(
        due.value(&record(serde_json::json!("soon\u{1b}[2J")), &lookup),
        "soon?[2J"
    );
    // By the date, not by the day's text ("15 Jan" < "4 Dec"); undated last.
    let mut rows = [&undated, &january, &december];
    rows.sort_by_key(|r| due.sort_value(r, &lookup));
    assert_eq!(rows.map(|r| due.value(r, &lookup)), ["4 Dec", "15 Jan", ""]);
}
