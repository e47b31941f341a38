//! What a survey's responses add up to: the body of
//! `GET /api/v1/surveys/{id}/results` ([`SurveyResults`] with its
//! [`QuestionResult`]s, [`CustomerResult`]s and [`ServiceResult`]s), the
//! answers of one response as read ([`Answered`]) and the arithmetic
//! ([`results`], [`Tally`]). Figures are exact: a mean is rounded to two
//! decimals from the exact quotient, and so is the net promoter score
//! (percentage of 9-10 answers minus percentage of 0-6 answers); where
//! nothing was answered they are null, never a division by zero.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::records::{QuestionKind, SurveyInput};

#[cfg(test)]
mod tests;

/// A survey's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SurveyResults {
    /// Responses from contacts of the audience.
    pub responses: u64,
    /// Contacts of the audience customers.
    pub invited: u64,
    /// `responses / invited`, a fraction from 0 to 1 to four decimals;
    /// null when nobody is invited.
    pub response_rate: Option<f64>,
    /// One per question, in the survey's order.
    pub questions: Vec<QuestionResult>,
    /// One per audience customer, in the audience's order.
    pub customers: Vec<CustomerResult>,
    /// One per service a question is about, in the order first asked.
    pub services: Vec<ServiceResult>,
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionResult {
    pub id: String,
    pub kind: QuestionKind,
    /// How many answered it.
    pub count: u64,
    /// Mean of the answers of a scale5 question; null otherwise.
    pub mean: Option<f64>,
    /// How many gave each value of the scale, every value present
    /// (1..5, or 0..10); empty for a text question.
    pub distribution: BTreeMap<String, u64>,
    /// Net promoter score of an nps question; null otherwise.
    pub nps: Option<f64>,
}

/// One audience customer's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerResult {
    pub customer_id: String,
    /// Contacts of the customer (asked).
    pub invited: u64,
    pub responses: u64,
    /// Mean of every scale5 answer of the customer's contacts.
    pub mean: Option<f64>,
    /// Net promoter score of their nps answers.
    pub nps: Option<f64>,
}

/// The answers to the questions about one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceResult {
    pub service_id: String,
    /// Scored answers to its questions.
    pub count: u64,
    pub mean: Option<f64>,
    pub nps: Option<f64>,
}

/// One response as the arithmetic reads it.
#[derive(Debug, Clone, Copy)]
pub struct Answered<'a> {
    /// The customer of the contact who answered.
    pub customer_id: &'a str,
    pub answers: &'a Map<String, Value>,
}

/// Scored answers counted up: scale5 answers for the mean, nps answers for
/// the score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub scale_sum: i64,
    pub scale_count: i64,
    /// nps answers of 9 or 10.
    pub promoters: i64,
    /// nps answers of 7 or 8.
    pub passives: i64,
    /// nps answers of 0 to 6.
    pub detractors: i64,
}

impl Tally {
    /// Counts one answer of a question of `kind` (text is not counted).
    pub fn add(&mut self, kind: QuestionKind, value: i64) {
        match kind {
            QuestionKind::Scale5 => {
                self.scale_sum += value;
                self.scale_count += 1;
            }
            QuestionKind::Nps if value >= 9 => self.promoters += 1,
            QuestionKind::Nps if value >= 7 => self.passives += 1,
            QuestionKind::Nps => self.detractors += 1,
            QuestionKind::Text => {}
        }
    }

    /// Scored answers counted.
    pub fn count(&self) -> i64 {
        self.scale_count + self.promoters + self.passives + self.detractors
    }

    /// The mean of the scale5 answers, to two decimals; null without any.
    pub fn mean(&self) -> Option<f64> {
        (self.scale_count > 0).then(|| hundredths(self.scale_sum * 100, self.scale_count))
    }

    /// The net promoter score, to two decimals; null without nps answers.
    pub fn nps(&self) -> Option<f64> {
        let answers = self.promoters + self.passives + self.detractors;
        (answers > 0).then(|| hundredths((self.promoters - self.detractors) * 10_000, answers))
    }
}

