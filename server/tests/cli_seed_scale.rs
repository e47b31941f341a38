//! `rapportd seed --scale` from the command line at tiny sizes, so CI keeps
//! the command working (the records themselves are checked end to end in
//! `tests/tests/api_scale_seed.rs`).

use std::process::Command;

fn rapportd(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rapportd"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("rapportd runs")
}

#[test]
fn seed_scale_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("scale.sqlite");
    let sizes = [
        "seed",
        "--scale",
        "--customers",
        "3",
        "--contacts",
        "6",
        "--rfcs",
        "40",
        "--responses",
        "8",
        "--meetings",
        "4",
        "--seed",
        "2",
    ];
    let first = rapportd(&db, &sizes);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout.contains("seeded 3 customers, 6 contacts, 40 RFCs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("8 survey responses (2 surveys)"),
        "{stdout}"
    );
    let again = rapportd(&db, &sizes);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds records"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let neither = rapportd(&dir.path().join("other.sqlite"), &["seed"]);
    assert!(!neither.status.success());
}
