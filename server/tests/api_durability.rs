//! The real `rapportd` binary: a write answered 201 survives SIGKILL, SIGTERM
//! stops it cleanly with exit code 0, restarts keep the data, and
//! `seed --demo` fills an empty database and refuses a non-empty one.
//!
//! The server is asked to listen on port 0 and the port is read from its
//! "rapportd serving" log line, which is also the signal that it is ready.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rapport_server::store::sqlite::SqliteStore;
use rapport_server::store::{Filter, ListQuery, Store};
use rapport_shared::Collection;
use rapport_shared::enums::{RfcRoute, RfcStatus};
use rapport_shared::wire::Sort;

/// Safety net for anything that waits on the child; never a synchronisation.
const SAFETY_NET: Duration = Duration::from_secs(120);

/// A `rapportd` command with an environment that cannot leak in settings.
fn rapportd(home: &Path, db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapportd"));
    command
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .env_remove("RAPPORT_DB")
        .env_remove("RAPPORT_LISTEN")
        .env_remove("RAPPORT_MAX_BODY_BYTES")
        .arg("--db")
        .arg(db);
    command
}

fn run(mut command: Command) -> Output {
    command.output().expect("rapportd runs")
}

/// A running `rapportd serve`.
struct Served {
    child: Child,
    addr: String,
    /// The rest of its log, drained so the pipe never fills.
    _log: std::thread::JoinHandle<()>,
}

