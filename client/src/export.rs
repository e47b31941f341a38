//! `:export csv|json [FILE]`: the current list screen's view written to a
//! file — every page the server has for the view's filters, search and
//! sort, not only the rows loaded. [`parse`] reads the palette's argument
//! (no I/O, so the app may call it); [`run`] is what the runtime does with
//! the resulting [`Command::Export`](crate::messages::Command::Export):
//! it follows the cursor to the end, telling the app how far it got, then
//! renders and writes the file in a blocking task.
//!
//! CSV holds the columns the screen shows, titled as on screen, each cell
//! the text the table draws (names and codes resolved through the lookup,
//! the RFC queue's Age as the creation time), every cell guarded against
//! spreadsheet formulas by [`crate::cli::csv_cell`]. JSON is an array of
//! the records as the API gave them. An existing file is never replaced
//! silently: `:export` refuses it, `:export!` replaces it (as vim's `:w!`).

use std::path::{Path, PathBuf};

use rapport_shared::Collection;

use crate::api::{ApiClient, ApiError, ListQuery, Record, record_id};
use crate::components::board::Column;
use crate::lookup::Lookup;
use crate::strings;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// The palette's `export` argument, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// `None`: the default name in the current directory ([`default_path`]).
    pub path: Option<PathBuf>,
    /// `:export!`: an existing file is replaced.
    pub replace: bool,
}

/// Reads `csv|json [FILE]` (the rest of the line is the file name, spaces
/// and all); `replace` is the `!` of `:export!`. The error is the status
/// line's sentence.
pub fn parse(argument: &str, replace: bool) -> Result<ExportRequest, String> {
    let argument = argument.trim();
    let (format, path) = match argument.split_once(char::is_whitespace) {
        Some((format, path)) => (format, path.trim()),
        None => (argument, ""),
    };
    let format = match format.to_lowercase().as_str() {
        "csv" => ExportFormat::Csv,
        "json" => ExportFormat::Json,
        "" => return Err(strings::EXPORT_USAGE.to_string()),
        other => return Err(strings::export_unknown_format(other)),
    };
    let path = (!path.is_empty()).then(|| PathBuf::from(path));
    Ok(ExportRequest {
        format,
        path,
        replace,
    })
}

/// The file written when the command names none: the screen's palette
/// name and the date, in the current directory (`rfcs-2026-12-04.csv`).
pub fn default_path(screen: &str, date: jiff::civil::Date, format: ExportFormat) -> PathBuf {
    PathBuf::from(format!(
        "{screen}-{}.{}",
        date.strftime("%Y-%m-%d"),
        format.extension()
    ))
}

/// The columns a CSV export writes and how its rows are ordered: what the
/// screen showed when the export was asked for.
#[derive(Clone)]
pub struct ExportTable {
    pub columns: Vec<Column>,
    /// The board's client-side sort: the column and whether descending.
    pub sort: Option<(Column, bool)>,
    /// The labels the cells name records by, as known when asked.
    pub lookup: Lookup,
}

impl std::fmt::Debug for ExportTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.columns.iter().map(|c| c.key).collect();
        f.debug_struct("ExportTable")
            .field("columns", &keys)
            .field("sort", &self.sort.map(|(c, down)| (c.key, down)))
            .finish_non_exhaustive()
    }
}

impl PartialEq for ExportTable {
    fn eq(&self, other: &ExportTable) -> bool {
        let keys = |t: &ExportTable| t.columns.iter().map(|c| c.key).collect::<Vec<_>>();
        let sort = |t: &ExportTable| t.sort.map(|(c, down)| (c.key, down));
        keys(self) == keys(other) && sort(self) == sort(other)
    }
}

/// Everything the runtime needs to write one export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJob {
    pub collection: Collection,
    /// The view's first page (filters, search, server sort); the cursor
    /// is followed from there.
    pub query: ListQuery,
    /// The records a board opened on some records shows (others are left out).
    pub only: Option<Vec<String>>,
    pub format: ExportFormat,
    pub path: PathBuf,
    pub replace: bool,
    pub table: ExportTable,
}

/// Why an export wrote nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// The file is there and `:export!` was not used.
    Exists(PathBuf),
    /// The file could not be written (the reason as the system says it).
    Write(PathBuf, String),
    /// A page could not be read.
    Api(ApiError),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Exists(path) => f.write_str(&strings::export_exists(path)),
            ExportError::Write(path, reason) => {
                f.write_str(&strings::export_cannot_write(path, reason))
            }
            ExportError::Api(error) => f.write_str(&strings::export_failed(error)),
        }
    }
}

/// Reads every page of `job`'s view (calling `progress` with the rows read
/// so far after each page) and writes the file; the rows written.
pub async fn run(
    api: &ApiClient,
    job: ExportJob,
    progress: impl Fn(usize),
) -> Result<usize, ExportError> {
    // A file in the way is said before the pages are read, not after.
    let (path, replace) = (job.path.clone(), job.replace);
    blocking(&job.path, move || refuse_existing(&path, replace)).await?;
    let mut records: Vec<Record> = Vec::new();
    let mut query = ListQuery {
        limit: rapport_shared::wire::MAX_PAGE_LIMIT,
        cursor: None,
        ..job.query.clone()
    };
    loop {
        let page = api
            .list(job.collection, &query)
            .await
            .map_err(ExportError::Api)?;
        records.extend(page.items);
        progress(records.len());
        match page.next_cursor {
            Some(cursor) if query.cursor.as_ref() != Some(&cursor) => query.cursor = Some(cursor),
            _ => break,
        }
    }
    let path = job.path.clone();
    blocking(&path, move || write(&job, records)).await
}

