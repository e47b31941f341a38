//! The runtime: owns the terminal, the app and the API client. It turns
//! terminal events, ticks and API answers into [`Msg`]s, feeds them to
//! [`App::update`], executes the returned [`Command`]s (each request in a
//! tokio task of its own, answering through a channel) and redraws. The
//! terminal backend is a type parameter, so tests drive the real loop on a
//! `TestBackend`.

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::{App, Command, Msg, Reply};
use crate::components::form::Draft;
use crate::messages::SeenHealth;
use crate::remote::RequestId;
use crate::terminal::editor::{EditOutcome, editor_command, run_editor};
use futures::future::BoxFuture;

mod feed;
#[cfg(test)]
mod tests;

pub use feed::{FEED_RETRY, watch_changes};

/// How often a [`Msg::Tick`] arrives (retry countdowns count in ticks).
pub const TICK: Duration = Duration::from_secs(1);

/// Where copied text goes: stdout (OSC 52) in the binary, a list in tests.
pub type ClipboardSink = Box<dyn FnMut(&str) + Send>;

/// What rings the bell: BEL to the terminal in the binary
/// (`terminal::bell`), a count in tests, nothing by default.
pub type BellSink = Box<dyn FnMut() + Send>;

/// Runs a text through the user's editor and gives back the outcome: in
/// the binary with the terminal suspended around it (`lib::run`), in
/// tests as it is ([`plain_editor`]).
pub type TextEditor = Box<dyn FnMut(String) -> BoxFuture<'static, EditOutcome> + Send>;

/// The editor the environment names (`EDITOR`, `VISUAL`, `vi`), run
/// without touching the terminal: what a runtime uses unless told
/// otherwise.
pub fn plain_editor() -> TextEditor {
    Box::new(|text: String| {
        Box::pin(async move {
            let editor = editor_command(|name| std::env::var(name).ok());
            run_editor(&editor, &text).await
        })
    })
}

/// The event loop around one [`App`].
pub struct Runtime<B: Backend> {
    pub terminal: Terminal<B>,
    pub app: App,
    api: ApiClient,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    in_flight: usize,
    clipboard: ClipboardSink,
    /// Where a form's unsaved text goes when the app is ended from outside.
    pub drafts: Option<DraftStore>,
    /// Where the customers' health last shown is kept (`health-seen.json`);
    /// none keeps nothing (tests).
    pub seen_file: Option<std::path::PathBuf>,
    /// Where the outbox is kept for this server; none keeps nothing (tests).
    pub outbox_file: Option<crate::outbox::file::OutboxFile>,
    /// Runs a field's text through the user's editor (`ctrl-e`).
    pub editor: TextEditor,
    /// The key reader, paused by [`Runtime::editor`] and resumed here once
    /// the screen is cleared after an edit (none in tests).
    pub pump: Option<crate::terminal::EventPump>,
    /// The text [`Command::EditText`] asked to edit, run once the message
    /// that asked has been applied.
    pending_edit: Option<String>,
    /// Rings the bell ([`Command::Bell`]).
    pub bell: BellSink,
    /// A bell was asked for: rung after the next frame is drawn, never
    /// in the middle of one.
    bell_due: bool,
    /// The config file the settings were read from, where `:save` adds a
    /// view; none when no location is known.
    pub config_file: Option<std::path::PathBuf>,
}

