//! Surveys: the questions cannot change once a response refers to the
//! survey (a conflict guard, so a response landing meanwhile is seen).

use rapport_shared::Collection;
use rapport_shared::records::SurveyInput;
use serde_json::Value;

use crate::store::{Condition, Guard, Requirement};

use super::Resource;

/// Why a survey's questions stay as they are.
pub const QUESTIONS_FIXED: &str =
    "the questions cannot change once a response exists: delete the responses first";

impl Resource for SurveyInput {
    /// On update: the questions are the stored ones, or no response refers
    /// to the survey; else a 409.
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        let Some(id) = id else { return Vec::new() };
        let questions = serde_json::to_value(&self.questions).unwrap_or(Value::Null);
        vec![Guard::Conflict(Box::new(Guard::AnyOf(vec![
            Guard::Requires {
                collection: Collection::Surveys,
                id: id.into(),
                field: "questions".into(),
                missing: format!("no survey with id {id}"),
                requirements: vec![Requirement {
                    condition: Condition::Equals {
                        field: "questions".into(),
                        value: questions,
                    },
                    message: QUESTIONS_FIXED.into(),
                    on_field: None,
                }],
            },
            Guard::NotReferenced {
                collection: Collection::SurveyResponses,
                via_field: "survey_id".into(),
                target_id: id.into(),
                unless: None,
                field: "questions".into(),
                message: QUESTIONS_FIXED.into(),
            },
        ])))]
    }
}
