//! End to end: the real client app against a real server that goes away
//! and comes back (restarted over the same database, behind one URL):
//! writes made meanwhile are queued, kept on disk, and arrive exactly
//! once on reconnect; a queued edit meeting a newer version ends in the
//! conflict dialog. And two clients: one sees the other's change live.

use std::sync::{Arc, Mutex};

use rapport_client::api::{ApiClient, ListQuery, Record, record_id, record_version, text};
use rapport_client::app::{App, Msg, RETRY_SECS};
use rapport_client::config::Settings;
use rapport_client::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rapport_client::keymap::KeyMap;
use rapport_client::outbox::file::OutboxFile;
use rapport_client::ratatui::Terminal;
use rapport_client::ratatui::backend::TestBackend;
use rapport_client::runtime::Runtime;
use rapport_client::screens::ScreenId;
use rapport_client::theme::Theme;
use rapport_server::embedded::EmbeddedServer;
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::Collection;
use rapport_tests::switch::Switch;

struct Outage {
    runtime: Runtime<TestBackend>,
    /// Straight to the server (not through the switch), as a colleague.
    server: Option<EmbeddedServer>,
    switch: Switch,
    file: OutboxFile,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Outage {
    async fn start() -> anyhow::Result<Outage> {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("outage.db");
        let server = EmbeddedServer::start(&db, true).await?;
        let switch = Switch::start(server.addr).await?;
        let api = ApiClient::new(&switch.url, &server.admin_token)?;
        let app = App::new(
            &Settings::default(),
            KeyMap::default(),
            Theme::default(),
            &switch.url,
        );
        let terminal = Terminal::new(TestBackend::new(120, 40))?;
        let mut runtime = Runtime::new(terminal, app, api, Box::new(|_: &str| {}));
        let file = OutboxFile::in_dir(dir.path(), &switch.url);
        runtime.outbox_file = Some(file.clone());
        runtime.start()?;
        runtime.settle().await?;
        Ok(Outage {
            runtime,
            server: Some(server),
            switch,
            file,
            db,
            _dir: dir,
        })
    }

    async fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> anyhow::Result<()> {
        self.runtime
            .dispatch(Msg::Key(KeyEvent::new(code, modifiers)));
        self.runtime.settle().await
    }

    async fn type_text(&mut self, text: &str) -> anyhow::Result<()> {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE).await?;
        }
        Ok(())
    }

    /// The server goes away.
    async fn stop(&mut self) {
        self.switch.point(None);
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// The server comes back over the same database (on another port,
    /// behind the same URL); the client's retry countdown runs out.
    async fn restart(&mut self) -> anyhow::Result<ApiClient> {
        let server = EmbeddedServer::start(&self.db, true).await?;
        self.switch.point(Some(server.addr));
        let api = ApiClient::new(&server.base_url, &server.admin_token)?;
        self.server = Some(server);
        for _ in 0..=RETRY_SECS {
            self.runtime.dispatch(Msg::Tick);
            self.runtime.settle().await?;
        }
        Ok(api)
    }

    fn screen(&self) -> String {
        rapport_tests::client::screen_text(self.runtime.terminal.backend().buffer())
    }
}

