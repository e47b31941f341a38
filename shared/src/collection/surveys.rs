//! Surveys: questions put to the contacts of a set of customers (the
//! audience) during a period. Holds [`SurveyStatus`], [`QuestionKind`],
//! [`Question`], [`SurveyInput`], [`Survey`] and the collection's
//! declaration. Responses are [`super::survey_responses`]; the figures
//! they add up to are [`crate::satisfaction`].

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Collection;
use super::input::{IdField, input_fields};
use super::record::{Meta, Reference};
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};
use crate::fields::FieldReader;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("surveys", "survey", Permission::Manager)
    .filters(&[FilterSpec::text("status").one_of(SurveyStatus::NAMES)])
    .search(&["title"]);

string_enum!(
    /// Where a survey stands: responses are taken only while it is open.
    #[derive(Default)]
    SurveyStatus {
        #[default]
        Draft = "draft",
        Open = "open",
        Closed = "closed",
    }
);

string_enum!(
    /// What a question asks for: a score of 1 to 5, a likelihood to
    /// recommend of 0 to 10 (net promoter score), or words.
    QuestionKind {
        Scale5 = "scale5",
        Nps = "nps",
        Text = "text",
    }
);

impl QuestionKind {
    /// The values a scored answer may take (`None` for text).
    pub fn scale(self) -> Option<std::ops::RangeInclusive<i64>> {
        match self {
            QuestionKind::Scale5 => Some(1..=5),
            QuestionKind::Nps => Some(0..=10),
            QuestionKind::Text => None,
        }
    }
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Question {
    /// Unique within the survey; the key of its answers (`q1`).
    pub id: String,
    pub text: String,
    pub kind: QuestionKind,
    /// Id of the service the question is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
}

/// Reads one question of a survey's `questions`.
fn read_question(reader: &mut FieldReader<'_>) -> Question {
    let kind = reader.optional_enum("kind", QuestionKind::parse, &QuestionKind::names());
    if kind.is_none() {
        reader.error("kind", "is required");
    }
    Question {
        id: reader.required_line("id"),
        text: reader.required_line("text"),
        kind: kind.unwrap_or(QuestionKind::Text),
        service_id: reader.optional_id("service_id"),
    }
}

/// The rule of `questions`: at least one, no id twice.
fn unique_question_ids(questions: &[Question]) -> Option<&'static str> {
    if questions.is_empty() {
        return Some("must hold at least one question");
    }
    let repeated = questions
        .iter()
        .enumerate()
        .any(|(index, question)| questions[..index].iter().any(|q| q.id == question.id));
    repeated.then_some("must not use a question id twice")
}

impl IdField for Vec<Question> {
    /// The services the questions are about.
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        self.iter()
            .filter_map(|question| question.service_id.clone())
            .map(|id| Reference { field, collection, id })
            .collect()
    }
}

input_fields! {
    /// A satisfaction survey of some customers' contacts.
    pub struct SurveyInput for Surveys, stored as Survey {
        title: String = required_line,
        /// The questions; their ids cannot change once a response exists.
        questions: Vec<Question> = object_list(read_question) -> Services where unique_question_ids,
        period_start: Option<Date> = optional_date,
        /// The last day of the period; not before `period_start`.
        period_end: Option<Date> = optional_date_from(period_start, "period_start"),
        /// The audience: ids of the customers whose contacts are asked.
        #[serde(default)]
        customer_ids: Vec<String> = id_list -> Customers,
        #[serde(default)]
        status: SurveyStatus = enum_or_default(SurveyStatus),
    }
    accepts SURVEY_DERIVED;
}

/// Survey fields the server derives on every read; sent back, they are
/// accepted and ignored.
pub const SURVEY_DERIVED: &[&str] = &["invited", "response_count"];

impl SurveyInput {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// Survey as read from the server, with how many were asked and how many
/// answered (the response rate at a glance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Survey {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: SurveyInput,
    /// The contacts of the audience customers, as the results count them.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub invited: u64,
    /// The responses recorded so far.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub response_count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn a_survey_reads_its_questions_and_starts_as_a_draft() {
        let input: SurveyInput = read_input(json!({
            "title": "Q1 2026",
            "questions": [
                {"id": "q1", "text": "How happy are you?", "kind": "scale5", "service_id": "s1"},
                {"id": "q2", "text": "Recommend us?", "kind": "nps"},
            ],
            "customer_ids": ["c1"],
        }))
        .expect("valid");
        assert_eq!(input.status, SurveyStatus::Draft);
        assert_eq!(input.question("q2").map(|q| q.kind), Some(QuestionKind::Nps));
        let references: Vec<_> = input.references().iter().map(|r| (r.field, r.collection)).collect();
        assert_eq!(
            references,
            [("questions", Collection::Services), ("customer_ids", Collection::Customers)]
        );
    }

    #[test]
    fn the_derived_counts_sent_back_are_accepted_and_read_into_the_stored_survey() {
        let value = json!({
            "id": "sv1", "version": 2,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "title": "Q1", "questions": [{"id": "q1", "text": "a", "kind": "nps"}],
            "invited": 40, "response_count": 12,
        });
        assert!(read_input::<SurveyInput>(value.clone()).is_ok());
        let survey: Survey = serde_json::from_value(value).expect("a stored survey");
        assert_eq!((survey.invited, survey.response_count), (40, 12));
    }

    #[test]
    fn bad_questions_and_periods_are_named() {
        for questions in [
            json!([]),
            json!([{"id": "q1", "text": "a", "kind": "stars"}]),
            json!([{"id": "q1", "text": "a"}]),
            json!([{"id": "", "text": "a", "kind": "nps"}]),
            json!([{"id": "q1", "text": "a", "kind": "nps"}, {"id": "q1", "text": "b", "kind": "text"}]),
            json!("q1"),
        ] {
            let errors = read_input::<SurveyInput>(json!({"title": "S", "questions": questions}))
                .expect_err("bad questions");
            assert!(errors.for_field("questions").is_some(), "{questions}: {errors:?}");
        }
        let errors = read_input::<SurveyInput>(json!({
            "title": "S", "questions": [{"id": "q1", "text": "a", "kind": "text"}],
            "period_start": "2026-04-01", "period_end": "2026-03-31",
        }))
        .expect_err("reversed period");
        assert_eq!(errors.for_field("period_end"), Some("must not be before period_start"));
    }
}
