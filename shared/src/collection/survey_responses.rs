//! Survey responses: what one contact answered to one survey, kept beside
//! the survey and served under `/surveys/{id}/responses`. Holds
//! [`SurveyResponseFields`], [`SurveyResponse`], the collection's
//! declaration and the check of answers against the questions
//! ([`check_answers`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use super::surveys::Question;
use crate::enums::Permission;
use crate::fields::{FieldError, MAX_TEXT_CHARS, ValidationErrors};

pub(super) const SPEC: CollectionSpec =
    CollectionSpec::new("survey_responses", "survey response", Permission::Operator).filters(&[
        FilterSpec::text("survey_id"),
        FilterSpec::text("customer_id"),
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
