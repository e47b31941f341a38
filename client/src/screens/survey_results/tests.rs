//! The results screen over the fixture server: Enter on a survey opens
//! it, the customers come worst first with their trends, `I` turns
//! the selected comment into an improvement form filled in, and `R` (here
//! or on the board) records a response in a form built from the survey.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::enums::Permission;
use rapport_shared::{Collection, FieldError, Problem};
use serde_json::json;

use super::SurveyResultsScreen;
use super::draw::{customers_worst_first, nps_split};
use crate::api::ApiError;
use crate::app::{App, Command, Msg, Reply};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

fn open_results() -> App {
    open_results_at(160, 48)
}

fn open_results_at(width: u16, height: u16) -> App {
    let mut app = fixtures::app(Permission::Manager, width, height);
    fixtures::operator_keys(&mut app, ":surveys");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Manager);
    // The first survey of the board (the open quarterly one).
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Manager);
    app
}

fn results(app: &App) -> &SurveyResultsScreen {
    app.screens
        .typed::<SurveyResultsScreen>(ScreenId::SurveyResults)
        .expect("the results screen")
}

#[test]
fn enter_on_a_survey_shows_its_results_with_every_customers_trend() {
    let app = open_results();
    assert_eq!(app.tab, ScreenId::SurveyResults);
    let screen = results(&app);
    assert_eq!(screen.survey_id.as_deref(), Some("sv1"));
    assert!(screen.results.is_some());
    assert_eq!(screen.comments.len(), 5);
    let mut trends: Vec<&String> = screen.trends.keys().collect();
    trends.sort();
    assert_eq!(trends, ["c1", "c2"], "one trend per audience customer");
}

#[test]
fn customers_come_worst_first_and_the_nps_splits_in_three() {
    let view = json!({"customers": [
        {"customer_id": "happy", "mean": 4.5},
        {"customer_id": "silent", "mean": null},
        {"customer_id": "unhappy", "mean": 2.0}]});
    let order: Vec<String> = customers_worst_first(&view)
        .iter()
        .map(|c| c["customer_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(order, ["unhappy", "happy", "silent"]);
    let question = json!({"distribution": {"0": 1, "6": 2, "7": 1, "8": 0, "9": 3, "10": 1}});
    assert_eq!(nps_split(&question), (4, 1, 3));
}

#[test]
fn i_turns_the_selected_comment_into_an_improvement() {
    let mut app = open_results();
    fixtures::operator_keys(&mut app, "j");
    assert_eq!(results(&app).comment, 1);
    fixtures::operator_keys(&mut app, "I");
    let form = app.form.as_ref().expect("the improvement form opens");
    assert_eq!(form.collection, Collection::Improvements);
    let object = form.object();
    assert_eq!(object.get("source"), Some(&json!("survey")));
    assert_eq!(object.get("customer_id"), Some(&json!("c2")));
    let description = object
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or_default();
    assert!(description.starts_with("Friendly desk."), "{description}");
    assert!(
        description.contains("Quarterly satisfaction Q1 2026"),
        "{description}"
    );
}

#[test]
fn a_viewer_cannot_turn_a_comment_into_an_improvement() {
    let mut app = fixtures::app(Permission::Viewer, 160, 48);
    let commands = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(':'),
        KeyModifiers::NONE,
    )));
    answer_all(&mut app, commands, Permission::Viewer);
    for c in "surveys".chars() {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        answer_all(&mut app, commands, Permission::Viewer);
    }
    for _ in 0..2 {
        let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        answer_all(&mut app, commands, Permission::Viewer);
    }
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char('I'))));
    answer_all(&mut app, commands, Permission::Viewer);
    assert!(app.form.is_none());
}

/// Presses one key as an operator; returns the commands unanswered.
fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

