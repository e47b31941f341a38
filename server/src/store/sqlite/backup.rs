//! Backups and restores of a SQLite database: `rapportd backup` and
//! `rapportd restore`. These are SQLite-only operations, outside the
//! portable [`crate::store::Store`] trait.
//!
//! A backup copies the database with SQLite's online backup API while a
//! server may be writing to it. The source connection holds one read
//! transaction across every step, so the copy is the snapshot of the
//! moment the backup began (every write acknowledged before it is in the
//! copy; WAL mode lets the writers go on meanwhile) and the copy is never
//! restarted by their commits. The copy is written next to its target and
//! renamed into place once complete and checked, in rollback-journal mode
//! so it is one self-contained file.
//!
//! A restore takes the database's exclusive lock ([`super::lock`]), so it
//! refuses while any store has the database open, checks the backup with
//! `PRAGMA integrity_check`, copies it next to the database, checks the
//! copy, and renames it over the database: a crash at any point leaves
//! either the old database or the new one, never a mix.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::lock::{self, LockError};

/// How many pages a backup step copies at least (a step's share of the
/// progress bar is otherwise a hundredth of the database).
const MIN_STEP_PAGES: i32 = 256;

/// A step that could not get its locks waits this long before retrying.
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// How far a backup or restore has got, in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub copied: u64,
    pub total: u64,
}

/// Why a backup or restore failed; each names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    #[error("{} already exists; remove it or choose another path", .0.display())]
    Exists(PathBuf),
    #[error(
        "{} is in use by a running rapportd (or another rapportd command); stop it before restoring",
        .0.display()
    )]
    InUse(PathBuf),
    #[error("{} fails its integrity check: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{} is not a rapport database (it has no audit table)", .0.display())]
    NotRapport(PathBuf),
    #[error("{}: {error}", path.display())]
    Sqlite {
        path: PathBuf,
        error: rusqlite::Error,
    },
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

fn sqlite(path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError + '_ {
    move |error| BackupError::Sqlite {
        path: path.to_path_buf(),
        error,
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// `path` with `suffix` appended to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the database at `db` to a new file at `to`, consistent while
/// servers write to `db`; `progress` hears after every step. Returns the
/// pages copied. Blocking.
pub fn backup(
    db: &Path,
    to: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<u64, BackupError> {
    if !db.exists() {
        return Err(BackupError::Missing(db.to_path_buf()));
    }
    if to.exists() {
        return Err(BackupError::Exists(to.to_path_buf()));
    }
    let source = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite(db))?;
    source
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sqlite(db))?;
    let partial = beside(to, ".partial");
    remove_if_present(&partial)?;
    let copied = copy_snapshot(&source, db, &partial, &mut progress);
    let copied = match copied.and_then(|pages| finish_copy(&partial).map(|()| pages)) {
        Ok(pages) => pages,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, to).map_err(io(to))?;
    sync_parent(to)?;
    Ok(copied)
}

/// Copies `source`'s snapshot at the start of the call to a new database at
/// `to`, in steps reported to `progress`.
fn copy_snapshot(
    source: &Connection,
    db: &Path,
    to: &Path,
    progress: &mut impl FnMut(Progress),
) -> Result<u64, BackupError> {
    // One read transaction for the whole copy: its snapshot is the backup.
    source.execute_batch("BEGIN").map_err(sqlite(db))?;
    source
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(sqlite(db))?;
    let mut target = Connection::open(to).map_err(sqlite(to))?;
    let result = (|| {
        let copy = Backup::new(source, &mut target).map_err(sqlite(to))?;
        let mut step = MIN_STEP_PAGES;
        loop {
            match copy.step(step).map_err(sqlite(db))? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => std::thread::sleep(BUSY_PAUSE),
                _ => std::thread::sleep(BUSY_PAUSE),
            }
            let now = copy.progress();
            step = (now.pagecount / 100).max(MIN_STEP_PAGES);
            progress(pages(now));
        }
        let done = pages(copy.progress());
        progress(Progress {
            copied: done.total,
            total: done.total,
        });
        Ok(done.total)
    })();
    let _ = source.execute_batch("COMMIT");
    result
}

