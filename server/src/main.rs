//! `rapportd`: serve the API, migrate the database, manage tokens, seed
//! demo data. `rapportd --help` lists the commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use rapport_server::Settings;
use rapport_server::api::auth::{expiry_from, hash_secret, new_secret};
use rapport_server::api::rate::RateLimit;
use rapport_server::config::{Database, Overrides, ServerConfig, Transport};
use rapport_server::http::Limits;
use rapport_server::http::tls::Tls;
use rapport_server::store::Store;
use rapport_server::store::postgres::PgStore;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;

#[derive(Parser)]
#[command(
    name = "rapportd",
    version,
    about = "rapport's REST server: IT customer relationship management"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Clone)]
struct Common {
    /// Config file (TOML); default $XDG_CONFIG_HOME/rapport/rapportd.toml.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// The SQLite database file, or a PostgreSQL database as
    /// postgres://USER@HOST:PORT/DATABASE [env: RAPPORT_DB].
    #[arg(long, global = true)]
    db: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the REST API (the default command).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill an empty database with the demo organisation, or with a large
    /// one (`--scale` and the sizes).
    Seed {
        /// The demo organisation: a year of a small IT department.
        #[arg(long, conflicts_with = "scale")]
        demo: bool,
        /// Generated records at the sizes given (deterministic per --seed).
        #[arg(long)]
        scale: bool,
        #[command(flatten)]
        sizes: rapport_server::seed::scale::ScaleSizes,
    },
    /// Copy the database to a new file PATH, consistent while servers
    /// write to it (SQLite's online backup).
    Backup { path: PathBuf },
    /// Replace the database with the backup at PATH, after checking it;
    /// refused while a server (or another command) has the database open.
    Restore { path: PathBuf },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Args, Clone, Default)]
struct ServeArgs {
    /// Address to listen on [env: RAPPORT_LISTEN] [default: 127.0.0.1:7878].
    /// Plain HTTP is served on loopback only; elsewhere give TLS or
    /// --insecure-http.
    #[arg(long)]
    listen: Option<String>,
    /// Largest request body in bytes [env: RAPPORT_MAX_BODY_BYTES] [default: 1048576].
    #[arg(long)]
    max_body_bytes: Option<usize>,
    /// Serve TLS with this certificate chain (PEM, leaf first); reloaded
    /// on SIGHUP [env: RAPPORT_TLS_CERT].
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert [env: RAPPORT_TLS_KEY].
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a non-loopback address (something in front
    /// encrypts) [env: RAPPORT_INSECURE_HTTP].
    #[arg(long)]
    insecure_http: bool,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token and print its secret (shown only this once).
    Create {
        #[arg(long)]
        name: String,
        /// viewer, operator, manager or admin (each includes the ones before),
        /// or metrics (only `GET /metrics`).
        #[arg(long)]
        permission: String,
        /// The staff member the token acts as.
        #[arg(long)]
        staff: Option<String>,
        /// When it stops being accepted: 30d or 12h from now, a date
        /// (2027-01-31: good through that day, UTC) or an RFC 3339 time.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id or name.
    Revoke { token: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rapportd: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rapportd: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::default()));
    let mut overrides = Overrides {
        config_file: cli.common.config,
        db: cli.common.db,
        ..Overrides::default()
    };
    if let Command::Serve(args) = &command {
        overrides.listen = args.listen.clone();
        overrides.max_body_bytes = args.max_body_bytes;
        overrides.tls_cert = args.tls_cert.clone();
        overrides.tls_key = args.tls_key.clone();
        overrides.insecure_http = args.insecure_http;
    }
    let config = ServerConfig::load(&overrides)?;
    match command {
        Command::Serve(_) => serve(config).await,
        Command::Migrate => {
            let applied = match config.database() {
                Database::Sqlite(db) => {
                    tokio::task::spawn_blocking(move || SqliteStore::migrate(&db)).await??
                }
                Database::Postgres(url) => PgStore::migrate(&url).await?,
            };
            if applied.is_empty() {
                println!("{}: up to date", config.database().label());
            }
            for migration in applied {
                println!("applied {migration:?}");
            }
            Ok(())
        }
        Command::Seed { demo, scale, sizes } => {
            if scale {
                return seed_scale(&config, &sizes).await;
            }
            if !demo {
                bail!("say which data to seed: rapportd seed --demo, or --scale with sizes");
            }
            let store = open(&config).await?;
            rapport_server::seed::seed_demo(store.as_ref()).await?;
            println!(
                "seeded the demo organisation into {}",
                config.database().label()
            );
            Ok(())
        }
        Command::Backup { path } => {
            let db = sqlite_only(&config, "backup")?;
            tokio::task::spawn_blocking(move || rapport_server::backups::run_backup(&db, &path))
                .await??;
            Ok(())
        }
        Command::Restore { path } => {
            let db = sqlite_only(&config, "restore")?;
            tokio::task::spawn_blocking(move || rapport_server::backups::run_restore(&path, &db))
                .await??;
            Ok(())
        }
        Command::Token { command } => token(&config, command).await,
    }
}

/// `rapportd seed --scale`: the records, with a progress bar on a terminal.
async fn seed_scale(
    config: &ServerConfig,
    sizes: &rapport_server::seed::scale::ScaleSizes,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let store = open(config).await?;
    let started = std::time::Instant::now();
    let show = std::io::stderr().is_terminal();
    let report = rapport_server::seed::scale::seed_scale(
        store.as_ref(),
        sizes,
        jiff::Timestamp::now(),
        show,
    )
    .await?;
    println!(
        "seeded {} customers, {} contacts, {} RFCs ({} workflow steps), {} meetings, \
         {} survey responses ({} surveys), {} staff, {} teams, {} services into {} in {:.1} s",
        report.customers,
        report.contacts,
        report.rfcs,
        report.rfc_steps,
        report.meetings,
        report.responses,
        report.surveys,
        report.staff,
        report.teams,
        report.services,
        config.database().label(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn open(config: &ServerConfig) -> anyhow::Result<Arc<dyn Store>> {
    let database = config.database();
    let label = database.label();
    Ok(match database {
        Database::Sqlite(db) => Arc::new(
            tokio::task::spawn_blocking(move || SqliteStore::open(&db))
                .await?
                .with_context(|| format!("opening {label}"))?,
        ),
        Database::Postgres(url) => Arc::new(
            PgStore::connect(&url)
                .await
                .with_context(|| format!("opening {label}"))?,
        ),
    })
}

/// The SQLite file of a command only SQLite has (`backup`, `restore`).
fn sqlite_only(config: &ServerConfig, command: &str) -> anyhow::Result<PathBuf> {
    match config.database() {
        Database::Sqlite(db) => Ok(db),
        Database::Postgres(_) => bail!(
            "rapportd {command} copies a SQLite file; a PostgreSQL database is backed up \
             and restored with PostgreSQL's own tools (pg_dump, pg_restore)"
        ),
    }
}

async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    // Refused before anything is opened or bound.
    let tls = match config.transport()? {
        Transport::Plain => None,
        Transport::Tls { cert, key } => Some(Arc::new(Tls::load(&cert, &key)?)),
    };
    let rate_limit = RateLimit::from_config(config.rate_limit_per_second, config.rate_limit_burst)
        .map_err(anyhow::Error::msg)?;
    let store = open(&config).await?;
    let listener = rapport_server::http::listen(config.listen)
        .with_context(|| format!("listening on {}", config.listen))?;
    tracing::info!(
        listen = %listener.local_addr()?,
        db = %config.database().label(),
        tls = tls.is_some(),
        "rapportd serving"
    );
    if let Some(tls) = &tls {
        reload_on_hangup(Arc::clone(tls))?;
    }
    let feed = config.feed()?;
    let settings = Settings {
        limits: Limits {
            max_body_bytes: config.max_body_bytes,
            max_connections: config.max_connections,
            max_connections_per_client: config.max_connections_per_client,
            ..Limits::default()
        },
        health: config.health,
        tls,
        rate_limit,
        feed,
    };
    rapport_server::run_settings(listener, store, settings, shutdown_signal()).await?;
    tracing::info!("rapportd stopped");
    Ok(())
}

/// Reads the certificate again on every SIGHUP; a certificate that cannot be
/// used is logged and the current one kept.
fn reload_on_hangup(tls: Arc<Tls>) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangups = signal(SignalKind::hangup()).context("listening for SIGHUP")?;
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                match tls.reload() {
                    Ok(()) => {
                        tracing::info!(cert = %tls.cert_file().display(), "TLS certificate reloaded");
                    }
                    Err(error) => {
                        tracing::error!(%error, "TLS certificate not reloaded; still serving the previous one");
                    }
                }
            }
        });
    }
    #[cfg(not(unix))]
    drop(tls);
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; stop with SIGINT");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