fn field_names(app: &App) -> Vec<String> {
    app.form
        .as_ref()
        .map(|form| {
            form.fields
                .iter()
                .map(|f| f.spec.name.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `R` on the open survey's results, the contact picked by searching and
/// a value typed into each question; returns the app with the form open.
fn typed_response(q1: &str) -> App {
    let mut app = open_results();
    fixtures::operator_keys(&mut app, "R");
    fixtures::operator_keys(&mut app, "marg");
    let commands = press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    answer_all(&mut app, commands, Permission::Operator);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    fixtures::operator_keys(&mut app, q1);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    fixtures::operator_keys(&mut app, "9");
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    fixtures::operator_keys(&mut app, "Fine.");
    app
}

#[test]
fn r_opens_a_response_form_built_from_the_survey_with_contacts_of_its_audience_only() {
    let mut app = open_results();
    let commands = press(&mut app, KeyCode::Char('R'), KeyModifiers::SHIFT);
    let form = app.form.as_ref().expect("the response form opens");
    assert_eq!(form.collection, Collection::SurveyResponses);
    let owner = form.owner.as_ref().expect("it belongs to the survey");
    assert_eq!(crate::api::record_id(&owner.record), "sv1");
    assert_eq!(
        field_names(&app),
        ["contact_id", "answers.q1", "answers.q2", "answers.q3"]
    );
    let form = app.form.as_ref().expect("open");
    let labels: Vec<String> = form
        .fields
        .iter()
        .map(|f| f.spec.label.to_string())
        .collect();
    assert_eq!(labels, ["Contact", "q1 (1-5)", "q2 (0-10)", "q3 (text)"]);
    assert_eq!(
        form.fields[1].spec.hint.as_deref(),
        Some("How satisfied are you with the desktop service?")
    );
    assert!(
        form.fields[3].spec.kind.is_multi_line(),
        "text is multi-line"
    );
    // The contact lookup searches the audience customers' contacts only.
    let searches: Vec<&Vec<(String, String)>> = commands
        .iter()
        .filter_map(|c| match c {
            Command::List {
                collection: Collection::Contacts,
                query,
                ..
            } => Some(&query.filters),
            _ => None,
        })
        .collect();
    assert_eq!(
        searches,
        [&vec![("customer_id".to_string(), "c1,c2".to_string())]]
    );
}

#[test]
fn a_saved_response_is_posted_under_the_survey_and_the_figures_reload() {
    let mut app = typed_response("4");
    let commands = press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let [
        Command::Create {
            request,
            collection: Collection::SurveyResponses,
            under,
            body,
            idempotency_key,
        },
    ] = commands.as_slice()
    else {
        panic!("one create: {commands:?}");
    };
    assert_eq!(under.as_deref(), Some("sv1"));
    assert!(!idempotency_key.is_empty());
    assert_eq!(
        serde_json::Value::Object(body.clone()),
        json!({"contact_id": "p1", "answers": {"q1": 4, "q2": 9, "q3": "Fine."}})
    );
    let mut created = body.clone();
    created.insert("id".into(), json!("r1"));
    let reloads = app.update(Msg::Reply {
        request: *request,
        reply: Reply::Record(Ok(created)),
    });
    assert!(app.form.is_none(), "the form closes");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("Quarterly satisfaction Q1 2026"), "{said}");
    assert!(
        reloads.iter().any(|c| matches!(
            c,
            Command::View {
                call: crate::api::views::ViewCall::SurveyResults { .. },
                ..
            }
        )),
        "the results reload: {reloads:?}"
    );
    assert!(
        reloads.iter().any(|c| matches!(
            c,
            Command::List {
                collection: Collection::Surveys,
                ..
            }
        )),
        "and the board's counts: {reloads:?}"
    );
    answer_all(&mut app, reloads, Permission::Operator);
    // The feed's echo of that save reloads nothing more; another's does.
    let change = |id: &str| {
        Msg::Changed(crate::api::ServerChange {
            seq: "50".into(),
            collection: Some(Collection::SurveyResponses),
            id: id.into(),
            version: 1,
            action: "create".into(),
        })
    };
    app.update(change("r1"));
    assert_eq!(
        app.update(Msg::Tick),
        Vec::new(),
        "the echo of our own save"
    );
    app.update(change("r2"));
    assert_eq!(app.update(Msg::Tick).len(), 4, "the board and the results");
}

#[test]
fn a_refused_response_is_named_on_its_field_and_nothing_typed_is_lost() {
    let mut app = typed_response("4");
    let refuse = |app: &mut App, status: u16, field: &str, message: &str| {
        let commands = press(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let [Command::Create { request, .. }] = commands.as_slice() else {
            panic!("one create: {commands:?}");
        };
        let problem = Problem {
            errors: vec![FieldError::new(field, message)],
            ..Problem::new(status, format!("{field}: {message}"))
        };
        app.update(Msg::Reply {
            request: *request,
            reply: Reply::Record(Err(ApiError::Problem(problem))),
        });
    };
    refuse(
        &mut app,
        409,
        "contact_id",
        "has already responded to this survey",
    );
    refuse(
        &mut app,
        422,
        "answers.q2",
        "must be a whole number from 0 to 10",
    );
    let form = app.form.as_ref().expect("the form stays open");
    assert_eq!(
        form.errors.get("answers.q2").map(String::as_str),
        Some("must be a whole number from 0 to 10")
    );
    assert_eq!(form.fields[form.focus].spec.name, "answers.q2");
    let object = form.object();
    assert_eq!(object.get("contact_id"), Some(&json!("p1")));
    assert_eq!(object.get("answers.q1"), Some(&json!(4)));
    assert_eq!(object.get("answers.q3"), Some(&json!("Fine.")));
    // The 409 was shown on the contact too, until the next save.
    let mut app = typed_response("4");
    refuse(
        &mut app,
        409,
        "contact_id",
        "has already responded to this survey",
    );
    let form = app.form.as_ref().expect("open");
    assert_eq!(
        form.errors.get("contact_id").map(String::as_str),
        Some("has already responded to this survey")
    );
}

#[test]
fn a_value_off_the_scale_is_named_before_anything_is_sent() {
    let mut app = typed_response("7");
    let commands = press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(commands.is_empty(), "nothing sent: {commands:?}");
    let form = app.form.as_ref().expect("open");
    assert_eq!(
        form.errors.get("answers.q1").map(String::as_str),
        Some("must be a whole number from 1 to 5")
    );
}

#[test]
fn r_on_the_board_records_a_response_to_the_selected_survey_if_it_is_open() {
    let mut app = fixtures::app(Permission::Operator, 160, 48);
    fixtures::operator_keys(&mut app, ":surveys");
    let commands = press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    answer_all(&mut app, commands, Permission::Operator);
    fixtures::operator_keys(&mut app, "R");
    let owner = app.form.as_ref().and_then(|f| f.owner.as_ref());
    assert_eq!(owner.map(|o| crate::api::record_id(&o.record)), Some("sv1"));
    // The draft survey takes no responses: the status line says why.
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    fixtures::operator_keys(&mut app, "jR");
    assert!(app.form.is_none());
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("draft"), "{said}");
}

#[test]
fn a_viewer_cannot_record_a_response() {
    let mut app = fixtures::app(Permission::Viewer, 160, 48);
    for key in [":", "s", "u", "r", "v", "e", "y", "s"] {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(
            key.chars().next().unwrap_or(' '),
        ))));
        answer_all(&mut app, commands, Permission::Viewer);
    }
    let commands = press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    answer_all(&mut app, commands, Permission::Viewer);
    let commands = press(&mut app, KeyCode::Char('R'), KeyModifiers::SHIFT);
    answer_all(&mut app, commands, Permission::Viewer);
    assert!(app.form.is_none());
}