fn pages(progress: rusqlite::backup::Progress) -> Progress {
    let total = u64::try_from(progress.pagecount).unwrap_or(0);
    let remaining = u64::try_from(progress.remaining).unwrap_or(0);
    Progress {
        copied: total.saturating_sub(remaining),
        total,
    }
}

/// Makes the copy at `path` one self-contained file (rollback journal, not
/// WAL), checks it and syncs it to disk.
fn finish_copy(path: &Path) -> Result<(), BackupError> {
    let conn = Connection::open(path).map_err(sqlite(path))?;
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(sqlite(path))?;
    check(&conn, path)?;
    drop(conn);
    let file = std::fs::File::open(path).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

/// `PRAGMA integrity_check` says ok and the database is rapport's.
fn check(conn: &Connection, path: &Path) -> Result<(), BackupError> {
    let mut statement = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|error| corrupt(path, error))?;
    let lines: Vec<String> = statement
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(|error| corrupt(path, error))?
        .collect::<Result<_, _>>()
        .map_err(|error| corrupt(path, error))?;
    if lines != ["ok"] {
        return Err(BackupError::Corrupt {
            path: path.to_path_buf(),
            detail: lines.join("; "),
        });
    }
    let audit: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit'",
            [],
            |row| row.get(0),
        )
        .map_err(|error| corrupt(path, error))?;
    if audit == 0 {
        return Err(BackupError::NotRapport(path.to_path_buf()));
    }
    Ok(())
}

/// A file that is not a database at all fails the check with an error
/// rather than a report.
fn corrupt(path: &Path, error: rusqlite::Error) -> BackupError {
    BackupError::Corrupt {
        path: path.to_path_buf(),
        detail: error.to_string(),
    }
}

/// Checks the backup at `from` and replaces the database at `db` with it,
/// atomically, unless a store has `db` open. Returns the pages restored.
/// Blocking.
pub fn restore(
    from: &Path,
    db: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<u64, BackupError> {
    if !from.exists() {
        return Err(BackupError::Missing(from.to_path_buf()));
    }
    let _lock = lock::exclusive(db).map_err(|error| match error {
        LockError::Held(path) => BackupError::InUse(path),
        LockError::Io { path, error } => BackupError::Io { path, error },
    })?;
    let source = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite(from))?;
    check(&source, from)?;
    let incoming = beside(db, ".restoring");
    remove_if_present(&incoming)?;
    let copied = copy_snapshot(&source, from, &incoming, &mut progress)
        .and_then(|pages| finish_copy(&incoming).map(|()| pages));
    drop(source);
    let copied = match copied {
        Ok(pages) => pages,
        Err(error) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(error);
        }
    };
    retire_wal(db)?;
    std::fs::rename(&incoming, db).map_err(io(db))?;
    sync_parent(db)?;
    Ok(copied)
}

/// Folds the old database's write-ahead log into it and removes the log
/// and its index, so no log of the old database is ever read as the new
/// one's. Nobody has the database open (the restore holds its lock).
fn retire_wal(db: &Path) -> Result<(), BackupError> {
    if db.exists()
        && let Ok(conn) = Connection::open(db)
    {
        // Best effort: a damaged old database is replaced all the same.
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = conn.pragma_update(None, "journal_mode", "DELETE");
    }
    remove_if_present(&beside(db, "-wal"))?;
    remove_if_present(&beside(db, "-shm"))?;
    remove_if_present(&beside(db, "-journal"))
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(BackupError::Io {
            path: path.to_path_buf(),
            error,
        }),
    }
}

/// Makes a rename in `path`'s directory durable.
fn sync_parent(path: &Path) -> Result<(), BackupError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(io(parent))
}
