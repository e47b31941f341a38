//! Smoke test of the real `rapport` binary in a real terminal: tmux runs
//! it with `--demo` over a temporary database; the test sends keys with
//! `send-keys` and polls `capture-pane` until the expected text appears.
//! Waiting is by polling with a generous overall deadline, never a fixed
//! sleep used as an assertion. tmux runs on a socket of its own, so the
//! test never touches the user's sessions.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long any one expected screen may take to appear: generous, since a
/// busy 2-core CI machine may be building other crates at the same time.
const DEADLINE: Duration = Duration::from_secs(60);

/// Pause between two looks at the pane.
const POLL: Duration = Duration::from_millis(100);

struct Tmux {
    socket: String,
    session: &'static str,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (install it: apt-get install tmux)")
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", self.session]).stdout)
            .into_owned()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Polls the pane until `check` accepts it; fails with the last screen.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if check(&screen) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; screen:\n{screen}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// A tmux format variable of the pane (`#{pane_pid}`...).
    fn pane(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Starts `rapport --demo` over a database in `dir`, waits for its
    /// first board and returns.
    fn start(&self, dir: &Path, remain_on_exit: bool) {
        self.start_with(dir, remain_on_exit, "");
    }

    /// [`Tmux::start`] with more environment (`EDITOR=...`).
    fn start_with(&self, dir: &Path, remain_on_exit: bool, env: &str) {
        let command = format!(
            "env XDG_CONFIG_HOME={dir} XDG_DATA_HOME={dir} {env} {bin} --demo --db {db}",
            dir = shell_quote(dir),
            bin = shell_quote(Path::new(env!("CARGO_BIN_EXE_rapport"))),
            db = shell_quote(&dir.join(format!("{}.db", self.session))),
        );
        // Options go in a config file so they hold from the server's start.
        let conf = dir.join(format!("{}.tmux.conf", self.session));
        let remain = if remain_on_exit { "on" } else { "off" };
        std::fs::write(
            &conf,
            // `exit-empty off` keeps this test's tmux server up between two
            // sessions: otherwise a `new-session` right after the last
            // session ended can reach a server still shutting down
            // ("server exited unexpectedly").
            format!(
                "set -s exit-empty off\nset -g escape-time 0\nset -g remain-on-exit {remain}\n"
            ),
        )
        .expect("writes the tmux config");
        let conf = conf.display().to_string();
        let started = self.run(&[
            "-f",
            &conf,
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "100",
            "-y",
            "30",
            &command,
        ]);
        assert!(
            started.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        // The config file is read only when the tmux server starts; a later
        // session on the same server gets its `remain-on-exit` here.
        self.run(&["set-option", "-g", "remain-on-exit", remain]);
        self.wait_for("the customers board", |s| {
            s.contains("Ministry of Finance") && s.contains("[live]")
        });
    }

    fn session_alive(&self) -> bool {
        self.run(&["has-session", "-t", self.session])
            .status
            .success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Only this test's tmux server, on its own socket.
        let _ = self.run(&["kill-server"]);
    }
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn the_binary_opens_the_demo_board_and_quits_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tmux = Tmux {
        socket: format!("rapport-smoke-{}", std::process::id()),
        session: "smoke",
    };
    tmux.start(dir.path(), false);
    tmux.send(&["2"]);
    tmux.wait_for("the teams board", |s| {
        s.contains("Team Atlas") && s.contains("Delivery manager")
    });
    tmux.send(&["?"]);
    tmux.wait_for("the help overlay", |s| {
        s.contains("Keys (generated from the live key map)")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for("the help to close", |s| !s.contains("Keys (generated"));
    tmux.send(&["1", "/", "health"]);
    tmux.wait_for("the filtered board", |s| {
        s.contains("Ministry of Health") && !s.contains("Ministry of Finance")
    });
    tmux.send(&["Enter", "q"]);
    let start = Instant::now();
    while tmux.session_alive() {
        assert!(
            start.elapsed() < DEADLINE,
            "rapport did not quit:\n{}",
            tmux.capture()
        );
        std::thread::sleep(POLL);
    }
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (session, signal) in [("term", "-TERM"), ("hup", "-HUP")] {
        let tmux = Tmux {
            socket: format!("rapport-signal-{session}-{}", std::process::id()),
            session,
        };
        tmux.start(dir.path(), true);
        assert_eq!(
            tmux.pane("#{alternate_on}"),
            "1",
            "the app uses the alternate screen"
        );
        let pid = tmux.pane("#{pane_pid}");
        let killed = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill runs");
        assert!(killed.success(), "kill {signal} {pid}");
        let start = Instant::now();
        // The pane is dead once the app has exited and its terminal closed.
        while tmux.pane("#{pane_dead}") != "1" {
            assert!(
                tmux.session_alive(),
                "the pane closed although it should remain"
            );
            assert!(
                start.elapsed() < DEADLINE,
                "rapport ignored {signal}:\n{}",
                tmux.capture()
            );
            std::thread::sleep(POLL);
        }
        assert_eq!(
            tmux.pane("#{alternate_on}"),
            "0",
            "alternate screen left after {signal}"
        );
        // tmux reports the exit status only once it has reaped the process,
        // which it may do later: when it is known, it must be a clean exit.
        let status = tmux.pane("#{pane_dead_status}#{pane_dead_signal}");
        assert!(
            status.is_empty() || status == "0",
            "a clean exit after {signal}, not {status:?}"
        );
    }
}

#[test]
fn an_edit_survives_a_dropped_connection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tmux = Tmux {
        socket: format!("rapport-draft-{}", std::process::id()),
        session: "draft",
    };
    tmux.start(dir.path(), true);
    tmux.send(&["e"]);
    tmux.wait_for("the edit form", |s| s.contains("Edit customer"));
    tmux.send(&["-l", " kept across SIGHUP"]);
    tmux.wait_for("the typed text", |s| s.contains("kept across SIGHUP"));
    let pid = tmux.pane("#{pane_pid}");
    let killed = Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success(), "kill -HUP {pid}");
    let start = Instant::now();
    while tmux.pane("#{pane_dead}") != "1" {
        assert!(start.elapsed() < DEADLINE, "rapport ignored SIGHUP");
        std::thread::sleep(POLL);
    }
    tmux.run(&["kill-session", "-t", "draft"]);

    // The next start over the same data reopens the form with the text.
    tmux.start(dir.path(), false);
    tmux.wait_for("the reopened edit", |s| {
        s.contains("Edit customer") && s.contains("kept across SIGHUP")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for("the discard question", |s| s.contains("Discard"));
    tmux.send(&["y"]);
    tmux.wait_for("the board again", |s| {
        !s.contains("Discard") && !s.contains("Edit customer")
    });
    tmux.send(&["q"]);
    let start = Instant::now();
    while tmux.session_alive() {
        assert!(start.elapsed() < DEADLINE, "rapport did not quit");
        std::thread::sleep(POLL);
    }
}

#[test]
fn ctrl_e_hands_the_terminal_to_the_editor_and_takes_the_text_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A stand-in for vi: it fails on a text saying "fail"; otherwise it
    // asks for a line on the terminal (which works only in cooked mode,
    // so only if rapport let go of it) and appends it to the text.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\n\
         if grep -q fail \"$1\"; then exit 3; fi\n\
         printf 'fake-editor> '\n\
         read line\n\
         printf '%s %s' \"$(cat \"$1\")\" \"$line\" > \"$1\"\n",
    )
    .expect("writes the editor");
    let made_executable = Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .expect("chmod runs");
    assert!(made_executable.success());
    let tmux = Tmux {
        socket: format!("rapport-editor-{}", std::process::id()),
        session: "editor",
    };
    tmux.start_with(
        dir.path(),
        false,
        &format!("EDITOR={}", shell_quote(&editor)),
    );
    // The customer's description is the form's last field.
    tmux.send(&["e"]);
    tmux.wait_for("the edit form", |s| s.contains("Edit customer"));
    tmux.send(&["BTab", "C-e"]);
    tmux.wait_for("the editor on the main screen", |s| {
        s.contains("fake-editor>")
    });
    assert_eq!(
        tmux.pane("#{alternate_on}"),
        "0",
        "the editor runs on the main screen"
    );
    tmux.send(&["-l", "EDITED-OK"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("the form again, with the edited text", |s| {
        s.contains("Edit customer") && s.contains("EDITED-OK") && !s.contains("fake-editor>")
    });
    assert_eq!(
        tmux.pane("#{alternate_on}"),
        "1",
        "back on the alternate screen"
    );
    // Keys typed after the text came back go on from its end.
    tmux.send(&["-l", " fail"]);
    tmux.wait_for("the typed text", |s| s.contains("EDITED-OK fail"));
    tmux.send(&["C-e"]);
    tmux.wait_for("the failure, said", |s| {
        s.contains("editor.sh exited with status 3") && s.contains("EDITED-OK fail")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for("the discard question", |s| s.contains("Discard"));
    tmux.send(&["y", "q"]);
    wait_until_gone(&tmux);
}

/// Each RFC's status, route, priority and assignee, by id, as stored.
fn rfc_states(db: &Path) -> std::collections::BTreeMap<String, [String; 4]> {
    use rapport_server::store::{ListQuery, Store};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let store = rapport_server::store::sqlite::SqliteStore::open(db).expect("opens the db");
        let mut states = std::collections::BTreeMap::new();
        let mut cursor = None;
        loop {
            let page = store
                .list(ListQuery {
                    collection: rapport_shared::Collection::Rfcs,
                    filters: vec![],
                    q: None,
                    sort: rapport_shared::wire::Sort::Created,
                    limit: 200,
                    cursor,
                })
                .await
                .expect("lists the RFCs");
            for rfc in page.items {
                let field = |name: &str| match rfc.fields.get(name) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                states.insert(
                    rfc.id.clone(),
                    [
                        field("status"),
                        field("route"),
                        field("priority"),
                        field("assignee_id"),
                    ],
                );
            }
            cursor = page.next_cursor;
            if cursor.is_none() {
                break states;
            }
        }
    })
}

/// Waits until the app in `tmux` has quit.
fn wait_until_gone(tmux: &Tmux) {
    let start = Instant::now();
    while tmux.session_alive() {
        assert!(
            start.elapsed() < DEADLINE,
            "rapport did not quit:\n{}",
            tmux.capture()
        );
        std::thread::sleep(POLL);
    }
}

#[test]
fn a_triage_session_typed_in_bursts_lands_every_action() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("burst.db");
    let tmux = Tmux {
        socket: format!("rapport-burst-{}", std::process::id()),
        session: "burst",
    };
    // A first start seeds the demo; what it holds is the "before".
    tmux.start(dir.path(), false);
    tmux.send(&["q"]);
    wait_until_gone(&tmux);
    let before = rfc_states(&db);
    let untriaged = before.values().filter(|s| s[0] == "new").count();
    assert!(untriaged >= 3, "the demo has new RFCs to triage");

    tmux.start(dir.path(), false);
    tmux.send(&["6"]);
    let shown = format!("RFCs ({untriaged} rows)");
    tmux.wait_for("the untriaged queue", |s| s.contains(&shown));
    // Three RFCs, each set to low and triaged to change management, in
    // one burst: no pause between keys, so most of them arrive while a
    // write is still in flight.
    let burst: Vec<&str> = ["p", "4", "t", "c"].repeat(3);
    tmux.send(&burst);
    let left = untriaged - 3;
    let rows = format!("{left} {}", if left == 1 { "row" } else { "rows" });
    tmux.wait_for("the three to have left the view", |s| s.contains(&rows));
    // Then every other one at once: mark all, take them (some are
    // colleagues', so the question comes and `y` answers it), set low and
    // triage, the marks staying for each next step.
    tmux.send(&["*", "a", "y", "p", "4", "t", "c"]);
    let start = Instant::now();
    loop {
        // Quit only once every write has landed: the status line says
        // nothing is pending when the queue is empty of untriaged RFCs.
        let screen = tmux.capture();
        if screen.contains("No records.") {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the queue did not empty; screen:\n{screen}"
        );
        std::thread::sleep(POLL);
    }
    tmux.send(&["q"]);
    wait_until_gone(&tmux);

    let after = rfc_states(&db);
    let new_before: Vec<(&String, &[String; 4])> =
        before.iter().filter(|(_, s)| s[0] == "new").collect();
    for (id, _) in &new_before {
        let now = after.get(*id).expect("the RFC is still there");
        assert_eq!(
            (&now[0], &now[1], &now[2]),
            (
                &"triaged".to_string(),
                &"change_management".to_string(),
                &"low".to_string()
            ),
            "{id}: every step of the bursts landed"
        );
    }
    // The bulk took every RFC it marked for one person, me; only the
    // three triaged one by one may keep someone else.
    let me = new_before
        .iter()
        .find_map(|(id, was)| after.get(*id).filter(|now| now[3] != was[3]))
        .map(|now| now[3].clone())
        .expect("the bulk assigned some");
    let taken = new_before
        .iter()
        .filter(|(id, _)| after.get(*id).is_some_and(|now| now[3] == me))
        .count();
    assert!(
        taken >= untriaged - 3,
        "{taken} of {untriaged} assigned to me"
    );
    for (id, was) in &new_before {
        let now = &after[*id];
        assert!(
            now[3] == me || now[3] == was[3],
            "{id} went to a third person"
        );
    }
    // Nothing else changed.
    for (id, state) in &before {
        if state[0] != "new" {
            assert_eq!(after.get(id), Some(state), "{id} untouched");
        }
    }
}
