//! Driving the real client against a real server: [`ClientHarness`]
//! starts a seeded embedded server over a temporary database and the
//! client's runtime on a `TestBackend`, sends key events and waits, without
//! sleeping, until every request they caused has been answered.

use std::sync::{Arc, Mutex};

use rapport_client::api::ApiClient;
use rapport_client::app::{App, ConfirmAction, Msg};
use rapport_client::components::confirm::Confirm;
use rapport_client::config::Settings;
use rapport_client::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_client::keymap::KeyMap;
use rapport_client::ratatui::Terminal;
use rapport_client::ratatui::backend::TestBackend;
use rapport_client::runtime::Runtime;
use rapport_client::screens::ScreenId;
use rapport_client::screens::rfcs::{RfcOverlay, RfcScreen};
use rapport_client::theme::Theme;
use rapport_server::embedded::EmbeddedServer;

/// Whatever overlay is open, the app's or the RFC queue's, as one value.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The help or the palette.
    Other,
    Confirm(Confirm<ConfirmAction>),
    Rfc(RfcOverlay),
}

/// A real server and the real client app wired to it.
pub struct ClientHarness {
    pub runtime: Runtime<TestBackend>,
    /// A second client of the same server, to check records and to make
    /// changes "someone else" makes.
    pub api: ApiClient,
    /// What the app copied to the clipboard.
    pub copies: Arc<Mutex<Vec<String>>>,
    server: Option<EmbeddedServer>,
    _dir: tempfile::TempDir,
}

impl ClientHarness {
    /// Starts a server seeded with the demo data and the client on a
    /// `width` x `height` test terminal, and waits for the first screen.
    pub async fn start(width: u16, height: u16) -> anyhow::Result<ClientHarness> {
        let dir = tempfile::tempdir()?;
        let server = EmbeddedServer::start(&dir.path().join("client.db"), true).await?;
        let api = ApiClient::new(&server.base_url, &server.admin_token)?;
        let settings = Settings::default();
        let app = App::new(
            &settings,
            KeyMap::default(),
            Theme::default(),
            &server.base_url,
        );
        let terminal = Terminal::new(TestBackend::new(width, height))?;
        let copies = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&copies);
        let clipboard = Box::new(move |text: &str| {
            if let Ok(mut copies) = sink.lock() {
                copies.push(text.to_string());
            }
        });
        let mut runtime = Runtime::new(terminal, app, api.clone(), clipboard);
        runtime.start()?;
        runtime.settle().await?;
        Ok(ClientHarness {
            runtime,
            api,
            copies,
            server: Some(server),
            _dir: dir,
        })
    }

    /// Presses one key and waits for everything it caused.
    pub async fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> anyhow::Result<()> {
        self.runtime
            .dispatch(Msg::Key(KeyEvent::new(code, modifiers)));
        self.runtime.settle().await
    }

    /// Types `text` one character at a time.
    pub async fn type_text(&mut self, text: &str) -> anyhow::Result<()> {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE).await?;
        }
        Ok(())
    }

    /// Types `text` in one burst, as fast hands do: every key is sent
    /// before any answer is read, then everything they caused is waited
    /// for. (`type_text` waits after each key.)
    pub async fn burst(&mut self, text: &str) -> anyhow::Result<()> {
        for c in text.chars() {
            self.runtime.dispatch(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        self.runtime.settle().await
    }

    /// Presses a key with Ctrl.
    pub async fn ctrl(&mut self, c: char) -> anyhow::Result<()> {
        self.key(KeyCode::Char(c), KeyModifiers::CONTROL).await
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        screen_text(self.runtime.terminal.backend().buffer())
    }

    /// The RFC queue screen.
    pub fn queue(&self) -> &RfcScreen {
        self.runtime
            .app
            .screens
            .typed(ScreenId::Rfcs)
            .expect("the RFC queue is registered")
    }

    /// The open overlay, if any.
    pub fn overlay(&self) -> Option<Overlay> {
        match &self.runtime.app.overlay {
            Some(rapport_client::app::Overlay::Confirm(confirm)) => {
                Some(Overlay::Confirm(confirm.clone()))
            }
            Some(_) => Some(Overlay::Other),
            None => self.queue().overlay.clone().map(Overlay::Rfc),
        }
    }

    /// The first page of `collection` records whose `q` search matches
    /// `q`, read from the server through the second API client.
    pub async fn find(
        &self,
        collection: rapport_shared::Collection,
        q: &str,
    ) -> anyhow::Result<Vec<rapport_client::api::Record>> {
        let query = rapport_client::api::ListQuery {
            limit: 50,
            q: Some(q.to_string()),
            ..rapport_client::api::ListQuery::default()
        };
        Ok(self.api.list(collection, &query).await?.items)
    }

    /// Sends `body` (or nothing) to `path` under the server as the admin,
    /// for the calls the API client has no method for (a survey's
    /// responses, views); the status and the JSON answer (null if none).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> anyhow::Result<(u16, serde_json::Value)> {
        let server = self
            .server
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the server was shut down"))?;
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", server.base_url))
            .bearer_auth(&server.admin_token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        Ok((status, json))
    }

    /// Stops the server.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}

/// A drawn buffer as text, one line per row.
pub fn screen_text(buffer: &rapport_client::ratatui::buffer::Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer.content.iter().map(|cell| cell.symbol()).collect();
    symbols
        .chunks(width.max(1))
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}
