//! The model of the whole client, its message enum and its commands. The
//! one-way flow: terminal events, ticks and API answers arrive as [`Msg`];
//! [`App::update`] changes the state and returns [`Command`]s (requests to
//! send, text to copy); `view` draws the state. `update` does no I/O, so
//! tests drive it directly; the runtime (`runtime.rs`) executes commands in
//! tokio tasks that answer with more messages.
//!
//! The app owns what is shared (forms, its own overlays, the lookups, the
//! connection, the status line) and the screens' states; each screen gets
//! a context and answers with effects, which `effects` carries out.
//!
//! Submodules: `keys` routes keystrokes (overlays, forms, screens),
//! `replies` applies API answers, `changes` hands the change feed to the
//! screens, `actions` opens forms and dialogs, `effects` carries out what
//! screens ask for, `export` hands `:export` to the runtime,
//! `notifications` the RFCs newly mine or critical, `lifecycle` the
//! ticks, resizes, resyncs and tab switches, `audit` the audit trail
//! (`T`) and the full detail (`v`) the app shows for a screen.

mod actions;
mod audit;
mod editor;
mod effects;
mod export;
mod keys;
mod lifecycle;
mod notifications;
mod outbox;
mod overlays;
mod purchaser;
mod replies;

use std::collections::{HashMap, VecDeque};

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Me;

use crate::api::ListQuery;
use crate::components::form::Form;
use crate::config::Settings;
use crate::keymap::KeyMap;
use crate::lookup::Lookup;
use crate::remote::RequestId;
use crate::screens::{Effect, Env, Requests, Screen, ScreenCtx, ScreenId, Screens};
use crate::strings;
use crate::theme::Theme;

pub use crate::messages::{Command, Msg, Reply};
pub use crate::screens::StatusMessage;
pub use keys::TYPED_AHEAD_LIMIT;
pub use notifications::NotificationList;
pub use outbox::OutboxList;
pub use overlays::{ConfirmAction, Overlay};

/// Seconds between attempts to reach a server that is down.
pub const RETRY_SECS: u64 = 5;

/// Reference lists loaded at start (teams, staff, customers, services,
/// purchasers)
/// are capped at this many rows: enough for any real organisation's teams
/// and staff; customer and contact names beyond it are learnt as their
/// lists load.
pub const LOOKUP_LIMIT: u32 = 500;

/// Whether the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    /// Down; the next attempt is in this many seconds.
    Offline {
        retry_in: u64,
    },
}

/// What a pending request of the app's own is for (the screens keep
/// their own requests), so its answer reaches the right place.
#[derive(Debug, Clone, PartialEq)]
enum Purpose {
    Me,
    Lookup(Collection),
    Picker(usize),
    Save,
    ConflictFetch,
    /// Sending the outbox's entry with this key.
    Outbox(String),
    Delete {
        collection: Collection,
        id: String,
        label: String,
        /// The name of the customer the record belongs to ("" if none),
        /// for the refusal's words.
        customer: String,
    },
    /// Reading the customer of a contact saved as a purchaser.
    PurchaserCheck(purchaser::PurchaserOffer),
    /// Making that contact the customer's purchaser.
    PurchaserSet(purchaser::PurchaserOffer),
    /// A page of the open audit trail.
    Audit,
    /// Writing the current list to a file (`:export`).
    Export,
    /// Reading the audit entry of the RFC change the feed numbered so.
    Notify(i64),
}

/// The whole client state.
pub struct App {
    /// Every screen's own state.
    pub screens: Screens,
    /// The screen shown.
    pub tab: ScreenId,
    pub form: Option<Form>,
    pub overlay: Option<Overlay>,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub lookup: Lookup,
    pub server: String,
    pub me: Option<Me>,
    pub connection: Connection,
    pub message: Option<StatusMessage>,
    /// `--read-only` (a viewer token is read-only too, see [`App::read_only`]).
    pub read_only_flag: bool,
    pub mouse: bool,
    /// Terminal size in cells.
    pub size: (u16, u16),
    pub quitting: bool,
    /// Keys typed while the screen shown has a change on its way
    /// ([`Screen::writing`]): they wait, in order, and are applied once
    /// its answer is in, so each acts on the records as the change left
    /// them (`a p 4` assigns, then sets the priority at the new version).
    pub typed_ahead: VecDeque<crossterm::event::KeyEvent>,
    /// The form field whose text is in the user's editor (`ctrl-e`):
    /// keys wait in [`App::typed_ahead`] until it comes back.
    pub external_edit: Option<editor::ExternalEdit>,
    /// The first of two keys was refused: the next key, meant for its
    /// chooser, is swallowed ([`crate::keymap::Action::takes_second_key`]).
    pub swallow_next_key: bool,
    /// The time zone times are told in (`TZ` or the system's; UTC in
    /// tests, so snapshots do not depend on the machine).
    pub zone: jiff::tz::TimeZone,
    /// Writes waiting for the server (`crate::outbox`).
    pub outbox: crate::outbox::Outbox,
    /// Seconds since the server last answered (counted in ticks); `None`
    /// before it ever did.
    pub since_contact: Option<u64>,
    /// The `:export` under way (one at a time).
    pub exporting: Option<export::Exporting>,
    /// RFCs newly assigned to the user or critical, told unasked.
    pub notifications: crate::notifications::Notifications,
    /// `notify_bell`: a notification rings the terminal's bell.
    pub notify_bell: bool,
    /// Writes sent and not yet answered, queued if the server is unreachable.
    writes: HashMap<RequestId, crate::outbox::Write>,
    /// The outbox entry the open form was reopened from.
    outbox_form: Option<String>,
    requests: Requests,
    pending: HashMap<RequestId, Purpose>,
}

