//! `rapport import responses FILE.csv --survey ID [--all-or-nothing]`:
//! survey responses collected outside rapport (on paper, by phone, in
//! another tool).
//!
//! The file has a header row: `contact_email` or `contact_id`, then one
//! column per question id (an empty cell leaves the question unanswered).
//! Every row is checked before anything is written ([`check_rows`]): the
//! contact must exist and belong to an audience customer, appear once in
//! the file, and the values must fit their questions (the shared
//! [`check_answers`]). Then the good rows are posted, each under an
//! Idempotency-Key made of the survey and the contact, so running the
//! import twice records nothing twice: contacts who already answered are
//! counted as already imported, not refused. With `--all-or-nothing`, one
//! refused row imports nothing. Any refused row makes the command fail
//! (exit 1) after saying which, by line number, and why.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_shared::records::RecordInput;
use rapport_shared::records::{Question, QuestionKind, SurveyInput, SurveyStatus, check_answers};
use rapport_shared::{Collection, FieldError, Problem};
use serde_json::{Map, Value, json};

use super::{CliError, Output, Report};
use crate::api::{ApiClient, ApiError, record_id, text};
use crate::strings::{count_of, refusal};

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ResponsesArgs {
    /// The CSV file to read.
    pub file: PathBuf,
    /// The survey the responses answer.
    #[arg(long)]
    pub survey: String,
    /// Import nothing if any row is refused.
    #[arg(long)]
    pub all_or_nothing: bool,
    #[command(flatten)]
    pub output: Output,
}

/// How the file names its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactColumn {
    Email,
    Id,
}

/// A contact of an audience customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub id: String,
    pub email: String,
}

/// A row ready to post.
#[derive(Debug, Clone, PartialEq)]
pub struct GoodRow {
    pub line: u64,
    pub contact_id: String,
    pub answers: Map<String, Value>,
}

/// What checking the file found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Checked {
    pub good: Vec<GoodRow>,
    /// Rows of contacts who already answered: nothing to do.
    pub already: Vec<u64>,
    /// Line number and reason.
    pub refused: Vec<(u64, String)>,
}

