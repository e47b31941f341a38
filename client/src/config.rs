//! Settings, layered with the `config` crate: built-in defaults, then
//! `$XDG_CONFIG_HOME/rapport/config.toml`, then the selected `[profiles.X]`
//! table of that file, then `RAPPORT_*` environment variables (`__`
//! separates nesting: `RAPPORT_THEME__COLOR=false`), then command-line
//! flags. Each layer is also read alone so `--print-config` can say where
//! every value came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use config::{Config, Environment, File, FileFormat, Map, Source, Value, ValueKind};
use serde::{Deserialize, Serialize};

use crate::theme::ThemeConfig;

mod describe;
pub use describe::describe;
pub mod saved_views;

/// Rows asked for per list call: a screenful several times over, far below
/// the server's cap of 500 so a page arrives in milliseconds.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Command-line flags; every one also exists as a config key.
#[derive(Debug, Clone, Default, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Keyboard-first terminal client for rapport"
)]
pub struct Cli {
    /// Server base URL (e.g. https://rapport.example.org). Without one,
    /// rapport starts a server in-process over a local database.
    #[arg(long, global = true)]
    pub server: Option<String>,
    /// API token (prefer `token_command` in the config file).
    #[arg(long, global = true)]
    pub token: Option<String>,
    /// Shell command that prints the token (a password manager call).
    #[arg(long, global = true)]
    pub token_command: Option<String>,
    /// Use the `[profiles.NAME]` table of the config file.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Read this config file instead of the XDG one.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Hide every write action.
    #[arg(long)]
    pub read_only: bool,
    /// Embedded server: seed demo data when its database is empty.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Embedded server: the SQLite database to use.
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Enable mouse selection and scrolling.
    #[arg(long)]
    pub mouse: bool,
    /// Print the merged configuration and where each value came from, then exit.
    #[arg(long)]
    pub print_config: bool,
    /// A one-shot command (`export`, `import`) instead of the TUI.
    #[command(subcommand)]
    pub command: Option<crate::cli::Command>,
}

/// One `[[views]]` entry of the config file: a saved view of the RFC
/// queue (the filter syntax is in `screens::rfcs::views`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewConfig {
    pub name: String,
    pub filter: String,
}

/// Per-board choices: visible columns and initial sort.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardConfig {
    /// Column keys to show, in order; empty shows the board's defaults.
    pub columns: Vec<String>,
    /// Column key to sort by.
    pub sort: Option<String>,
    pub descending: bool,
}

/// One server in `[profiles.NAME]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub server_url: Option<String>,
    pub token: Option<String>,
    pub token_command: Option<String>,
    pub ca_file: Option<String>,
}

/// The merged settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Empty: start the embedded server.
    pub server_url: Option<String>,
    pub token: Option<String>,
    pub token_command: Option<String>,
    /// PEM file of the certificate authorities trusted for an `https://`
    /// server instead of the system's.
    pub ca_file: Option<String>,
    /// Refuse to start when the config file holds a token that its group
    /// or others can read (otherwise a warning).
    pub strict_permissions: bool,
    pub read_only: bool,
    pub demo: bool,
    pub db: Option<String>,
    pub mouse: bool,
    pub page_size: u32,
    /// Ring the terminal's bell when a notification arrives (an RFC newly
    /// assigned to you, a critical RFC); off unless set.
    pub notify_bell: bool,
    pub theme: ThemeConfig,
    /// Action name to keys (see `keymap`); listed actions get exactly these keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Board name (customers, staff, services, contacts) to its choices.
    pub boards: BTreeMap<String, BoardConfig>,
    /// The RFC queue's user-defined saved views (`[[views]]`), after the
    /// built-in ones; see `screens::rfcs::views` for the filter syntax.
    pub views: Vec<ViewConfig>,
    pub profiles: BTreeMap<String, Profile>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            server_url: None,
            token: None,
            token_command: None,
            ca_file: None,
            strict_permissions: false,
            read_only: false,
            demo: false,
            db: None,
            mouse: false,
            page_size: DEFAULT_PAGE_SIZE,
            notify_bell: false,
            theme: ThemeConfig::default(),
            keys: BTreeMap::new(),
            boards: BTreeMap::new(),
            views: Vec::new(),
            profiles: BTreeMap::new(),
        }
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Read(#[from] config::ConfigError),
    #[error("no profile {0:?} in the config file")]
    UnknownProfile(String),
    #[error("token_command {command:?} failed: {reason}")]
    TokenCommand { command: String, reason: String },
    /// The config file holds a token others may read, and
    /// `strict_permissions` is on.
    #[error("{0}")]
    Permissions(String),
}

