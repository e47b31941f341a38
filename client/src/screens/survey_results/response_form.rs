//! Recording a response received by phone or e-mail (`R` on the Surveys
//! board or on a survey's results): the form is built from the survey. Its
//! first field is the contact, searched among the contacts of the
//! survey's audience customers only; then one field per question, a whole
//! number for a scored one (1-5, 0-10) and text for the others, each left
//! unanswered unless typed. Its rules are the server's
//! ([`ResponseInput::from_json`] against the survey's questions), and it is
//! created under the survey (`POST /surveys/{id}/responses`).

use std::sync::Arc;

use rapport_shared::Collection;
use rapport_shared::records::{Question, ResponseInput, SurveyStatus};
use serde_json::Value;

use crate::api::{Record, text, without_controls};
use crate::components::form::{FieldKind, FieldSpec, FormShape};
use crate::screens::{Effect, ScreenCtx};
use crate::strings;

/// The form of a response to `survey`.
pub fn shape(survey: &Record) -> FormShape {
    let questions = questions_of(survey);
    let audience: Vec<&str> = survey
        .get("customer_ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let contact = FieldSpec::new(
        "contact_id",
        strings::RESPONSE_CONTACT,
        FieldKind::Ref(Collection::Contacts),
    )
    .filtered(vec![("customer_id".into(), audience.join(","))]);
    let mut fields = vec![contact];
    fields.extend(questions.iter().map(question_field));
    FormShape {
        fields,
        rules: Arc::new(move |object: &Record| {
            ResponseInput::from_json(object, &questions).map(drop)
        }),
    }
}

/// The survey's questions as the server keeps them (none when unreadable).
fn questions_of(survey: &Record) -> Vec<Question> {
    survey
        .get("questions")
        .cloned()
        .and_then(|questions| serde_json::from_value(questions).ok())
        .unwrap_or_default()
}

/// The field answering `question`: `answers.q1`, labelled with the id and
/// what it takes, the question's words under it.
fn question_field(question: &Question) -> FieldSpec {
    let (kind, takes) = match question.kind.scale() {
        Some(scale) => (FieldKind::Int, format!("{}-{}", scale.start(), scale.end())),
        None => (FieldKind::Text, question.kind.as_str().to_string()),
    };
    FieldSpec::new(
        format!("answers.{}", question.id),
        format!("{} ({takes})", without_controls(&question.id)),
        kind,
    )
    .hint(without_controls(&question.text))
}

/// `R` on `survey` (the app has checked the user may record responses):
/// the response form opens when the survey takes responses; else the
/// status line says why not.
pub fn record_response(ctx: &mut ScreenCtx, survey: &Record) -> Vec<Effect> {
    let status = text(survey, "status");
    if status != SurveyStatus::Open.as_str() {
        ctx.say(strings::survey_not_open(&without_controls(status)), true);
        return Vec::new();
    }
    vec![Effect::Create(Collection::SurveyResponses)]
}
