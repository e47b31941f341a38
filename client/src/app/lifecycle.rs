//! What happens to the whole app on a tick (the offline countdown, the
//! screens' timers), a resize, a resync from the change feed and a tab
//! switch.

use super::{App, Command, Connection};
use crate::screens::ScreenId;

impl App {
    pub(super) fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let rows = crate::layout::of_size(self.size).table_rows();
        for id in ScreenId::ALL {
            self.screens.get_mut(*id).resize(rows);
        }
    }

    /// The server missed changes for this client (`event: resync`):
    /// every screen that has loaded reloads what it shows.
    pub(super) fn resync(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        for id in ScreenId::ALL {
            if !self.screens.get(*id).is_idle() {
                commands.extend(self.on_screen(*id, |screen, ctx| screen.reload(ctx)));
            }
        }
        commands
    }

    pub(super) fn on_tick(&mut self) -> Vec<Command> {
        if let Some(secs) = self.since_contact.as_mut() {
            *secs += 1;
        }
        let Connection::Offline { retry_in } = self.connection else {
            return self.on_every_screen(|screen, ctx| screen.on_tick(ctx));
        };
        if retry_in > 1 {
            self.connection = Connection::Offline {
                retry_in: retry_in - 1,
            };
            return Vec::new();
        }
        self.connection = Connection::Connecting;
        self.start()
    }

    /// Switches screen; a screen never loaded loads now.
    pub(super) fn switch(&mut self, id: ScreenId) -> Vec<Command> {
        self.tab = id;
        if self.screens.get(id).is_idle() {
            self.on_screen(id, |screen, ctx| screen.enter(ctx))
        } else {
            Vec::new()
        }
    }
}
