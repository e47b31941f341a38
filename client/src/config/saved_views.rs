//! `:save NAME` on the RFC queue: adds a `[[views]]` entry to the config
//! file, editing the file's TOML in place (`toml_edit`) so the user's
//! comments, key order and other settings stay as they were, and creating
//! the file when there is none.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use super::ViewConfig;

/// Why a view could not be added to the config file, naming the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveViewError {
    #[error("cannot read the config file {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("the config file {} is not valid TOML, so it was left alone: {reason}", path.display())]
    NotToml { path: PathBuf, reason: String },
    #[error("views in the config file {} is not a list of [[views]], so it was left alone", path.display())]
    NotViews { path: PathBuf },
    #[error("the config file {} already has a view named \u{201c}{name}\u{201d}: choose another name", path.display())]
    Exists { path: PathBuf, name: String },
    #[error("cannot write the config file {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
}

/// Adds `view` as the last `[[views]]` entry of the config file at `path`.
pub fn add_view(path: &Path, view: &ViewConfig) -> Result<(), SaveViewError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => {
            return Err(SaveViewError::Read {
                path: path.to_path_buf(),
                reason: error.to_string(),
            });
        }
    };
    let mut document: DocumentMut =
        text.parse()
            .map_err(|error: toml_edit::TomlError| SaveViewError::NotToml {
                path: path.to_path_buf(),
                reason: error.message().to_string(),
            })?;
    add_to(&mut document, view).map_err(|error| match error {
        Problem::NotViews => SaveViewError::NotViews {
            path: path.to_path_buf(),
        },
        Problem::Exists => SaveViewError::Exists {
            path: path.to_path_buf(),
            name: view.name.clone(),
        },
    })?;
    crate::files::replace(path, document.to_string().as_bytes()).map_err(|error| {
        SaveViewError::Write {
            path: path.to_path_buf(),
            reason: error.to_string(),
        }
    })
}

/// What stops a view from being added to a document.
enum Problem {
    NotViews,
    Exists,
}

/// Adds `view` to `document`'s `views`: an array of tables (`[[views]]`,
/// created when missing) or, if the user wrote one, an inline array.
fn add_to(document: &mut DocumentMut, view: &ViewConfig) -> Result<(), Problem> {
    let same = |name: Option<&str>| {
        name.is_some_and(|name| name.trim().to_lowercase() == view.name.trim().to_lowercase())
    };
    let item = document
        .entry("views")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    match item {
        Item::ArrayOfTables(views) => {
            if views
                .iter()
                .any(|t| same(t.get("name").and_then(Item::as_str)))
            {
                return Err(Problem::Exists);
            }
            let mut table = Table::new();
            table.insert("name", toml_edit::value(view.name.as_str()));
            table.insert("filter", toml_edit::value(view.filter.as_str()));
            views.push(table);
            Ok(())
        }
        Item::Value(Value::Array(views)) => {
            if views
                .iter()
                .filter_map(Value::as_inline_table)
                .any(|t| same(t.get("name").and_then(Value::as_str)))
            {
                return Err(Problem::Exists);
            }
            let mut table = InlineTable::new();
            table.insert("name", view.name.as_str().into());
            table.insert("filter", view.filter.as_str().into());
            views.push(table);
            Ok(())
        }
        _ => Err(Problem::NotViews),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::config::{Cli, load};

    fn view(name: &str, filter: &str) -> ViewConfig {
        ViewConfig {
            name: name.to_string(),
            filter: filter.to_string(),
        }
    }

    /// The views the client reads back from `path`.
    fn read_back(path: &Path) -> Vec<ViewConfig> {
        let cli = Cli {
            config: Some(path.to_path_buf()),
            ..Cli::default()
        };
        load(&cli, &BTreeMap::new()).expect("loads").settings.views
    }

    #[test]
    fn keeps_comments_order_and_other_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        let text = "# my settings\npage_size = 50 # rows a page\n\n[theme]\ncolor = false\n\n\
                    # views I use\n[[views]]\nname = \"Mine\"\nfilter = \"assignee=me open\"\n\n\
                    [keys]\ndown = [\"j\"]\n";
        std::fs::write(&path, text).expect("writes");
        add_view(
            &path,
            &view("Soon", "due=week sort=due q=\"mailbox storage\""),
        )
        .expect("saved");
        let written = std::fs::read_to_string(&path).expect("reads");
        // Everything that was there is still there, in its order.
        let mut rest = written.as_str();
        for part in [
            "# my settings",
            "page_size = 50 # rows a page",
            "[theme]",
            "color = false",
            "# views I use",
            "name = \"Mine\"",
            "[keys]",
            "down = [\"j\"]",
        ] {
            let at = rest
                .find(part)
                .unwrap_or_else(|| panic!("{part:?} in {written}"));
            rest = &rest[at + part.len()..];
        }
        assert_eq!(
            read_back(&path),
            vec![
                view("Mine", "assignee=me open"),
                view("Soon", "due=week sort=due q=\"mailbox storage\"")
            ]
        );
        // A second view of the same name is refused, the file untouched.
        let error = add_view(&path, &view("soon ", "open")).expect_err("a clash");
        assert!(
            error.to_string().contains("already has a view named"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).expect("reads"), written);
    }

    #[test]
    fn creates_the_file_and_its_directory_when_there_is_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rapport").join("config.toml");
        add_view(&path, &view("Critical", "priority=critical open")).expect("saved");
        assert_eq!(
            read_back(&path),
            vec![view("Critical", "priority=critical open")]
        );
    }

    #[test]
    fn an_inline_list_of_views_grows_in_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "views = [{ name = \"Mine\", filter = \"assignee=me\" }]\n",
        )
        .expect("writes");
        add_view(&path, &view("Open", "open")).expect("saved");
        assert_eq!(
            read_back(&path),
            vec![view("Mine", "assignee=me"), view("Open", "open")]
        );
    }

    #[test]
    fn errors_name_the_file_and_leave_it_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "page_size = \n").expect("writes");
        let error = add_view(&path, &view("Open", "open")).expect_err("not TOML");
        assert!(
            error.to_string().contains(&path.display().to_string()),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("reads"),
            "page_size = \n"
        );
        std::fs::write(&path, "views = 3\n").expect("writes");
        let error = add_view(&path, &view("Open", "open")).expect_err("not views");
        assert!(matches!(error, SaveViewError::NotViews { .. }), "{error}");
        // A file in a directory that cannot be made: a file stands there.
        let blocked = dir.path().join("config.toml").join("config.toml");
        let error = add_view(&blocked, &view("Open", "open")).expect_err("cannot write");
        assert!(
            error.to_string().contains(&blocked.display().to_string()),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_stays_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "token = \"secret\"\n").expect("writes");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        add_view(&path, &view("Open", "open")).expect("saved");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
