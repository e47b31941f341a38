//! `rapport export survey ID [--customer CODE] [--format csv|markdown]`:
//! a survey's results as a report a customer can be handed: responses
//! against invited, per question its answers, mean, NPS and distribution,
//! per customer and per service, and the comments.
//!
//! Without `--customer` the figures are the server's
//! (`GET /surveys/{id}/results`). With it, only that customer's responses
//! count: the figures come from the same shared arithmetic
//! ([`rapport_shared::satisfaction::results`]) over the survey narrowed to
//! that customer, so they agree with the server's to the last decimal, and
//! only that customer's comments are shown.

use std::collections::{BTreeMap, HashMap};

use clap::{Args, ValueEnum};
use rapport_shared::Collection;
use rapport_shared::records::{RecordInput, SurveyInput};
use rapport_shared::satisfaction::{Answered, SurveyResults, results};
use serde_json::{Map, Value};

use super::{CliError, Output, Report};
use crate::api::survey_data::SurveyPart;
use crate::api::{ApiClient, ApiError, Record, record_id, text, without_controls};

/// The report's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum SurveyFormat {
    #[default]
    Csv,
    Markdown,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct SurveyArgs {
    /// The survey's id.
    pub survey: String,
    /// Only this customer's answers (its code).
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: SurveyFormat,
    #[command(flatten)]
    pub output: Output,
}

/// Everything the report shows, names resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyReport {
    pub survey: SurveyInput,
    /// The customer it is narrowed to: code and name.
    pub customer: Option<(String, String)>,
    pub results: SurveyResults,
    /// Customer id to `CODE Name`.
    pub customers: HashMap<String, String>,
    /// Customer id to its code.
    pub codes: HashMap<String, String>,
    /// Service id to name.
    pub services: HashMap<String, String>,
    /// Question id, text, customer label, contact name; newest first.
    pub comments: Vec<(String, String, String, String)>,
}

/// Builds the report.
pub async fn run(api: &ApiClient, args: &SurveyArgs) -> Result<Report, CliError> {
    let report = gather(api, args).await?;
    let text = match args.format {
        SurveyFormat::Markdown => markdown(&report),
        SurveyFormat::Csv => csv(&report)?,
    };
    Ok(Report {
        text,
        summary: None,
    })
}

/// Every record of `collection` matching `filters`.
async fn every(
    api: &ApiClient,
    collection: Collection,
    filters: &[(&str, &str)],
) -> Result<Vec<Record>, CliError> {
    Ok(api.list_all(collection, filters).await?)
}