/// Runs `work` on `path` on the blocking pool (a file is written there,
/// never on an async worker).
async fn blocking<T: Send + 'static>(
    path: &Path,
    work: impl FnOnce() -> Result<T, ExportError> + Send + 'static,
) -> Result<T, ExportError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|error| Err(ExportError::Write(path.to_path_buf(), error.to_string())))
}

/// An existing file, unless it may be replaced.
fn refuse_existing(path: &Path, replace: bool) -> Result<(), ExportError> {
    if !replace && path.exists() {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// Renders `records` as `job` asks and writes them; the rows written.
fn write(job: &ExportJob, records: Vec<Record>) -> Result<usize, ExportError> {
    let records: Vec<Record> = match &job.only {
        Some(ids) => records
            .into_iter()
            .filter(|r| ids.iter().any(|id| id == record_id(r)))
            .collect(),
        None => records,
    };
    let cannot = |reason: String| ExportError::Write(job.path.clone(), reason);
    let bytes = render(job.format, &job.table, &records).map_err(cannot)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if job.replace {
        options.create(true).truncate(true);
    } else {
        // Created here and only here: a file that appeared meanwhile is
        // still not replaced.
        options.create_new(true);
    }
    let written = options.open(&job.path).and_then(|mut file| {
        use std::io::Write;
        file.write_all(&bytes)?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(records.len()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(ExportError::Exists(job.path.clone()))
        }
        Err(error) => Err(cannot(error.to_string())),
    }
}

/// The file's bytes: CSV rows of the table's columns, or the records as JSON.
pub fn render(
    format: ExportFormat,
    table: &ExportTable,
    records: &[Record],
) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Json => serde_json::to_vec_pretty(records).map_err(|error| error.to_string()),
        ExportFormat::Csv => csv_rows(table, records),
    }
}

fn csv_rows(table: &ExportTable, records: &[Record]) -> Result<Vec<u8>, String> {
    let mut order: Vec<usize> = (0..records.len()).collect();
    if let Some((column, descending)) = &table.sort {
        crate::components::board::sort_order(
            &mut order,
            records,
            column,
            *descending,
            &table.lookup,
        );
    }
    let failed = |error: csv::Error| error.to_string();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let titles: Vec<String> = table
        .columns
        .iter()
        .map(|c| crate::cli::csv_cell(c.title))
        .collect();
    writer.write_record(&titles).map_err(failed)?;
    for record in order.iter().filter_map(|at| records.get(*at)) {
        let cells: Vec<String> = table
            .columns
            .iter()
            .map(|c| crate::cli::csv_cell(&c.value(record, &table.lookup)))
            .collect();
        writer.write_record(&cells).map_err(failed)?;
    }
    writer.into_inner().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_format_and_the_file() {
        assert_eq!(
            parse("csv", false),
            Ok(ExportRequest {
                format: ExportFormat::Csv,
                path: None,
                replace: false,
            })
        );
        assert_eq!(
            parse(" JSON  my rfcs.json ", true),
            Ok(ExportRequest {
                format: ExportFormat::Json,
                path: Some(PathBuf::from("my rfcs.json")),
                replace: true,
            })
        );
        assert_eq!(
            parse("xml out.xml", false),
            Err("Unknown format \"xml\": use csv or json.".to_string())
        );
        assert_eq!(parse("", false), Err(strings::EXPORT_USAGE.to_string()));
    }

    #[test]
    fn the_default_file_is_named_after_the_screen_and_the_day() {
        let date = jiff::civil::date(2026, 12, 4);
        assert_eq!(
            default_path("rfcs", date, ExportFormat::Csv),
            PathBuf::from("rfcs-2026-12-04.csv")
        );
    }

    #[test]
    fn csv_has_the_columns_shown_and_guards_formulas() {
        let table = ExportTable {
            columns: vec![
                Column::field("code", "Code", ratatui::layout::Constraint::Length(4)),
                Column::name_of(
                    "team",
                    "Team",
                    ratatui::layout::Constraint::Length(4),
                    "team_id",
                ),
            ],
            sort: Some((
                Column::field("code", "Code", ratatui::layout::Constraint::Length(4)),
                true,
            )),
            lookup: {
                let mut lookup = Lookup::default();
                lookup.remember("t1", "Blue team");
                lookup
            },
        };
        let record = |code: &str| {
            let value = serde_json::json!({"id": code, "code": code, "team_id": "t1"});
            value.as_object().cloned().unwrap_or_default()
        };
        let records = [record("=CMD()"), record("ABC")];
        let csv = render(ExportFormat::Csv, &table, &records).expect("renders");
        assert_eq!(
            String::from_utf8_lossy(&csv),
            "Code,Team\nABC,Blue team\n'=CMD(),Blue team\n"
        );
        let json = render(ExportFormat::Json, &table, &records).expect("renders");
        let back: Vec<Record> = serde_json::from_slice(&json).expect("json");
        assert_eq!(back, records);
    }
}
