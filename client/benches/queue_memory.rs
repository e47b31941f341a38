//! The client's start and memory, printed (not a criterion benchmark: each
//! figure is one measurement of a whole process state):
//! - start to first populated frame: the embedded server opened on a demo
//!   database (seeded beforehand, as on every start after the first), the
//!   real runtime's start-up requests answered over loopback and the first
//!   frame drawn with the customers board's rows;
//! - resident memory after `G` on an RFC queue of `RAPPORT_BENCH_ROWS`
//!   rows (default 100,000), and the time `G` took.
//!
//!     cargo bench -p rapport-client --bench queue_memory

mod support;

use std::time::Instant;

use rapport_client::api::ApiClient;
use rapport_client::app::App;
use rapport_client::config::Settings;
use rapport_client::keymap::KeyMap;
use rapport_client::runtime::Runtime;
use rapport_client::theme::Theme;
use rapport_server::embedded::EmbeddedServer;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{Synthetic, queue_app, resident_kib, rows};

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once too.
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(first_frame())?;
    memory();
    Ok(())
}

async fn first_frame() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("rapport.db");
    let seeding = Instant::now();
    EmbeddedServer::start(&db, true).await?.shutdown().await;
    let seeded = seeding.elapsed();

    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        let server = EmbeddedServer::start(&db, true).await?;
        let api = ApiClient::new(&server.base_url, &server.admin_token)?;
        let app = App::new(
            &Settings::default(),
            KeyMap::default(),
            Theme::default(),
            &server.base_url,
        );
        let mut runtime = Runtime::new(
            Terminal::new(TestBackend::new(80, 24))?,
            app,
            api,
            Box::new(|_| {}),
        );
        runtime.start()?;
        runtime.settle().await?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let populated = runtime.app.board().is_some_and(|b| !b.rows.is_empty());
        drop(runtime);
        server.shutdown().await;
        anyhow::ensure!(populated, "the first frame showed no rows");
        best = best.min(elapsed);
    }
    println!(
        "first start with demo seeding: {:.1} ms",
        seeded.as_secs_f64() * 1000.0
    );
    println!("start to first populated frame (best of 5): {best:.1} ms");
    Ok(())
}

fn memory() {
    let count = rows();
    let before = resident_kib().unwrap_or(0);
    let server = Synthetic { rfcs: count };
    let mut app = queue_app(&server, 80, 24);
    let started = Instant::now();
    server.keys(&mut app, "G");
    let took = started.elapsed();
    let after = resident_kib().unwrap_or(0);
    let loaded = app.board().map_or(0, |b| b.base + b.selected + 1);
    println!(
        "G on {count} RFCs: {:.0} ms, selection at row {loaded}, resident {} MiB (process {} MiB before)",
        took.as_secs_f64() * 1000.0,
        after / 1024,
        before / 1024,
    );
}
