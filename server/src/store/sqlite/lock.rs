//! Who is using a database file: every process that opens a store holds a
//! shared advisory lock on `<db>-rapportd.lock` for as long as the store
//! lives, and `rapportd restore` takes it exclusively, so a restore never
//! replaces a database a running server (or any other rapportd command)
//! has open, and no server opens one while a restore replaces it.
//!
//! The lock is on a file of its own, never on the database: SQLite's own
//! POSIX locks on the database would be dropped by closing any other
//! descriptor of it. The kernel releases the lock when its holder exits,
//! also on SIGKILL, so a crashed server leaves nothing stale behind.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// A held lock on a database; released when dropped.
#[derive(Debug)]
pub struct DbLock {
    _file: File,
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Someone holds it in a way that excludes us.
    #[error("{} is in use", .0.display())]
    Held(PathBuf),
    #[error("cannot open the lock file {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The lock file of the database at `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = OsString::from(db.as_os_str());
    name.push("-rapportd.lock");
    PathBuf::from(name)
}

fn open(db: &Path) -> Result<File, LockError> {
    let path = lock_path(db);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|error| LockError::Io { path, error })
}

fn taken(db: &Path, result: Result<(), TryLockError>, file: File) -> Result<DbLock, LockError> {
    match result {
        Ok(()) => Ok(DbLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(LockError::Held(db.to_path_buf())),
        Err(TryLockError::Error(error)) => Err(LockError::Io {
            path: lock_path(db),
            error,
        }),
    }
}

/// A shared lock: what every open store holds (several servers may share
/// a database). Fails at once, without waiting, while a restore holds it.
pub fn shared(db: &Path) -> Result<DbLock, LockError> {
    let file = open(db)?;
    let result = file.try_lock_shared();
    taken(db, result, file)
}

/// The exclusive lock a restore takes. Fails at once while anyone has the
/// database open through a store.
pub fn exclusive(db: &Path) -> Result<DbLock, LockError> {
    let file = open(db)?;
    let result = file.try_lock();
    taken(db, result, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_locks_coexist_and_exclude_the_exclusive_one() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = dir.path().join("a.db");
        let first = shared(&db).expect("a shared lock");
        let second = shared(&db).expect("a second shared lock");
        assert!(matches!(exclusive(&db), Err(LockError::Held(_))));
        drop(first);
        drop(second);
        let only = exclusive(&db).expect("the exclusive lock once nobody holds it");
        assert!(matches!(shared(&db), Err(LockError::Held(_))));
        drop(only);
        assert!(shared(&db).is_ok());
    }
}