#[test]
fn a_response_cut_off_by_a_signal_is_kept_with_its_survey_and_reopened() {
    let app = &mut typed_response("4");
    let commands = app.update(Msg::Terminate);
    let [Command::SaveDraft(draft), Command::Quit] = commands.as_slice() else {
        panic!("draft then quit: {commands:?}");
    };
    assert_eq!(draft.collection, Collection::SurveyResponses);
    let mut next = fixtures::app(Permission::Operator, 160, 48);
    let commands = next.restore_draft(draft);
    answer_all(&mut next, commands, Permission::Operator);
    assert_eq!(
        field_names(&next),
        ["contact_id", "answers.q1", "answers.q2", "answers.q3"]
    );
    let form = next.form.as_mut().expect("reopened");
    assert_eq!(form.object().get("answers.q3"), Some(&json!("Fine.")));
    let commands = press(&mut next, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(
        matches!(commands.as_slice(), [Command::Create { under: Some(survey), .. }] if survey == "sv1"),
        "{commands:?}"
    );
}

/// The screen as text, one line per row.
fn drawn(app: &App) -> String {
    let (width, height) = app.size;
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| crate::view::draw(frame, app))
        .expect("draws");
    let buffer = terminal.backend().buffer();
    let symbols: Vec<&str> = buffer.content.iter().map(|cell| cell.symbol()).collect();
    symbols
        .chunks(usize::from(width))
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn at_80x24_the_results_scroll_to_their_end_and_j_keeps_the_picked_comment_in_sight() {
    let mut app = open_results_at(80, 24);
    let last_comment = "it has started";
    let first = drawn(&app);
    assert!(first.contains("more below"), "{first}");
    assert!(!first.contains(last_comment), "cut at first: {first}");
    // The half-page keys scroll, and never past the last row.
    for _ in 0..10 {
        press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
    }
    let end = results(&app).scroll;
    assert!(end > 0);
    let bottom = drawn(&app);
    assert!(bottom.contains(last_comment), "{bottom}");
    assert!(bottom.contains("more above"), "{bottom}");
    assert!(!bottom.contains("more below"), "{bottom}");
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert!(results(&app).scroll < end);
    // g is the top and the first comment; j down to the last comment
    // scrolls so it shows; G is the end.
    fixtures::operator_keys(&mut app, "g");
    assert_eq!((results(&app).scroll, results(&app).comment), (0, 0));
    fixtures::operator_keys(&mut app, "jjjj");
    assert_eq!(results(&app).comment, 4);
    let picked = drawn(&app);
    assert!(picked.contains("\u{25b6} \u{201c}Please warn"), "{picked}");
    assert!(picked.contains(last_comment), "the whole comment: {picked}");
    fixtures::operator_keys(&mut app, "gG");
    assert_eq!(results(&app).scroll, end);
    assert_eq!(results(&app).comment, 4);
}

#[test]
fn where_everything_fits_nothing_scrolls() {
    let mut app = open_results();
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
    }
    fixtures::operator_keys(&mut app, "jG");
    assert_eq!(results(&app).scroll, 0);
    assert!(!drawn(&app).contains("more "), "{}", drawn(&app));
}
