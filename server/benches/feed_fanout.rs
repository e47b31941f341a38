//! What a thousand live clients cost the server: durable RFC creates are
//! measured with no subscriber, then with `RAPPORT_BENCH_SUBSCRIBERS`
//! (default 1,000) streams of `GET /api/v1/events` open on the same
//! server, and finally single creates are timed from the commit (the
//! create's answer) to the moment the last subscriber has its event.
//!
//!     cargo bench -p rapport-server --bench feed_fanout
//!
//! Everything runs in this process on 127.0.0.1: the server on the demo
//! data in a temporary directory, the writers and the subscribers speaking
//! plain HTTP/1.1 over their own connections. Figures are printed; see
//! BENCHMARKS.md for the last run.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::http::Limits;
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

/// Connections creating RFCs at once.
const WRITERS: usize = 16;
/// How long each throughput phase creates RFCs.
const PHASE: Duration = Duration::from_secs(10);
/// Single creates timed to the last subscriber's receipt.
const PROBES: usize = 50;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(bench(env_usize("RAPPORT_BENCH_SUBSCRIBERS", 1_000)))
}

/// A server on the demo data and an admin token for it.
struct Server {
    addr: SocketAddr,
    token: String,
    _dir: tempfile::TempDir,
}

async fn start_server(subscribers: usize) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir().context("a temporary directory")?;
    let path = dir.path().join("feed.db");
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path)).await??;
    let store: Arc<dyn Store> = Arc::new(store);
    rapport_server::seed::seed_demo(store.as_ref()).await?;
    let token = new_secret();
    store
        .create_token("bench".into(), Permission::Admin, None, hash_secret(&token))
        .await?;
    let listener = rapport_server::http::listen(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = listener.local_addr()?;
    // Every subscriber and writer comes from 127.0.0.1.
    let connections = subscribers + WRITERS + 64;
    let settings = rapport_server::Settings {
        limits: Limits {
            max_connections: connections,
            max_connections_per_client: connections,
            ..Limits::default()
        },
        ..rapport_server::Settings::default()
    };
    tokio::spawn(rapport_server::run_settings(
        listener,
        store,
        settings,
        std::future::pending(),
    ));
    Ok(Server {
        addr,
        token,
        _dir: dir,
    })
}

/// One keep-alive connection sending requests and reading whole answers.
struct Connection {
    reader: BufReader<OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Connection {
    async fn open(addr: SocketAddr) -> anyhow::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (read, writer) = stream.into_split();
        Ok(Connection {
            reader: BufReader::new(read),
            writer,
        })
    }

    /// Sends one request; returns the status and the body.
    async fn call(
        &mut self,
        method: &str,
        target: &str,
        token: &str,
        body: &str,
    ) -> anyhow::Result<(u16, String)> {
        let request = format!(
            "{method} {target} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.writer.write_all(request.as_bytes()).await?;
        let status = read_head(&mut self.reader).await?;
        let length = status.content_length.context("an answer without length")?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await?;
        Ok((status.code, String::from_utf8_lossy(&body).into_owned()))
    }
}

struct Head {
    code: u16,
    content_length: Option<usize>,
}

async fn read_head(reader: &mut BufReader<OwnedReadHalf>) -> anyhow::Result<Head> {
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let code = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("a status line: {line:?}"))?;
    let mut content_length = None;
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            bail!("the connection closed in a head");
        }
        let header = line.trim_end();
        if header.is_empty() {
            return Ok(Head {
                code,
                content_length,
            });
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().ok();
        }
    }
}

/// What the subscribers have seen, for the probes.
#[derive(Default)]
struct Seen {
    /// The change the current probe waits for: each subscriber that first
    /// sees a later one counts in `reached`.
    target: AtomicI64,
    reached: AtomicUsize,
    /// When the last subscriber reached the target.
    all_at: Mutex<Option<Instant>>,
    /// Events received by all subscribers, and the newest change any saw.
    events: AtomicUsize,
    head: AtomicI64,
}

/// One `GET /api/v1/events` stream, reading its events until the process
/// ends.
async fn subscribe(
    addr: SocketAddr,
    token: String,
    seen: Arc<Seen>,
    total: usize,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let mut connection = Connection::open(addr).await?;
    let request = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    connection.writer.write_all(request.as_bytes()).await?;
    let head = read_head(&mut connection.reader).await?;
    if head.code != 200 {
        bail!("the event stream answered {}", head.code);
    }
    Ok(tokio::spawn(async move {
        let _writer = connection.writer;
        let mut reader = connection.reader;
        // Read as cheaply as a client can, so that the figure is the
        // server's cost: whole reads, the events counted and the newest id
        // found per read, not per line.
        let mut buffer = vec![0_u8; 64 * 1024];
        let mut last = 0_i64;
        loop {
            let read = match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => read,
            };
            let bytes = &buffer[..read];
            let events = bytes.windows(5).filter(|w| w == b"\nid: ").count();
            let Some(id) = newest_id(bytes) else { continue };
            seen.events.fetch_add(events, Ordering::Relaxed);
            seen.head.fetch_max(id, Ordering::AcqRel);
            let target = seen.target.load(Ordering::Acquire);
            if last <= target && id > target {
                let reached = seen.reached.fetch_add(1, Ordering::AcqRel) + 1;
                if reached == total
                    && let Ok(mut all_at) = seen.all_at.lock()
                {
                    *all_at = Some(Instant::now());
                }
            }
            last = last.max(id);
        }
    }))
}

