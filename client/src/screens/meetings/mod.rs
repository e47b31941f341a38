//! The Meetings screen: forward-looking sessions and follow-up meetings on
//! two boards side by side (stacked on a narrow terminal), each with its
//! upcoming meetings and the recent ones, so the creative meetings and the
//! delivery reviews are never mixed. Enter opens a meeting: its details,
//! agenda, minutes, decisions and actions, edited in place; `P` fills the
//! agenda from the records of the customer (the proposal of the meeting's
//! kind), Enter on an agenda item opens its source records, and an action
//! becomes an RFC or an improvement with one key. `m` lists my open actions
//! across meetings, overdue first.
//!
//! Submodules: `items` (a meeting's lists, the proposal's period and the
//! sources' screens, pure), `editor` (the in-place editor), `loads` (the
//! requests and writes), `keys` (each mode's keys), `replies` (answers),
//! `update` (the `Screen` implementation), `draw` and `draw_meeting`
//! (drawing), `fixtures` and `tests`.

mod draw;
mod draw_meeting;
#[cfg(test)]
mod draw_tests;
pub mod editor;
#[cfg(test)]
mod editor_tests;
#[cfg(test)]
pub mod fixtures;
pub mod items;
#[cfg(test)]
mod items_tests;
mod keys;
mod loads;
mod replies;
#[cfg(test)]
mod tests;
mod update;

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rapport_shared::Collection;
use rapport_shared::records::{MeetingInput, MeetingKind};
use serde_json::Value;

use crate::api::{Record, record_id, text};
use crate::components::form::{FieldKind, FieldSpec, rules};
use crate::config::Settings;
use crate::keymap::Context;
use crate::lookup::Lookup;
use crate::remote::{Remote, RequestId};
use crate::screens::ScreenEntry;
use crate::strings;

pub use editor::Editor;
pub use loads::Load;

/// The registry entry of the Meetings screen.
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_MEETINGS,
    name: "meetings",
    icon: "\u{f073} ",
    collection: Collection::Meetings,
    go: None,
    context: Context::Meetings,
    record: "meeting",
    find: true,
    short_ids: false,
    palette: &[(WITH_WORD, strings::PALETTE_MEETINGS_WITH_HELP)],
    fields,
    rules: rules::<MeetingInput>,
    defaults: new_meeting,
    owned_form: None,
    detail: None,
    make: |_: &Settings| Box::new(MeetingsScreen::default()),
};

/// The palette word narrowing the boards to a customer or a team
/// (`meetings-with MOF`, `meetings-with Atlas`).
pub const WITH_WORD: &str = "meetings-with";

/// Days of meetings the boards hold on either side of today: the recent
/// ones a team still acts on and those being prepared.
pub const RANGE_DAYS: i64 = 90;

/// Meetings read per page (the server's largest page).
pub const PAGE_LIMIT: u32 = rapport_shared::wire::MAX_PAGE_LIMIT;

/// The meeting form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::customer(),
        FieldSpec::new("kind", "Kind", FieldKind::Enum(MeetingKind::names)).required(),
        FieldSpec::new("starts_at", "Starts", FieldKind::Instant)
            .hint(format!("Local time: {}", crate::when::TYPED_FORMS)),
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::new("duration_minutes", "Duration (minutes)", FieldKind::Int),
        FieldSpec::new("location", "Place or link", FieldKind::Line),
        FieldSpec::new(
            "attendee_staff_ids",
            "Staff attending",
            FieldKind::RefList(Collection::Staff),
        ),
        FieldSpec::new(
            "attendee_contact_ids",
            "The customer's contacts attending",
            FieldKind::RefList(Collection::Contacts),
        ),
    ]
}

/// A new meeting: tomorrow at ten in the user's time zone, for an hour.
fn new_meeting() -> Record {
    let now = jiff::Zoned::now();
    let ten = now
        .date()
        .tomorrow()
        .ok()
        .and_then(|day| day.at(10, 0, 0, 0).to_zoned(now.time_zone().clone()).ok())
        .unwrap_or(now);
    crate::screens::record_of(&[
        ("kind", serde_json::json!(Side::FollowUp.kind())),
        ("starts_at", serde_json::json!(ten.timestamp().to_string())),
        ("duration_minutes", serde_json::json!(60)),
    ])
}

/// The two boards: the two kinds of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    ForwardLooking,
    FollowUp,
}

impl Side {
    /// Both, in the order drawn (left, or top).
    pub const BOTH: [Side; 2] = [Side::ForwardLooking, Side::FollowUp];

