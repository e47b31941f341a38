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
        let command = format!(
            "env XDG_CONFIG_HOME={dir} XDG_DATA_HOME={dir} {bin} --demo --db {db}",
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
            s.contains("Ministry of Finance") && s.contains("[online]")
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