impl App {
    /// A new app for `server` with the user's settings.
    pub fn new(settings: &Settings, keymap: KeyMap, theme: Theme, server: &str) -> App {
        let mut app = App {
            screens: Screens::new(settings),
            tab: ScreenId::ALL[0],
            form: None,
            overlay: None,
            keymap,
            theme,
            lookup: Lookup::default(),
            server: server.to_string(),
            me: None,
            connection: Connection::Connecting,
            message: None,
            read_only_flag: settings.read_only,
            mouse: settings.mouse,
            size: (80, 24),
            quitting: false,
            typed_ahead: VecDeque::new(),
            external_edit: None,
            swallow_next_key: false,
            zone: jiff::tz::TimeZone::system(),
            outbox: crate::outbox::Outbox::default(),
            since_contact: None,
            exporting: None,
            notifications: crate::notifications::Notifications::default(),
            notify_bell: settings.notify_bell,
            writes: HashMap::new(),
            outbox_form: None,
            requests: Requests::default(),
            pending: HashMap::new(),
        };
        app.resize(80, 24);
        app
    }

    /// The requests to send at start (and after the server comes back):
    /// who am I, the reference lists and the current screen.
    pub fn start(&mut self) -> Vec<Command> {
        let mut commands = vec![self.request(Purpose::Me, |request| Command::Me { request })];
        for (collection, filters) in [
            (Collection::Teams, vec![]),
            (Collection::Staff, vec![]),
            (Collection::Customers, vec![]),
            (Collection::Services, vec![]),
            (
                Collection::Contacts,
                vec![("role".to_string(), "purchaser".to_string())],
            ),
        ] {
            let query = ListQuery {
                limit: LOOKUP_LIMIT,
                cursor: None,
                q: None,
                filters,
            };
            commands.push(
                self.request(Purpose::Lookup(collection), |request| Command::List {
                    request,
                    collection,
                    query,
                }),
            );
        }
        let tab = self.tab;
        commands.extend(self.on_screen(tab, |screen, ctx| screen.enter(ctx)));
        commands
    }

    /// Whether write actions are hidden: `--read-only` or a viewer token.
    pub fn read_only(&self) -> bool {
        self.read_only_flag
            || self
                .me
                .as_ref()
                .is_some_and(|me| me.permission == Permission::Viewer)
    }

    /// The tab bar's labels in a bar `width` cells wide: the room left
    /// beside the read-only badge when it shows, so the badge is never
    /// cut (drawing and mouse clicks both measure these).
    pub fn tab_labels(&self, width: u16) -> Vec<(ScreenId, ratatui::text::Span<'static>)> {
        let badge = if self.read_only() {
            strings::read_only_badge().chars().count()
        } else {
            0
        };
        let room = width.saturating_sub(u16::try_from(badge).unwrap_or(width));
        crate::screens::tab_labels(self.theme.icons, self.tab, room)
    }

    /// Whether the user may change records of `collection`.
    pub fn can_write(&self, collection: Collection) -> bool {
        self.env().can_write(collection)
    }

