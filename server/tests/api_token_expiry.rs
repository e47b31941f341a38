//! Tokens with an expiry, through the real `rapportd`: `token create
//! --expires` stores it and `token list` shows it, a time that is past or
//! unreadable is refused, and a request with an expired token is a 401
//! whose problem says the token expired.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;

/// Safety net for anything that waits on the child; never a synchronisation.
const SAFETY_NET: Duration = Duration::from_secs(120);

fn rapportd(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapportd"));
    command
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .env_remove("RAPPORT_DB")
        .env_remove("RAPPORT_LISTEN")
        .arg("--db")
        .arg(home.join("rapport.db"));
    command
}

fn token(home: &Path, args: &[&str]) -> std::process::Output {
    rapportd(home)
        .arg("token")
        .args(args)
        .output()
        .expect("rapportd runs")
}

#[test]
fn token_create_takes_an_expiry_and_token_list_shows_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let created = token(
        home.path(),
        &[
            "create",
            "--name",
            "month",
            "--permission",
            "viewer",
            "--expires",
            "30d",
        ],
    );
    assert!(created.status.success(), "{created:?}");
    let said = String::from_utf8_lossy(&created.stderr);
    assert!(said.contains("expires 20"), "{said}");
    let dated = token(
        home.path(),
        &[
            "create",
            "--name",
            "dated",
            "--permission",
            "viewer",
            "--expires",
            "2099-01-31",
        ],
    );
    assert!(dated.status.success(), "{dated:?}");
    let past = token(
        home.path(),
        &[
            "create",
            "--name",
            "past",
            "--permission",
            "viewer",
            "--expires",
            "2020-01-01",
        ],
    );
    assert!(!past.status.success());
    assert!(String::from_utf8_lossy(&past.stderr).contains("not in the future"));
    let nonsense = token(
        home.path(),
        &[
            "create",
            "--name",
            "x",
            "--permission",
            "viewer",
            "--expires",
            "soon",
        ],
    );
    assert!(!nonsense.status.success());
    assert!(String::from_utf8_lossy(&nonsense.stderr).contains("30d"));

    let listed = token(home.path(), &["list"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("EXPIRES"), "{text}");
    assert!(
        text.contains("2099-02-01T00:00:00Z"),
        "good through that day: {text}"
    );
    let month = text
        .lines()
        .find(|line| line.contains("month"))
        .expect("the token is listed");
    assert!(
        month.ends_with("active") && !month.contains("never"),
        "{month}"
    );
}

#[test]
fn an_expired_token_gets_a_401_saying_it_expired() {
    let home = tempfile::tempdir().expect("tempdir");
    let secret = new_secret();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let store = SqliteStore::open(&home.path().join("rapport.db")).expect("opens");
        let past = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(3600);
        store
            .create_expiring_token(
                "gone".into(),
                Permission::Viewer,
                None,
                hash_secret(&secret),
                Some(past),
            )
            .await
            .expect("a token");
    });
    let listed = token(home.path(), &["list"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("gone") && l.ends_with("expired")),
        "{text}"
    );

    let mut child = rapportd(home.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rapportd serve starts");
    let stderr = child.stderr.take().expect("piped");
    let mut lines = BufReader::new(stderr).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .and_then(Result::ok)
            .expect("rapportd says it serves");
        if line.contains("rapportd serving")
            && let Some(start) = line.find("listen=")
        {
            let addr: String = line[start + "listen=".len()..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            break addr
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("a port");
        }
    };
    // Keep draining the log so the pipe never fills.
    let drain = std::thread::spawn(move || for _ in lines {});
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(SAFETY_NET))
        .expect("timeout set");
    stream
        .write_all(
            format!("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {secret}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .expect("sent");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let _ = child.kill();
    let _ = child.wait();
    let _ = drain.join();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("the token expired at"), "{answer}");
}