/// The merged settings and, per dotted key, the layer that set it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    pub origins: BTreeMap<String, String>,
    /// The config file looked for (it may not exist).
    pub file: Option<PathBuf>,
}

/// The default config file: `$XDG_CONFIG_HOME/rapport/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Where a form's unsaved text is kept when rapport is ended from outside:
/// `$XDG_DATA_HOME/rapport/draft.json`.
pub fn default_draft_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport").map(|dirs| dirs.data_dir().join("draft.json"))
}

/// The directory the outbox files are kept in (one per server,
/// `$XDG_DATA_HOME/rapport/outbox-<hash of the server URL>.json`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport").map(|dirs| dirs.data_dir().to_path_buf())
}

/// The customers' health `rapport agenda` last showed:
/// `$XDG_DATA_HOME/rapport/health-seen.json`.
pub fn default_seen_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport")
        .map(|dirs| dirs.data_dir().join("health-seen.json"))
}

/// The embedded server's default database: `$XDG_DATA_HOME/rapport/rapport.db`.
pub fn default_database() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport").map(|dirs| dirs.data_dir().join("rapport.db"))
}

/// Reads every layer and merges them. `env` is the process environment
/// (passed in so tests can give their own).
pub fn load(cli: &Cli, env: &BTreeMap<String, String>) -> Result<Loaded, ConfigError> {
    let file = cli.config.clone().or_else(default_config_file);
    let mut layers: Vec<(String, Map<String, Value>)> = Vec::new();

    let defaults = Config::try_from(&Settings::default())?.collect()?;
    layers.push(("default".to_string(), defaults));

    if let Some(path) = &file {
        let from_file = Config::builder()
            .add_source(
                File::from(path.as_path())
                    .format(FileFormat::Toml)
                    .required(false),
            )
            .build()?
            .collect()?;
        let profile = match &cli.profile {
            Some(name) => Some((name.clone(), profile_table(&from_file, name)?)),
            None => None,
        };
        layers.push((format!("file {}", path.display()), from_file));
        if let Some((name, table)) = profile {
            layers.push((format!("profile {name}"), table));
        }
    } else if let Some(name) = &cli.profile {
        return Err(ConfigError::UnknownProfile(name.clone()));
    }

    let rapport_env: Map<String, String> = env
        .iter()
        .filter(|(key, _)| key.starts_with("RAPPORT_"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let from_env = Config::builder()
        .add_source(
            Environment::with_prefix("RAPPORT")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(Some(rapport_env)),
        )
        .build()?
        .collect()?;
    layers.push(("environment RAPPORT_*".to_string(), from_env));
    layers.push(("command line".to_string(), flag_table(cli)));

    let mut builder = Config::builder();
    let mut origins = BTreeMap::new();
    for (name, table) in &layers {
        let mut flat = BTreeMap::new();
        flatten("", table, &mut flat);
        for key in flat.keys() {
            origins.insert(key.clone(), name.clone());
        }
        builder = builder.add_source(LeafSource(leaves("", table)));
    }
    let mut settings: Settings = builder.build()?.try_deserialize()?;
    if let Some(name) = &cli.profile {
        replace_file_credentials(&mut settings, &mut origins, name);
    }
    Ok(Loaded {
        settings,
        origins,
        file,
    })
}

/// A profile names its own credentials: a `token_command` in the profile
/// must not lose to a `token` at the top of the file (or the reverse).
/// Credentials from the environment or flags still win over both.
fn replace_file_credentials(
    settings: &mut Settings,
    origins: &mut BTreeMap<String, String>,
    name: &str,
) {
    let Some(profile) = settings.profiles.get(name).cloned() else {
        return;
    };
    let from_file = |origins: &BTreeMap<String, String>, key: &str| {
        origins.get(key).is_some_and(|o| o.starts_with("file "))
    };
    if profile.token.is_none() && profile.token_command.is_some() && from_file(origins, "token") {
        settings.token = None;
        origins.remove("token");
    }
    if profile.token.is_some()
        && profile.token_command.is_none()
        && from_file(origins, "token_command")
    {
        settings.token_command = None;
        origins.remove("token_command");
    }
}

/// One layer as dotted leaf keys, so a layer that sets `theme.accent`
/// changes that key alone and keeps the other `theme` defaults.
#[derive(Debug, Clone)]
struct LeafSource(Map<String, Value>);

impl Source for LeafSource {
    fn clone_into_box(&self) -> Box<dyn Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<Map<String, Value>, config::ConfigError> {
        Ok(self.0.clone())
    }
}

fn leaves(prefix: &str, table: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match &value.kind {
            ValueKind::Table(inner) if !inner.is_empty() => out.extend(leaves(&path, inner)),
            ValueKind::Nil => {}
            _ => {
                out.insert(path, value.clone());
            }
        }
    }
    out
}

fn profile_table(file: &Map<String, Value>, name: &str) -> Result<Map<String, Value>, ConfigError> {
    let table = file
        .get("profiles")
        .and_then(|profiles| profiles.clone().into_table().ok())
        .and_then(|profiles| profiles.get(name).cloned())
        .and_then(|profile| profile.into_table().ok())
        .ok_or_else(|| ConfigError::UnknownProfile(name.to_string()))?;
    Ok(table)
}

fn flag_table(cli: &Cli) -> Map<String, Value> {
    let mut table = Map::new();
    let mut set = |key: &str, value: ValueKind| {
        table.insert(
            key.to_string(),
            Value::new(Some(&"command line".to_string()), value),
        );
    };
    if let Some(server) = &cli.server {
        set("server_url", ValueKind::String(server.clone()));
    }
    if let Some(token) = &cli.token {
        set("token", ValueKind::String(token.clone()));
    }
    if let Some(command) = &cli.token_command {
        set("token_command", ValueKind::String(command.clone()));
    }
    if let Some(db) = &cli.db {
        set("db", ValueKind::String(db.display().to_string()));
    }
    if cli.read_only {
        set("read_only", ValueKind::Boolean(true));
    }
    if cli.demo {
        set("demo", ValueKind::Boolean(true));
    }
    if cli.mouse {
        set("mouse", ValueKind::Boolean(true));
    }
    table
}

/// Flattens nested tables into dotted keys with printable values.
fn flatten(prefix: &str, table: &Map<String, Value>, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match &value.kind {
            ValueKind::Table(inner) => flatten(&path, inner, out),
            ValueKind::Nil => {}
            _ => {
                out.insert(path, show(value));
            }
        }
    }
}

