//! Server settings, layered: built-in defaults < config file (`--config`,
//! else `$XDG_CONFIG_HOME/rapport/rapportd.toml`) < `RAPPORT_*` environment
//! (`RAPPORT_LISTEN`, `RAPPORT_DB`, `RAPPORT_MAX_BODY_BYTES`, `RAPPORT_TLS_CERT`,
//! `RAPPORT_TLS_KEY`, `RAPPORT_INSECURE_HTTP`, ...: `RAPPORT_` and the key in
//! capitals) < flags.

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
    /// The SQLite database file, or a `postgres://` URL of a PostgreSQL
    /// database (see [`ServerConfig::database`]).
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
    /// The certificate chain (PEM, leaf first) served over TLS; with
    /// `tls_key`, every connection is TLS.
    #[serde(default)]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of `tls_cert`.
    #[serde(default)]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP on an address other than loopback (refused
    /// otherwise: tokens and records would cross the network in clear).
    #[serde(default)]
    pub insecure_http: bool,
    /// Requests a second each token may make on average (token bucket);
    /// unset or 0 is no limit.
    #[serde(default)]
    pub rate_limit_per_second: Option<f64>,
    /// Requests a token may make at once before `rate_limit_per_second`
    /// applies; default: one second's worth (at least 1).
    #[serde(default)]
    pub rate_limit_burst: Option<u32>,
    /// Days a change-feed stream may resume from (`Last-Event-ID`); older
    /// resumes are told to resync. At least 7, the default.
    #[serde(default = "default_change_retention_days")]
    pub change_retention_days: u32,
}

/// How the server speaks to the network, once the settings agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Plain HTTP: on loopback, or anywhere with `insecure_http`.
    Plain,
    /// TLS with this certificate chain and key.
    Tls { cert: PathBuf, key: PathBuf },
}

fn default_change_retention_days() -> u32 {
    crate::api::feed::RETENTION_DAYS
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
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// `--insecure-http`: only ever turns it on.
    pub insecure_http: bool,
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
    #[error("{0}")]
    Transport(String),
    /// A setting out of its range.
    #[error("{0}")]
    Setting(String),
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
            .set_override_option("max_body_bytes", overrides.max_body_bytes.map(|n| n as u64))?
            .set_override_option("tls_cert", path_text(overrides.tls_cert.as_deref()))?
            .set_override_option("tls_key", path_text(overrides.tls_key.as_deref()))?
            .set_override_option("insecure_http", overrides.insecure_http.then_some(true))?;
        let merged = builder.build().map_err(|source| match &file {
            Some(path) => ConfigError::File {
                path: path.display().to_string(),
                source,
            },
            None => ConfigError::Invalid(source),
        })?;
        let config: ServerConfig = merged.try_deserialize()?;
        config.feed()?;
        Ok(config)
    }

    /// The change feed's settings, refusing a retention below the 7 days
    /// clients are promised they may resume from.
    pub fn feed(&self) -> Result<crate::api::feed::FeedSettings, ConfigError> {
        let days = self.change_retention_days;
        if !(crate::api::feed::RETENTION_DAYS..=3650).contains(&days) {
            return Err(ConfigError::Setting(format!(
                "change_retention_days is {days}: it must be from {} to 3650",
                crate::api::feed::RETENTION_DAYS
            )));
        }
        Ok(crate::api::feed::FeedSettings::retaining_days(days))
    }

    /// Whether to serve TLS or plain HTTP, refusing plain HTTP on an
    /// address other than loopback unless `insecure_http` says so, and a
    /// certificate without its key (or the reverse).
    pub fn transport(&self) -> Result<Transport, ConfigError> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Ok(Transport::Tls {
                cert: cert.clone(),
                key: key.clone(),
            }),
            (Some(_), None) => Err(ConfigError::Transport(
                "tls_cert is set but tls_key is not: give both (--tls-cert and --tls-key)".into(),
            )),
            (None, Some(_)) => Err(ConfigError::Transport(
                "tls_key is set but tls_cert is not: give both (--tls-cert and --tls-key)".into(),
            )),
            (None, None) if self.listen.ip().is_loopback() || self.insecure_http => {
                Ok(Transport::Plain)
            }
            (None, None) => Err(ConfigError::Transport(format!(
                "refusing to serve plain HTTP on {}, which is not a loopback address: tokens \
                 and records would cross the network unencrypted. Give --tls-cert and \
                 --tls-key (or tls_cert and tls_key in the config file), or --insecure-http \
                 (insecure_http = true) if something in front of rapportd encrypts",
                self.listen
            ))),
        }
    }
}

/// Where the records are kept, as the `db` setting says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL database: its `postgres://` (or `postgresql://`) URL.
    Postgres(String),
}

impl Database {
    /// The database a `db` setting names: a URL starting `postgres://` or
    /// `postgresql://` is PostgreSQL's, anything else a SQLite file.
    pub fn from_setting(db: &std::path::Path) -> Database {
        let text = db.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.into_owned())
        } else {
            Database::Sqlite(db.to_path_buf())
        }
    }

    /// How messages and logs name it: a URL without its password.
    pub fn label(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                // The user information ends at the last `@` before the host.
                let host_start = rest.find('/').unwrap_or(rest.len());
                match rest[..host_start].rfind('@') {
                    Some(at) => {
                        let user = rest[..at].split(':').next().unwrap_or_default();
                        format!("{scheme}://{user}@{}", &rest[at + 1..])
                    }
                    None => url.clone(),
                }
            }
        }
    }
}