async fn find(api: &ApiClient, collection: Collection, q: &str) -> anyhow::Result<Vec<Record>> {
    let query = ListQuery {
        limit: 50,
        q: Some(q.to_string()),
        ..ListQuery::default()
    };
    Ok(api.list(collection, &query).await?.items)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_made_while_the_server_is_away_arrive_once_in_order() -> anyhow::Result<()> {
    let mut o = Outage::start().await?;
    // The RFC queue loaded while the server is there; select a new RFC.
    o.type_text("6").await?;
    let board = o
        .runtime
        .app
        .screens
        .board(ScreenId::Rfcs)
        .ok_or_else(|| anyhow::anyhow!("the queue is a board"))?;
    let at = board
        .order
        .iter()
        .position(|i| {
            board
                .rows
                .get(*i)
                .is_some_and(|r| text(r, "status") == "new")
        })
        .ok_or_else(|| anyhow::anyhow!("a new RFC is seeded"))?;
    let rfc = board.rows[board.order[at]].clone();
    for _ in 0..at {
        o.type_text("j").await?;
    }

    // Where the change sequence stands before the outage: the order is
    // read from there (the demo's own changes are dated weeks back, beyond
    // the feed's retention, so a replay from 0 is told to resync).
    let before = SqliteStore::open(&o.db)?.last_seq().await?;
    o.stop().await;
    // A transition (triage, route change management).
    o.type_text("tc").await?;
    assert_eq!(o.runtime.app.outbox.entries.len(), 1, "{}", o.screen());
    // An edit of the first customer.
    o.type_text("1g").await?;
    let mof = o
        .runtime
        .app
        .board()
        .and_then(|b| b.selected_record().cloned())
        .ok_or_else(|| anyhow::anyhow!("a customer"))?;
    o.type_text("e").await?;
    o.type_text(" HQ").await?;
    o.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await?;
    // A create.
    o.type_text("n").await?;
    o.type_text("Outage Agency").await?;
    o.key(KeyCode::Tab, KeyModifiers::NONE).await?;
    o.type_text("OUTG").await?;
    o.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await?;
    assert_eq!(o.runtime.app.outbox.entries.len(), 3, "{}", o.screen());
    // Kept on disk, as a kill -9 now would find it.
    assert_eq!(o.file.load()?.len(), 3);

    let api = o.restart().await?;
    assert!(o.runtime.app.outbox.entries.is_empty(), "{}", o.screen());
    assert!(o.file.load()?.is_empty());
    // Each arrived exactly once.
    let created = find(&api, Collection::Customers, "OUTG").await?;
    assert_eq!(created.len(), 1, "{created:?}");
    let edited = api.get(Collection::Customers, record_id(&mof)).await?;
    assert!(text(&edited, "name").ends_with(" HQ"), "{edited:?}");
    assert_eq!(record_version(&edited), record_version(&mof) + 1);
    let moved = api.get(Collection::Rfcs, record_id(&rfc)).await?;
    assert_ne!(text(&moved, "status"), "new");
    assert_eq!(record_version(&moved), record_version(&rfc) + 1);
    // In order: the transition's, the edit's and the create's changes
    // follow one another in the server's change sequence.
    let mut feed = api.change_feed(Some(&before.to_string())).await?;
    let mut order = Vec::new();
    while order.len() < 3 {
        let Some(change) = feed.next().await? else {
            break;
        };
        let ours = [
            (record_id(&rfc), record_version(&moved)),
            (record_id(&mof), record_version(&edited)),
            (record_id(&created[0]), 1),
        ];
        if let Some(at) = ours
            .iter()
            .position(|(id, version)| *id == change.id && *version == change.version)
            && !order.contains(&at)
        {
            order.push(at);
        }
    }
    assert_eq!(order, vec![0, 1, 2]);
    // Nothing is sent again later.
    o.runtime.dispatch(Msg::Tick);
    o.runtime.settle().await?;
    assert_eq!(find(&api, Collection::Customers, "OUTG").await?.len(), 1);
    o.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_edit_meeting_a_newer_version_ends_in_the_conflict_dialog() -> anyhow::Result<()> {
    let mut o = Outage::start().await?;
    let mof = o
        .runtime
        .app
        .board()
        .and_then(|b| b.selected_record().cloned())
        .ok_or_else(|| anyhow::anyhow!("a customer"))?;
    o.stop().await;
    o.type_text("e").await?;
    o.type_text(" HQ").await?;
    o.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await?;
    assert_eq!(o.runtime.app.outbox.entries.len(), 1, "{}", o.screen());

    // Meanwhile a colleague changes the same customer.
    let server = EmbeddedServer::start(&o.db, true).await?;
    let colleague = ApiClient::new(&server.base_url, &server.admin_token)?;
    let mut patch = serde_json::Map::new();
    patch.insert("kind".into(), serde_json::json!("municipality"));
    colleague
        .update(
            Collection::Customers,
            record_id(&mof),
            record_version(&mof),
            &patch,
        )
        .await?;
    server.shutdown().await;

    o.restart().await?;
    let screen = o.screen();
    assert!(screen.contains("Changed on the server"), "{screen}");
    assert!(screen.contains("municipality"), "{screen}");
    assert_eq!(o.runtime.app.outbox.entries.len(), 1, "kept until resolved");
    // Reload and reapply, save: the entry is done.
    o.type_text("r").await?;
    o.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await?;
    assert!(o.runtime.app.outbox.entries.is_empty(), "{}", o.screen());
    o.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_sees_the_others_change_live() -> anyhow::Result<()> {
    let mut first = Outage::start().await?;
    let server = first
        .server
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("running"))?;
    // The second client: the same app, following the change feed.
    let api = ApiClient::new(&server.base_url, &server.admin_token)?;
    let app = App::new(
        &Settings::default(),
        KeyMap::default(),
        Theme::default(),
        &server.base_url,
    );
    let terminal = Terminal::new(TestBackend::new(120, 40))?;
    let mut second = Runtime::new(terminal, app, api.clone(), Box::new(|_: &str| {}));
    second.start()?;
    second.settle().await?;
    let (tx, mut changes) = tokio::sync::mpsc::unbounded_channel();
    let feed = rapport_client::runtime::watch_changes(api, tx);
    // Wait for the feed to be open before the change is made.
    loop {
        match changes.recv().await {
            Some(Msg::FeedOpened) => break,
            Some(_) => {}
            None => anyhow::bail!("the feed ended"),
        }
    }

    // The first client renames the first customer.
    first.type_text("g").await?;
    first.type_text("e").await?;
    first.type_text(" Live").await?;
    first.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await?;
    let seen = Arc::new(Mutex::new(false));
    // The second sees it without a key: each change as it arrives.
    while let Some(msg) = changes.recv().await {
        let is_change = matches!(msg, Msg::Changed(_));
        second.dispatch(msg);
        second.settle().await?;
        let buffer = second.terminal.backend().buffer();
        let shown: String = buffer.content.iter().map(|c| c.symbol()).collect();
        if is_change && shown.contains(" Live") {
            if let Ok(mut seen) = seen.lock() {
                *seen = true;
            }
            break;
        }
    }
    feed.abort();
    assert!(seen.lock().map(|s| *s).unwrap_or(false));
    first.stop().await;
    Ok(())
}