/// `numerator / denominator / 100` rounded to hundredths, halves away from
/// zero, computed on whole numbers so that 2/3 is 0.67 and 1/8 is 0.13.
/// `denominator` is positive.
fn hundredths(numerator: i64, denominator: i64) -> f64 {
    let half = if numerator < 0 {
        -denominator
    } else {
        denominator
    };
    let rounded = (2 * numerator + half) / (2 * denominator);
    rounded as f64 / 100.0
}

/// The value of a scored answer, if it is one.
fn score(value: &Value) -> Option<i64> {
    value.as_i64()
}

/// A survey's results from its responses; `invited` is how many contacts
/// each audience customer has. Responses from customers outside the
/// audience are left out (their contact was not asked).
pub fn results(
    survey: &SurveyInput,
    invited: &BTreeMap<String, u64>,
    responses: &[Answered<'_>],
) -> SurveyResults {
    let audience: Vec<&str> = survey.customer_ids.iter().map(String::as_str).collect();
    let counted: Vec<&Answered<'_>> = responses
        .iter()
        .filter(|r| audience.contains(&r.customer_id))
        .collect();
    let questions = survey
        .questions
        .iter()
        .map(|question| {
            let mut tally = Tally::default();
            let mut distribution = BTreeMap::new();
            if let Some(scale) = question.kind.scale() {
                for value in scale {
                    distribution.insert(value.to_string(), 0);
                }
            }
            let mut count = 0;
            for answered in &counted {
                let Some(value) = answered.answers.get(&question.id) else {
                    continue;
                };
                if question.kind == QuestionKind::Text {
                    count += u64::from(value.is_string());
                } else if let Some(value) = score(value)
                    && let Some(slot) = distribution.get_mut(&value.to_string())
                {
                    *slot += 1;
                    count += 1;
                    tally.add(question.kind, value);
                }
            }
            QuestionResult {
                id: question.id.clone(),
                kind: question.kind,
                count,
                mean: tally.mean(),
                distribution,
                nps: tally.nps(),
            }
        })
        .collect();
    let customers = audience
        .iter()
        .map(|customer_id| {
            let theirs: Vec<&Answered<'_>> = counted
                .iter()
                .copied()
                .filter(|r| r.customer_id == *customer_id)
                .collect();
            let tally = tally_of(survey, &theirs, |_| true);
            CustomerResult {
                customer_id: customer_id.to_string(),
                invited: invited.get(*customer_id).copied().unwrap_or(0),
                responses: theirs.len() as u64,
                mean: tally.mean(),
                nps: tally.nps(),
            }
        })
        .collect();
    let mut service_ids: Vec<&str> = Vec::new();
    for question in &survey.questions {
        if let Some(id) = question.service_id.as_deref()
            && !service_ids.contains(&id)
        {
            service_ids.push(id);
        }
    }
    let services = service_ids
        .into_iter()
        .map(|service_id| {
            let tally = tally_of(survey, &counted, |q| {
                q.service_id.as_deref() == Some(service_id)
            });
            ServiceResult {
                service_id: service_id.to_string(),
                count: tally.count() as u64,
                mean: tally.mean(),
                nps: tally.nps(),
            }
        })
        .collect();
    let invited_total: u64 = audience
        .iter()
        .map(|c| invited.get(*c).copied().unwrap_or(0))
        .sum();
    let responses = counted.len() as u64;
    SurveyResults {
        responses,
        invited: invited_total,
        response_rate: (invited_total > 0).then(|| {
            let ten_thousandths = (responses * 20_000 + invited_total) / (2 * invited_total);
            ten_thousandths as f64 / 10_000.0
        }),
        questions,
        customers,
        services,
    }
}

/// The scored answers of `responses` to the questions `asked` picks.
pub fn tally_of(
    survey: &SurveyInput,
    responses: &[&Answered<'_>],
    asked: impl Fn(&crate::records::Question) -> bool,
) -> Tally {
    let mut tally = Tally::default();
    for question in survey.questions.iter().filter(|q| asked(q)) {
        let Some(scale) = question.kind.scale() else {
            continue;
        };
        for answered in responses {
            if let Some(value) = answered.answers.get(&question.id).and_then(score)
                && scale.contains(&value)
            {
                tally.add(question.kind, value);
            }
        }
    }
    tally
}
