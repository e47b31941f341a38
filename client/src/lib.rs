//! rapport: the keyboard-first terminal client. One-way data flow: events
//! become messages, `update` changes the model, `view` draws it; network
//! I/O runs in tokio tasks that answer with messages.
//!
//! Modules, in reading order:
//! - [`config`]: layered settings (defaults < file < profile < env < flags);
//!   `:save` adds a view to the file.
//! - [`files`]: files rewritten whole and safely (outbox, config file).
//! - [`keymap`]: actions, default keys, overrides; the help is built from it.
//! - [`strings`]: every user-visible sentence.
//! - [`theme`]: 16-colour styles, `NO_COLOR`, the terminal's palette, plain glyphs.
//! - [`api`]: the REST client, the only module that uses reqwest.
//! - [`remote`]: load states tagged with request ids.
//! - [`messages`]: [`messages::Msg`] in, [`messages::Command`] out, the
//!   API answers ([`messages::Reply`]).
//! - [`lookup`]: labels for ids, learnt from every list that arrives.
//! - [`notifications`]: what an RFC change tells the user unasked (assigned
//!   to them, critical), read from its audit entry.
//! - [`layout`]: where each part of the terminal goes.
//! - [`components`]: the generic board and form, palette, help, questions,
//!   detail-pane lines.
//! - [`screens`]: the registry of screens and one folder per screen (the
//!   list screens, teams, the RFC triage queue); below the app.
//! - [`app`]: the model: shared state, the screens, `update` routing to them.
//! - [`view`]: drawing, from state only (tab bar, status, forms, overlays).
//! - [`runtime`]: the event loop, generic over the terminal backend.
//! - [`terminal`]: set-up, restoration, panic hook, signals.
//! - [`clipboard`]: OSC 52 copy (works over SSH and in tmux).
//! - [`export`]: `:export csv|json`, a list's whole view written to a file.

pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod components;
pub mod config;
pub mod export;
pub mod files;
pub mod keymap;
pub mod layout;
pub mod lookup;
pub mod messages;
pub mod notifications;
pub mod outbox;
pub mod remote;
pub mod runtime;
pub mod screens;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod when;

/// Re-exported so end-to-end tests drive the app with the same key and
/// backend types.
pub use crossterm;
pub use ratatui;

#[cfg(test)]
mod fixtures;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::App;
use crate::config::Settings;
use crate::keymap::KeyMap;
use crate::runtime::Runtime;
use crate::theme::Theme;
#[cfg(feature = "embedded")]
use rapport_server::embedded::EmbeddedServer;

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Runs the client with merged `settings` until the user quits;
/// `config_file` is where they were read from (`:save` adds views there).
pub async fn run(settings: Settings, config_file: Option<PathBuf>) -> anyhow::Result<()> {
    let keymap = KeyMap::with_overrides(&settings.keys)?;
    screens::rfcs::views::all(&settings.views)?;
    let theme = Theme::new(&settings.theme, theme::Palette::from_env());

    let target = Target::open(&settings).await?;
    let api = target.client()?;
    let app = App::new(&settings, keymap, theme, &target.shown);

    let (terminal, guard) = terminal::setup(settings.mouse)?;
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    terminal::signals(events_tx.clone())?;
    let feed = runtime::watch_changes(api.clone(), events_tx.clone());
    let pump = terminal::events(events_tx);
    let inside_tmux = std::env::var_os("TMUX").is_some();
    let clipboard: runtime::ClipboardSink = Box::new(move |text: &str| {
        let mut stdout = std::io::stdout();
        // A failed copy is not worth stopping for; the status line already
        // showed what was meant to be copied.
        let _ = stdout.write_all(clipboard::osc52(text, inside_tmux).as_bytes());
        let _ = stdout.flush();
    });
    let mut runtime = Runtime::new(terminal, app, api, clipboard);
    runtime.editor = suspending_editor(pump.clone(), settings.mouse);
    runtime.bell = Box::new(terminal::bell);
    runtime.pump = Some(pump);
    runtime.drafts = config::default_draft_file().map(|path| runtime::DraftStore {
        path,
        origin: target.origin.clone(),
    });
    runtime.seen_file = config::default_seen_file();
    runtime.config_file = config_file;
    runtime.outbox_file = config::default_data_dir()
        .map(|dir| outbox::file::OutboxFile::in_dir(&dir, &target.origin));
    if let Some(file) = &runtime.outbox_file {
        // Writes left queued when rapport last ran against this server.
        match file.load() {
            Ok(entries) => runtime.app.restore_outbox(entries),
            Err(error) => runtime.app.say(error.to_string(), true),
        }
    }
    runtime.start()?;
    if let Some(draft) = runtime.drafts.as_ref().and_then(runtime::DraftStore::take) {
        runtime.apply(|app| app.restore_draft(&draft));
    }
    let result = runtime.run(events_rx).await;
    drop(runtime);
    drop(guard);
    // The feed is a request that never ends: stop it before the server.
    feed.abort();
    target.close().await;
    result
}

