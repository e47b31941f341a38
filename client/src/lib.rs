//! rapport: the keyboard-first terminal client. One-way data flow: events
//! become messages, `update` changes the model, `view` draws it; network
//! I/O runs in tokio tasks that answer with messages.
//!
//! Modules, in reading order:
//! - [`config`]: layered settings (defaults < file < profile < env < flags).
//! - [`keymap`]: actions, default keys, overrides; the help is built from it.
//! - [`strings`]: every user-visible sentence.
//! - [`theme`]: 16-colour styles, `NO_COLOR`, plain glyphs.
//! - [`api`]: the REST client, the only module that uses reqwest.
//! - [`remote`]: load states tagged with request ids.
//! - [`messages`]: [`messages::Msg`] in, [`messages::Command`] out, the
//!   API answers ([`messages::Reply`]).
//! - [`lookup`]: labels for ids, learnt from every list that arrives.
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

pub mod api;
pub mod app;
pub mod clipboard;
pub mod components;
pub mod config;
pub mod keymap;
pub mod layout;
pub mod lookup;
pub mod messages;
pub mod remote;
pub mod runtime;
pub mod screens;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod view;

/// Re-exported so end-to-end tests drive the app with the same key and
/// backend types.
pub use crossterm;
pub use ratatui;

#[cfg(test)]
mod fixtures;

use std::io::Write;

use anyhow::Context;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::App;
use crate::config::Settings;
use crate::keymap::KeyMap;
use crate::runtime::Runtime;
use crate::theme::Theme;
use rapport_server::embedded::EmbeddedServer;

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Runs the client with merged `settings` until the user quits.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let keymap = KeyMap::with_overrides(&settings.keys)?;
    screens::rfcs::views::all(&settings.views)?;
    let theme = Theme::new(&settings.theme, no_color());

    let mut embedded = None;
    let mut origin = settings.server_url.clone().unwrap_or_default();
    let (base_url, token) = match settings
        .server_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => {
            let token = config::resolve_token(&settings)?
                .context("no API token: set `token` or `token_command` in the config, RAPPORT_TOKEN, or --token")?;
            (url.to_string(), token)
        }
        None => {
            let db = config::database_path(&settings)
                .context("cannot find a data directory for the local database; pass --db PATH")?;
            if let Some(dir) = db.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            origin = format!("local {}", db.display());
            let server = EmbeddedServer::start(&db, settings.demo)
                .await
                .with_context(|| format!("cannot start the local server over {}", db.display()))?;
            let pair = (server.base_url.clone(), server.admin_token.clone());
            embedded = Some(server);
            pair
        }
    };
    let api = ApiClient::new(&base_url, &token)?;
    let shown = if embedded.is_some() {
        format!("local {base_url}")
    } else {
        base_url.clone()
    };
    let app = App::new(&settings, keymap, theme, &shown);

    let (terminal, guard) = terminal::setup(settings.mouse)?;
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    terminal::signals(events_tx.clone())?;
    let feed = runtime::watch_changes(api.clone(), events_tx.clone());
    terminal::events(events_tx);
    let inside_tmux = std::env::var_os("TMUX").is_some();
    let clipboard: runtime::ClipboardSink = Box::new(move |text: &str| {
        let mut stdout = std::io::stdout();
        // A failed copy is not worth stopping for; the status line already
        // showed what was meant to be copied.
        let _ = stdout.write_all(clipboard::osc52(text, inside_tmux).as_bytes());
        let _ = stdout.flush();
    });
    let mut runtime = Runtime::new(terminal, app, api, clipboard);
    runtime.drafts = config::default_draft_file().map(|path| runtime::DraftStore {
        path,
        origin: origin.clone(),
    });
    runtime.start()?;
    if let Some(draft) = runtime.drafts.as_ref().and_then(runtime::DraftStore::take) {
        runtime.apply(|app| app.restore_draft(&draft));
    }
    let result = runtime.run(events_rx).await;
    drop(runtime);
    drop(guard);
    // The feed is a request that never ends: stop it before the server.
    feed.abort();
    if let Some(server) = embedded {
        server.shutdown().await;
    }
    result
}