    /// What every screen may read.
    pub fn env(&self) -> Env<'_> {
        Env {
            theme: &self.theme,
            keymap: &self.keymap,
            read_only: self.read_only(),
            me: self.me.as_ref(),
            size: self.size,
            zone: &self.zone,
        }
    }

    /// The screen shown.
    pub fn screen(&self) -> &dyn Screen {
        self.screens.get(self.tab)
    }

    /// The screen whose own overlay is open (the one shown first): its
    /// overlay is drawn over everything and takes the keys, wherever the
    /// user went meanwhile (a bulk summary arriving after a tab switch).
    pub fn overlay_screen(&self) -> Option<ScreenId> {
        std::iter::once(self.tab)
            .chain(ScreenId::ALL.iter().copied())
            .find(|id| self.screens.get(*id).overlay_open())
    }

    /// The list board of the screen shown, if it is one.
    pub fn board(&self) -> Option<&crate::components::board::Board> {
        self.screen().board()
    }

    /// Whether any request is in flight (tests wait for none).
    pub fn busy(&self) -> bool {
        !self.pending.is_empty() || self.requests.any_waiting()
    }

    /// Registers a request of the app's own for `purpose` and builds its command.
    fn request(&mut self, purpose: Purpose, build: impl FnOnce(RequestId) -> Command) -> Command {
        let request = self.requests.fresh();
        self.pending.insert(request, purpose);
        build(request)
    }

    /// Forgets the request of a command that will not be sent.
    fn forget(&mut self, command: &Command) {
        if let Some(request) = command.request() {
            self.requests.take_owner(request);
            self.pending.remove(&request);
        }
    }

    /// Sets the status-bar message.
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(StatusMessage {
            text: text.into(),
            error,
        });
    }

    /// Runs `work` on screen `id` with its context, then carries out the
    /// effects it returns.
    fn on_screen(
        &mut self,
        id: ScreenId,
        work: impl FnOnce(&mut dyn Screen, &mut ScreenCtx) -> Vec<Effect>,
    ) -> Vec<Command> {
        let effects = self.with_screen(id, work);
        self.apply(id, effects)
    }

    /// Runs `work` on screen `id` with its context.
    fn with_screen<R>(
        &mut self,
        id: ScreenId,
        work: impl FnOnce(&mut dyn Screen, &mut ScreenCtx) -> R,
    ) -> R {
        let read_only = self.read_only();
        let App {
            screens,
            keymap,
            theme,
            lookup,
            me,
            message,
            size,
            requests,
            overlay,
            zone,
            ..
        } = self;
        let mut ctx = ScreenCtx {
            env: Env {
                theme,
                keymap,
                read_only,
                me: me.as_ref(),
                size: *size,
                zone,
            },
            lookup,
            requests,
            message,
            screen: id,
            app_overlay: overlay.is_some(),
        };
        work(screens.get_mut(id), &mut ctx)
    }

    /// Runs `work` on every screen in tab order and carries out the effects.
    fn on_every_screen(
        &mut self,
        mut work: impl FnMut(&mut dyn Screen, &mut ScreenCtx) -> Vec<Effect>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        for id in ScreenId::ALL {
            commands.extend(self.on_screen(*id, &mut work));
        }
        commands
    }

    /// Applies one message.
    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        let (tab, said) = (self.tab, self.message.clone());
        let mut commands = self.apply_msg(msg);
        commands.extend(self.replay_typed_ahead());
        // A message said about the view left behind does not follow the
        // user to another one (what the switch itself said stays).
        if self.tab != tab && self.message.is_some() && self.message == said {
            self.message = None;
        }
        self.route_writes(commands)
    }

    /// Applies one message, before the keys typed ahead follow.
    fn apply_msg(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Key(key) => self.key_or_wait(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize(width, height) => {
                self.resize(width, height);
                Vec::new()
            }
            Msg::Tick => self.on_tick(),
            Msg::Changed(change) => {
                self.since_contact = Some(0);
                let mut commands = self.notice_change(&change);
                commands.extend(self.on_every_screen(|screen, ctx| screen.on_change(ctx, &change)));
                commands
            }
            Msg::FeedFailed(error) => {
                self.request_failed(&error);
                Vec::new()
            }
            Msg::FeedOpened => {
                self.since_contact = Some(0);
                Vec::new()
            }
            Msg::Resync(_) => {
                self.since_contact = Some(0);
                self.resync()
            }
            Msg::Reply { request, reply } => self.on_reply(request, reply),
            Msg::Edited(outcome) => self.edited(outcome),
            Msg::ExportProgress { request, rows } => {
                self.export_progress(request, rows);
                Vec::new()
            }
            Msg::Terminate => {
                self.quitting = true;
                match self.unsaved_draft() {
                    Some(draft) => vec![Command::SaveDraft(draft), Command::Quit],
                    None => vec![Command::Quit],
                }
            }
        }
    }

    /// Typed work that would be lost if the app ended now: a dirty form's
    /// values, else text typed on a screen (a comment on an RFC).
    fn unsaved_draft(&self) -> Option<crate::components::form::Draft> {
        if let Some(form) = self.form.as_ref().filter(|f| f.is_dirty()) {
            return Some(form.draft());
        }
        ScreenId::ALL
            .iter()
            .find_map(|id| self.screens.get(*id).unsaved())
    }
}

#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod feed_tests;
#[cfg(test)]
mod navigation_tests;
#[cfg(test)]
mod notification_tests;
#[cfg(test)]
mod outbox_tests;
#[cfg(test)]
mod purchaser_tests;
#[cfg(test)]
mod tests;