impl<B: Backend> Runtime<B>
where
    B::Error: Send + Sync + 'static,
{
    /// A runtime drawing `app` on `terminal` and talking to `api`.
    pub fn new(terminal: Terminal<B>, app: App, api: ApiClient, clipboard: ClipboardSink) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Runtime {
            terminal,
            app,
            api,
            tx,
            rx,
            in_flight: 0,
            clipboard,
            drafts: None,
            seen_file: None,
            outbox_file: None,
            editor: plain_editor(),
            pump: None,
            pending_edit: None,
            bell: Box::new(|| {}),
            bell_due: false,
            config_file: None,
        }
    }

    /// Sends the start-up requests for the terminal's size.
    pub fn start(&mut self) -> anyhow::Result<()> {
        let size = self.terminal.size()?;
        self.dispatch(Msg::Resize(size.width, size.height));
        let commands = self.app.start();
        for command in commands {
            self.execute(command);
        }
        Ok(())
    }

    /// Lets `change` act on the app and executes the commands it returns
    /// (reopening a draft at start, for one).
    pub fn apply(&mut self, change: impl FnOnce(&mut App) -> Vec<Command>) {
        let commands = change(&mut self.app);
        for command in commands {
            self.execute(command);
        }
    }

    /// Applies one message and executes what it asks for.
    pub fn dispatch(&mut self, msg: Msg) {
        let commands = self.app.update(msg);
        for command in commands {
            self.execute(command);
        }
    }

    /// Draws the current state, then rings the bell if one was asked for
    /// (the frame is whole on the terminal by then).
    pub fn draw(&mut self) -> anyhow::Result<()> {
        let app = &self.app;
        self.terminal.draw(|frame| crate::view::draw(frame, app))?;
        if std::mem::take(&mut self.bell_due) {
            (self.bell)();
        }
        Ok(())
    }

    /// Waits until every request in flight has answered and been applied
    /// (answers may start new requests; those are waited for too), then
    /// draws. Tests use this instead of sleeping.
    pub async fn settle(&mut self) -> anyhow::Result<()> {
        self.edit_if_asked().await?;
        while self.in_flight > 0 {
            let Some(msg) = self.rx.recv().await else {
                break;
            };
            if msg.answers_request() {
                self.in_flight -= 1;
            }
            self.dispatch(msg);
            self.edit_if_asked().await?;
        }
        self.draw()
    }

    /// Runs the editor when a command asked for it, then redraws the
    /// whole terminal (the editor drew over it) and hands the outcome to
    /// the app. Keys typed meanwhile wait in the app until it is in.
    async fn edit_if_asked(&mut self) -> anyhow::Result<()> {
        let Some(text) = self.pending_edit.take() else {
            return Ok(());
        };
        let outcome = (self.editor)(text).await;
        let cleared = repaint_whole(&mut self.terminal);
        if let Some(pump) = &self.pump {
            pump.resume();
        }
        cleared?;
        self.dispatch(Msg::Edited(outcome));
        Ok(())
    }

    /// Runs until the app quits. `events` carries terminal events and
    /// signals as messages; its end (the terminal went away) quits too.
    pub async fn run(&mut self, mut events: mpsc::UnboundedReceiver<Msg>) -> anyhow::Result<()> {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        self.draw()?;
        while !self.app.quitting {
            let next = tokio::select! {
                event = events.recv() => Next::Event(event.unwrap_or(Msg::Terminate)),
                reply = self.rx.recv() => Next::Reply(reply),
                _ = ticks.tick() => Next::Event(Msg::Tick),
            };
            match next {
                Next::Event(msg) => self.dispatch(msg),
                Next::Reply(Some(msg)) => {
                    if msg.answers_request() {
                        self.in_flight = self.in_flight.saturating_sub(1);
                    }
                    self.dispatch(msg);
                }
                Next::Reply(None) => {}
            }
            // Apply whatever else is already waiting before drawing once.
            while let Ok(msg) = events.try_recv() {
                self.dispatch(msg);
            }
            self.edit_if_asked().await?;
            if !self.app.quitting {
                self.draw()?;
            }
        }
        Ok(())
    }

    fn execute(&mut self, command: Command) {
        match command {
            Command::Copy(text) => (self.clipboard)(&text),
            Command::SaveDraft(draft) => {
                if let Some(store) = &self.drafts {
                    store.save(&draft);
                }
            }
            Command::ReadSeen { request } => {
                // A small local file: read at once and answered through the
                // channel like any request, so `settle` waits for it.
                let seen = self.seen_file.as_deref().map(read_seen).unwrap_or_default();
                self.in_flight += 1;
                let _ = self.tx.send(Msg::Reply {
                    request,
                    reply: Reply::Seen(seen),
                });
            }
            Command::SaveView { request, view } => {
                // A few hundred bytes to a local file: written at once and
                // answered through the channel like any request.
                let saved = match &self.config_file {
                    Some(path) => crate::config::saved_views::add_view(path, &view)
                        .map(|()| (view, path.display().to_string()))
                        .map_err(|error| error.to_string()),
                    None => Err(crate::strings::SAVE_VIEW_NO_FILE.to_string()),
                };
                self.in_flight += 1;
                let _ = self.tx.send(Msg::Reply {
                    request,
                    reply: Reply::ViewSaved(saved),
                });
            }
            Command::KeepSeen(seen) => {
                if let Some(path) = &self.seen_file {
                    keep_seen(path, &seen);
                }
            }
            Command::KeepOutbox(entries) => {
                if let Some(file) = &self.outbox_file
                    && let Err(error) = file.save(&entries)
                {
                    self.app
                        .say(crate::strings::outbox_not_kept(&error.to_string()), true);
                }
            }
            Command::EditText(text) => self.pending_edit = Some(text),
            Command::Quit => self.app.quitting = true,
            Command::Bell => self.bell_due = true,
            Command::Export { request, job } => {
                self.in_flight += 1;
                let api = self.api.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let progress = |rows| {
                        let _ = tx.send(Msg::ExportProgress { request, rows });
                    };
                    let result = crate::export::run(&api, *job, progress).await;
                    let reply = Reply::Exported(result);
                    let _ = tx.send(Msg::Reply { request, reply });
                });
            }
            network => {
                self.in_flight += 1;
                let api = self.api.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    if let Some((request, reply)) = perform(&api, network).await {
                        // The receiver lives as long as the runtime; after
                        // it is gone nobody waits for this answer.
                        let _ = tx.send(Msg::Reply { request, reply });
                    }
                });
            }
        }
    }
}

