//! The real `rapportd` binary over TLS: it serves with the certificate it
//! was given (verified against its CA; another CA's client refuses it),
//! answers plain HTTP on the TLS port with a 400 naming `https://`, reloads
//! the certificate on SIGHUP (a bad one is logged and the old one kept),
//! and refuses plain HTTP on an address other than loopback unless given
//! `--insecure-http`.
//!
//! Certificates are made here with rcgen: a CA and a leaf for `localhost`
//! and 127.0.0.1 it signs. Every connection is to 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

/// Safety net for anything that waits on the child; never a synchronisation.
const SAFETY_NET: Duration = Duration::from_secs(120);

/// A CA and a leaf certificate it signed, as PEM.
struct Pki {
    ca: CertificateDer<'static>,
    leaf_pem: String,
    key_pem: String,
}

fn pki(name: &str) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("{name} test CA"));
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca)
        .expect("leaf certificate");
    Pki {
        ca: ca.der().clone(),
        leaf_pem: leaf.pem(),
        key_pem: leaf_key.serialize_pem(),
    }
}

/// A `rapportd` command with an environment that cannot leak in settings.
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
        .env_remove("RAPPORT_TLS_CERT")
        .env_remove("RAPPORT_TLS_KEY")
        .env_remove("RAPPORT_INSECURE_HTTP")
        .arg("--db")
        .arg(home.join("rapport.db"));
    command
}

/// A running `rapportd serve` over TLS, with its log lines on a channel.
struct Served {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Served {
    fn start(home: &Path, cert: &Path, key: &Path) -> Served {
        let mut child = rapportd(home)
            .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rapportd serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (lines, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                // Nobody may listen any more; keep draining regardless.
                let _ = lines.send(line);
            }
        });
        let mut served = Served {
            child,
            port: 0,
            log,
        };
        let line = served.wait_for_log("rapportd serving");
        let start = line.find("listen=").expect("the line names the address") + "listen=".len();
        let addr: String = line[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        served.port = addr
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("a port");
        served
    }

    /// Waits for a log line containing `text` and returns it.
    fn wait_for_log(&mut self, text: &str) -> String {
        let mut seen = Vec::new();
        loop {
            match self.log.recv_timeout(SAFETY_NET) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(error) => {
                    panic!("rapportd never logged {text:?} ({error}); its log: {seen:#?}")
                }
            }
        }
    }

    fn hang_up(&self) {
        let status = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "SIGHUP sent");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        // Only kills the child this test started, and only if still running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `GET /healthz` over TLS trusting only `ca`: the response's status line,
/// or the error that stopped it (a refused certificate, most often).
async fn get_over_tls(port: u16, ca: &CertificateDer<'static>) -> Result<String, String> {
    let mut roots = RootCertStore::empty();
    roots.add(ca.clone()).map_err(|e| e.to_string())?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let mut tls = TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer)
        .await
        .map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&answer);
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}

fn write_pki(dir: &Path, pki: &Pki) -> (PathBuf, PathBuf) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, &pki.leaf_pem).expect("cert written");
    std::fs::write(&key, &pki.key_pem).expect("key written");
    (cert, key)
}

#[tokio::test]
async fn serves_its_certificate_and_reloads_it_on_sighup() {
    let home = tempfile::tempdir().expect("tempdir");
    let first = pki("first");
    let second = pki("second");
    let (cert, key) = write_pki(home.path(), &first);
    let mut served = Served::start(home.path(), &cert, &key);

    assert_eq!(
        get_over_tls(served.port, &first.ca).await.as_deref(),
        Ok("HTTP/1.1 200 OK")
    );
    let refused = get_over_tls(served.port, &second.ca)
        .await
        .expect_err("another CA's client refuses the certificate");
    assert!(refused.contains("certificate"), "{refused}");

    // New files, then SIGHUP: new handshakes use the new certificate.
    write_pki(home.path(), &second);
    served.hang_up();
    served.wait_for_log("TLS certificate reloaded");
    assert_eq!(
        get_over_tls(served.port, &second.ca).await.as_deref(),
        Ok("HTTP/1.1 200 OK")
    );
    assert!(get_over_tls(served.port, &first.ca).await.is_err());

    // A broken certificate is logged and the one in use kept.
    std::fs::write(&cert, "not a certificate").expect("broken cert written");
    served.hang_up();
    let line = served.wait_for_log("TLS certificate not reloaded");
    assert!(
        line.contains("cert.pem"),
        "the error names the file: {line}"
    );
    assert_eq!(
        get_over_tls(served.port, &second.ca).await.as_deref(),
        Ok("HTTP/1.1 200 OK")
    );
}

#[tokio::test]
async fn plain_http_to_the_tls_port_is_told_to_use_https() {
    let home = tempfile::tempdir().expect("tempdir");
    let pki = pki("plain");
    let (cert, key) = write_pki(home.path(), &pki);
    let served = Served::start(home.path(), &cert, &key);
    let port = served.port;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
        stream
            .set_read_timeout(Some(SAFETY_NET))
            .expect("read timeout set");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("request sent");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("answer read");
        answer
    })
    .await
    .expect("plain client ran");
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(answer.contains("https://"), "{answer}");
    // The server is none the worse for it.
    assert_eq!(
        get_over_tls(served.port, &pki.ca).await.as_deref(),
        Ok("HTTP/1.1 200 OK")
    );
}

#[test]
fn plain_http_off_loopback_is_refused_unless_insecure_http() {
    let home = tempfile::tempdir().expect("tempdir");
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: even the run
    // with --insecure-http, which passes the check, cannot bind it.
    let refused = rapportd(home.path())
        .args(["serve", "--listen", "192.0.2.1:0"])
        .output()
        .expect("rapportd runs");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("refusing to serve plain HTTP on 192.0.2.1:0"),
        "{stderr}"
    );
    assert!(stderr.contains("--insecure-http"), "{stderr}");
    assert!(
        !home.path().join("rapport.db").exists(),
        "refused before opening the database"
    );

    let insecure = rapportd(home.path())
        .args(["serve", "--listen", "192.0.2.1:0", "--insecure-http"])
        .output()
        .expect("rapportd runs");
    assert!(!insecure.status.success());
    let stderr = String::from_utf8_lossy(&insecure.stderr);
    assert!(stderr.contains("listening on 192.0.2.1:0"), "{stderr}");
    assert!(!stderr.contains("refusing"), "{stderr}");
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused_at_start() {
    let home = tempfile::tempdir().expect("tempdir");
    let one = pki("one");
    let other = pki("other");
    let cert = home.path().join("cert.pem");
    let key = home.path().join("key.pem");
    std::fs::write(&cert, &one.leaf_pem).expect("cert written");
    std::fs::write(&key, &other.key_pem).expect("key written");
    let output = rapportd(home.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .output()
        .expect("rapportd runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("does not fit the certificate"), "{stderr}");
}
