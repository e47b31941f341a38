//! The Surveys screen, a list screen: the satisfaction surveys, where
//! each stands (draft, open, closed), the period it runs, how many of the
//! contacts asked answered, how many customers it asks (and, as a column
//! to choose, how many questions); its form edits the questions one per
//! line, and `R` records a response to the selected survey. The tenth
//! screen: no number key, `:surveys` in the palette.

use rapport_shared::Collection;
use rapport_shared::records::{SurveyInput, SurveyStatus};
use ratatui::layout::Constraint;
use ratatui::text::Line;
use serde_json::Value;

use super::list::{ListAction, list_screen};
use super::survey_results::response_form::record_response;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::field_line;
use crate::components::form::{FieldKind, FieldSpec, RowShape};
use crate::keymap::Action;
use crate::strings;

list_screen! {
    /// The satisfaction surveys.
    SurveyInput as "survey" {
        title: strings::TAB_SURVEYS,
        icon: "\u{f46d} ",
        context: Surveys,
        open: Some((super::ScreenId::SurveyResults, "id")),
        owns: Collection::SurveyResponses,
        actions: &[ListAction {
            action: Action::RecordResponse,
            hint: "response",
            writes: Collection::SurveyResponses,
            run: record_response,
        }],
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("title", "Survey", Constraint::Fill(4)),
            Column::field("status", "Status", Constraint::Length(8)),
            Column::computed("period", "Period", Constraint::Length(23), |r, _| period(r)),
            Column::computed("answered", "Answered", Constraint::Length(11), |r, _| {
                answered(r)
            }),
            Column::computed("audience", "Customers", Constraint::Length(9), |r, _| {
                count(r, "customer_ids")
            }),
            Column::computed("questions", "Questions", Constraint::Length(9), |r, _| {
                count(r, "questions")
            }),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &["title", "status", "period", "answered", "audience"],
    }
}

/// The period it runs, `start – end`, with either end left open.
fn period(record: &Record) -> String {
    let start = text(record, "period_start");
    let end = text(record, "period_end");
    if start.is_empty() && end.is_empty() {
        return String::new();
    }
    format!("{start} \u{2013} {end}").trim().to_string()
}

/// Responses of invited and the response rate, `12/40 30%` (the rate
/// rounded to a whole percent); blank from a server that does not say.
fn answered(record: &Record) -> String {
    let count = |field: &str| record.get(field).and_then(Value::as_u64);
    let (Some(responses), Some(invited)) = (count("response_count"), count("invited")) else {
        return String::new();
    };
    if invited == 0 {
        return format!("{responses}/0");
    }
    let percent = (responses * 100 + invited / 2) / invited;
    format!("{responses}/{invited} {percent}%")
}

/// How many items a list field holds.
fn count(record: &Record, field: &str) -> String {
    let items = record
        .get(field)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    items.to_string()
}

/// The questions as the form writes them, one per line.
fn question_lines(record: &Record) -> Vec<Line<'static>> {
    let Some(questions) = record.get("questions").and_then(Value::as_array) else {
        return Vec::new();
    };
    questions
        .iter()
        .map(|question| {
            let word = |field: &str| {
                question
                    .get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            field_line(word("id"), format!("{} ({})", word("text"), word("kind")))
        })
        .collect()
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let customers: Vec<String> = record
        .get("customer_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(|id| sources.lookup.name(id))
                .collect()
        })
        .unwrap_or_default();
    let mut lines = vec![
        field_line("Survey", text(record, "title").to_string()),
        field_line("Status", text(record, "status").to_string()),
        field_line("Period", period(record)),
        field_line("Answered", answered(record)),
        field_line("Customers", customers.join(", ")),
    ];
    lines.extend(question_lines(record));
    lines
}

/// A survey's questions as the form edits them, one per line:
/// `q1 | How happy are you? | scale5 | Desktop` (the service by name).
pub const QUESTION_ROWS: RowShape = RowShape {
    columns: &["id", "text", "kind", "service_id"],
    numbers: &[],
    refs: &[("service_id", Collection::Services)],
};

