//! Fuzz target: a request through the whole API over a temporary SQLite
//! database (`rapport_server::fuzzing::RouterCase`).
fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let case = rapport_server::fuzzing::RouterCase::open(&dir.path().join("fuzz.db"))
        .expect("the API over a new database");
    // A panic is the finding: the case is not used after one.
    let case = std::panic::AssertUnwindSafe(case);
    afl::fuzz!(|data: &[u8]| {
        case.run(data);
    });
}
