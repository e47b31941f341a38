//! `:export csv|json [FILE]` on the app's side: the palette's argument
//! read, the current screen's view and columns handed to the runtime as
//! [`Command::Export`], its progress and its end told in the status line.
//! The pages and the file are the runtime's (`crate::export::run`), so
//! drawing never waits for them.

use std::path::PathBuf;

use super::{App, Command, Purpose};
use crate::export::{ExportError, ExportJob, ExportTable};
use crate::remote::RequestId;
use crate::strings;

/// The export under way: its request and the file it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Exporting {
    pub request: RequestId,
    pub path: PathBuf,
}

impl App {
    /// `:export` (`replace`: `:export!`) with the rest of the line.
    pub(super) fn export(&mut self, argument: &str, replace: bool) -> Vec<Command> {
        let asked = match crate::export::parse(argument, replace) {
            Ok(asked) => asked,
            Err(error) => {
                self.say(error, true);
                return Vec::new();
            }
        };
        if self.exporting.is_some() {
            self.say(strings::EXPORT_RUNNING, true);
            return Vec::new();
        }
        let screen = self.screens.get(self.tab);
        let (Some(query), Some(board)) = (screen.export_query(), screen.board()) else {
            self.say(strings::EXPORT_NOT_HERE, true);
            return Vec::new();
        };
        let path = asked.path.unwrap_or_else(|| {
            let today = jiff::Timestamp::now().to_zoned(self.zone.clone()).date();
            crate::export::default_path(self.tab.entry().name, today, asked.format)
        });
        let table = ExportTable {
            columns: board.columns().map(|(_, column)| *column).collect(),
            sort: board
                .sort
                .and_then(|(at, down)| board.spec.columns.get(at).map(|c| (*c, down))),
            lookup: self.lookup.clone(),
        };
        let job = ExportJob {
            collection: board.spec.collection,
            query,
            only: board.only.clone(),
            format: asked.format,
            path: path.clone(),
            replace: asked.replace,
            table,
        };
        let command = self.request(Purpose::Export, |request| Command::Export {
            request,
            job: Box::new(job),
        });
        if let Some(request) = command.request() {
            self.exporting = Some(Exporting {
                request,
                path: path.clone(),
            });
        }
        self.say(strings::exporting(0, &path), false);
        vec![command]
    }

    /// The export has read `rows` rows so far.
    pub(super) fn export_progress(&mut self, request: RequestId, rows: usize) {
        if let Some(exporting) = self.exporting.as_ref().filter(|e| e.request == request) {
            let said = strings::exporting(rows, &exporting.path);
            self.say(said, false);
        }
    }

    /// The export's end.
    pub(super) fn exported(&mut self, result: Result<usize, ExportError>) {
        let Some(exporting) = self.exporting.take() else {
            return;
        };
        match result {
            Ok(rows) => self.say(strings::exported(rows, &exporting.path), false),
            Err(error) => self.say(error.to_string(), true),
        }
    }
}
