//! `rapportd backup PATH` and `rapportd restore PATH`: the commands around
//! [`crate::store::sqlite::backup`], with a progress bar on stderr (drawn
//! only on a terminal) and one summary line.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::store::sqlite::backup::{self, BackupError, Progress};

/// A progress bar counting pages; hidden when stderr is not a terminal.
fn bar(verb: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} pages ({eta})")
        .map(|style| style.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(verb);
    bar
}

fn show(bar: &ProgressBar) -> impl FnMut(Progress) + '_ {
    move |progress| {
        bar.set_length(progress.total);
        bar.set_position(progress.copied);
    }
}

/// Copies the database at `db` to `to` while servers may be writing to it.
/// Blocking.
pub fn run_backup(db: &Path, to: &Path) -> Result<(), BackupError> {
    let bar = bar("backing up");
    let pages = backup::backup(db, to, show(&bar));
    bar.finish_and_clear();
    let pages = pages?;
    eprintln!(
        "backed up {} to {} ({pages} pages, integrity ok)",
        db.display(),
        to.display()
    );
    Ok(())
}

/// Replaces the database at `db` with the backup at `from`, unless a
/// server or another command has it open. Blocking.
pub fn run_restore(from: &Path, db: &Path) -> Result<(), BackupError> {
    let bar = bar("restoring");
    let pages = backup::restore(from, db, show(&bar));
    bar.finish_and_clear();
    let pages = pages?;
    eprintln!(
        "restored {} from {} ({pages} pages, integrity ok)",
        db.display(),
        from.display()
    );
    Ok(())
}
