//! Terminal set-up and restoration. The terminal is restored on every way
//! out: a normal quit, an error (the [`TerminalGuard`] drops), a panic (the
//! hook restores before the message is printed) and SIGTERM/SIGHUP (the
//! signal becomes a quit message, see [`signals`]). [`suspend`] and
//! [`resume`] hand the terminal to the user's editor and take it back
//! ([`editor`] runs it), with the key reader paused ([`EventPump`]).

pub mod editor;

use std::io::{self, Stdout, Write};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use crate::messages::Msg;

/// The real terminal.
pub type Tty = Terminal<CrosstermBackend<Stdout>>;

/// Rings the terminal's bell (BEL). Called by the runtime between
/// frames; a failure to ring is not worth stopping for.
pub fn bell() {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(b"\x07");
    let _ = stdout.flush();
}

/// Restores the terminal when dropped.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, alternate screen and (if asked) mouse capture.
pub fn setup(mouse: bool) -> io::Result<(Tty, TerminalGuard)> {
    install_panic_hook();
    enable_raw_mode()?;
    let guard = TerminalGuard;
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen)?;
    if mouse {
        execute!(stdout, EnableMouseCapture)?;
    }
    let terminal = Terminal::new(CrosstermBackend::new(stdout))?;
    Ok((terminal, guard))
}

/// Leaves the alternate screen, shows the cursor and ends raw mode. Safe
/// to call more than once; errors are ignored because there is nothing
/// left to report them on.
pub fn restore() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Hands the terminal over to another program (the user's editor): the
/// main screen, the cursor shown, cooked mode. The key reader must be
/// paused first ([`EventPump::pause`]), or it would take the editor's keys.
pub fn suspend() {
    restore();
}

/// Takes the terminal back after [`suspend`]: raw mode, the alternate
/// screen and (if asked) mouse capture again. The caller redraws all of it.
pub fn resume(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen)?;
    if mouse {
        execute!(stdout, EnableMouseCapture)?;
    }
    Ok(())
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Forwards SIGTERM and SIGHUP (an SSH connection dropping) as
/// [`Msg::Terminate`], so the app leaves through its normal path.
pub fn signals(tx: mpsc::UnboundedSender<Msg>) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
        let _ = tx.send(Msg::Terminate);
    });
    Ok(())
}

/// The key reader of [`events`], which can be paused while another
/// program (the user's editor) reads the terminal.
#[derive(Debug, Clone)]
pub struct EventPump {
    paused: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    stopped: std::sync::Arc<tokio::sync::Notify>,
}

impl EventPump {
    /// Stops reading the terminal and returns once the reader has let go
    /// of it. Keys it had read already are not lost: they were sent, or
    /// stay with crossterm for the reader to give once resumed.
    pub async fn pause(&self) {
        if self.paused.is_closed() {
            return;
        }
        self.paused.send_replace(true);
        self.stopped.notified().await;
    }

    /// Reads the terminal again.
    pub fn resume(&self) {
        self.paused.send_replace(false);
    }
}

/// Forwards terminal events as messages until the terminal goes away;
/// the [`EventPump`] pauses and resumes the reading.
pub fn events(tx: mpsc::UnboundedSender<Msg>) -> EventPump {
    use crossterm::event::{Event, EventStream};
    use futures::StreamExt;
    let (paused, mut paused_rx) = tokio::sync::watch::channel(false);
    let stopped = std::sync::Arc::new(tokio::sync::Notify::new());
    let pump = EventPump {
        paused: std::sync::Arc::new(paused),
        stopped: stopped.clone(),
    };
    tokio::spawn(async move {
        loop {
            // Dropping the stream stops crossterm's reading thread, so
            // the terminal's input goes to whoever runs while paused.
            let mut stream = EventStream::new();
            loop {
                let event = tokio::select! {
                    biased;
                    changed = paused_rx.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        if *paused_rx.borrow_and_update() {
                            break;
                        }
                        continue;
                    }
                    event = stream.next() => event,
                };
                let Some(event) = event else {
                    return;
                };
                let msg = match event {
                    Ok(Event::Key(key)) => Msg::Key(key),
                    Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                    Ok(Event::Resize(width, height)) => Msg::Resize(width, height),
                    Ok(_) => continue,
                    Err(_) => Msg::Terminate,
                };
                let terminate = matches!(msg, Msg::Terminate);
                if tx.send(msg).is_err() || terminate {
                    return;
                }
            }
            drop(stream);
            stopped.notify_one();
            while *paused_rx.borrow_and_update() {
                if paused_rx.changed().await.is_err() {
                    return;
                }
            }
        }
    });
    pump
}
