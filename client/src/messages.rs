//! The messages that drive the app and the commands it answers with. They
//! sit below both the app and the screens, so a screen can build commands
//! without knowing the app.

use crossterm::event::{KeyEvent, MouseEvent};
use rapport_shared::Collection;
use rapport_shared::wire::{Me, Page};

use crate::api::{ApiError, ListQuery, Record, ServerChange};
use crate::remote::RequestId;

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// One second passed (retries count down on ticks).
    Tick,
    /// The answer to request `request`.
    Reply {
        request: RequestId,
        reply: Reply,
    },
    /// Someone (maybe this client) changed a record on the server.
    Changed(ServerChange),
    /// The change feed could not be opened or broke off; the runtime
    /// reopens it after a pause.
    FeedFailed(ApiError),
    /// The change feed is open: the server is in contact.
    FeedOpened,
    /// The server asked the client to reload what it shows (`event:
    /// resync`, with its reason): changes were missed.
    Resync(String),
    /// SIGTERM, SIGHUP or the terminal went away: leave now.
    Terminate,
    /// The user's editor gave back the text of [`Command::EditText`] (or
    /// failed to).
    Edited(crate::terminal::editor::EditOutcome),
    /// An export ([`Command::Export`]) has read this many rows so far; its
    /// end comes as the request's [`Reply::Exported`].
    ExportProgress {
        request: RequestId,
        rows: usize,
    },
}

impl Msg {
    /// Whether this is the answer to a request (what the runtime counts
    /// in flight); an export's progress is not.
    pub fn answers_request(&self) -> bool {
        !matches!(self, Msg::ExportProgress { .. })
    }
}

/// An API answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Page(Result<Page<Record>, ApiError>),
    Record(Result<Record, ApiError>),
    Deleted(Result<(), ApiError>),
    Me(Result<Me, ApiError>),
    /// The answer to an RFC workflow call.
    Rfc(crate::api::rfcs::RfcAnswer),
    /// The answer to a view (attainment, budget).
    View(Result<serde_json::Value, ApiError>),
    /// The customers' health states the week ahead last showed, by
    /// customer id, read from the data directory (empty when none was kept).
    Seen(SeenHealth),
    /// An export's end: the rows written, or why nothing was.
    Exported(Result<usize, crate::export::ExportError>),
    /// The view `:save` added to the config file (with the file's path),
    /// or why it could not be.
    ViewSaved(Result<(crate::config::ViewConfig, String), String>),
}

/// Each customer's health state as last shown, by customer id: the
/// `health-seen.json` that `rapport agenda` and the week ahead share.
pub type SeenHealth = std::collections::BTreeMap<String, String>;

impl Reply {
    /// The error, if the request failed, whatever it was for (so an
    /// unreachable server is noticed on every answer).
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Reply::Page(Err(e))
            | Reply::Record(Err(e))
            | Reply::Deleted(Err(e))
            | Reply::Me(Err(e))
            | Reply::View(Err(e)) => Some(e),
            Reply::Rfc(answer) => answer.error(),
            Reply::Exported(Err(crate::export::ExportError::Api(e))) => Some(e),
            _ => None,
        }
    }
}

/// What `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Me {
        request: RequestId,
    },
    List {
        request: RequestId,
        collection: Collection,
        query: ListQuery,
    },
    Get {
        request: RequestId,
        collection: Collection,
        id: String,
    },
    Create {
        request: RequestId,
        collection: Collection,
        /// The id of the record it belongs to and is created under (the
        /// survey a response answers); `None` for a collection's own.
        under: Option<String>,
        body: Record,
        idempotency_key: String,
    },
    Update {
        request: RequestId,
        collection: Collection,
        id: String,
        version: i64,
        patch: Record,
    },
    Delete {
        request: RequestId,
        collection: Collection,
        id: String,
        version: i64,
    },
    /// An RFC workflow call (transition, comment, history, comments, count).
    Rfc {
        request: RequestId,
        call: crate::api::rfcs::RfcCall,
    },
    /// Read a view that is not a collection.
    View {
        request: RequestId,
        call: crate::api::views::ViewCall,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Keep a form's unsaved text on disk (the app is being ended from
    /// outside); it reopens at the next start.
    SaveDraft(crate::components::form::Draft),
    /// Read the customers' health last shown ([`Reply::Seen`]).
    ReadSeen {
        request: RequestId,
    },
    /// Keep the customers' health now shown, for the next look.
    KeepSeen(SeenHealth),
    /// Add a saved view to the config file (`:save`, [`Reply::ViewSaved`]).
    SaveView {
        request: RequestId,
        view: crate::config::ViewConfig,
    },
    /// Write the outbox to the data directory (after every change).
    KeepOutbox(Vec<crate::outbox::Entry>),
    /// Open `text` in the user's editor, the terminal handed over to it
    /// until it exits; answered by [`Msg::Edited`].
    EditText(String),
    /// Write the whole view of a list to a file (`:export`), answered by
    /// [`Msg::ExportProgress`] and [`Reply::Exported`].
    Export {
        request: RequestId,
        job: Box<crate::export::ExportJob>,
    },
    /// Ring the terminal's bell (a notification, with `notify_bell` on);
    /// the runtime rings it between frames.
    Bell,
    /// Leave the app.
    Quit,
}

impl Command {
    /// The request id of a command that is a request.
    pub fn request(&self) -> Option<RequestId> {
        match self {
            Command::Me { request }
            | Command::List { request, .. }
            | Command::Get { request, .. }
            | Command::Create { request, .. }
            | Command::Update { request, .. }
            | Command::Delete { request, .. }
            | Command::Rfc { request, .. }
            | Command::View { request, .. }
            | Command::Export { request, .. }
            | Command::ReadSeen { request }
            | Command::SaveView { request, .. } => Some(*request),
            Command::Copy(_)
            | Command::SaveDraft(_)
            | Command::KeepSeen(_)
            | Command::KeepOutbox(_)
            | Command::EditText(_)
            | Command::Bell
            | Command::Quit => None,
        }
    }
}
