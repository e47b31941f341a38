//! `rapport export statement CUSTOMER_CODE --year YYYY [--month YYYY-MM]
//! [--format markdown|csv]`: what a purchaser reads to understand the bill.

use clap::{Args, ValueEnum};

use super::{CliError, Output, Report};
use crate::api::ApiClient;

/// The statement's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum StatementFormat {
    #[default]
    Markdown,
    Csv,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct StatementArgs {
    /// The customer's code (e.g. TAX).
    pub customer: String,
    /// The budget year.
    #[arg(long)]
    pub year: i32,
    /// Only the charges of this month (YYYY-MM, in the year).
    #[arg(long)]
    pub month: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: StatementFormat,
    #[command(flatten)]
    pub output: Output,
}

/// Builds the statement.
pub async fn run(_api: &ApiClient, _args: &StatementArgs) -> Result<Report, CliError> {
    Err(CliError::Failed(
        "rapport export statement is being built".into(),
    ))
}