/// Reads what the report shows.
pub async fn gather(api: &ApiClient, args: &SurveyArgs) -> Result<SurveyReport, CliError> {
    let record = match api.get(Collection::Surveys, &args.survey).await {
        Ok(record) => record,
        Err(ApiError::Problem(problem)) if problem.status == 404 => {
            return Err(CliError::Usage(format!(
                "no survey has the id {}",
                args.survey
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let mut survey = SurveyInput::from_json(&record).map_err(|errors| {
        CliError::Failed(format!(
            "the survey {} does not read back: {errors}",
            args.survey
        ))
    })?;
    let customer_records = every(api, Collection::Customers, &[]).await?;
    let customers: HashMap<String, String> = customer_records
        .iter()
        .map(|c| {
            let label = format!("{} {}", text(c, "code"), text(c, "name"));
            (record_id(c).to_string(), without_controls(&label))
        })
        .collect();
    let codes: HashMap<String, String> = customer_records
        .iter()
        .map(|c| (record_id(c).to_string(), without_controls(text(c, "code"))))
        .collect();
    let services: HashMap<String, String> = every(api, Collection::Services, &[])
        .await?
        .iter()
        .map(|s| (record_id(s).to_string(), without_controls(text(s, "name"))))
        .collect();
    let narrowed = match &args.customer {
        None => None,
        Some(code) => {
            let customer = customer_records
                .iter()
                .find(|c| text(c, "code").eq_ignore_ascii_case(code))
                .ok_or_else(|| CliError::Usage(format!("no customer has the code {code}")))?;
            let id = record_id(customer).to_string();
            if !survey.customer_ids.contains(&id) {
                return Err(CliError::Usage(format!(
                    "the survey \"{}\" did not ask {}",
                    survey.title,
                    text(customer, "code")
                )));
            }
            Some((id, customer.clone()))
        }
    };
    let results = match &narrowed {
        None => {
            let value = api.survey_part(&args.survey, SurveyPart::Results).await?;
            serde_json::from_value::<SurveyResults>(value)
                .map_err(|error| CliError::Api(ApiError::Protocol(error.to_string())))?
        }
        Some((id, _)) => {
            survey.customer_ids = vec![id.clone()];
            let contacts = every(api, Collection::Contacts, &[("customer_id", id)]).await?;
            let invited = BTreeMap::from([(id.clone(), contacts.len() as u64)]);
            let responses = api.survey_responses(&args.survey).await?;
            let empty = Map::new();
            let answered: Vec<Answered<'_>> = responses
                .iter()
                .map(|r| Answered {
                    customer_id: text(r, "customer_id"),
                    answers: r
                        .get("answers")
                        .and_then(Value::as_object)
                        .unwrap_or(&empty),
                })
                .collect();
            results(&survey, &invited, &answered)
        }
    };
    let contact_names: HashMap<String, String> = {
        let mut names = HashMap::new();
        for customer_id in &survey.customer_ids {
            for contact in every(api, Collection::Contacts, &[("customer_id", customer_id)]).await?
            {
                names.insert(
                    record_id(&contact).to_string(),
                    without_controls(text(&contact, "name")),
                );
            }
        }
        names
    };
    let comments_value = api.survey_part(&args.survey, SurveyPart::Comments).await?;
    let comments = comments_value
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|item| {
            survey
                .customer_ids
                .iter()
                .any(|id| Some(id.as_str()) == item.get("customer_id").and_then(Value::as_str))
        })
        .map(|item| {
            let field = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or("");
            (
                field("question_id").to_string(),
                without_controls(field("text")),
                customers
                    .get(field("customer_id"))
                    .cloned()
                    .unwrap_or_default(),
                contact_names
                    .get(field("contact_id"))
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect();
    Ok(SurveyReport {
        customer: narrowed.map(|(_, c)| {
            (
                without_controls(text(&c, "code")),
                without_controls(text(&c, "name")),
            )
        }),
        survey,
        results,
        customers,
        codes,
        services,
        comments,
    })
}

/// A figure to two decimals, or `-` when nobody answered.
fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

fn rate(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

impl SurveyReport {
    fn question_text(&self, id: &str) -> String {
        self.survey
            .questions
            .iter()
            .find(|q| q.id == id)
            .map_or_else(|| id.to_string(), |q| without_controls(&q.text))
    }

    fn title(&self) -> String {
        let title = without_controls(&self.survey.title);
        match &self.customer {
            Some((code, name)) => format!("{title}: {name} ({code})"),
            None => title,
        }
    }

    fn period(&self) -> String {
        match (&self.survey.period_start, &self.survey.period_end) {
            (Some(start), Some(end)) => format!("{start} to {end}"),
            (Some(start), None) => format!("from {start}"),
            (None, Some(end)) => format!("until {end}"),
            (None, None) => "no period set".to_string(),
        }
    }
}

/// The report as markdown.
pub fn markdown(r: &SurveyReport) -> String {
    let mut out = Vec::new();
    out.push(format!("# Survey results: {}", cell(&r.title())));
    out.push(String::new());
    out.push(format!(
        "Period: {}. Status: {}. Responses: {} of {} invited ({}).",
        r.period(),
        r.survey.status.as_str(),
        r.results.responses,
        r.results.invited,
        rate(r.results.response_rate)
    ));
    out.push(String::new());
    out.push("## Questions".into());
    out.push(String::new());
    out.push("| Question | Kind | Answers | Mean | NPS | Distribution |".into());
    out.push("|---|---|---:|---:|---:|---|".into());
    for q in &r.results.questions {
        let mut distribution: Vec<(i64, u64)> = q
            .distribution
            .iter()
            .filter_map(|(value, count)| value.parse::<i64>().ok().map(|v| (v, *count)))
            .collect();
        distribution.sort();
        let distribution: Vec<String> = distribution
            .iter()
            .map(|(v, c)| format!("{v}: {c}"))
            .collect();
        out.push(format!(
            "| {} | {} | {} | {} | {} | {} |",
            cell(&r.question_text(&q.id)),
            q.kind.as_str(),
            q.count,
            figure(q.mean),
            figure(q.nps),
            if distribution.is_empty() {
                "-".to_string()
            } else {
                distribution.join(", ")
            },
        ));
    }
    if r.customer.is_none() {
        out.push(String::new());
        out.push("## Per customer".into());
        out.push(String::new());
        out.push("| Customer | Responses | Invited | Mean | NPS |".into());
        out.push("|---|---:|---:|---:|---:|".into());
        for c in &r.results.customers {
            out.push(format!(
                "| {} | {} | {} | {} | {} |",
                cell(
                    r.customers
                        .get(&c.customer_id)
                        .map_or(c.customer_id.as_str(), String::as_str)
                ),
                c.responses,
                c.invited,
                figure(c.mean),
                figure(c.nps),
            ));
        }
    }
    if !r.results.services.is_empty() {
        out.push(String::new());
        out.push("## Per service".into());
        out.push(String::new());
        out.push("| Service | Answers | Mean | NPS |".into());
        out.push("|---|---:|---:|---:|".into());
        for s in &r.results.services {
            out.push(format!(
                "| {} | {} | {} | {} |",
                cell(
                    r.services
                        .get(&s.service_id)
                        .map_or(s.service_id.as_str(), String::as_str)
                ),
                s.count,
                figure(s.mean),
                figure(s.nps),
            ));
        }
    }
    out.push(String::new());
    out.push("## Comments".into());
    out.push(String::new());
    if r.comments.is_empty() {
        out.push("No comments.".into());
    }
    for (question, text, customer, contact) in &r.comments {
        out.push(format!(
            "- {}: \"{}\" ({}, {})",
            cell(&r.question_text(question)),
            cell(text),
            cell(contact),
            cell(customer)
        ));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The report as one CSV table; `section` is `survey`, `question`,
/// `customer`, `service` or `comment`; `id` is the question's id or the
/// customer's code.
pub fn csv(r: &SurveyReport) -> Result<String, CliError> {
    let failed = |error: csv::Error| CliError::Failed(format!("cannot write the CSV: {error}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "section",
        "id",
        "name",
        "kind",
        "responses",
        "invited",
        "answers",
        "mean",
        "nps",
        "distribution",
        "text",
    ])
    .map_err(failed)?;
    let rate_text = r
        .results
        .response_rate
        .map(|v| format!("{v:.4}"))
        .unwrap_or_default();
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    w.write_record([
        "survey",
        "",
        &r.title(),
        r.survey.status.as_str(),
        &r.results.responses.to_string(),
        &r.results.invited.to_string(),
        "",
        "",
        "",
        "",
        &rate_text,
    ])
    .map_err(failed)?;
    for q in &r.results.questions {
        let mut distribution: Vec<(i64, u64)> = q
            .distribution
            .iter()
            .filter_map(|(value, count)| value.parse::<i64>().ok().map(|v| (v, *count)))
            .collect();
        distribution.sort();
        let distribution: Vec<String> = distribution
            .iter()
            .map(|(v, c)| format!("{v}:{c}"))
            .collect();
        w.write_record([
            "question",
            &q.id,
            &r.question_text(&q.id),
            q.kind.as_str(),
            "",
            "",
            &q.count.to_string(),
            &opt(q.mean),
            &opt(q.nps),
            &distribution.join(" "),
            "",
        ])
        .map_err(failed)?;
    }
    for c in &r.results.customers {
        w.write_record([
            "customer",
            r.codes.get(&c.customer_id).map_or("", String::as_str),
            r.customers.get(&c.customer_id).map_or("", String::as_str),
            "",
            &c.responses.to_string(),
            &c.invited.to_string(),
            "",
            &opt(c.mean),
            &opt(c.nps),
            "",
            "",
        ])
        .map_err(failed)?;
    }
    for s in &r.results.services {
        w.write_record([
            "service",
            "",
            r.services.get(&s.service_id).map_or("", String::as_str),
            "",
            "",
            "",
            &s.count.to_string(),
            &opt(s.mean),
            &opt(s.nps),
            "",
            "",
        ])
        .map_err(failed)?;
    }
    for (question, text, customer, contact) in &r.comments {
        let name = format!("{contact}, {customer}");
        w.write_record(["comment", question, &name, "", "", "", "", "", "", "", text])
            .map_err(failed)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|error| CliError::Failed(format!("cannot write the CSV: {error}")))?;
    super::csv_guarded(bytes)
}
