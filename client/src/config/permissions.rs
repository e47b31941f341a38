//! A config file holding a token must be private to its owner: one that
//! its group or others can read draws a warning, or is refused with
//! `strict_permissions = true`.

use std::path::Path;

use super::{ConfigError, Loaded};

/// A warning to show when the config file holds a token (at the top or in
/// a profile) and its group or others may read it; with
/// `strict_permissions` the same finding is an error instead. `None` when
/// there is nothing to say (no file, no token in it, or mode 0600).
pub fn check_permissions(loaded: &Loaded) -> Result<Option<String>, ConfigError> {
    let Some(file) = &loaded.file else {
        return Ok(None);
    };
    let holds_token = loaded.origins.iter().any(|(key, origin)| {
        (key == "token" || key.ends_with(".token"))
            && (origin.starts_with("file ") || origin.starts_with("profile "))
    });
    if !holds_token {
        return Ok(None);
    }
    let Some(mode) = readable_by_others(file) else {
        return Ok(None);
    };
    let finding = format!(
        "the config file {} holds a token and its group or others can read it (mode {mode:03o}): run chmod 600 {}, or keep the token in a password manager with token_command",
        file.display(),
        file.display()
    );
    if loaded.settings.strict_permissions {
        return Err(ConfigError::Permissions(format!(
            "{finding} (refused: strict_permissions = true)"
        )));
    }
    Ok(Some(finding))
}

/// The file's permission bits when its group or others may read it.
#[cfg(unix)]
fn readable_by_others(file: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

/// Elsewhere there are no such bits to check.
#[cfg(not(unix))]
fn readable_by_others(_file: &Path) -> Option<u32> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::collections::BTreeMap;
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::config::{Cli, load};

    fn loaded_with_mode(text: &str, mode: u32) -> (tempfile::TempDir, Loaded) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let cli = Cli {
            config: Some(path),
            ..Cli::default()
        };
        let loaded = load(&cli, &BTreeMap::new()).expect("loads");
        (dir, loaded)
    }

    #[test]
    fn a_token_others_can_read_draws_a_warning_naming_the_file() {
        let (_dir, loaded) = loaded_with_mode("token = \"rpt_x\"\n", 0o644);
        let warning = check_permissions(&loaded)
            .expect("only a warning")
            .expect("a warning");
        assert!(
            warning.contains("config.toml") && warning.contains("chmod 600"),
            "{warning}"
        );
        assert!(warning.contains("644"), "{warning}");
        assert!(
            !warning.contains("rpt_x"),
            "the warning never shows the token"
        );
    }

    #[test]
    fn a_token_in_a_profile_counts_too() {
        let (_dir, loaded) = loaded_with_mode("[profiles.work]\ntoken = \"rpt_x\"\n", 0o640);
        assert!(check_permissions(&loaded).expect("a warning").is_some());
    }

    #[test]
    fn strict_permissions_refuses_it() {
        let (_dir, loaded) =
            loaded_with_mode("strict_permissions = true\ntoken = \"rpt_x\"\n", 0o604);
        let error = check_permissions(&loaded).expect_err("refused").to_string();
        assert!(error.contains("strict_permissions"), "{error}");
    }

    #[test]
    fn a_private_file_or_one_without_a_token_is_fine() {
        let (_dir, private) =
            loaded_with_mode("strict_permissions = true\ntoken = \"rpt_x\"\n", 0o600);
        assert_eq!(check_permissions(&private).ok(), Some(None));
        let (_dir, no_token) = loaded_with_mode(
            "strict_permissions = true\ntoken_command = \"pass show r\"\n",
            0o644,
        );
        assert_eq!(check_permissions(&no_token).ok(), Some(None));
    }
}
