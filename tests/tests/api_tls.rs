//! The real client against a real server over TLS: `rapport`'s API client
//! verifies the server's certificate against the config's `ca_file` (a
//! request succeeds with the CA that signed it and fails with another, or
//! with the system's roots, which do not know a CA made here), a `ca_file`
//! that holds no certificate is a clear error, and a reloaded certificate
//! is what new connections get.
//!
//! Certificates are made here with rcgen; everything is on 127.0.0.1.

use std::path::Path;
use std::sync::Arc;

use rapport_client::api::{ApiClient, ApiError};
use rapport_server::api::auth::{hash_secret, new_secret};
use rapport_server::http::tls::Tls;
use rapport_server::store::Store;
use rapport_server::store::sqlite::SqliteStore;
use rapport_shared::enums::Permission;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

/// Writes a new CA (`ca.pem`) and a leaf for `localhost` it signs
/// (`cert.pem`, `key.pem`) into `dir`.
fn write_pki(dir: &Path) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca)
        .expect("leaf certificate");
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("ca.pem"), ca.pem()).expect("written");
    std::fs::write(dir.join("cert.pem"), leaf.pem()).expect("written");
    std::fs::write(dir.join("key.pem"), leaf_key.serialize_pem()).expect("written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_verifies_the_servers_certificate_with_its_ca_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let served = dir.path().join("served");
    let other = dir.path().join("other");
    write_pki(&served);
    write_pki(&other);
    let db = dir.path().join("tls.db");
    let store = Arc::new(SqliteStore::open(&db).expect("opens"));
    let secret = new_secret();
    store
        .create_token(
            "admin".into(),
            Permission::Admin,
            None,
            hash_secret(&secret),
        )
        .await
        .expect("a token");
    let tls = Arc::new(
        Tls::load(&served.join("cert.pem"), &served.join("key.pem"))
            .expect("the certificate loads"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("an address").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let settings = rapport_server::Settings {
        tls: Some(Arc::clone(&tls)),
        ..rapport_server::Settings::default()
    };
    let task = tokio::spawn(rapport_server::run_settings(
        listener,
        store,
        settings,
        async move {
            let _ = stopped.await;
        },
    ));
    let url = format!("https://localhost:{port}");

    let trusting =
        ApiClient::trusting(&url, &secret, Some(&served.join("ca.pem"))).expect("client");
    let me = trusting.me().await.expect("over TLS with the CA");
    assert_eq!(me.permission, Permission::Admin);

    let system = ApiClient::new(&url, &secret).expect("client");
    let refused = system
        .me()
        .await
        .expect_err("the system roots do not know the CA");
    assert!(refused.is_unreachable(), "{refused:?}");
    assert!(refused.to_string().contains("certificate"), "{refused}");

    let wrong = ApiClient::trusting(&url, &secret, Some(&other.join("ca.pem"))).expect("client");
    let refused = wrong
        .me()
        .await
        .expect_err("another CA does not vouch for it");
    assert!(refused.to_string().contains("certificate"), "{refused}");

    let plain = ApiClient::new(&format!("http://127.0.0.1:{port}"), &secret).expect("client");
    let refused = plain.me().await.expect_err("plain HTTP to the TLS port");
    assert!(
        matches!(refused, ApiError::Problem(ref p) if p.status == 400),
        "{refused:?}"
    );

    // A reload (what SIGHUP does in rapportd) changes what new connections
    // get: the other CA's client now succeeds, on a fresh client and so a
    // fresh connection.
    std::fs::copy(other.join("cert.pem"), served.join("cert.pem")).expect("copied");
    std::fs::copy(other.join("key.pem"), served.join("key.pem")).expect("copied");
    tls.reload().expect("reloads");
    let wrong = ApiClient::trusting(&url, &secret, Some(&other.join("ca.pem"))).expect("client");
    assert!(
        wrong.me().await.is_ok(),
        "the reloaded certificate is served"
    );

    let _ = stop.send(());
    task.await.expect("joined").expect("served");
}

#[test]
fn a_ca_file_without_a_certificate_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "nothing here\n").expect("written");
    let error =
        ApiClient::trusting("https://localhost:1", "t", Some(&empty)).expect_err("no certificate");
    let text = error.to_string();
    assert!(
        text.contains("ca_file") && text.contains("empty.pem"),
        "{text}"
    );
    let missing = ApiClient::trusting("https://localhost:1", "t", Some(&dir.path().join("no.pem")))
        .expect_err("no file");
    assert!(missing.to_string().contains("no.pem"), "{missing}");
}