async fn token(config: &ServerConfig, command: TokenCommand) -> anyhow::Result<()> {
    let store = open(config).await?;
    match command {
        TokenCommand::Create {
            name,
            permission,
            staff,
            expires,
        } => {
            let expires_at = expires
                .as_deref()
                .map(|text| expiry_from(text, jiff::Timestamp::now()))
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let Some(permission) = Permission::parse(&permission) else {
                bail!(
                    "--permission must be one of {}",
                    Permission::names().join(", ")
                );
            };
            if let Some(staff_id) = &staff {
                store
                    .get(rapport_shared::Collection::Staff, staff_id.clone())
                    .await
                    .with_context(|| format!("--staff {staff_id}"))?;
            }
            let secret = new_secret();
            let token = store
                .create_expiring_token(name, permission, staff, hash_secret(&secret), expires_at)
                .await?;
            let expiry = match token.expires_at {
                Some(at) => format!(", expires {at}"),
                None => String::new(),
            };
            eprintln!(
                "created token {} ({}, {}{expiry}); its secret is shown only now:",
                token.id, token.name, token.permission
            );
            println!("{secret}");
        }
        TokenCommand::List => {
            println!(
                "{:<38} {:<20} {:<10} {:<38} {:<20} STATE",
                "ID", "NAME", "PERMISSION", "STAFF", "EXPIRES"
            );
            let now = jiff::Timestamp::now();
            for token in store.list_tokens().await? {
                let state = if token.revoked {
                    "revoked"
                } else if token.expired_at(now) {
                    "expired"
                } else {
                    "active"
                };
                let expires = token
                    .expires_at
                    .map(|at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
                    .unwrap_or_else(|| "never".to_owned());
                println!(
                    "{:<38} {:<20} {:<10} {:<38} {:<20} {state}",
                    token.id,
                    token.name,
                    token.permission.as_str(),
                    token.staff_id.as_deref().unwrap_or("-"),
                    expires,
                );
            }
        }
        TokenCommand::Revoke { token } => {
            let revoked = store.revoke_token(token).await?;
            println!("revoked {} ({})", revoked.id, revoked.name);
        }
    }
    Ok(())
}
