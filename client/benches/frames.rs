//! How long the client takes to draw and to answer a key with a large RFC
//! queue: a frame of the queue at 80x24 and 200x60 with every row loaded
//! (`G`), and a key (`j`, `k`) through the real `update` and `view`.
//!
//!     cargo bench -p rapport-client --bench frames
//!     RAPPORT_BENCH_ROWS=2000 cargo bench -p rapport-client --bench frames

mod support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use rapport_client::messages::Msg;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{Synthetic, queue_app, rows};

fn frames(c: &mut Criterion) {
    let server = Synthetic { rfcs: rows() };
    for (width, height) in [(80u16, 24u16), (200, 60)] {
        let mut app = queue_app(&server, width, height);
        server.keys(&mut app, "G");
        let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
        c.bench_function(&format!("frame rfc queue {width}x{height}"), |b| {
            b.iter(|| {
                let drawn = terminal.draw(|frame| rapport_client::view::draw(frame, &app));
                black_box(drawn.is_ok())
            })
        });
        let mut down = true;
        c.bench_function(&format!("key to frame rfc queue {width}x{height}"), |b| {
            b.iter(|| {
                // Up and down at the end of the queue, so every key moves.
                let key = if down {
                    KeyCode::Char('k')
                } else {
                    KeyCode::Char('j')
                };
                down = !down;
                let commands = app.update(Msg::Key(KeyEvent::from(key)));
                server.settle(&mut app, commands);
                let drawn = terminal.draw(|frame| rapport_client::view::draw(frame, &app));
                black_box(drawn.is_ok())
            })
        });
    }
}

criterion_group!(benches, frames);
criterion_main!(benches);