/// Imports the file.
pub async fn run(api: &ApiClient, args: &ResponsesArgs) -> Result<Report, CliError> {
    let bytes = std::fs::read(&args.file).map_err(|error| {
        CliError::Usage(format!("cannot read {}: {error}", args.file.display()))
    })?;
    let survey_record = match api.get(Collection::Surveys, &args.survey).await {
        Ok(record) => record,
        Err(ApiError::Problem(problem)) if problem.status == 404 => {
            return Err(CliError::Usage(format!(
                "no survey has the id {}",
                args.survey
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let survey = SurveyInput::from_json(&survey_record).map_err(|errors| {
        CliError::Failed(format!(
            "the survey {} does not read back: {errors}",
            args.survey
        ))
    })?;
    if survey.status != SurveyStatus::Open {
        return Err(CliError::Usage(format!(
            "the survey \"{}\" is {}: responses are taken only while it is open",
            survey.title,
            survey.status.as_str()
        )));
    }
    let mut invitees = Vec::new();
    for customer_id in &survey.customer_ids {
        let contacts = api
            .list_all(Collection::Contacts, &[("customer_id", customer_id)])
            .await?;
        invitees.extend(contacts.iter().map(|c| Invitee {
            id: record_id(c).to_string(),
            email: text(c, "email").to_string(),
        }));
    }
    let answered: HashSet<String> = api
        .survey_responses(&args.survey)
        .await?
        .iter()
        .map(|r| text(r, "contact_id").to_string())
        .collect();
    let checked = check_rows(&bytes, &survey.questions, &invitees, &answered)?;

    let mut imported = 0usize;
    let mut already = checked.already.len();
    let mut refused = checked.refused.clone();
    if !args.all_or_nothing || refused.is_empty() {
        let progress = progress_bar(checked.good.len() as u64);
        for row in &checked.good {
            let body = json!({"contact_id": row.contact_id, "answers": row.answers});
            let key = format!("import-{}-{}", args.survey, row.contact_id);
            match api.post_response(&args.survey, &body, &key).await {
                Ok(_) => imported += 1,
                // Answered since the check (another import, the TUI).
                Err(ApiError::Problem(problem)) if problem.status == 409 => already += 1,
                Err(ApiError::Problem(problem)) => {
                    refused.push((row.line, server_refusal(&problem)));
                }
                Err(error) => {
                    progress.abandon();
                    return Err(CliError::Failed(format!(
                        "{error}; {imported} responses were imported before it, running the \
                         import again imports the rest"
                    )));
                }
            }
            progress.inc(1);
        }
        progress.finish_and_clear();
    }
    refused.sort();
    let summary = if args.all_or_nothing && !refused.is_empty() {
        format!(
            "Imported nothing (--all-or-nothing): {} of {} refused",
            refused.len(),
            count_of(
                checked.good.len() + checked.already.len() + refused.len(),
                "row"
            )
        )
    } else {
        format!(
            "Imported {}; {already} already imported; {} refused",
            count_of(imported, "response"),
            count_of(refused.len(), "row")
        )
    };
    if refused.is_empty() {
        return Ok(Report {
            text: String::new(),
            summary: Some(summary),
        });
    }
    let lines: Vec<String> = refused
        .iter()
        .map(|(line, reason)| format!("line {line}: {reason}"))
        .collect();
    Err(CliError::Failed(format!("{}\n{summary}", lines.join("\n"))))
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(rows: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(rows), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} responses {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Checks every row of the CSV `bytes` against the survey's `questions`,
/// its `invitees` and the contacts who already `answered`. A header that
/// cannot be used (no contact column, a column that is no question) is a
/// usage error: no row could be read.
pub fn check_rows(
    bytes: &[u8],
    questions: &[Question],
    invitees: &[Invitee],
    answered: &HashSet<String>,
) -> Result<Checked, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| CliError::Usage(format!("cannot read the header row: {error}")))?
        .clone();
    let contact_column = match (
        headers.iter().position(|h| h == "contact_email"),
        headers.iter().position(|h| h == "contact_id"),
    ) {
        (Some(at), None) => (at, ContactColumn::Email),
        (None, Some(at)) => (at, ContactColumn::Id),
        (Some(_), Some(_)) => {
            return Err(CliError::Usage(
                "the header has both contact_email and contact_id: keep one".into(),
            ));
        }
        (None, None) => {
            return Err(CliError::Usage(
                "the header row needs a contact_email or contact_id column".into(),
            ));
        }
    };
    let mut columns: Vec<(usize, &Question)> = Vec::new();
    for (at, header) in headers.iter().enumerate() {
        if at == contact_column.0 {
            continue;
        }
        match questions.iter().find(|q| q.id == header) {
            Some(question) => columns.push((at, question)),
            None => {
                let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
                return Err(CliError::Usage(format!(
                    "the column \"{header}\" is not a question of the survey (its questions: {})",
                    ids.join(", ")
                )));
            }
        }
    }
    let by_email: HashMap<String, &Invitee> = invitees
        .iter()
        .filter(|i| !i.email.is_empty())
        .map(|i| (i.email.to_lowercase(), i))
        .collect();
    let by_id: HashMap<&str, &Invitee> = invitees.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut checked = Checked::default();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        // The header is line 1; a record's own position is kept when known.
        let fallback = index as u64 + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(fallback, |p| p.line());
                checked.refused.push((line, unreadable(&error)));
                continue;
            }
        };
        let line = record.position().map_or(fallback, |p| p.line());
        let named = record.get(contact_column.0).unwrap_or("");
        let contact = match contact_column.1 {
            ContactColumn::Email => by_email.get(&named.to_lowercase()),
            ContactColumn::Id => by_id.get(named),
        };
        let Some(contact) = contact else {
            let reason = if named.is_empty() {
                "no contact given".to_string()
            } else {
                format!("{named} is not a contact of a customer the survey asks")
            };
            checked.refused.push((line, reason));
            continue;
        };
        if let Some(first) = seen.get(&contact.id) {
            checked.refused.push((
                line,
                format!("{named} answers twice: already on line {first}"),
            ));
            continue;
        }
        seen.insert(contact.id.clone(), line);
        match answers_of(&record, &columns) {
            Err(reason) => checked.refused.push((line, reason)),
            Ok(answers) => match check_answers(questions, &answers) {
                Err(errors) => checked.refused.push((line, field_problems(&errors.0))),
                Ok(_) if answered.contains(&contact.id) => checked.already.push(line),
                Ok(answers) => checked.good.push(GoodRow {
                    line,
                    contact_id: contact.id.clone(),
                    answers,
                }),
            },
        }
    }
    Ok(checked)
}

/// A row's answers, a whole number for scored questions and the text for
/// text ones; empty cells are left out (unanswered).
fn answers_of(
    record: &csv::StringRecord,
    columns: &[(usize, &Question)],
) -> Result<Map<String, Value>, String> {
    let mut answers = Map::new();
    for (at, question) in columns {
        let cell = record.get(*at).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let value = match question.kind {
            QuestionKind::Text => Value::String(cell.to_string()),
            QuestionKind::Scale5 | QuestionKind::Nps => match cell.parse::<i64>() {
                Ok(score) => Value::from(score),
                Err(_) => {
                    return Err(format!(
                        "the answer to {}, \"{cell}\", is not a whole number",
                        question.id
                    ));
                }
            },
        };
        answers.insert(question.id.clone(), value);
    }
    Ok(answers)
}

/// What was wrong with a row's fields, in words: `answers.overall` is
/// "the answer to overall" (the column's name in the file).
fn field_problems(errors: &[FieldError]) -> String {
    let said: Vec<String> = errors
        .iter()
        .map(|error| {
            let field = match error.field.strip_prefix("answers.") {
                Some(question) => format!("the answer to {question}"),
                None => crate::strings::field_words(&error.field),
            };
            format!("{field} {}", error.message)
        })
        .collect();
    said.join("; ")
}

/// A row the server refused, as what was wrong with it: the fields and
/// what they must be, or the refusal in words (never the HTTP status).
fn server_refusal(problem: &Problem) -> String {
    if problem.status == 422 && !problem.errors.is_empty() {
        return field_problems(&problem.errors);
    }
    refusal(problem)
}

/// A row the CSV reader could not read, in words.
fn unreadable(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
        _ => format!("cannot be read: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, kind: QuestionKind) -> Question {
        serde_json::from_value(json!({"id": id, "text": id, "kind": kind.as_str()}))
            .unwrap_or_else(|e| panic!("a question: {e}"))
    }

    fn invitee(id: &str, email: &str) -> Invitee {
        Invitee {
            id: id.into(),
            email: email.into(),
        }
    }

    #[test]
    fn every_row_is_checked_and_refusals_name_their_line() {
        let questions = [
            question("overall", QuestionKind::Scale5),
            question("recommend", QuestionKind::Nps),
            question("why", QuestionKind::Text),
        ];
        let invitees = [
            invitee("p1", "ann@tax.example"),
            invitee("p2", "bo@tax.example"),
            invitee("p3", "cy@tax.example"),
            invitee("p4", "di@tax.example"),
            invitee("p5", "ed@tax.example"),
        ];
        let answered: HashSet<String> = ["p4".to_string()].into();
        let file = "contact_email,overall,recommend,why\n\
                    ANN@tax.example,4,9,\"Fast, friendly\"\n\
                    bo@tax.example,6,9,\n\
                    stranger@else.example,3,5,\n\
                    ann@tax.example,5,10,\n\
                    cy@tax.example,,,\n\
                    di@tax.example,5,10,\n\
                    bo@tax.example,3\n\
                    ed@tax.example,two,,\n";
        let checked = check_rows(file.as_bytes(), &questions, &invitees, &answered)
            .unwrap_or_else(|e| panic!("{e}"));
        let good: Vec<(u64, &str)> = checked
            .good
            .iter()
            .map(|g| (g.line, g.contact_id.as_str()))
            .collect();
        // Cy with nothing answered is a response too (unanswered questions are allowed).
        assert_eq!(good, vec![(2, "p1"), (6, "p3")]);
        assert_eq!(
            checked.good[0].answers.get("why"),
            Some(&json!("Fast, friendly"))
        );
        assert_eq!(checked.already, vec![7]);
        let refused: Vec<(u64, &str)> = checked
            .refused
            .iter()
            .map(|(l, r)| (*l, r.as_str()))
            .collect();
        assert_eq!(refused.len(), 5, "{refused:?}");
        assert!(
            refused[0]
                == (
                    3,
                    "the answer to overall must be a whole number from 1 to 5"
                ),
            "{refused:?}"
        );
        assert!(
            refused[1].0 == 4 && refused[1].1.contains("is not a contact"),
            "{refused:?}"
        );
        assert_eq!(
            refused[2],
            (5, "ann@tax.example answers twice: already on line 2")
        );
        assert_eq!(refused[3], (8, "has 2 fields where the header has 4"));
        assert!(
            refused[4] == (9, "the answer to overall, \"two\", is not a whole number"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_row_the_server_refuses_says_what_was_wrong_without_a_status() {
        let invalid = Problem::invalid(vec![
            FieldError::new("answers.overall", "must be a whole number from 1 to 5"),
            FieldError::new("contact_id", "must be a contact of an audience customer"),
        ]);
        assert_eq!(
            server_refusal(&invalid),
            "the answer to overall must be a whole number from 1 to 5; \
             Contact must be a contact of an audience customer"
        );
        let gone = Problem::new(404, "no contact has this id");
        let said = server_refusal(&gone);
        assert!(said.starts_with("No contact has this id."), "{said}");
        for problem in [invalid, gone] {
            let said = server_refusal(&problem);
            for phrase in ["404", "422", "Unprocessable", "Not Found"] {
                assert!(!said.contains(phrase), "{said}");
            }
        }
    }

    #[test]
    fn a_header_that_cannot_be_used_is_a_usage_error() {
        let questions = [question("overall", QuestionKind::Scale5)];
        for (file, says) in [
            ("email,overall\n", "needs a contact_email or contact_id"),
            (
                "contact_id,overal\n",
                "\"overal\" is not a question of the survey (its questions: overall)",
            ),
            (
                "contact_id,contact_email\n",
                "both contact_email and contact_id",
            ),
        ] {
            match check_rows(file.as_bytes(), &questions, &[], &HashSet::new()) {
                Err(CliError::Usage(message)) => assert!(message.contains(says), "{message}"),
                other => panic!("{file}: {other:?}"),
            }
        }
    }
}
