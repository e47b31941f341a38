//! The outbox on disk: one file per server in the data directory,
//! `outbox-<hash of the server URL>.json`, holding the server's URL (a
//! file is only ever read back for the server it was written for) and the
//! entries in order. Every change rewrites it atomically
//! ([`crate::files::replace`]), so a crash at any point leaves the old
//! queue or the new one, never a torn one. An empty outbox removes the
//! file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Entry;

/// What the file holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The server the writes are for (a URL, or the local database's path).
    origin: String,
    entries: Vec<Entry>,
}

/// Where one server's outbox is kept.
#[derive(Debug, Clone)]
pub struct OutboxFile {
    pub path: PathBuf,
    /// A remote server's URL or the local database's path.
    pub origin: String,
}

/// Why the outbox could not be read or written, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("cannot write the outbox {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the outbox {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
}

impl OutboxFile {
    /// The outbox of `origin` in directory `dir`.
    pub fn in_dir(dir: &Path, origin: &str) -> OutboxFile {
        OutboxFile {
            path: dir.join(format!("outbox-{:016x}.json", fnv1a(origin))),
            origin: origin.to_string(),
        }
    }

    /// Writes `entries` (removing the file when there are none).
    pub fn save(&self, entries: &[Entry]) -> Result<(), OutboxError> {
        let failed = |source| OutboxError::Write {
            path: self.path.clone(),
            source,
        };
        if entries.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(failed(error)),
                _ => Ok(()),
            };
        }
        let stored = Stored {
            origin: self.origin.clone(),
            entries: entries.to_vec(),
        };
        let json = serde_json::to_vec_pretty(&stored)
            .map_err(|error| failed(std::io::Error::other(error)))?;
        crate::files::replace(&self.path, &json).map_err(failed)
    }

    /// The entries kept for this server; none when there is no file.
    pub fn load(&self) -> Result<Vec<Entry>, OutboxError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(OutboxError::Read {
                    path: self.path.clone(),
                    reason: error.to_string(),
                });
            }
        };
        let stored: Stored = serde_json::from_slice(&bytes).map_err(|error| OutboxError::Read {
            path: self.path.clone(),
            reason: error.to_string(),
        })?;
        if stored.origin != self.origin {
            // Two URLs with one hash: not this server's writes.
            return Ok(Vec::new());
        }
        Ok(stored.entries)
    }
}

/// FNV-1a, 64 bits: a file name per server that is the same on every run
/// (std's hasher is seeded per process).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::Write;

    fn entry(key: &str) -> Entry {
        Entry {
            key: key.into(),
            label: key.into(),
            write: Write::Comment {
                id: "r1".into(),
                text: "hello".into(),
            },
            refused: None,
        }
    }

    #[test]
    fn keeps_each_servers_queue_apart_and_removes_an_empty_one() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let one = OutboxFile::in_dir(dir.path(), "http://127.0.0.1:1");
        let two = OutboxFile::in_dir(dir.path(), "http://127.0.0.1:2");
        assert_ne!(one.path, two.path);
        one.save(&[entry("a"), entry("b")])?;
        assert_eq!(one.load()?, vec![entry("a"), entry("b")]);
        assert!(two.load()?.is_empty());
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        one.save(&[])?;
        assert!(!one.path.exists());
        assert!(one.load()?.is_empty());
        Ok(())
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it_and_stays_where_it_is() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = OutboxFile::in_dir(dir.path(), "http://x");
        std::fs::write(&file.path, b"{not json")?;
        let error = file.load().expect_err("damaged");
        assert!(
            error.to_string().contains(&file.path.display().to_string()),
            "{error}"
        );
        assert!(file.path.exists());
        Ok(())
    }
}
