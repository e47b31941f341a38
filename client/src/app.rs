//! The model of the whole client, its message enum and its commands. The
//! one-way flow: terminal events, ticks and API answers arrive as [`Msg`];
//! [`App::update`] changes the state and returns [`Command`]s (requests to
//! send, text to copy); `view` draws the state. `update` does no I/O, so
//! tests drive it directly; the runtime (`runtime.rs`) executes commands in
//! tokio tasks that answer with more messages.
//!
//! Submodules: `messages` ([`Msg`], [`Reply`], [`Command`]), `tab` (the tab
//! bar), `keys` routes keystrokes (overlays, forms, boards), `replies`
//! applies API answers, `actions` opens forms and dialogs.

mod actions;
mod changes;
mod keys;
mod messages;
mod replies;
mod rfcs;
mod tab;

use std::collections::HashMap;

use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rapport_shared::wire::Me;

use crate::api::{ListQuery, Record};
use crate::boards;
use crate::components::board::Board;
use crate::components::confirm::Confirm;
use crate::components::form::Form;
use crate::components::help::Help;
use crate::components::palette::Palette;
use crate::config::Settings;
use crate::keymap::KeyMap;
use crate::lookup::Lookup;
use crate::remote::{Remote, RequestId};
use crate::theme::Theme;

pub use crate::boards::teams::TeamsBoard;
pub use messages::{Command, Msg, Reply};
pub use tab::Tab;

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

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub text: String,
    pub error: bool,
}

/// What a pending request is for, so its answer reaches the right place.
#[derive(Debug, Clone, PartialEq)]
enum Purpose {
    Me,
    Board(usize),
    Lookup(Collection),
    Contacts,
    Teams,
    Members(String),
    /// A changed record to put in place on board `usize`.
    Refreshed(usize),
    Picker(usize),
    Save,
    ConflictFetch,
    Delete {
        collection: Collection,
        id: String,
        label: String,
    },
    Move {
        customer: String,
        team: String,
    },
    Rfc(rfcs::RfcPurpose),
}

/// The open overlay, drawn over everything else.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help(Help),
    Palette(Palette),
    Confirm(Confirm),
    /// The RFC queue's choosers, comment editor and bulk summary.
    Rfc(crate::boards::rfcs::RfcOverlay),
}

/// The selected customer's contacts, for the detail pane.
#[derive(Debug, Clone, Default)]
pub struct DetailContacts {
    pub customer_id: Option<String>,
    pub load: Remote,
    pub contacts: Vec<Record>,
}

/// The whole client state.
pub struct App {
    /// The list boards: customers, staff, services, contacts.
    pub boards: Vec<Board>,
    pub teams: TeamsBoard,
    pub tab: Tab,
    pub form: Option<Form>,
    pub overlay: Option<Overlay>,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub lookup: Lookup,
    pub detail: DetailContacts,
    /// The RFC queue's own state: views, counts, marks, detail extras.
    pub rfcs: crate::boards::rfcs::RfcQueue,
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
    /// Teams or customers changed on the server: reload the teams board
    /// on the next tick (one reload for a burst of changes).
    teams_stale: bool,
    /// RFCs changed on the server: recount the queue's views on the next
    /// tick (one round of counts for a burst of changes).
    rfc_counts_stale: bool,
    pending: HashMap<RequestId, Purpose>,
    next_request: RequestId,
}

impl App {
    /// A new app for `server` with the user's settings.
    pub fn new(settings: &Settings, keymap: KeyMap, theme: Theme, server: &str) -> App {
        let page = settings.page_size;
        let board = |spec, name: &str| Board::new(spec, settings.boards.get(name), page);
        let mut app = App {
            boards: vec![
                board(boards::customers::spec(), "customers"),
                board(boards::staff::spec(), "staff"),
                board(boards::services::spec(), "services"),
                board(boards::contacts::spec(), "contacts"),
                board(boards::rfcs::spec(), "rfcs"),
            ],
            teams: TeamsBoard::default(),
            tab: Tab::Customers,
            form: None,
            overlay: None,
            keymap,
            theme,
            lookup: Lookup::default(),
            detail: DetailContacts::default(),
            rfcs: crate::boards::rfcs::RfcQueue::new(&settings.views),
            server: server.to_string(),
            me: None,
            connection: Connection::Connecting,
            message: None,
            read_only_flag: settings.read_only,
            mouse: settings.mouse,
            size: (80, 24),
            quitting: false,
            teams_stale: false,
            rfc_counts_stale: false,
            pending: HashMap::new(),
            next_request: 1,
        };
        app.resize(80, 24);
        app
    }

    /// The requests to send at start (and after the server comes back):
    /// who am I, the reference lists and the current board.
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
        commands.extend(self.load_tab());
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

    /// Whether the user may change records of `collection`.
    pub fn can_write(&self, collection: Collection) -> bool {
        !self.read_only()
            && self
                .me
                .as_ref()
                .is_none_or(|me| me.permission.allows(collection.write_permission()))
    }

    /// The list board of the current tab.
    pub fn board(&self) -> Option<&Board> {
        self.tab.board().and_then(|i| self.boards.get(i))
    }

