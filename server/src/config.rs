//! Server settings, layered: built-in defaults < config file (`--config`,
//! else `$XDG_CONFIG_HOME/rapport/rapportd.toml`) < `RAPPORT_*` environment
//! (`RAPPORT_LISTEN`, `RAPPORT_DB`, `RAPPORT_MAX_BODY_BYTES`) < flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// Where the server listens when nothing else is said: loopback only, so a
/// fresh install is never reachable from the network by accident.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7878";

/// The merged settings of one `rapportd` run.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The SQLite database file.
    pub db: PathBuf,
    /// Largest request body accepted (413 above it).
    pub max_body_bytes: usize,
    /// Connections served at once (at the cap the longest-idle one is
    /// closed to admit a new one).
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Connections served at once from one client address.
    #[serde(default = "default_max_connections_per_client")]
    pub max_connections_per_client: usize,
    /// What a customer's health is judged by (`[health]`; every key has a
    /// default, see `rapport_shared::health::Thresholds`).
    #[serde(default)]
    pub health: rapport_shared::health::Thresholds,
}

fn default_max_connections() -> usize {
    crate::http::Limits::default().max_connections
}

fn default_max_connections_per_client() -> usize {
    crate::http::Limits::default().max_connections_per_client
}

/// Settings given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<String>,
    pub db: Option<PathBuf>,
    pub max_body_bytes: Option<usize>,
}

/// The default database file: `rapport.db` in the user's data directory
/// (`$XDG_DATA_HOME/rapport` on Linux), else in the working directory.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "rapport")
        .map(|dirs| dirs.data_dir().join("rapport.db"))
        .unwrap_or_else(|| PathBuf::from("rapport.db"))
}

/// The default config file: `rapportd.toml` in the user's config directory.
pub fn default_config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rapport")
        .map(|dirs| dirs.config_dir().join("rapportd.toml"))
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {path}: {source}")]
    File {
        path: String,
        source: config::ConfigError,
    },
    #[error("settings: {0}")]
    Invalid(#[from] config::ConfigError),
}

impl ServerConfig {
    /// Merges the layers.
    pub fn load(overrides: &Overrides) -> Result<ServerConfig, ConfigError> {
        let db_default = default_db_path().to_string_lossy().into_owned();
        let mut builder = config::Config::builder()
            .set_default("listen", DEFAULT_LISTEN)?
            .set_default("db", db_default)?
            .set_default(
                "max_body_bytes",
                crate::http::Limits::default().max_body_bytes as u64,
            )?;
        let file = overrides.config_file.clone().or_else(default_config_file);
        if let Some(path) = &file {
            // A file named on the command line must exist; the default one may not.
            let required = overrides.config_file.is_some();
            builder = builder.add_source(
                config::File::from(path.as_path())
                    .format(config::FileFormat::Toml)
                    .required(required),
            );
        }
        builder = builder.add_source(config::Environment::with_prefix("RAPPORT").try_parsing(true));
        builder = builder
            .set_override_option("listen", overrides.listen.clone())?
            .set_override_option(
                "db",
                overrides
                    .db
                    .as_deref()
                    .map(|p| p.to_string_lossy().into_owned()),
            )?
            .set_override_option("max_body_bytes", overrides.max_body_bytes.map(|n| n as u64))?;
        let merged = builder.build().map_err(|source| match &file {
            Some(path) => ConfigError::File {
                path: path.display().to_string(),
                source,
            },
            None => ConfigError::Invalid(source),
        })?;
        Ok(merged.try_deserialize()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_which_wins_over_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("rapportd.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9001\"\nmax_body_bytes = 2048\n",
        )
        .expect("config written");
        let from_file = ServerConfig::load(&Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        })
        .expect("loads");
        assert_eq!(from_file.listen.port(), 9001);
        assert_eq!(from_file.max_body_bytes, 2048);
        assert_eq!(from_file.max_connections_per_client, 256);
        assert_eq!(
            from_file.health,
            rapport_shared::health::Thresholds::default()
        );
        let flagged = ServerConfig::load(&Overrides {
            config_file: Some(file),
            listen: Some("127.0.0.1:9002".into()),
            db: Some(dir.path().join("x.db")),
            max_body_bytes: None,
        })
        .expect("loads");
        assert_eq!(flagged.listen.port(), 9002);
        assert_eq!(flagged.max_body_bytes, 2048);
        assert_eq!(flagged.db, dir.path().join("x.db"));
    }

    #[test]
    fn a_named_file_must_exist_and_parse() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = ServerConfig::load(&Overrides {
            config_file: Some(dir.path().join("missing.toml")),
            ..Overrides::default()
        });
        assert!(missing.is_err());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "listen = \"not an address\"\n").expect("written");
        let error = ServerConfig::load(&Overrides {
            config_file: Some(bad),
            ..Overrides::default()
        })
        .expect_err("bad address");
        assert!(error.to_string().contains("listen"), "{error}");
    }
}
