//! Files rewritten whole and safely: a temporary file beside the target,
//! fsynced, renamed over it, and the directory fsynced, so a crash at any
//! point leaves the old file or the new one, never a torn one. The outbox
//! and the config file (`:save`) are written this way.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Replaces the file at `path` with `bytes`, creating its directory when
/// there is none. A file already there keeps its permissions (a config
/// file holding a token stays readable by its owner only); a symbolic
/// link is followed, so the file it names is the one rewritten.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(error) => return Err(error),
    };
    let kept = match std::fs::metadata(&path) {
        Ok(metadata) => Some(metadata.permissions()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = path.clone().into_os_string();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let mut file = std::fs::File::create(&temp)?;
    if let Some(permissions) = kept {
        file.set_permissions(permissions)?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, &path)?;
    // The rename itself must reach the disk too.
    std::fs::File::open(dir).and_then(|d| d.sync_all())
}
