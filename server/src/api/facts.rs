//! What the views about a customer read from the store: its RFCs (with
//! when each closed), agreements (with their attainment), satisfaction
//! scores, budget, plan, improvements and the meetings held, gathered into
//! [`rapport_shared::agenda::Facts`] for a proposed agenda and for health.
//! Only what the view wants is read ([`Wanted`]).

use jiff::Timestamp;
use jiff::civil::Date;
use rapport_shared::Collection;
use rapport_shared::agenda::{
    ActivityFacts, AgreementFacts, Facts, HeldMeeting, ImprovementFacts, RfcFacts, SurveyScore,
};
use rapport_shared::enums::RfcStatus;
use rapport_shared::fields::parse_date;
use rapport_shared::month::Month;
use rapport_shared::records::{
    ActivityInput, ActivityStatus, AgreementInput, AgreementStatus, ImprovementInput,
    ImprovementStatus, MeetingInput, Rfc, RfcTransition, effective_status, review_due,
};
use serde_json::Value;

use crate::store::{Store, StoredRecord};

use super::agreements::{attainment_over, read, unreadable};
use super::budget::budget_for;
use super::error::ApiResult;
use super::lists::every_record;
use super::survey_results::satisfaction_items;

/// What a view reads besides the RFCs, agreements and meetings.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// When each closed RFC closed (its history).
    pub closings: bool,
    /// The active agreements' attainment over these months.
    pub attainment: Option<(Month, Month)>,
    /// The satisfaction scores and the budget of this year.
    pub money_and_scores: Option<i32>,
    /// The activity plan and the improvements.
    pub plan: bool,
}

/// The facts about customer `customer_id` a view wants, as of `today`.
pub async fn gather(
    store: &dyn Store,
    customer_id: &str,
    wanted: &Wanted,
    today: Date,
) -> ApiResult<Facts> {
    let mut facts = Facts {
        customer_id: customer_id.to_string(),
        rfcs: rfcs(store, customer_id, wanted.closings).await?,
        ..Facts::default()
    };
    for record in every_record(store, Collection::Agreements, "customer_id", customer_id).await? {
        let agreement: AgreementInput = read(&record)?;
        let status = effective_status(agreement.status, agreement.valid_to, today);
        let attainment = match wanted.attainment {
            Some((from, to)) if status == AgreementStatus::Active => {
                Some(attainment_over(store, &record.id, &agreement, from, to).await?)
            }
            _ => None,
        };
        facts.agreements.push(AgreementFacts {
            id: record.id.clone(),
            title: agreement.title,
            active: status == AgreementStatus::Active,
            expired: status == AgreementStatus::Expired,
            review_due: review_due(agreement.review_on, today),
            review_on: agreement.review_on,
            attainment,
        });
    }
    if let Some(year) = wanted.money_and_scores {
        facts.surveys = satisfaction_items(store, customer_id)
            .await?
            .iter()
            .map(survey_score)
            .collect();
        let budget = budget_for(store, customer_id, year).await?;
        for service in &budget.services {
            if let Ok(record) = store
                .get(Collection::Services, service.service_id.clone())
                .await
            {
                let name = record
                    .fields
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                facts
                    .service_names
                    .insert(record.id.clone(), name.to_string());
            }
        }
        facts.budget = Some(budget);
    }
    if wanted.plan {
        for record in
            every_record(store, Collection::Activities, "customer_id", customer_id).await?
        {
            let activity: ActivityInput = read(&record)?;
            facts.activities.push(ActivityFacts {
                id: record.id.clone(),
                title: activity.title,
                horizon: activity.horizon,
                starts_on: activity.starts_on,
                ends_on: activity.ends_on,
                open: matches!(
                    activity.status,
                    ActivityStatus::Planned | ActivityStatus::InProgress
                ),
            });
        }
        for record in
            every_record(store, Collection::Improvements, "customer_id", customer_id).await?
        {
            let improvement: ImprovementInput = read(&record)?;
            facts.improvements.push(ImprovementFacts {
                id: record.id.clone(),
                description: improvement.description,
                open: matches!(
                    improvement.status,
                    ImprovementStatus::Proposed | ImprovementStatus::InProgress
                ),
            });
        }
    }
    let now = Timestamp::now();
    for record in every_record(store, Collection::Meetings, "customer_id", customer_id).await? {
        let meeting: MeetingInput = read(&record)?;
        if meeting.starts_at <= now {
            facts.meetings.push(HeldMeeting {
                id: record.id.clone(),
                kind: meeting.kind,
                starts_at: meeting.starts_at,
                actions: meeting.actions,
            });
        }
    }
    Ok(facts)
}

/// The customer's RFCs; with `closings`, when each closed one closed.
async fn rfcs(store: &dyn Store, customer_id: &str, closings: bool) -> ApiResult<Vec<RfcFacts>> {
    let mut facts = Vec::new();
    for record in every_record(store, Collection::Rfcs, "customer_id", customer_id).await? {
        let rfc: Rfc = serde_json::from_value(record.to_json())
            .map_err(|error| unreadable(&record, &error.to_string()))?;
        let closed_at = if closings && rfc.status == RfcStatus::Closed {
            closing(store, &record).await?
        } else {
            None
        };
        facts.push(RfcFacts {
            id: record.id.clone(),
            title: rfc.fields.title,
            status: rfc.status,
            route: rfc.route,
            created_at: record.created_at,
            closed_at,
        });
    }
    Ok(facts)
}

/// When RFC `record` last moved to `closed`.
async fn closing(store: &dyn Store, record: &StoredRecord) -> ApiResult<Option<Timestamp>> {
    let mut closed = None;
    for step in every_record(store, Collection::RfcTransitions, "rfc_id", &record.id).await? {
        let step: RfcTransition = serde_json::from_value(step.to_json())
            .map_err(|error| unreadable(&step, &error.to_string()))?;
        if step.fields.to == RfcStatus::Closed {
            closed = closed.max(Some(step.fields.when));
        }
    }
    Ok(closed)
}

/// One item of the satisfaction view, as the facts hold it.
fn survey_score(item: &Value) -> SurveyScore {
    let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default();
    SurveyScore {
        survey_id: text("survey_id").to_string(),
        title: text("title").to_string(),
        period_end: parse_date(text("period_end")),
        mean: item.get("mean").and_then(Value::as_f64),
        nps: item.get("nps").and_then(Value::as_f64),
        responses: item.get("responses").and_then(Value::as_i64).unwrap_or(0),
    }
}
