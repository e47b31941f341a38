//! The one-shot commands: `rapport export …` and `rapport import …`. Each
//! talks to the same server as the TUI (the same `--server`, `--token`,
//! `--profile`, or the local database), writes its report to stdout or
//! `--output FILE`, its errors to stderr naming what is wrong, and exits 0
//! only on success.
//!
//! A command is a value of [`Command`]; [`execute`] runs it against an
//! [`ApiClient`] and returns the [`Report`] to deliver, so tests run the
//! commands against a real server without a process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::api::{ApiClient, ApiError};

pub mod health;
pub mod meeting;
pub mod responses;
pub mod statement;
pub mod survey;
pub mod week;

/// A command given after `rapport`.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Write a report (a customer's statement, a survey's results, a
    /// meeting or a period's meetings).
    #[command(subcommand)]
    Export(Export),
    /// Read records from a file.
    #[command(subcommand)]
    Import(Import),
    /// Your days ahead: meetings, reviews, milestones, notices and actions
    /// due, by day, and the customers whose health changed.
    Agenda(week::AgendaArgs),
}

/// What `rapport export` writes.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Export {
    /// A customer's statement: planned against charged, the charges line
    /// by line, totals per program and the agreements' attainment.
    Statement(statement::StatementArgs),
    /// A survey's results, for every customer or one.
    Survey(survey::SurveyArgs),
    /// A meeting for the customer (Markdown) or the attendees' calendars
    /// (iCalendar).
    Meeting(meeting::MeetingArgs),
    /// The meetings of a period, as one iCalendar file.
    Meetings(meeting::MeetingsArgs),
    /// The customers' health in one table, worst first.
    Health(health::HealthArgs),
}

/// What `rapport import` reads.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Import {
    /// Survey responses from a CSV file.
    Responses(responses::ResponsesArgs),
}

/// Where a report goes: `--output FILE`, else stdout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct Output {
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What a command produced: the report's text and, for the user, a line
/// on stderr (an import's summary, say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub text: String,
    pub summary: Option<String>,
}

/// Why a command failed. `Usage` is a mistake in what was asked (an
/// unknown customer, a bad period) and exits 2; the others exit 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Api(_) | CliError::Failed(_) => ExitCode::FAILURE,
        }
    }
}

impl Command {
    /// Where this command's report goes.
    pub fn output(&self) -> Option<&Path> {
        let output = match self {
            Command::Export(Export::Statement(args)) => &args.output,
            Command::Export(Export::Survey(args)) => &args.output,
            Command::Export(Export::Meeting(args)) => &args.output,
            Command::Export(Export::Meetings(args)) => &args.output,
            Command::Export(Export::Health(args)) => &args.output,
            Command::Agenda(args) => &args.output,
            Command::Import(Import::Responses(args)) => &args.output,
        };
        output.output.as_deref()
    }
}

/// Runs `command` against the server behind `api`.
pub async fn execute(api: &ApiClient, command: &Command) -> Result<Report, CliError> {
    match command {
        Command::Export(Export::Statement(args)) => statement::run(api, args).await,
        Command::Export(Export::Survey(args)) => survey::run(api, args).await,
        Command::Export(Export::Meeting(args)) => meeting::run_one(api, args).await,
        Command::Export(Export::Meetings(args)) => meeting::run_period(api, args).await,
        Command::Export(Export::Health(args)) => health::run(api, args).await,
        Command::Agenda(args) => week::run(api, args).await,
        Command::Import(Import::Responses(args)) => responses::run(api, args).await,
    }
}

/// Writes `report` to `output` (or stdout) and its summary to stderr.
pub fn deliver(report: &Report, output: Option<&Path>) -> Result<(), CliError> {
    match output {
        Some(path) => std::fs::write(path, &report.text).map_err(|error| {
            CliError::Failed(format!("cannot write {}: {error}", path.display()))
        })?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(report.text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|error| CliError::Failed(format!("cannot write the report: {error}")))?;
        }
    }
    if let Some(summary) = &report.summary {
        eprintln!("{summary}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::config::Cli;

    #[test]
    fn server_flags_are_read_after_the_command_too() {
        let cli = Cli::try_parse_from([
            "rapport",
            "export",
            "statement",
            "TAX",
            "--year",
            "2026",
            "--server",
            "http://x",
            "--output",
            "s.md",
        ])
        .expect("parses");
        assert_eq!(cli.server.as_deref(), Some("http://x"));
        let command = cli.command.expect("a command");
        assert_eq!(command.output(), Some(Path::new("s.md")));
    }
}