impl ServerConfig {
    /// The database the `db` setting names.
    pub fn database(&self) -> Database {
        Database::from_setting(&self.db)
    }
}

fn path_text(path: Option<&std::path::Path>) -> Option<String> {
    path.map(|p| p.to_string_lossy().into_owned())
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
            ..Overrides::default()
        })
        .expect("loads");
        assert_eq!(flagged.listen.port(), 9002);
        assert_eq!(flagged.max_body_bytes, 2048);
        assert_eq!(flagged.db, dir.path().join("x.db"));
    }

    #[test]
    fn a_postgres_url_names_postgresql_and_its_password_is_never_shown() {
        let url = "postgres://rapport:s3cret@db.example.org:5432/rapport?sslmode=disable";
        let database = Database::from_setting(std::path::Path::new(url));
        assert_eq!(database, Database::Postgres(url.into()));
        assert_eq!(
            database.label(),
            "postgres://rapport@db.example.org:5432/rapport?sslmode=disable"
        );
        let no_password = Database::from_setting(std::path::Path::new("postgresql://h/db"));
        assert_eq!(no_password.label(), "postgresql://h/db");
        let file = Database::from_setting(std::path::Path::new("/var/lib/rapport/postgres.db"));
        assert_eq!(
            file,
            Database::Sqlite(PathBuf::from("/var/lib/rapport/postgres.db"))
        );
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

#[cfg(test)]
mod transport_tests {
    use super::*;

    /// The settings of a config file holding `listen` and `extra`.
    fn load_file(listen: &str, extra: &str) -> Result<ServerConfig, ConfigError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("rapportd.toml");
        std::fs::write(&file, format!("listen = \"{listen}\"\n{extra}")).expect("written");
        ServerConfig::load(&Overrides {
            config_file: Some(file),
            ..Overrides::default()
        })
    }

    fn loaded(listen: &str, extra: &str) -> ServerConfig {
        load_file(listen, extra).expect("loads")
    }

    #[test]
    fn change_retention_is_seven_days_unless_raised() {
        let week = std::time::Duration::from_secs(7 * 24 * 60 * 60);
        let default = loaded("127.0.0.1:7878", "").feed().expect("the default");
        assert_eq!(default.retention, week);
        let raised = loaded("127.0.0.1:7878", "change_retention_days = 30\n");
        assert_eq!(raised.feed().expect("raised").retention, week * 30 / 7);
        let refused = load_file("127.0.0.1:7878", "change_retention_days = 2\n")
            .expect_err("under a week is refused");
        assert!(
            refused.to_string().contains("change_retention_days is 2"),
            "{refused}"
        );
    }

    #[test]
    fn plain_http_is_the_default_on_loopback() {
        assert_eq!(
            loaded("127.0.0.1:0", "").transport().ok(),
            Some(Transport::Plain)
        );
        assert_eq!(
            loaded("[::1]:0", "").transport().ok(),
            Some(Transport::Plain)
        );
    }

    #[test]
    fn plain_http_elsewhere_is_refused_unless_insecure_http() {
        let error = loaded("0.0.0.0:7878", "").transport().expect_err("refused");
        let text = error.to_string();
        assert!(text.contains("0.0.0.0:7878"), "{text}");
        assert!(text.contains("--insecure-http"), "{text}");
        assert!(text.contains("--tls-cert"), "{text}");
        let insecure = loaded("0.0.0.0:7878", "insecure_http = true\n");
        assert_eq!(insecure.transport().ok(), Some(Transport::Plain));
    }

    #[test]
    fn tls_needs_both_files_and_is_then_allowed_anywhere() {
        let both = loaded(
            "0.0.0.0:7878",
            "tls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n",
        );
        assert_eq!(
            both.transport().ok(),
            Some(Transport::Tls {
                cert: "c.pem".into(),
                key: "k.pem".into()
            })
        );
        let half = loaded("127.0.0.1:0", "tls_cert = \"c.pem\"\n");
        let error = half.transport().expect_err("half refused").to_string();
        assert!(error.contains("tls_key"), "{error}");
    }

    #[test]
    fn flags_set_tls_and_insecure_http() {
        let flagged = ServerConfig::load(&Overrides {
            config_file: Some(std::path::PathBuf::from("/nonexistent/rapportd.toml")),
            ..Overrides::default()
        });
        assert!(flagged.is_err(), "a named file must exist");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("rapportd.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:1\"\n").expect("written");
        let flagged = ServerConfig::load(&Overrides {
            config_file: Some(file),
            insecure_http: true,
            tls_cert: Some("a.pem".into()),
            ..Overrides::default()
        })
        .expect("loads");
        assert!(flagged.insecure_http);
        assert_eq!(flagged.tls_cert, Some(PathBuf::from("a.pem")));
    }
}
