//! Survey responses: what one contact answered to one survey, kept beside
//! the survey and served under `/surveys/{id}/responses`. Holds
//! [`SurveyResponseFields`], [`SurveyResponse`], the collection's
//! declaration, what a client sends ([`ResponseInput`], read by the server
//! and checked by the client's form alike) and the check of answers
//! against the questions ([`check_answers`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use super::surveys::Question;
use crate::enums::Permission;
use crate::fields::{FieldError, FieldReader, MAX_TEXT_CHARS, ValidationErrors};

pub(super) const SPEC: CollectionSpec =
    CollectionSpec::new("survey_responses", "survey response", Permission::Operator).filters(&[
        FilterSpec::id("survey_id"),
        FilterSpec::id("customer_id"),
    ]);

/// A response's fields as the server keeps them: the client sends the
/// contact and the answers, the server adds the survey and the contact's
/// customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SurveyResponseFields {
    /// Id of the survey answered.
    pub survey_id: String,
    /// Id of the contact who answered.
    pub contact_id: String,
    /// Id of the contact's customer when they answered.
    pub customer_id: String,
    /// Question id to answer: a whole number for scored questions, a
    /// string for text ones. Unanswered questions are absent.
    pub answers: Map<String, Value>,
}

impl SurveyResponseFields {
    /// What makes a response one of a kind: its survey and contact.
    pub fn key(&self) -> String {
        format!("{}/{}", self.survey_id, self.contact_id)
    }
}

/// Survey response as read from the server.
pub type SurveyResponse = Stored<SurveyResponseFields>;

/// What a client sends to record a response (`{"contact_id", "answers"}`),
/// read and checked against the survey's questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInput {
    /// Id of the contact who answered.
    pub contact_id: String,
    /// The answers as [`check_answers`] keeps them.
    pub answers: Map<String, Value>,
}

impl ResponseInput {
    /// Reads a response's body: the contact is required, `answers` is an
    /// object of question id to answer (absent: nothing answered), each
    /// checked by [`check_answers`]; every error is named at once.
    pub fn from_json(
        object: &Map<String, Value>,
        questions: &[Question],
    ) -> Result<ResponseInput, ValidationErrors> {
        let mut reader = FieldReader::new(object);
        let contact_id = reader.required_id("contact_id");
        reader.skip("answers");
        let given = match object.get("answers") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(answers)) => answers.clone(),
            Some(_) => {
                reader.error("answers", "must be an object of question id to answer");
                Map::new()
            }
        };
        let answers = check_answers(questions, &given).unwrap_or_else(|errors| {
            for error in errors.0 {
                reader.error(&error.field, error.message);
            }
            Map::new()
        });
        reader.finish()?;
        Ok(ResponseInput {
            contact_id,
            answers,
        })
    }
}

/// Checks `answers` against the survey's `questions`: every key is a
/// question id, scored answers are whole numbers on the question's scale,
/// text answers are strings. Blank text and `null` count as unanswered and
/// are dropped. Errors name `answers.<question id>`.
pub fn check_answers(
    questions: &[Question],
    answers: &Map<String, Value>,
) -> Result<Map<String, Value>, ValidationErrors> {
    let mut errors = Vec::new();
    let mut kept = Map::new();
    for (key, value) in answers {
        let field = format!("answers.{key}");
        let Some(question) = questions.iter().find(|q| &q.id == key) else {
            errors.push(FieldError::new(field, "is not a question of this survey"));
            continue;
        };
        match (question.kind.scale(), value) {
            (_, Value::Null) => {}
            (Some(scale), value) => match value.as_i64() {
                Some(score) if scale.contains(&score) => {
                    kept.insert(key.clone(), Value::from(score));
                }
                _ => errors.push(FieldError::new(
                    field,
                    format!(
                        "must be a whole number from {} to {}",
                        scale.start(),
                        scale.end()
                    ),
                )),
            },
            (None, Value::String(text)) => {
                let text = text.trim();
                if text.chars().count() > MAX_TEXT_CHARS {
                    errors.push(FieldError::new(
                        field,
                        format!("must be at most {MAX_TEXT_CHARS} characters"),
                    ));
                } else if !text.is_empty() {
                    kept.insert(key.clone(), Value::String(text.into()));
                }
            }
            (None, _) => errors.push(FieldError::new(field, "must be a string")),
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(ValidationErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::QuestionKind;
    use serde_json::json;

    fn questions() -> Vec<Question> {
        [("q1", QuestionKind::Scale5), ("q2", QuestionKind::Nps), ("q3", QuestionKind::Text)]
            .into_iter()
            .map(|(id, kind)| Question {
                id: id.into(),
                text: id.into(),
                kind,
                service_id: None,
            })
            .collect()
    }

    fn check(answers: Value) -> Result<Map<String, Value>, ValidationErrors> {
        check_answers(&questions(), answers.as_object().expect("an object"))
    }

    #[test]
    fn good_answers_are_kept_and_blank_ones_dropped() {
        let kept = check(json!({"q1": 5, "q2": 0, "q3": "  fine  "})).expect("valid");
        assert_eq!(Value::Object(kept), json!({"q1": 5, "q2": 0, "q3": "fine"}));
        let kept = check(json!({"q1": null, "q3": " "})).expect("unanswered is allowed");
        assert!(kept.is_empty());
    }

    #[test]
    fn a_response_names_a_missing_contact_and_bad_answers_at_once() {
        let read = |body: Value| {
            ResponseInput::from_json(body.as_object().expect("an object"), &questions())
        };
        let errors = read(json!({"answers": {"q1": 9}, "extra": 1})).expect_err("bad");
        assert_eq!(errors.for_field("contact_id"), Some("is required"));
        assert_eq!(errors.for_field("answers.q1"), Some("must be a whole number from 1 to 5"));
        assert_eq!(errors.for_field("extra"), Some("is not a known field"));
        assert!(read(json!({"contact_id": "p1", "answers": [1]})).is_err());
        let input = read(json!({"contact_id": "p1", "answers": {"q2": 9, "q3": " "}}))
            .expect("valid");
        assert_eq!(input.contact_id, "p1");
        assert_eq!(Value::Object(input.answers), json!({"q2": 9}));
        let unanswered = read(json!({"contact_id": "p1"})).expect("nothing answered");
        assert!(unanswered.answers.is_empty());
    }

    #[test]
    fn each_bad_answer_names_its_question() {
        let errors = check(json!({"q1": 6, "q2": 10.5, "q3": 3, "q9": 1})).expect_err("all bad");
        assert_eq!(errors.for_field("answers.q1"), Some("must be a whole number from 1 to 5"));
        assert_eq!(errors.for_field("answers.q2"), Some("must be a whole number from 0 to 10"));
        assert_eq!(errors.for_field("answers.q3"), Some("must be a string"));
        assert_eq!(errors.for_field("answers.q9"), Some("is not a question of this survey"));
        assert!(check(json!({"q1": 0})).is_err());
        assert!(check(json!({"q2": -1})).is_err());
        assert!(check(json!({"q1": "4"})).is_err());
    }
}