    /// The meeting kind it lists.
    pub fn kind(self) -> &'static str {
        match self {
            Side::ForwardLooking => "forward_looking",
            Side::FollowUp => "follow_up",
        }
    }

    /// The board's title.
    pub fn title(self) -> &'static str {
        match self {
            Side::ForwardLooking => strings::MEETINGS_FORWARD,
            Side::FollowUp => strings::MEETINGS_FOLLOW_UP,
        }
    }

    /// The kind in a word or two.
    pub fn word(self) -> &'static str {
        match self {
            Side::ForwardLooking => "forward-looking",
            Side::FollowUp => "follow-up",
        }
    }

    /// The board a meeting belongs on.
    pub fn of(meeting: &Record) -> Option<Side> {
        Side::BOTH
            .into_iter()
            .find(|side| text(meeting, "kind") == side.kind())
    }

    /// The other board.
    pub fn other(self) -> Side {
        match self {
            Side::ForwardLooking => Side::FollowUp,
            Side::FollowUp => Side::ForwardLooking,
        }
    }

    fn index(self) -> usize {
        match self {
            Side::ForwardLooking => 0,
            Side::FollowUp => 1,
        }
    }
}

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// The two boards.
    #[default]
    Boards,
    /// One meeting, its parts.
    Meeting,
    /// My open actions across meetings.
    MyActions,
}

/// The parts of an open meeting, in the order Tab walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    Details,
    #[default]
    Agenda,
    Minutes,
    Decisions,
    Actions,
}

impl Part {
    /// Every part, in order.
    pub const ALL: [Part; 5] = [
        Part::Details,
        Part::Agenda,
        Part::Minutes,
        Part::Decisions,
        Part::Actions,
    ];

    /// The part's title.
    pub fn title(self) -> &'static str {
        match self {
            Part::Details => strings::MEETING_DETAILS,
            Part::Agenda => strings::MEETING_AGENDA,
            Part::Minutes => strings::MEETING_MINUTES,
            Part::Decisions => strings::MEETING_DECISIONS,
            Part::Actions => strings::MEETING_ACTIONS,
        }
    }

    /// The list field whose items the part selects among.
    pub fn list(self) -> Option<&'static str> {
        match self {
            Part::Agenda => Some("agenda"),
            Part::Decisions => Some("decisions"),
            Part::Actions => Some("actions"),
            Part::Details | Part::Minutes => None,
        }
    }

    /// The next part, wrapping around.
    pub fn next(self) -> Part {
        let at = Part::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Part::ALL[(at + 1) % Part::ALL.len()]
    }
}

/// A board's meetings, as indices into the loaded meetings: those still
/// to come (or under way) soonest first, then the recent ones latest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardRows {
    pub upcoming: Vec<usize>,
    pub recent: Vec<usize>,
}

impl BoardRows {
    /// The meeting at selectable row `row`.
    pub fn get(&self, row: usize) -> Option<usize> {
        self.upcoming.iter().chain(&self.recent).nth(row).copied()
    }

    pub fn len(&self) -> usize {
        self.upcoming.len() + self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A yes/no question the screen asked, and what yes does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Replace the meeting's agenda with the proposal.
    ReplaceAgenda(String),
    /// Remove item `at` of list `field` from the meeting.
    Remove {
        meeting_id: String,
        field: &'static str,
        at: usize,
    },
}

/// The Meetings screen's state.
#[derive(Debug, Default)]
pub struct MeetingsScreen {
    /// The meetings of both kinds in the range, as loaded.
    pub meetings: Vec<Record>,
    pub load: Remote,
    /// The board in focus.
    pub side: Side,
    /// The selected row of each board.
    pub rows: [usize; 2],
    /// The server filters the boards are narrowed to (`customer_id`,
    /// `team_id`).
    pub narrowing: Vec<(String, String)>,
    /// Text the boards are searched for (`/`): title, place, customer, team.
    pub search: String,
    /// Whether keys type into the search.
    pub searching: bool,
    pub mode: Mode,
    /// Where Esc (or `m` again) goes back to from my actions.
    pub came_from: Mode,
    /// The id of the meeting open (Enter) and the meeting as last read.
    pub open_id: Option<String>,
    pub open: Option<Record>,
    pub open_load: Remote,
    /// The part of the open meeting in focus and its selected item.
    pub part: Part,
    pub item: usize,
    /// My open actions (`m`), as the actions view sent them.
    pub actions: Vec<Value>,
    pub actions_load: Remote,
    pub action_row: usize,
    /// The in-place editor, when open.
    pub editor: Option<Editor>,
    /// The time the boards are split at; `None` is the system clock
    /// (tests fix it so snapshots stay the same).
    pub now: Option<Timestamp>,
    pub(crate) pending: HashMap<RequestId, Load>,
    /// The write on its way (keys typed meanwhile wait for it).
    pub(crate) write: Option<RequestId>,
    pub(crate) asked: Option<Question>,
    /// A meeting shown changed on the server: reload on the next tick.
    pub(crate) stale: bool,
}

impl MeetingsScreen {
    /// The time the boards are split at.
    pub fn now(&self) -> Timestamp {
        self.now.unwrap_or_else(Timestamp::now)
    }

