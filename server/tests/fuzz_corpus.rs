//! Replays every fuzz input kept in the tree, the seed corpora
//! (`fuzz/corpus/TARGET/`) and the crashes afl found
//! (`fuzz/regressions/TARGET/`), through the same functions the fuzz
//! targets call, so a crash once found stays fixed without afl installed.

use std::fs;
use std::path::{Path, PathBuf};

use rapport_server::fuzzing;

/// The inputs kept for `target`, seeds and regressions.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut found = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let bytes = fs::read(&path).expect("a fuzz input is readable");
            found.push((path, bytes));
        }
    }
    found.sort();
    found
}

fn replay(target: &str, run: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no seed inputs for {target}");
    for (path, bytes) in inputs {
        eprintln!("{}", path.display());
        run(&bytes);
    }
}

#[test]
fn http_head_inputs() {
    replay("http_head", fuzzing::http_head);
}

#[test]
fn chunked_inputs() {
    replay("chunked", fuzzing::chunked);
}

#[test]
fn json_body_inputs() {
    replay("json_body", fuzzing::json_body);
}

#[test]
fn router_inputs() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let case = fuzzing::RouterCase::open(&dir.path().join("fuzz.db")).expect("the API");
    replay("router", |bytes| case.run(bytes));
}
