//! What a screen is given and what it gives back. A screen never sees the
//! app: it gets a [`ScreenCtx`] (lookups, key map, theme, permissions,
//! the user, the terminal size, a request allocator and the status line)
//! while it updates, a [`DrawCtx`] while it draws, and answers with
//! [`Effect`]s: commands to run, or things only the app can do (open a
//! form, ask a question, show another screen).

use std::collections::HashMap;

use rapport_shared::Collection;
use rapport_shared::wire::Me;

use super::ScreenId;
use crate::api::Record;
use crate::keymap::KeyMap;
use crate::lookup::Lookup;
use crate::messages::Command;
use crate::remote::RequestId;
use crate::theme::Theme;

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub text: String,
    pub error: bool,
}

/// Hands out request ids and remembers which screen each request of a
/// screen belongs to, so its answer goes back to that screen.
#[derive(Debug)]
pub struct Requests {
    next: RequestId,
    owners: HashMap<RequestId, ScreenId>,
}

impl Default for Requests {
    fn default() -> Requests {
        // No request has id 0: screens use it as a placeholder nothing answers.
        Requests {
            next: 1,
            owners: HashMap::new(),
        }
    }
}

impl Requests {
    /// A fresh id for a request the app answers itself.
    pub fn fresh(&mut self) -> RequestId {
        let request = self.next;
        self.next += 1;
        request
    }

    /// A fresh id for a request whose answer goes to `screen`.
    pub fn for_screen(&mut self, screen: ScreenId) -> RequestId {
        let request = self.fresh();
        self.owners.insert(request, screen);
        request
    }

    /// The screen awaiting `request`, forgetting it.
    pub fn take_owner(&mut self, request: RequestId) -> Option<ScreenId> {
        self.owners.remove(&request)
    }

    /// Gives `request` back to `screen` (an answer being replaced).
    pub fn restore_owner(&mut self, request: RequestId, screen: ScreenId) {
        self.owners.insert(request, screen);
    }

    /// Whether a screen still awaits an answer.
    pub fn any_waiting(&self) -> bool {
        !self.owners.is_empty()
    }
}

/// What every screen may read, while updating and while drawing.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a KeyMap,
    /// `--read-only` or a viewer token.
    pub read_only: bool,
    pub me: Option<&'a Me>,
    /// Terminal size in cells.
    pub size: (u16, u16),
    /// The time zone times are told in.
    pub zone: &'a jiff::tz::TimeZone,
}

impl Env<'_> {
    /// Whether the user may change records of `collection`.
    pub fn can_write(&self, collection: Collection) -> bool {
        !self.read_only
            && self
                .me
                .is_none_or(|me| me.permission.allows(collection.write_permission()))
    }
}

/// What a screen gets while it updates.
pub struct ScreenCtx<'a> {
    pub env: Env<'a>,
    pub lookup: &'a mut Lookup,
    pub requests: &'a mut Requests,
    pub message: &'a mut Option<StatusMessage>,
    /// The screen being updated (its requests are registered for it).
    pub screen: ScreenId,
    /// Whether the app shows an overlay of its own (help, palette, question).
    pub app_overlay: bool,
}

impl ScreenCtx<'_> {
    /// Registers a request of this screen and builds its command.
    pub fn request(&mut self, build: impl FnOnce(RequestId) -> Command) -> Command {
        build(self.requests.for_screen(self.screen))
    }

    /// Sets the status-bar message.
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        *self.message = Some(StatusMessage {
            text: text.into(),
            error,
        });
    }

    /// The drawing context over the same state (for sizes of drawn text).
    pub fn draw(&self) -> DrawCtx<'_> {
        DrawCtx {
            env: self.env,
            lookup: self.lookup,
        }
    }
}

/// What a screen gets while it draws.
#[derive(Clone, Copy)]
pub struct DrawCtx<'a> {
    pub env: Env<'a>,
    pub lookup: &'a Lookup,
}

impl DrawCtx<'_> {
    /// The first key bound to `action` (empty when unbound), for short hints.
    pub fn first_key(&self, action: crate::keymap::Action) -> String {
        self.env
            .keymap
            .keys(action)
            .first()
            .map(|k| k.label())
            .unwrap_or_default()
    }
}

/// What a screen asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Run this command (requests were registered through the context).
    Command(Command),
    /// Open the form for a new record of the collection.
    Create(Collection),
    /// Open the form editing the record.
    Edit(Collection, Record),
    /// Ask before deleting the record.
    Delete(Collection, Record),
    /// Ask this yes/no question; yes calls the screen's `confirmed`.
    Ask(String),
    /// Show another screen narrowed to these exact-match filters.
    Show(ScreenId, Vec<(String, String)>),
    /// A record arrived outside a form: every screen showing it updates.
    Put(Collection, Record),
    /// Show this whole detail full screen (`v` on a screen without a list
    /// board, whose full detail is its own).
    Detail(crate::components::full_detail::FullDetail),
    /// Hand `text` to the user's editor (`ctrl-e`); it comes back to the
    /// screen's `edited`, and the status line says `taken` if it changed.
    EditText { text: String, taken: String },
}

/// Effects that are all commands.
pub fn commands(commands: impl IntoIterator<Item = Command>) -> Vec<Effect> {
    commands.into_iter().map(Effect::Command).collect()
}
