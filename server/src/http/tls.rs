//! TLS for the listener: rustls through tokio-rustls, a certificate that can
//! be reloaded while serving, and a plain answer to plain HTTP.
//!
//! The rustls configuration is built once; its certificate comes from a
//! [`ResolvesServerCert`] holding the current chain and key, so
//! [`Tls::reload`] swaps them for every handshake that follows and leaves
//! connections already open alone. A reload that cannot read or match the
//! new files fails and keeps the old certificate.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::{CryptoProvider, aws_lc_rs};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::server::TlsStream;

/// The first byte of every TLS connection: a handshake record. Anything
/// else on a TLS port is most likely plain HTTP (`G` of `GET`).
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

/// Longest spent telling a plain-HTTP client that this port speaks TLS.
const PLAIN_ANSWER_TIME: Duration = Duration::from_secs(1);

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {what} {}: {source}", path.display())]
    Read {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} {} is not valid PEM: {detail}", path.display())]
    Pem {
        what: &'static str,
        path: PathBuf,
        detail: String,
    },
    #[error("certificate file {} holds no certificate", .0.display())]
    NoCertificate(PathBuf),
    #[error("the key {} does not fit the certificate {}: {detail}", key.display(), cert.display())]
    Mismatch {
        cert: PathBuf,
        key: PathBuf,
        detail: String,
    },
    #[error("TLS setup: {0}")]
    Setup(#[from] rustls::Error),
}

/// The server's TLS: the acceptor and the files its certificate is read
/// from, again on every [`Tls::reload`].
pub struct Tls {
    acceptor: TlsAcceptor,
    current: Arc<CurrentCertificate>,
    cert_file: PathBuf,
    key_file: PathBuf,
    provider: Arc<CryptoProvider>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls")
            .field("cert_file", &self.cert_file)
            .field("key_file", &self.key_file)
            .finish_non_exhaustive()
    }
}

impl Tls {
    /// Reads the certificate chain (PEM, leaf first) and its private key
    /// (PEM: PKCS#8, PKCS#1 or SEC1).
    pub fn load(cert_file: &Path, key_file: &Path) -> Result<Tls, TlsError> {
        let provider = Arc::new(aws_lc_rs::default_provider());
        let key = read_certified_key(cert_file, key_file, &provider)?;
        let current = Arc::new(CurrentCertificate(RwLock::new(Arc::new(key))));
        let mut config = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(Arc::clone(&current) as Arc<dyn ResolvesServerCert>);
        // We speak HTTP/1.1 only; say so, so that no client tries h2.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            current,
            cert_file: cert_file.to_owned(),
            key_file: key_file.to_owned(),
            provider,
        })
    }

    /// Reads the files again; new handshakes use the new certificate. On
    /// error the current one stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        let key = read_certified_key(&self.cert_file, &self.key_file, &self.provider)?;
        self.current.replace(key);
        Ok(())
    }

    /// The certificate file, for log lines.
    pub fn cert_file(&self) -> &Path {
        &self.cert_file
    }

    /// Completes the handshake on `stream` within `timeout`. A peer that
    /// speaks plain HTTP instead is answered with a plain 400 saying to use
    /// `https://`; it and any failed handshake give `None` (logged at debug:
    /// this is the peer's doing).
    pub(super) async fn accept(
        &self,
        stream: TcpStream,
        timeout: Duration,
    ) -> Option<TlsStream<TcpStream>> {
        let mut first = [0u8; 1];
        match tokio::time::timeout(timeout, stream.peek(&mut first)).await {
            Ok(Ok(1..)) => {}
            Ok(Ok(_)) | Ok(Err(_)) | Err(_) => return None,
        }
        if first[0] != TLS_HANDSHAKE_RECORD {
            answer_plain_http(stream).await;
            return None;
        }
        match tokio::time::timeout(timeout, self.acceptor.accept(stream)).await {
            Ok(Ok(stream)) => Some(stream),
            Ok(Err(error)) => {
                tracing::debug!(%error, "TLS handshake failed");
                None
            }
            Err(_) => {
                tracing::debug!("TLS handshake too slow");
                None
            }
        }
    }
}

/// Tells a client that sent plain HTTP to the TLS port what to do, in
/// plain HTTP, and closes.
async fn answer_plain_http(mut stream: TcpStream) {
    let body = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"this port speaks HTTPS: use an https:// URL\"}";
    let response = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let written = tokio::time::timeout(PLAIN_ANSWER_TIME, async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
    tracing::debug!(
        told = matches!(written, Ok(Ok(()))),
        "plain HTTP on the TLS port"
    );
}

/// The certificate handed to every new handshake.
struct CurrentCertificate(RwLock<Arc<CertifiedKey>>);

impl CurrentCertificate {
    fn replace(&self, key: CertifiedKey) {
        // A poisoned lock only means a panic while swapping an `Arc`; the
        // value inside is whole either way.
        let mut current = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = Arc::new(key);
    }
}

impl fmt::Debug for CurrentCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CurrentCertificate")
    }
}

impl ResolvesServerCert for CurrentCertificate {
    fn resolve(&self, _client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let current = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(Arc::clone(&current))
    }
}

fn read_certified_key(
    cert_file: &Path,
    key_file: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, TlsError> {
    let cert_pem = read(cert_file, "certificate file")?;
    let key_pem = read(key_file, "key file")?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| TlsError::Pem {
            what: "certificate file",
            path: cert_file.to_owned(),
            detail: error.to_string(),
        })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate(cert_file.to_owned()));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|error| TlsError::Pem {
        what: "key file",
        path: key_file.to_owned(),
        detail: error.to_string(),
    })?;
    CertifiedKey::from_der(chain, key, provider).map_err(|error| TlsError::Mismatch {
        cert: cert_file.to_owned(),
        key: key_file.to_owned(),
        detail: error.to_string(),
    })
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        what,
        path: path.to_owned(),
        source,
    })
}
