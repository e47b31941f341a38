//! The real `rapportd` binary for the tests that run it as a process
//! (crash loop, backups): commands with an environment that cannot leak
//! in settings, a served instance read from its "rapportd serving" log
//! line, and a tiny blocking HTTP client that reports a dead server as an
//! error rather than panicking.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Safety net for anything that waits on the child; never a synchronisation.
pub const SAFETY_NET: Duration = Duration::from_secs(120);

/// A `rapportd` command on `db`, its settings from nowhere else.
pub fn rapportd(home: &Path, db: &Path) -> Command {
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

pub fn run(mut command: Command) -> Output {
    command.output().expect("rapportd runs")
}

/// A new token's secret, made by `rapportd token create`.
pub fn new_token(home: &Path, db: &Path, permission: &str) -> String {
    let mut command = rapportd(home, db);
    command.args([
        "token",
        "create",
        "--name",
        permission,
        "--permission",
        permission,
    ]);
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

/// A running `rapportd serve`, killed when dropped if still running.
pub struct Served {
    pub child: Child,
    pub addr: String,
    _log: std::thread::JoinHandle<()>,
}

impl Served {
    pub fn start(home: &Path, db: &Path) -> Served {
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
                // Nobody listening any more is fine: keep draining.
                let _ = lines.send(line);
            }
        });
        let mut seen = Vec::new();
        let addr = loop {
            match received.recv_timeout(SAFETY_NET) {
                Ok(line) => {
                    if line.contains("rapportd serving")
                        && let Some(addr) = listen_address(&line)
                    {
                        break addr;
                    }
                    seen.push(line);
                }
                Err(error) => {
                    let _ = child.kill();
                    let _ = child.wait();
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

    /// SIGKILL, and reap it.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL is sent");
        let _ = self.child.wait();
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

/// An answer from the tiny client.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read
/// to the end; `Err` when the server is gone (refused, reset, cut short).
pub fn call(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(SAFETY_NET))?;
    let body = body.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "answer cut short");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(cut)?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(cut)?;
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    if length.is_some_and(|length| body.len() < length) {
        return Err(cut());
    }
    Ok(Answer {
        status,
        body: body.to_string(),
    })
}

/// Every customer's id and version, page by page, from a served instance.
pub fn customer_versions(addr: &str, token: &str) -> std::collections::HashMap<String, i64> {
    let mut versions = std::collections::HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/api/v1/customers?limit=500&cursor={cursor}"),
            None => "/api/v1/customers?limit=500".to_string(),
        };
        let page = call(addr, "GET", &path, token, &[], None).expect("the server answers");
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        for item in page["items"].as_array().expect("items") {
            let id = item["id"].as_str().expect("an id").to_string();
            let version = item["version"].as_i64().expect("a version");
            versions.insert(id, version);
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return versions,
        }
    }
}

/// `PRAGMA integrity_check` on the database file (nobody serving it).
pub fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .expect("prepares")
        .query_map([], |row| row.get::<_, String>(0))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("reads");
    lines.join("; ")
}
