//! `rapportd backup` and `rapportd restore` around a real server under
//! write load: the backup taken while several clients write opens, passes
//! `PRAGMA integrity_check` and holds every write acknowledged before it
//! began; restored into a fresh path it is served with those writes; a
//! restore over the database a server is serving is refused and changes
//! nothing; a backup that is not a sound database is refused.

mod proc_support;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use proc_support::{Served, call, customer_versions, integrity, new_token, rapportd, run};

const WRITERS: usize = 6;

/// Creates customers until told to stop, recording each acknowledged id.
fn writer(
    addr: String,
    token: String,
    number: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<String>>>,
) {
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let body = serde_json::json!({
            "name": format!("Backup writer {number} record {n}"),
            "code": format!("B{number}-{n}"),
        })
        .to_string();
        let answer = call(&addr, "POST", "/api/v1/customers", &token, &[], Some(&body))
            .expect("the server answers");
        assert_eq!(answer.status, 201, "create: {}", answer.body);
        let id = answer.json()["id"].as_str().expect("an id").to_string();
        acked.lock().expect("the list").push(id);
        n += 1;
    }
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ids_in(db: &Path) -> HashSet<String> {
    let conn = rusqlite::Connection::open(db).expect("the backup opens");
    let mut statement = conn.prepare("SELECT id FROM customers").expect("prepares");
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("reads")
}

#[test]
fn a_backup_under_write_load_restores_with_every_acknowledged_write() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let home = dir.path();
    let db = home.join("live.sqlite");
    let seeded = run({
        let mut command = rapportd(home, &db);
        command.args(["seed", "--demo"]);
        command
    });
    assert!(seeded.status.success(), "seed: {}", stderr(&seeded));
    let token = new_token(home, &db, "admin");
    let served = Served::start(home, &db);

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|number| {
            let (addr, token) = (served.addr.clone(), token.clone());
            let (stop, acked) = (Arc::clone(&stop), Arc::clone(&acked));
            std::thread::spawn(move || writer(addr, token, number, stop, acked))
        })
        .collect();
    // Let every writer get some writes in before the backup starts.
    while acked.lock().expect("the list").len() < 4 * WRITERS {
        std::thread::yield_now();
    }
    let before: Vec<String> = acked.lock().expect("the list").clone();
    let backup = home.join("backup.sqlite");
    let mut command = rapportd(home, &db);
    command.arg("backup").arg(&backup);
    let backed_up = run(command);
    let during = acked.lock().expect("the list").len() - before.len();
    stop.store(true, Ordering::Relaxed);
    for handle in writers {
        handle.join().expect("a writer panicked");
    }
    assert!(backed_up.status.success(), "backup: {}", stderr(&backed_up));
    assert!(
        stderr(&backed_up).contains("integrity ok"),
        "{}",
        stderr(&backed_up)
    );
    println!(
        "{} writes acknowledged before the backup, {during} while it ran",
        before.len()
    );

    // The backup is sound and holds everything acknowledged before it.
    assert_eq!(integrity(&backup), "ok");
    let in_backup = ids_in(&backup);
    for id in &before {
        assert!(
            in_backup.contains(id),
            "{id} was acknowledged before the backup began but is not in it"
        );
    }

    // A second backup to the same path is refused, the first kept.
    let mut command = rapportd(home, &db);
    command.arg("backup").arg(&backup);
    let again = run(command);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    // Restored into a fresh path, it is served with those writes.
    let fresh = home.join("restored").join("fresh.sqlite");
    std::fs::create_dir_all(home.join("restored")).expect("a directory");
    let mut command = rapportd(home, &fresh);
    command.arg("restore").arg(&backup);
    let restored = run(command);
    assert!(restored.status.success(), "restore: {}", stderr(&restored));
    let served_fresh = Served::start(home, &fresh);
    let versions = customer_versions(&served_fresh.addr, &token);
    for id in &before {
        assert!(
            versions.contains_key(id),
            "{id} is not served after the restore"
        );
    }
    assert_eq!(versions.len(), in_backup.len());

    // Over a database in use: refused, saying why, and nothing changes.
    let live_before = customer_versions(&served.addr, &token);
    let mut command = rapportd(home, &db);
    command.arg("restore").arg(&backup);
    let refused = run(command);
    assert!(
        !refused.status.success(),
        "a restore over a served database ran"
    );
    assert!(
        stderr(&refused).contains("in use by a running rapportd"),
        "unclear refusal: {}",
        stderr(&refused)
    );
    assert_eq!(customer_versions(&served.addr, &token), live_before);
    // The same for the restored copy while it is served.
    let mut command = rapportd(home, &fresh);
    command.arg("restore").arg(&backup);
    assert!(!run(command).status.success());
    drop(served_fresh);
    drop(served);

    // Once nobody serves it, the live database can be restored.
    let mut command = rapportd(home, &db);
    command.arg("restore").arg(&backup);
    let over = run(command);
    assert!(over.status.success(), "restore: {}", stderr(&over));
    assert_eq!(integrity(&db), "ok");
    assert_eq!(ids_in(&db), in_backup);
}

#[test]
fn a_restore_refuses_a_backup_that_is_not_a_sound_rapport_database() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let home = dir.path();
    let db = home.join("target.sqlite");
    let _token = new_token(home, &db, "admin");
    let before = std::fs::read(&db).expect("the database is there");

    let garbage = home.join("garbage.sqlite");
    std::fs::write(
        &garbage,
        b"this is not a database at all, not even close...".repeat(200),
    )
    .expect("writes");
    let other = home.join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).expect("opens");
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("a foreign database");
    }
    for (backup, says) in [
        (&garbage, "fails its integrity check"),
        (&other, "is not a rapport database"),
        (&home.join("missing.sqlite"), "does not exist"),
    ] {
        let mut command = rapportd(home, &db);
        command.arg("restore").arg(backup);
        let refused = run(command);
        assert!(
            !refused.status.success(),
            "{} was restored",
            backup.display()
        );
        assert!(
            stderr(&refused).contains(says),
            "{says}: {}",
            stderr(&refused)
        );
    }
    assert_eq!(std::fs::read(&db).expect("still there"), before);
}
