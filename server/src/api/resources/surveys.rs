//! Surveys: the questions cannot change once a response refers to the
//! survey (a conflict guard, so a response landing meanwhile is seen);
//! every read tells how many contacts were asked and how many answered,
//! each one count in the store.

use rapport_shared::Collection;
use rapport_shared::records::SurveyInput;
use serde_json::Value;

use crate::api::error::ApiResult;
use crate::api::lists::count_where;
use crate::store::{Condition, Filter, Guard, Requirement, Store, StoredRecord};

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

    /// Sets `invited` (the contacts of the audience customers) and
    /// `response_count` (the responses from them), as the results count
    /// them.
    async fn derive(record: &mut StoredRecord, store: &dyn Store) -> ApiResult<()> {
        let audience: Vec<String> = record
            .fields
            .get("customer_ids")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let (invited, responses) = if audience.is_empty() {
            (0, 0)
        } else {
            let of_audience = || Filter {
                param: "customer_id".into(),
                values: audience.clone(),
            };
            let invited = count_where(store, Collection::Contacts, vec![of_audience()]).await?;
            let filters = vec![Filter::is("survey_id", &record.id), of_audience()];
            let responses = count_where(store, Collection::SurveyResponses, filters).await?;
            (invited, responses)
        };
        record.fields.insert("invited".into(), Value::from(invited));
        record
            .fields
            .insert("response_count".into(), Value::from(responses));
        Ok(())
    }
}
