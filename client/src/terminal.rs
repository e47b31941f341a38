//! Terminal set-up and restoration. The terminal is restored on every way
//! out: a normal quit, an error (the [`TerminalGuard`] drops), a panic (the
//! hook restores before the message is printed) and SIGTERM/SIGHUP (the
//! signal becomes a quit message, see [`signals`]).

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

/// Forwards terminal events as messages until the terminal goes away.
pub fn events(tx: mpsc::UnboundedSender<Msg>) {
    use crossterm::event::{Event, EventStream};
    use futures::StreamExt;
    tokio::spawn(async move {
        let mut stream = EventStream::new();
        while let Some(event) = stream.next().await {
            let msg = match event {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                Ok(Event::Resize(width, height)) => Msg::Resize(width, height),
                Ok(_) => continue,
                Err(_) => Msg::Terminate,
            };
            let terminate = matches!(msg, Msg::Terminate);
            if tx.send(msg).is_err() || terminate {
                break;
            }
        }
    });
}