    /// A board's meetings matching the search.
    pub fn board_rows(&self, side: Side, lookup: &Lookup) -> BoardRows {
        let now = self.now();
        let search = self.search.trim().to_lowercase();
        let mut upcoming: Vec<(Timestamp, usize)> = Vec::new();
        let mut recent: Vec<(Timestamp, usize)> = Vec::new();
        for (at, meeting) in self.meetings.iter().enumerate() {
            if Side::of(meeting) != Some(side) || !matches(meeting, &search, lookup) {
                continue;
            }
            let Some(start) = starts(meeting) else {
                continue;
            };
            if ends(meeting).unwrap_or(start) >= now {
                upcoming.push((start, at));
            } else {
                recent.push((start, at));
            }
        }
        upcoming.sort();
        recent.sort_by(|a, b| b.cmp(a));
        BoardRows {
            upcoming: upcoming.into_iter().map(|(_, at)| at).collect(),
            recent: recent.into_iter().map(|(_, at)| at).collect(),
        }
    }

    /// The meeting selected on the focused board.
    pub fn selected_on_board(&self, lookup: &Lookup) -> Option<&Record> {
        let rows = self.board_rows(self.side, lookup);
        let at = rows.get(self.rows[self.side.index()])?;
        self.meetings.get(at)
    }

    /// The selected row of `side`.
    pub fn row(&self, side: Side) -> usize {
        self.rows[side.index()]
    }

    /// The meeting acted on: the open one, else the selected one.
    pub fn current(&self, lookup: &Lookup) -> Option<&Record> {
        match self.mode {
            Mode::Meeting => self.open.as_ref(),
            Mode::Boards => self.selected_on_board(lookup),
            Mode::MyActions => None,
        }
    }

    /// The action selected in my actions.
    pub fn selected_action(&self) -> Option<&Value> {
        self.actions.get(self.action_row)
    }

    /// Puts a meeting as read into the boards and the open meeting,
    /// never over a newer copy.
    pub fn put(&mut self, meeting: Record) {
        let id = record_id(&meeting).to_string();
        let version = crate::api::record_version(&meeting);
        let newer = |shown: &Option<Record>| {
            shown
                .as_ref()
                .is_none_or(|shown| crate::api::record_version(shown) <= version)
        };
        if self.open_id.as_deref() == Some(id.as_str()) && newer(&self.open) {
            self.open = Some(meeting.clone());
        }
        let in_view = self.in_view(&meeting);
        match self.meetings.iter_mut().find(|m| record_id(m) == id) {
            Some(shown) if crate::api::record_version(shown) <= version => *shown = meeting,
            Some(_) => {}
            None if in_view => self.meetings.push(meeting),
            None => {}
        }
    }

    /// Whether a meeting belongs on the boards as narrowed.
    fn in_view(&self, meeting: &Record) -> bool {
        self.narrowing
            .iter()
            .all(|(key, value)| text(meeting, key) == value)
    }
}

/// Whether a meeting matches the search (lower case; empty matches all).
fn matches(meeting: &Record, search: &str, lookup: &Lookup) -> bool {
    if search.is_empty() {
        return true;
    }
    let team = text(meeting, "team_id");
    [
        text(meeting, "title").to_string(),
        text(meeting, "location").to_string(),
        lookup.name_of(meeting, "customer_id"),
        if team.is_empty() {
            String::new()
        } else {
            lookup.name(team)
        },
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(search))
}

/// When a meeting starts.
pub fn starts(meeting: &Record) -> Option<Timestamp> {
    text(meeting, "starts_at").parse().ok()
}

/// When a meeting ends (its start and duration).
pub fn ends(meeting: &Record) -> Option<Timestamp> {
    let minutes = meeting
        .get("duration_minutes")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    starts(meeting)?
        .checked_add(SignedDuration::from_mins(minutes))
        .ok()
}

/// When a meeting starts, in `zone`: `Tue 26 May 2026 10:00`.
pub fn when(meeting: &Record, zone: &TimeZone) -> String {
    match starts(meeting) {
        Some(at) => at
            .to_zoned(zone.clone())
            .strftime("%a %-d %b %Y %H:%M")
            .to_string(),
        None => crate::screens::customer::clean(text(meeting, "starts_at")),
    }
}

/// A meeting on one line, for the customer screen: when, which kind,
/// its title, the agenda's size and the actions still open.
pub fn summary(meeting: &Record, zone: &TimeZone) -> String {
    let clean = crate::screens::customer::clean;
    let kind = Side::of(meeting).map_or("meeting", Side::word);
    let title = text(meeting, "title");
    let mut line = format!(
        "{} · {kind} · {}",
        when(meeting, zone),
        if title.is_empty() {
            strings::MEETING_UNTITLED.to_string()
        } else {
            clean(title)
        }
    );
    let agenda = items::list(meeting, "agenda").len();
    let agenda = match agenda {
        0 => strings::MEETING_NO_AGENDA.to_string(),
        n => strings::agenda_items(n),
    };
    line.push_str(&format!(" · {agenda}"));
    let open = items::open_actions(meeting);
    if open > 0 {
        line.push_str(&format!(" · {}", strings::open_actions(open)));
    }
    line
}
