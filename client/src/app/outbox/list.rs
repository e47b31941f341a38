//! The outbox's list (`O`): each entry cancellable, all discarded, sent
//! now, or opened in its form.

use crate::app::{App, Command, Connection, Overlay};
use crate::keymap::Action;
use crate::outbox::{Entry, Write, pending_id};
use crate::screens::ScreenId;
use crate::strings;

/// The outbox's list, open over the screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxList {
    pub selected: usize,
}

impl App {
    /// Opens the outbox's list.
    pub(in crate::app) fn open_outbox(&mut self) {
        self.overlay = Some(Overlay::Outbox(OutboxList::default()));
    }

    /// A key in the outbox's list.
    pub(in crate::app) fn outbox_key(
        &mut self,
        mut list: OutboxList,
        key: crossterm::event::KeyEvent,
    ) -> Vec<Command> {
        use crate::keymap::Context;
        let count = self.outbox.entries.len();
        let action = self
            .keymap
            .action(Context::Outbox, &key)
            .or_else(|| self.keymap.action(Context::Board, &key));
        let mut commands = Vec::new();
        match action {
            Some(Action::Back | Action::Quit | Action::Outbox) => return Vec::new(),
            Some(Action::Down) => list.selected = (list.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Up) => list.selected = list.selected.saturating_sub(1),
            Some(Action::OutboxCancel) => {
                if let Some(entry) = self.outbox.entries.get(list.selected).cloned() {
                    self.cancel_entry(&entry);
                    commands.push(self.keep_outbox());
                    self.say(strings::outbox_cancelled(&entry.label), false);
                }
                list.selected = list
                    .selected
                    .min(self.outbox.entries.len().saturating_sub(1));
            }
            Some(Action::OutboxDiscard) => {
                for entry in self.outbox.entries.clone() {
                    self.cancel_entry(&entry);
                }
                commands.push(self.keep_outbox());
                list.selected = 0;
            }
            Some(Action::OutboxSend) => commands.extend(self.send_outbox_now()),
            Some(Action::OutboxOpen) => {
                if let Some(entry) = self.outbox.entries.get(list.selected).cloned()
                    && matches!(entry.write, Write::Form { .. })
                {
                    return self.open_refused(&entry, None);
                }
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Outbox(list));
        commands
    }

    /// Drops `entry` from the outbox, and its optimistic copy from the screens.
    fn cancel_entry(&mut self, entry: &Entry) {
        self.outbox.remove(&entry.key);
        if let Write::Form { draft } = &entry.write
            && draft.base.is_none()
        {
            let (collection, shown) = (draft.collection, pending_id(&entry.key));
            for id in ScreenId::ALL {
                self.with_screen(*id, |screen, ctx| {
                    screen.removed(ctx, collection, &shown);
                });
            }
        }
        if self.outbox_form.as_deref() == Some(entry.key.as_str()) {
            self.outbox_form = None;
        }
    }

    /// The user said send: held and refused entries go again, in order.
    pub(in crate::app) fn send_outbox_now(&mut self) -> Vec<Command> {
        self.outbox.held = false;
        for entry in &mut self.outbox.entries {
            entry.refused = None;
        }
        let mut commands = vec![self.keep_outbox()];
        if self.connection == Connection::Online {
            commands.extend(self.pump_outbox());
        } else if matches!(self.connection, Connection::Offline { .. }) {
            // Try the server now rather than at the end of the countdown.
            self.connection = Connection::Connecting;
            commands.extend(self.start());
        }
        commands
    }

    /// A form opened from a refused entry was saved: the entry is done.
    pub(in crate::app) fn outbox_form_saved(&mut self) -> Vec<Command> {
        match self.outbox_form.take() {
            Some(key) if self.outbox.remove(&key).is_some() => vec![self.keep_outbox()],
            _ => Vec::new(),
        }
    }
}
