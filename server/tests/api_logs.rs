//! Secrets never reach the log: the real `rapportd` at `RUST_LOG=debug`,
//! asked with a valid token, a revoked-looking unknown one, a token in the
//! query string and a malformed request carrying `Authorization`, logs
//! each request's method, path and status, and none of the secrets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Safety net for anything that waits on the child; never a synchronisation.
const SAFETY_NET: Duration = Duration::from_secs(120);

fn rapportd(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapportd"));
    command
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "debug")
        .env_remove("RAPPORT_DB")
        .env_remove("RAPPORT_LISTEN")
        .arg("--db")
        .arg(home.join("rapport.db"));
    command
}

/// Sends `request` and reads the answer until the server closes.
fn exchange(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(SAFETY_NET))
        .expect("timeout set");
    stream.write_all(request.as_bytes()).expect("sent");
    let mut answer = String::new();
    // A reset after the answer is fine: what was read is kept.
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn the_request_log_holds_no_token() {
    let home = tempfile::tempdir().expect("tempdir");
    let created = rapportd(home.path())
        .args([
            "token",
            "create",
            "--name",
            "logged",
            "--permission",
            "viewer",
        ])
        .output()
        .expect("rapportd runs");
    assert!(created.status.success(), "{created:?}");
    let secret = String::from_utf8_lossy(&created.stdout).trim().to_owned();
    assert!(secret.len() > 16, "a secret: {secret:?}");
    let unknown = "rpt_unknownsecretthatmustnotbelogged";
    let in_query = "rpt_querysecretthatmustnotbelogged";

    let mut child = rapportd(home.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rapportd serve starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (lines, log) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            let _ = lines.send(line);
        }
    });
    let mut seen = Vec::new();
    let port: u16 = loop {
        let line = log
            .recv_timeout(SAFETY_NET)
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
        seen.push(line);
    };

    let ok = exchange(
        port,
        &format!(
            "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {secret}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let refused = exchange(
        port,
        &format!(
            "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unknown}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let queried = exchange(
        port,
        &format!(
            "GET /api/v1/customers?token={in_query}&access_token={in_query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {secret}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(queried.starts_with("HTTP/1.1 "), "{queried}");
    // A head that is refused as malformed (a header without a colon).
    let malformed = exchange(
        port,
        &format!(
            "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unknown}\r\nbroken header\r\n\r\n"
        ),
    );
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");

    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(stopped.success());
    let status = child.wait().expect("rapportd ends");
    assert!(status.success(), "{status}");
    reader.join().expect("the log is read to its end");
    seen.extend(log.try_iter());
    let text = seen.join("\n");

    assert!(
        text.contains("path=/api/v1/me") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("path=/api/v1/customers"), "{text}");
    for secret in [secret.as_str(), unknown, in_query] {
        assert!(!text.contains(secret), "a secret in the log: {text}");
    }
    assert!(!text.to_ascii_lowercase().contains("bearer "), "{text}");
}