/// The user's editor with the terminal handed over to it: the key reader
/// paused (so the editor gets every key), raw mode and the alternate
/// screen left, the editor run, then raw mode and the alternate screen
/// taken back. The runtime resumes the key reader once it has wiped the
/// screen for a whole redraw.
fn suspending_editor(pump: terminal::EventPump, mouse: bool) -> runtime::TextEditor {
    Box::new(move |text: String| {
        let pump = pump.clone();
        Box::pin(async move {
            pump.pause().await;
            terminal::suspend();
            let editor = terminal::editor::editor_command(|name| std::env::var(name).ok());
            let outcome = terminal::editor::run_editor(&editor, &text).await;
            match terminal::resume(mouse) {
                Ok(()) => outcome,
                Err(error) => Err(terminal::editor::EditFailure::File(format!(
                    "the terminal could not be taken back: {error}"
                ))),
            }
        })
    })
}

/// Runs one command of the command line (`rapport export …`) against the
/// configured server or the local database, and delivers its report.
pub async fn run_command(settings: Settings, command: &cli::Command) -> Result<(), cli::CliError> {
    let target = Target::open(&settings)
        .await
        .map_err(|error| cli::CliError::Failed(format!("{error:#}")))?;
    let outcome = match target.client() {
        Ok(api) => cli::execute(&api, command).await,
        Err(error) => Err(error.into()),
    };
    target.close().await;
    cli::deliver(&outcome?, command.output())
}

/// The server the client talks to: the configured remote one or, with the
/// default-on `embedded` feature, one started inside this process over a
/// local database.
struct Target {
    base_url: String,
    token: String,
    /// Which server a draft belongs to: the URL, or the local database.
    origin: String,
    /// The server as the status bar names it.
    shown: String,
    /// The CA file to verify the remote server's certificate with.
    ca_file: Option<PathBuf>,
    /// The local server, stopped by [`Target::close`].
    #[cfg(feature = "embedded")]
    local: Option<EmbeddedServer>,
}

impl Target {
    /// The remote server when `server` is set, else a local one.
    async fn open(settings: &Settings) -> anyhow::Result<Target> {
        let remote = settings
            .server_url
            .as_deref()
            .filter(|u| !u.trim().is_empty());
        let Some(url) = remote else {
            return Target::local(settings).await;
        };
        // `--demo` seeds the local server's database: without the feature
        // there is none, and ignoring the flag would hide that.
        if settings.demo && cfg!(not(feature = "embedded")) {
            anyhow::bail!(strings::no_embedded_server("--demo"));
        }
        let token = config::resolve_token(settings)?.context(
            "no API token: set `token` or `token_command` in the config, RAPPORT_TOKEN, or --token",
        )?;
        Ok(Target {
            base_url: url.to_string(),
            token,
            origin: url.to_string(),
            shown: url.to_string(),
            ca_file: config::ca_file(settings),
            #[cfg(feature = "embedded")]
            local: None,
        })
    }

    /// Starts the server inside this process over the local database.
    #[cfg(feature = "embedded")]
    async fn local(settings: &Settings) -> anyhow::Result<Target> {
        let db = config::database_path(settings)
            .context("cannot find a data directory for the local database; pass --db PATH")?;
        if let Some(dir) = db.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let server = EmbeddedServer::start(&db, settings.demo)
            .await
            .with_context(|| format!("cannot start the local server over {}", db.display()))?;
        Ok(Target {
            base_url: server.base_url.clone(),
            token: server.admin_token.clone(),
            origin: format!("local {}", db.display()),
            shown: format!("local {}", server.base_url),
            ca_file: None,
            local: Some(server),
        })
    }

    /// Without the `embedded` feature there is no local server to start.
    #[cfg(not(feature = "embedded"))]
    async fn local(settings: &Settings) -> anyhow::Result<Target> {
        let asked = if settings.demo {
            "--demo"
        } else {
            "no `server` configured"
        };
        anyhow::bail!(strings::no_embedded_server(asked))
    }

    /// An API client for this server.
    fn client(&self) -> Result<ApiClient, api::ApiError> {
        ApiClient::trusting(&self.base_url, &self.token, self.ca_file.as_deref())
    }

    /// Stops the local server, if one was started.
    async fn close(self) {
        #[cfg(feature = "embedded")]
        if let Some(server) = self.local {
            server.shutdown().await;
        }
    }
}
