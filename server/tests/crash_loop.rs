//! The crash loop: cycles of the real `rapportd` on one database, 16
//! concurrent writers (creates, and PATCHes with `If-Match` of their own
//! records), SIGKILL at a random moment, restart. After every kill the
//! database passes `PRAGMA integrity_check`, and after every restart each
//! acknowledged write is there at least at its acknowledged version.
//!
//! `RAPPORT_CRASH_CYCLES` sets the cycles (3 by default, 20 for the long
//! run in TESTING.md); `RAPPORT_CRASH_SEED` replays a run (the seed is
//! printed). The verdict never depends on timing: the kill lands wherever
//! it lands, and only acknowledged writes are checked.

mod proc_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proc_support::{Served, call, customer_versions, integrity, new_token};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const WRITERS: u64 = 16;
/// Acknowledged writes a cycle waits for before its random kill, so every
/// cycle kills a server in the middle of real work.
const WARM_UP_ACKS: u64 = 32;
/// The random moment: up to this long after the warm-up.
const KILL_WITHIN: Duration = Duration::from_millis(1500);

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
}

/// What one writer got acknowledged: each record's last acknowledged
/// version, and how many creates and patches were answered.
#[derive(Default)]
struct Acked {
    versions: HashMap<String, i64>,
    creates: u64,
    patches: u64,
}

/// Writes until the server is gone: a create, or a PATCH of one of its
/// records at its known version.
fn writer(
    addr: String,
    token: String,
    cycle: u64,
    number: u64,
    seed: u64,
    acks: Arc<AtomicU64>,
) -> Acked {
    let mut rng = StdRng::seed_from_u64(seed ^ (cycle << 32) ^ number);
    let mut acked = Acked::default();
    let mut mine: Vec<String> = Vec::new();
    for n in 0u64.. {
        if mine.is_empty() || rng.random_bool(0.4) {
            let body = serde_json::json!({
                "name": format!("Crash {cycle} writer {number} record {n}"),
                "code": format!("K{cycle}-{number}-{n}"),
            })
            .to_string();
            let Ok(answer) = call(&addr, "POST", "/api/v1/customers", &token, &[], Some(&body))
            else {
                return acked;
            };
            assert_eq!(answer.status, 201, "create: {}", answer.body);
            let record = answer.json();
            let id = record["id"].as_str().expect("an id").to_string();
            let version = record["version"].as_i64().expect("a version");
            acked.versions.insert(id.clone(), version);
            mine.push(id);
            acked.creates += 1;
        } else {
            let id = mine[rng.random_range(0..mine.len())].clone();
            let known = acked.versions[&id];
            let if_match = format!("\"{known}\"");
            let body = serde_json::json!({"description": format!("patch {n}")}).to_string();
            let path = format!("/api/v1/customers/{id}");
            let Ok(answer) = call(
                &addr,
                "PATCH",
                &path,
                &token,
                &[("If-Match", &if_match)],
                Some(&body),
            ) else {
                return acked;
            };
            assert_eq!(
                answer.status, 200,
                "patch of {id} at {known}: {}",
                answer.body
            );
            let version = answer.json()["version"].as_i64().expect("a version");
            assert_eq!(version, known + 1, "a patch adds one to the version");
            acked.versions.insert(id, version);
            acked.patches += 1;
        }
        acks.fetch_add(1, Ordering::Relaxed);
    }
    acked
}

/// Every acknowledged write is served at least at its acknowledged version.
fn check_served(addr: &str, token: &str, acknowledged: &HashMap<String, i64>, cycle: u64) {
    let served = customer_versions(addr, token);
    for (id, version) in acknowledged {
        match served.get(id) {
            None => panic!("cycle {cycle}: acknowledged customer {id} is lost"),
            Some(got) => assert!(
                got >= version,
                "cycle {cycle}: customer {id} is at version {got}, but {version} was acknowledged"
            ),
        }
    }
}

#[test]
fn acknowledged_writes_survive_sigkill_cycles() {
    let cycles = env_number("RAPPORT_CRASH_CYCLES").unwrap_or(3);
    let seed = env_number("RAPPORT_CRASH_SEED").unwrap_or_else(|| rand::rng().random());
    println!("crash loop: {cycles} cycles, seed {seed} (RAPPORT_CRASH_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("a temp dir");
    let home = dir.path();
    let db = home.join("crash.sqlite");
    let token = new_token(home, &db, "admin");

    let mut acknowledged: HashMap<String, i64> = HashMap::new();
    let (mut creates, mut patches) = (0u64, 0u64);
    for cycle in 1..=cycles {
        let served = Served::start(home, &db);
        check_served(&served.addr, &token, &acknowledged, cycle);
        let acks = Arc::new(AtomicU64::new(0));
        let writers: Vec<_> = (0..WRITERS)
            .map(|number| {
                let (addr, token, acks) = (served.addr.clone(), token.clone(), Arc::clone(&acks));
                std::thread::spawn(move || writer(addr, token, cycle, number, seed, acks))
            })
            .collect();
        let warm_up = Instant::now();
        while acks.load(Ordering::Relaxed) < WARM_UP_ACKS {
            assert!(
                warm_up.elapsed() < proc_support::SAFETY_NET,
                "cycle {cycle}: the writers got no answers"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let delay = rng.random_range(Duration::ZERO..KILL_WITHIN);
        std::thread::sleep(delay);
        served.kill();
        let mut cycle_acks = 0;
        for handle in writers {
            let acked = handle.join().expect("a writer panicked");
            creates += acked.creates;
            patches += acked.patches;
            cycle_acks += acked.creates + acked.patches;
            for (id, version) in acked.versions {
                let known = acknowledged.entry(id).or_insert(version);
                *known = (*known).max(version);
            }
        }
        let verdict = integrity(&db);
        assert_eq!(
            verdict, "ok",
            "cycle {cycle}: integrity_check after SIGKILL"
        );
        println!(
            "cycle {cycle}: killed {} ms after the warm-up, {cycle_acks} writes acknowledged, integrity ok",
            delay.as_millis()
        );
    }
    let served = Served::start(home, &db);
    check_served(&served.addr, &token, &acknowledged, cycles + 1);
    println!(
        "crash loop: {cycles} cycles, {} acknowledged writes ({creates} creates, {patches} patches) \
         on {} records, none lost, integrity ok after every kill (seed {seed})",
        creates + patches,
        acknowledged.len()
    );
}
