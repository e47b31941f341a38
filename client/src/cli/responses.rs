//! `rapport import responses FILE.csv --survey ID [--all-or-nothing]`:
//! survey responses collected outside rapport.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Output, Report};
use crate::api::ApiClient;

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ResponsesArgs {
    /// The CSV file to read.
    pub file: PathBuf,
    /// The survey the responses answer.
    #[arg(long)]
    pub survey: String,
    /// Import nothing if any row is refused.
    #[arg(long)]
    pub all_or_nothing: bool,
    #[command(flatten)]
    pub output: Output,
}

/// Imports the file.
pub async fn run(_api: &ApiClient, _args: &ResponsesArgs) -> Result<Report, CliError> {
    Err(CliError::Failed(
        "rapport import responses is being built".into(),
    ))
}