/// The id of the last `id: N` line in `bytes`, when one is there whole.
fn newest_id(bytes: &[u8]) -> Option<i64> {
    let start = bytes.windows(5).rposition(|w| w == b"\nid: ")? + 5;
    let digits = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    std::str::from_utf8(&bytes[start..start + digits])
        .ok()?
        .parse()
        .ok()
}

const RFC: &str = r#"{"customer_id":"CUSTOMER","title":"Fan-out bench request"}"#;

/// Creates RFCs from [`WRITERS`] connections for [`PHASE`]; creates per second.
async fn throughput(server: &Server, body: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let mut connection = Connection::open(server.addr).await?;
        let token = server.token.clone();
        let body = body.to_string();
        writers.push(tokio::spawn(async move {
            let mut created = 0_usize;
            while started.elapsed() < PHASE {
                match connection.call("POST", "/api/v1/rfcs", &token, &body).await {
                    Ok((201, _)) => created += 1,
                    Ok((code, answer)) => return Err(anyhow::anyhow!("{code}: {answer}")),
                    Err(error) => return Err(error),
                }
            }
            Ok(created)
        }));
    }
    let mut created = 0;
    for writer in writers {
        created += writer.await??;
    }
    Ok(created as f64 / started.elapsed().as_secs_f64())
}

/// A customer of the demo data, for the creates.
async fn customer_id(server: &Server) -> anyhow::Result<String> {
    let mut connection = Connection::open(server.addr).await?;
    let (code, body) = connection
        .call("GET", "/api/v1/customers?limit=1", &server.token, "")
        .await?;
    if code != 200 {
        bail!("listing customers answered {code}: {body}");
    }
    let page: serde_json::Value = serde_json::from_str(&body)?;
    page["items"][0]["id"]
        .as_str()
        .map(str::to_string)
        .context("a customer in the demo data")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

async fn bench(subscribers: usize) -> anyhow::Result<()> {
    let server = start_server(subscribers).await?;
    let body = RFC.replace("CUSTOMER", &customer_id(&server).await?);

    let alone = throughput(&server, &body).await?;
    println!("creates/s, no subscriber:        {alone:8.0}");

    let seen = Arc::new(Seen::default());
    seen.target.store(i64::MAX, Ordering::Release);
    let mut streams = Vec::new();
    for _ in 0..subscribers {
        streams
            .push(subscribe(server.addr, server.token.clone(), seen.clone(), subscribers).await?);
    }
    let watched = throughput(&server, &body).await?;
    println!("creates/s, {subscribers} subscribers:    {watched:8.0}");
    println!(
        "cost of the subscribers:         {:7.1} %",
        (1.0 - watched / alone) * 100.0
    );
    println!(
        "events received in that phase:  {:9}",
        seen.events.load(Ordering::Relaxed)
    );

    // Let the streams drain the burst before timing single creates.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut connection = Connection::open(server.addr).await?;
    let mut to_last = Vec::new();
    for _ in 0..PROBES {
        let before = seen.events.load(Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(20)).await;
        if seen.events.load(Ordering::Relaxed) != before {
            continue;
        }
        // Quiet: every subscriber holds the newest change, so the next
        // create's change is the first one past it for all.
        seen.reached.store(0, Ordering::Release);
        if let Ok(mut all_at) = seen.all_at.lock() {
            *all_at = None;
        }
        seen.target
            .store(seen.head.load(Ordering::Acquire), Ordering::Release);
        let (code, answer) = connection
            .call("POST", "/api/v1/rfcs", &server.token, &body)
            .await?;
        let committed = Instant::now();
        if code != 201 {
            bail!("a probe create answered {code}: {answer}");
        }
        let deadline = committed + Duration::from_secs(10);
        loop {
            let all_at = seen.all_at.lock().ok().and_then(|at| *at);
            if let Some(at) = all_at {
                to_last.push(at.saturating_duration_since(committed));
                break;
            }
            if Instant::now() > deadline {
                bail!(
                    "only {} of {subscribers} subscribers saw a create within 10 s",
                    seen.reached.load(Ordering::Relaxed)
                );
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
    to_last.sort();
    println!(
        "commit to the last of {subscribers} receipts ({} probes): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        to_last.len(),
        percentile(&to_last, 0.5).as_secs_f64() * 1e3,
        percentile(&to_last, 0.99).as_secs_f64() * 1e3,
        to_last.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    drop(streams);
    Ok(())
}