    /// The index in [`App::boards`] of the board showing `collection`.
    pub fn board_index(&self, collection: Collection) -> Option<usize> {
        self.boards
            .iter()
            .position(|b| b.spec.collection == collection)
    }

    /// The list board showing `collection`.
    pub fn board_of(&mut self, collection: Collection) -> Option<&mut Board> {
        self.boards
            .iter_mut()
            .find(|b| b.spec.collection == collection)
    }

    /// Whether any request is in flight (tests wait for none).
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Registers a request for `purpose` and builds its command.
    fn request(&mut self, purpose: Purpose, build: impl FnOnce(RequestId) -> Command) -> Command {
        let request = self.next_request;
        self.next_request += 1;
        self.pending.insert(request, purpose);
        build(request)
    }

    /// Sets the status-bar message.
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(StatusMessage {
            text: text.into(),
            error,
        });
    }

    /// Applies one message.
    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize(width, height) => {
                self.resize(width, height);
                Vec::new()
            }
            Msg::Tick => self.on_tick(),
            Msg::Changed(change) => self.on_change(change),
            Msg::FeedFailed(error) => {
                self.request_failed(&error);
                Vec::new()
            }
            Msg::Reply { request, reply } => self.on_reply(request, reply),
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
    /// values, else a comment being written (or posted) on an RFC.
    fn unsaved_draft(&self) -> Option<crate::components::form::Draft> {
        if let Some(form) = self.form.as_ref().filter(|f| f.is_dirty()) {
            return Some(form.draft());
        }
        match &self.overlay {
            Some(Overlay::Rfc(crate::boards::rfcs::RfcOverlay::Comment(comment)))
                if comment.has_text() =>
            {
                Some(crate::components::form::Draft::comment(
                    &comment.id,
                    &comment.label,
                    &comment.text(),
                ))
            }
            _ => None,
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let rows =
            crate::view::layout(ratatui::layout::Rect::new(0, 0, width, height)).table_rows();
        for board in &mut self.boards {
            board.viewport = rows.max(1);
        }
        // The RFC queue draws its saved views on a line above its table.
        if let Some(board) = self.boards.get_mut(rfcs::RFC_BOARD) {
            board.viewport = rows.saturating_sub(1).max(1);
        }
    }

    fn on_tick(&mut self) -> Vec<Command> {
        let Connection::Offline { retry_in } = self.connection else {
            let mut commands = Vec::new();
            if self.teams_stale && !self.teams.load.is_loading() {
                self.teams_stale = false;
                commands.push(self.load_teams());
            }
            if self.rfc_counts_stale && self.rfcs.references == Remote::Loaded {
                self.rfc_counts_stale = false;
                commands.extend(self.rfc_counts());
            }
            return commands;
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

    /// The requests that load the current tab.
    fn load_tab(&mut self) -> Vec<Command> {
        if self.tab == Tab::Rfcs {
            return self.rfc_enter();
        }
        match self.tab.board() {
            Some(index) => {
                let query = self.boards[index].first_page();
                self.load_board(index, query, false)
            }
            None => vec![self.load_teams()],
        }
    }

    fn load_board(&mut self, index: usize, query: ListQuery, more: bool) -> Vec<Command> {
        let Some(collection) = self.boards.get(index).map(|b| b.spec.collection) else {
            return Vec::new();
        };
        let command = self.request(Purpose::Board(index), |request| Command::List {
            request,
            collection,
            query,
        });
        if let Command::List { request, .. } = &command {
            if more {
                self.boards[index].loading_more(*request);
            } else {
                self.boards[index].loading(*request);
            }
        }
        vec![command]
    }

    fn load_teams(&mut self) -> Command {
        let query = ListQuery {
            limit: LOOKUP_LIMIT,
            ..ListQuery::default()
        };
        let command = self.request(Purpose::Teams, |request| Command::List {
            request,
            collection: Collection::Teams,
            query,
        });
        if let Command::List { request, .. } = &command {
            self.teams.load = Remote::Loading(*request);
        }
        command
    }

    fn load_contacts_of(&mut self, customer_id: Option<String>) -> Vec<Command> {
        self.detail.customer_id = customer_id.clone();
        self.detail.contacts.clear();
        let Some(id) = customer_id else {
            self.detail.load = Remote::Idle;
            return Vec::new();
        };
        let query = ListQuery {
            limit: LOOKUP_LIMIT,
            cursor: None,
            q: None,
            filters: vec![("customer_id".to_string(), id)],
        };
        let command = self.request(Purpose::Contacts, |request| Command::List {
            request,
            collection: Collection::Contacts,
            query,
        });
        if let Command::List { request, .. } = &command {
            self.detail.load = Remote::Loading(*request);
        }
        vec![command]
    }

    /// Switches tab; a board never loaded loads now.
    fn switch(&mut self, tab: Tab) -> Vec<Command> {
        self.tab = tab;
        let idle = match tab.board() {
            Some(i) => self.boards[i].load == Remote::Idle,
            None => self.teams.load == Remote::Idle,
        };
        if idle { self.load_tab() } else { Vec::new() }
    }
}

#[cfg(test)]
mod tests;