/// A value as TOML would write it.
fn show(value: &Value) -> String {
    match &value.kind {
        ValueKind::String(text) => format!("{text:?}"),
        ValueKind::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        ValueKind::Table(table) => {
            let fields: Vec<String> = table
                .iter()
                .map(|(key, value)| format!("{key} = {}", show(value)))
                .collect();
            if fields.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", fields.join(", "))
            }
        }
        _ => value.to_string(),
    }
}

/// The `ca_file` setting as a path, with a leading `~/` meaning the home
/// directory; `None` when unset or empty.
pub fn ca_file(settings: &Settings) -> Option<PathBuf> {
    let file = settings
        .ca_file
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())?;
    if let Some(rest) = file.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new()
    {
        return Some(home.home_dir().join(rest));
    }
    Some(PathBuf::from(file))
}

/// The token to use: `token`, else the output of `token_command`.
pub fn resolve_token(settings: &Settings) -> Result<Option<String>, ConfigError> {
    if let Some(token) = settings.token.as_ref().filter(|t| !t.trim().is_empty()) {
        return Ok(Some(token.trim().to_string()));
    }
    let Some(command) = settings
        .token_command
        .as_ref()
        .filter(|c| !c.trim().is_empty())
    else {
        return Ok(None);
    };
    let failed = |reason: String| ConfigError::TokenCommand {
        command: command.clone(),
        reason,
    };
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .output()
        .map_err(|error| failed(error.to_string()))?;
    if !output.status.success() {
        return Err(failed(format!("exit status {}", output.status)));
    }
    let token = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if token.is_empty() {
        return Err(failed("it printed nothing".to_string()));
    }
    Ok(Some(token))
}

/// The path of the embedded server's database.
pub fn database_path(settings: &Settings) -> Option<PathBuf> {
    settings
        .db
        .as_ref()
        .map(|db| Path::new(db).to_path_buf())
        .or_else(default_database)
}

mod permissions;
pub use permissions::check_permissions;

#[cfg(test)]
mod tests;