impl Served {
    fn start(home: &Path, db: &Path) -> Served {
        let mut child = rapportd(home, db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rapportd serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (lines, received) = mpsc::channel();
        let log = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                if lines.send(line).is_err() {
                    // Nobody listens any more; keep draining.
                    continue;
                }
            }
        });
        let mut seen = Vec::new();
        let addr = loop {
            match received.recv_timeout(SAFETY_NET) {
                Ok(line) => {
                    let plain = strip_ansi(&line);
                    if plain.contains("rapportd serving")
                        && let Some(addr) = listen_address(&plain)
                    {
                        break addr;
                    }
                    seen.push(plain);
                }
                Err(error) => {
                    let _ = child.kill();
                    panic!("rapportd never said it serves ({error}); its log: {seen:#?}");
                }
            }
        };
        Served {
            child,
            addr,
            _log: log,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        // Only kills a child this test started, and only if still running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `listen=127.0.0.1:PORT` out of a log line.
fn listen_address(line: &str) -> Option<String> {
    let start = line.find("listen=")? + "listen=".len();
    let rest = &line[start..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

/// Removes ANSI colour escapes, in case the logger colours anyway.
fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An answer from the tiny client.
struct Answer {
    status: u16,
    body: String,
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read
/// to the end.
fn call(addr: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connects to rapportd");
    stream
        .set_read_timeout(Some(SAFETY_NET))
        .expect("a read timeout");
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("the request is sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the answer is read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Answer {
        status,
        body: body.to_string(),
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

fn new_token(home: &Path, db: &Path) -> String {
    let mut command = rapportd(home, db);
    command.args(["token", "create", "--name", "t", "--permission", "admin"]);
    let output = run(command);
    assert!(
        output.status.success(),
        "token create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("the secret is text")
        .trim()
        .to_string()
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("rapport.sqlite");
    (dir, db)
}

#[test]
fn a_created_record_survives_sigkill_and_sigterm_exits_cleanly() {
    let (dir, db) = temp();
    let home = dir.path();
    let token = new_token(home, &db);
    assert!(token.starts_with("rpt_"), "{token}");

    let mut served = Served::start(home, &db);
    let created = call(
        &served.addr,
        "POST",
        "/api/v1/customers",
        &token,
        Some(r#"{"name": "Ministry of Finance", "code": "MOF"}"#),
    );
    // Killed the moment the 201 is in: the write was committed before it.
    served.child.kill().expect("SIGKILL is sent");
    assert_eq!(created.status, 201, "{}", created.body);
    let status = served.child.wait().expect("the killed server is reaped");
    assert!(!status.success());
    let id = json(&created.body)["id"]
        .as_str()
        .expect("the record has an id")
        .to_string();
    drop(served);

    let mut served = Served::start(home, &db);
    let read = call(
        &served.addr,
        "GET",
        &format!("/api/v1/customers/{id}"),
        &token,
        None,
    );
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(json(&read.body)["name"], "Ministry of Finance");
    let changed = call(
        &served.addr,
        "POST",
        "/api/v1/customers",
        &token,
        Some(r#"{"name": "Tax Agency", "code": "TAX"}"#),
    );
    assert_eq!(changed.status, 201, "{}", changed.body);

    // SIGTERM: a graceful stop with exit code 0, even with a change feed
    // open (the stream is ended, not waited for).
    let mut feed = TcpStream::connect(&served.addr).expect("connects to rapportd");
    feed.set_read_timeout(Some(SAFETY_NET))
        .expect("a read timeout");
    feed.write_all(
        format!(
            "GET /api/v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\r\n",
            served.addr
        )
        .as_bytes(),
    )
    .expect("the feed request is sent");
    let mut opened = Vec::new();
    while !String::from_utf8_lossy(&opened).contains("live from") {
        let mut buffer = [0u8; 1024];
        let read = feed.read(&mut buffer).expect("the feed answers");
        assert!(read > 0, "the feed closed at once");
        opened.extend_from_slice(&buffer[..read]);
    }
    assert!(String::from_utf8_lossy(&opened).starts_with("HTTP/1.1 200"));
    let term = Command::new("kill")
        .args(["-TERM", &served.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(term.success());
    let status = served.child.wait().expect("the server is reaped");
    assert!(status.success(), "SIGTERM exit: {status:?}");
    let mut rest = Vec::new();
    feed.read_to_end(&mut rest)
        .expect("the feed ends with the server");
    drop(served);

    // A third start still has both records.
    let served = Served::start(home, &db);
    let list = call(&served.addr, "GET", "/api/v1/customers", &token, None);
    assert_eq!(list.status, 200);
    let codes: Vec<String> = json(&list.body)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes, vec!["MOF", "TAX"]);
    let health = call(&served.addr, "GET", "/healthz", "", None);
    assert_eq!(health.status, 200);
}

fn count_query(collection: Collection, filters: Vec<Filter>) -> ListQuery {
    ListQuery {
        collection,
        filters,
        q: None,
        sort: Sort::Created,
        limit: 1,
        cursor: None,
    }
}

fn filter(param: &str, value: &str) -> Filter {
    Filter::is(param, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_demo_fills_an_empty_database_once() {
    let (dir, db) = temp();
    let home = dir.path();
    let mut command = rapportd(home, &db);
    command.args(["seed", "--demo"]);
    let seeded = run(command);
    assert!(
        seeded.status.success(),
        "seed failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );

    let store = SqliteStore::open(&db).expect("the seeded database opens");
    for (collection, expected) in [
        (Collection::Staff, 15),
        (Collection::Services, 10),
        (Collection::Teams, 4),
        (Collection::Customers, 12),
    ] {
        let count = store
            .count(count_query(collection, Vec::new()))
            .await
            .expect("counts");
        assert_eq!(count, expected, "{collection:?}");
    }
    let rfcs = store
        .count(count_query(Collection::Rfcs, Vec::new()))
        .await
        .expect("counts");
    assert!((55..=65).contains(&rfcs), "about 60 RFCs, got {rfcs}");
    for status in RfcStatus::names() {
        let count = store
            .count(count_query(
                Collection::Rfcs,
                vec![filter("status", status)],
            ))
            .await
            .expect("counts");
        assert!(count > 0, "no demo RFC is {status}");
    }
    for route in RfcRoute::names() {
        let count = store
            .count(count_query(Collection::Rfcs, vec![filter("route", route)]))
            .await
            .expect("counts");
        assert!(count > 0, "no demo RFC on {route}");
    }
    // Every team has its customers; every customer has contacts.
    let contacts = store
        .count(count_query(Collection::Contacts, Vec::new()))
        .await
        .expect("counts");
    assert!(contacts >= 12, "{contacts} contacts");
    drop(store);

    // A second seed refuses, says why, and changes nothing.
    let mut command = rapportd(home, &db);
    command.args(["seed", "--demo"]);
    let again = run(command);
    assert!(!again.status.success());
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(
        message.contains("already holds records"),
        "unclear refusal: {message}"
    );
    let store = SqliteStore::open(&db).expect("the database opens");
    let staff = store
        .count(count_query(Collection::Staff, Vec::new()))
        .await
        .expect("counts");
    assert_eq!(staff, 15);

    // Without --demo it says what to type.
    let (other_dir, other_db) = temp();
    let mut command = rapportd(other_dir.path(), &other_db);
    command.arg("seed");
    let bare = run(command);
    assert!(!bare.status.success());
    assert!(String::from_utf8_lossy(&bare.stderr).contains("seed --demo"));
}
