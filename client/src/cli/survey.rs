//! `rapport export survey ID [--customer CODE] [--format csv|markdown]`:
//! a survey's results.

use clap::{Args, ValueEnum};

use super::{CliError, Output, Report};
use crate::api::ApiClient;

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

/// Builds the report.
pub async fn run(_api: &ApiClient, _args: &SurveyArgs) -> Result<Report, CliError> {
    Err(CliError::Failed(
        "rapport export survey is being built".into(),
    ))
}