/// A draft file: one form's unsaved text for one server.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredDraft {
    /// The server it belongs to (a URL, or the local database's path).
    origin: String,
    draft: Draft,
}

/// Where drafts are kept, and for which server.
#[derive(Debug, Clone)]
pub struct DraftStore {
    pub path: std::path::PathBuf,
    /// A remote server's URL or the local database's path: a draft is
    /// reopened only against the server it was typed for.
    pub origin: String,
}

impl DraftStore {
    /// Writes `draft`. Errors are ignored: the app is on its way out and
    /// has nowhere left to report them.
    pub fn save(&self, draft: &Draft) {
        let stored = StoredDraft {
            origin: self.origin.clone(),
            draft: draft.clone(),
        };
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_vec_pretty(&stored) {
            let _ = std::fs::write(&self.path, json);
        }
    }

    /// Takes the draft for this server, if one was kept (the file is
    /// removed, so a draft reopens once).
    pub fn take(&self) -> Option<Draft> {
        let bytes = std::fs::read(&self.path).ok()?;
        let stored: StoredDraft = serde_json::from_slice(&bytes).ok()?;
        if stored.origin != self.origin {
            return None;
        }
        let _ = std::fs::remove_file(&self.path);
        Some(stored.draft)
    }
}

enum Next {
    Event(Msg),
    Reply(Option<Msg>),
}

/// Sends one request and wraps its answer.
async fn perform(api: &ApiClient, command: Command) -> Option<(RequestId, Reply)> {
    Some(match command {
        Command::Me { request } => (request, Reply::Me(api.me().await)),
        Command::List {
            request,
            collection,
            query,
        } => (request, Reply::Page(api.list(collection, &query).await)),
        Command::Get {
            request,
            collection,
            id,
        } => (request, Reply::Record(api.get(collection, &id).await)),
        Command::Create {
            request,
            collection,
            under,
            body,
            idempotency_key,
        } => {
            let created = match under {
                None => api.create(collection, &body, &idempotency_key).await,
                Some(owner) => {
                    api.create_under(collection, &owner, &body, &idempotency_key)
                        .await
                }
            };
            (request, Reply::Record(created))
        }
        Command::Update {
            request,
            collection,
            id,
            version,
            patch,
        } => (
            request,
            Reply::Record(api.update(collection, &id, version, &patch).await),
        ),
        Command::Delete {
            request,
            collection,
            id,
            version,
        } => (
            request,
            Reply::Deleted(api.delete(collection, &id, version).await),
        ),
        Command::Rfc { request, call } => (request, Reply::Rfc(api.rfc(call).await)),
        Command::View { request, call } => (request, Reply::View(api.view(&call).await)),
        Command::Copy(_)
        | Command::SaveDraft(_)
        | Command::Export { .. }
        | Command::ReadSeen { .. }
        | Command::SaveView { .. }
        | Command::KeepSeen(_)
        | Command::KeepOutbox(_)
        | Command::EditText(_)
        | Command::Bell
        | Command::Quit => return None,
    })
}

/// The health states kept in `path`; none when the file is missing or
/// not the JSON object `rapport agenda` writes.
pub fn read_seen(path: &std::path::Path) -> SeenHealth {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes the health states to `path` in the format `rapport agenda`
/// reads. A failure loses only the next look's comparison, so it is
/// logged nowhere and never stops the app.
fn keep_seen(path: &std::path::Path, seen: &SeenHealth) {
    let Ok(text) = serde_json::to_string_pretty(seen) else {
        return;
    };
    let _ = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text));
}

/// Wipes the screen and forgets what was drawn, so the next frame is drawn
/// whole (the editor drew over it). Unlike `Terminal::clear` it does not
/// ask the terminal for its cursor: that answer has a two-second limit a
/// busy machine or a slow SSH link can miss, and a missed one would end
/// the session.
fn repaint_whole<B: Backend>(terminal: &mut Terminal<B>) -> Result<(), B::Error> {
    terminal
        .backend_mut()
        .clear_region(ratatui::backend::ClearType::All)?;
    // Each swap empties the buffer it leaves behind: after two, both are
    // empty and the next draw writes every cell.
    terminal.swap_buffers();
    terminal.swap_buffers();
    Ok(())
}
