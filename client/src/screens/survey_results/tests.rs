//! The results screen over the fixture server: Enter on a survey opens
//! it, the customers come worst first with their trends, and `I` turns
//! the selected comment into an improvement form filled in.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use serde_json::json;

use super::SurveyResultsScreen;
use super::draw::{customers_worst_first, nps_split};
use crate::app::{App, Msg};
use crate::fixtures::{self, answer_all};
use crate::screens::ScreenId;

fn open_results() -> App {
    let mut app = fixtures::app(Permission::Manager, 160, 48);
    fixtures::operator_keys(&mut app, ":surveys");
    let commands = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    answer_all(&mut app, commands, Permission::Manager);
    // The first survey of the board (the closed quarterly one).
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
    assert_eq!(screen.comments.len(), 2);
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