/// The survey form's fields (the form shows 15 characters of a label, so
/// the questions' line shape is told in the README and the module's words).
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::new("status", "Status", FieldKind::Enum(SurveyStatus::names)),
        FieldSpec::new("period_start", "Period start", FieldKind::Line),
        FieldSpec::new("period_end", "Period end", FieldKind::Line),
        FieldSpec::new(
            "customer_ids",
            "Customers",
            FieldKind::RefList(Collection::Customers),
        ),
        FieldSpec::new("questions", "Questions", FieldKind::Rows(&QUESTION_ROWS)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::form::RowNames;
    use rapport_shared::collection::RecordInput;
    use rapport_shared::records::QuestionKind;
    use serde_json::json;

    fn record(value: Value) -> Record {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn questions_typed_one_per_line_make_a_survey_the_rules_accept() {
        let typed = "q1 | How happy are you? | scale5 | s1\n\nq2 | Recommend us? | nps\n";
        let mut object = record(json!({"title": "Q1", "customer_ids": ["c1"]}));
        object.insert(
            "questions".into(),
            QUESTION_ROWS.parse(typed, &RowNames::default()),
        );
        let survey = SurveyInput::from_json(&object).expect("a valid survey");
        assert_eq!(survey.questions.len(), 2);
        assert_eq!(
            survey.question("q1").and_then(|q| q.service_id.as_deref()),
            Some("s1")
        );
        assert_eq!(
            survey.question("q2").map(|q| q.kind),
            Some(QuestionKind::Nps)
        );
        assert_eq!(
            QUESTION_ROWS.format(&object["questions"], &RowNames::default()),
            "q1 | How happy are you? | scale5 | s1\nq2 | Recommend us? | nps"
        );
    }

    #[test]
    fn a_response_recorded_anywhere_reloads_the_answered_counts_once_on_the_next_tick() {
        use crate::app::{Command, Msg};
        use crate::fixtures;
        use rapport_shared::enums::Permission;
        let mut app = fixtures::app(Permission::Manager, 160, 48);
        fixtures::operator_keys(&mut app, ":surveys");
        let enter = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
        let commands = app.update(Msg::Key(enter));
        fixtures::answer_all(&mut app, commands, Permission::Manager);
        let shown = fixtures::board(&app, crate::screens::ScreenId::Surveys);
        assert_eq!(shown.rows.first().map(answered).as_deref(), Some("5/6 83%"));
        let reloads = |commands: &[Command]| {
            commands
                .iter()
                .filter(|c| {
                    matches!(c, Command::List { collection, .. } if *collection == Collection::Surveys)
                })
                .count()
        };
        for seq in ["41", "42"] {
            let change = crate::api::ServerChange {
                seq: seq.into(),
                collection: Some(Collection::SurveyResponses),
                id: format!("r{seq}"),
                version: 1,
                action: "create".into(),
            };
            assert_eq!(reloads(&app.update(Msg::Changed(change))), 0, "not at once");
        }
        assert_eq!(
            reloads(&app.update(Msg::Tick)),
            1,
            "one reload for the burst"
        );
        assert_eq!(reloads(&app.update(Msg::Tick)), 0);
    }

    #[test]
    fn a_question_with_a_stray_separator_is_named_by_the_rules() {
        let mut object = record(json!({"title": "Q1"}));
        object.insert(
            "questions".into(),
            QUESTION_ROWS.parse("q1 | a | nps | s1 | extra", &RowNames::default()),
        );
        let errors = SurveyInput::from_json(&object).expect_err("five cells");
        assert!(errors.for_field("questions").is_some(), "{errors:?}");
    }

    #[test]
    fn the_columns_tell_period_answered_audience_and_questions() {
        let survey = record(json!({
            "title": "Q1", "status": "open",
            "period_start": "2026-01-01", "period_end": "2026-03-31",
            "customer_ids": ["c1", "c2"],
            "questions": [{"id": "q1", "text": "a", "kind": "nps"}],
        }));
        assert_eq!(period(&survey), "2026-01-01 \u{2013} 2026-03-31");
        assert_eq!(count(&survey, "customer_ids"), "2");
        assert_eq!(count(&survey, "questions"), "1");
        let open_ended = record(json!({"period_start": "2026-01-01"}));
        assert_eq!(period(&open_ended), "2026-01-01 \u{2013}");
        assert_eq!(period(&record(json!({}))), "");
        assert_eq!(count(&record(json!({})), "questions"), "0");
        let answered_of = |responses: u64, invited: u64| {
            answered(&record(
                json!({"response_count": responses, "invited": invited}),
            ))
        };
        assert_eq!(answered_of(12, 40), "12/40 30%");
        assert_eq!(answered_of(2, 3), "2/3 67%");
        assert_eq!(answered_of(0, 6), "0/6 0%");
        assert_eq!(answered_of(0, 0), "0/0");
        assert_eq!(answered(&survey), "", "a server that does not say");
        let lines = question_lines(&survey);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].to_string().contains("a (nps)"), "{:?}", lines[0]);
    }
}
