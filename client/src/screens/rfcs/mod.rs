//! The RFC triage queue: an instance of the generic board (paging,
//! selection, filter, sort come from `components::board`) plus what
//! triage needs on top, kept here: saved views with live counts, marks
//! for bulk steps, the choosers (route, priority, legal next status), the
//! comment editor, the bulk summary and the detail pane's history and
//! comments. The list is asked for in triage order (`sort=priority`:
//! most urgent first, then oldest first).
//!
//! Everything of the queue lives in this folder. Submodules: [`views`]
//! (saved views and their filter syntax), `save` (`:save NAME`), [`bulk`] (planning steps with
//! the shared state machine, gathering answers), `choosers` (the queue's
//! overlay states), `update` (the screen's state, entering, keys), `steps`
//! (overlay keys, running a step), `undo` (taking the last step back), `answers` (the answers to its
//! requests), `screen` (its [`Screen`](crate::screens::Screen) impl),
//! `draw`, `detail` and `overlays` (drawing), `fixtures` and the tests.

mod answers;
pub mod bulk;
mod choosers;
mod detail;
mod draw;
#[cfg(test)]
pub mod fixtures;
mod overlays;
mod save;
#[cfg(test)]
mod save_tests;
mod screen;
mod state;
mod steps;
mod undo;
mod update;
pub mod views;

#[cfg(test)]
mod comment_tests;
#[cfg(test)]
mod draw_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod typed_ahead_tests;
#[cfg(test)]
mod undo_tests;

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::enums::{Priority, RfcCategory, RfcStatus};
use ratatui::layout::Constraint;
use ratatui::text::Line;
use serde_json::Value;

use crate::api::{Record, record_id, text};
use crate::components::board::{BoardSpec, Column, DetailSources};
use crate::components::detail::{field_line, heading, paragraph};
use crate::components::form::{FieldKind, FieldSpec};
use crate::lookup::Lookup;
use crate::remote::Remote;
use crate::strings;
use crate::when::Clock;
use bulk::Batch;
use views::{View, ViewConfig};

pub use choosers::{Choice, Chooser, CommentEditor, CommentState, MoveNote, RfcOverlay};
pub use screen::ENTRY;
pub use state::{RfcPurpose, RfcScreen};

/// Days after which an open RFC's age is shown as a warning.
pub const AGE_WARNING_DAYS: i64 = 7;
/// Days after which an open RFC's age is shown as an alarm.
pub const AGE_ALARM_DAYS: i64 = 30;
/// Customers and services loaded for the queue's labels and view codes:
/// every real organisation's catalogue and customer list fits.
pub const REFERENCE_LIMIT: u32 = 500;

/// The short id shown in the table: the last six characters of the id
/// (ids are UUID v7, whose leading characters are the time the server
/// wrote the record, so they tell records of one second apart only by
/// their end).
pub fn short_id(record: &Record) -> String {
    short_id_of(record_id(record))
}

/// The short id of the RFC with this id.
pub fn short_id_of(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    chars[chars.len().saturating_sub(6)..].iter().collect()
}

/// How an RFC is named in summaries: short id and title.
pub fn rfc_label(record: &Record) -> String {
    format!("{} {}", short_id(record), text(record, "title"))
}

/// How old an RFC is, in whole days, at `now`.
pub fn age_days(record: &Record, now: Timestamp) -> Option<i64> {
    let created: Timestamp = text(record, "created_at").parse().ok()?;
    Some(now.duration_since(created).as_secs() / 86_400)
}

/// The age as the table shows it (`45m`, `5h`, `12d`).
pub fn age_text(record: &Record, now: Timestamp) -> String {
    let Ok(created) = text(record, "created_at").parse::<Timestamp>() else {
        return String::new();
    };
    let secs = now.duration_since(created).as_secs().max(0);
    match secs {
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    }
}

/// The customer's code (the first word of its label).
fn customer_code(record: &Record, lookup: &Lookup) -> String {
    let name = lookup.name_of(record, "customer_id");
    name.split_whitespace().next().unwrap_or("").to_string()
}

/// A due date as the Due column shows it (`4 Dec`); empty when there is
/// none, the cleaned text when it is not a date.
fn due_cell(due_on: &str) -> String {
    match due_on.parse::<jiff::civil::Date>() {
        Ok(due) => due.strftime("%-d %b").to_string(),
        Err(_) => crate::api::without_controls(due_on),
    }
}

/// The board's columns; the detail pane is drawn by `detail.rs`.
pub fn spec() -> BoardSpec {
    BoardSpec {
        collection: Collection::Rfcs,
        title: strings::TAB_RFCS,
        columns: vec![
            Column::computed("id", "Id", Constraint::Length(6), |r, _| short_id(r)),
            Column::computed("priority", "Pri", Constraint::Length(4), |r, _| {
                text(r, "priority").chars().take(4).collect()
            }),
            // Shown as an age from the creation time; sorts by it too.
            Column::computed("age", "Age", Constraint::Length(4), |r, _| {
                text(r, "created_at").to_string()
            }),
            Column::computed("customer", "Cust", Constraint::Length(5), customer_code),
            Column::name_of("service", "Service", Constraint::Fill(1), "service_id"),
            Column::field("title", "Title", Constraint::Fill(3)),
            Column::field("status", "Status", Constraint::Length(11)),
            Column::computed("route", "Rt", Constraint::Length(3), |r, _| {
                strings::route_short(text(r, "route")).to_string()
            }),
            // The first name keeps the dense table dense.
            Column::computed("assignee", "Assignee", Constraint::Length(9), |r, l| {
                let name = l.name_of(r, "assignee_id");
                name.split_whitespace().next().unwrap_or("").to_string()
            }),
            // `4 Dec`; sorts by the date itself, the undated last.
            Column::computed("due", "Due", Constraint::Length(6), |r, _| {
                due_cell(text(r, "due_on"))
            })
            .sorted_by(|r| match text(r, "due_on") {
                "" => "~".to_string(),
                due => due.to_string(),
            }),
        ],
        default_columns: &[
            "id", "priority", "age", "customer", "service", "title", "status", "route", "assignee",
        ],
        detail,
        copy_field: "id",
    }
}

/// The RFC's own fields for the detail pane (history and comments follow).
pub fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let lookup = sources.lookup;
    let or_none = |value: String| {
        if value.is_empty() {
            strings::FORM_NONE.to_string()
        } else {
            value
        }
    };
    let route = strings::route_short(text(record, "route"));
    // What triage needs first (status, priority, customer, assignee and
    // the description), two fields a line, then the secondary fields, so
    // even the short pane at 80x24 shows the description.
    let pair = |first: Line<'static>, second: Line<'static>| {
        let mut line = first;
        line.spans.push(" ".repeat(3).into());
        line.spans.extend(second.spans);
        line
    };
    let status = if route.is_empty() {
        text(record, "status").to_string()
    } else {
        format!("{} ({route})", text(record, "status"))
    };
    let mut lines = vec![
        field_line("RFC", rfc_label(record)),
        pair(
            field_line("Status", status),
            field_line("Priority", text(record, "priority").to_string()),
        ),
        pair(
            field_line("Customer", lookup.name_of(record, "customer_id")),
            field_line("Assignee", or_none(lookup.name_of(record, "assignee_id"))),
        ),
        heading(strings::DETAIL_DESCRIPTION),
    ];
    lines.extend(paragraph(text(record, "description")));
    lines.push(Line::default());
    lines.extend([
        pair(
            field_line("Category", or_none(text(record, "category").into())),
            field_line("Impact", or_none(text(record, "impact").into())),
        ),
        field_line("Service", or_none(lookup.name_of(record, "service_id"))),
        field_line(
            "Requester",
            or_none(lookup.name_of(record, "requested_by_contact_id")),
        ),
        field_line("Agreement", or_none(lookup.name_of(record, "agreement_id"))),
        field_line("Raised by", or_none(lookup.name_of(record, "raised_by_id"))),
    ]);
    if !text(record, "due_on").is_empty() {
        lines.push(field_line("Due", text(record, "due_on").to_string()));
    }
    lines
}

/// The RFC form's fields: customer, service, requester (a contact of the
/// chosen customer) and assignee are pickers that search as you type.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::customer(),
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::new(
            "service_id",
            "Service",
            FieldKind::Ref(Collection::Services),
        ),
        FieldSpec::new(
            "requested_by_contact_id",
            "Requester",
            FieldKind::Ref(Collection::Contacts),
        ),
        FieldSpec::new("priority", "Priority", FieldKind::Enum(Priority::names)),
        FieldSpec::new("category", "Category", FieldKind::Enum(RfcCategory::names)),
        FieldSpec::new("impact", "Impact", FieldKind::Line),
        FieldSpec::new("assignee_id", "Assignee", FieldKind::Ref(Collection::Staff)),
        FieldSpec::new("due_on", "Due (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("description", "Description", FieldKind::Text),
    ]
}

/// Whether an RFC is still open (not closed or withdrawn).
pub fn is_open(record: &Record) -> bool {
    RfcStatus::parse(text(record, "status")).is_none_or(|s| !rapport_shared::rfc::is_finished(s))
}

/// The live count of one view, summed from its count calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewCount {
    pub shown: Option<u64>,
    generation: u64,
    pending: usize,
    sum: i64,
}

/// History and comments of the RFC in the detail pane.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RfcDetail {
    pub id: Option<String>,
    pub history: Remote,
    pub history_items: Vec<Record>,
    pub comments: Remote,
    pub comment_items: Vec<Record>,
}

/// The RFC queue's state besides its generic board.
#[derive(Debug, Clone, Default)]
pub struct RfcQueue {
    pub views: Vec<View>,
    /// A `[[views]]` entry that could not be read (also refused at start).
    pub view_error: Option<String>,
    /// The current view.
    pub current: usize,
    pub counts: Vec<ViewCount>,
    count_generation: u64,
    /// Customer code (upper case) to id, for views naming a code.
    pub codes: HashMap<String, String>,
    /// Customers and services for labels; the list waits for customers.
    pub references: Remote,
    /// Reference lists whose last request failed: asked for again on the
    /// next load or refresh of the queue.
    pub failed_references: BTreeSet<Collection>,
    /// Ids of the RFCs marked for a bulk step.
    pub marks: BTreeSet<String>,
    /// Where a `V` range started (an RFC id).
    pub anchor: Option<String>,
    pub detail: RfcDetail,
    pub batch: Option<Batch>,
    /// Active staff (id, name), the user first, then by name: who `A`
    /// offers to assign to.
    pub staff: Vec<(String, String)>,
    /// How `u` takes back the last step made from the queue.
    pub undo: Option<undo::Undo>,
    /// The last bulk step's summary, shown again by `R`.
    pub last_summary: Option<Vec<String>>,
    /// The time ages are measured from; `None` is the system clock (tests
    /// fix it so snapshots stay the same).
    pub now: Option<Timestamp>,
}

impl RfcQueue {
    /// The queue with the built-in views and the user's `configs`.
    pub fn new(configs: &[ViewConfig]) -> RfcQueue {
        let (views, view_error) = match views::all(configs) {
            Ok(views) => (views, None),
            Err(error) => (views::built_in(), Some(error.to_string())),
        };
        RfcQueue {
            counts: vec![ViewCount::default(); views.len()],
            views,
            view_error,
            ..RfcQueue::default()
        }
    }

    /// The time ages are measured from.
    pub fn now(&self) -> Timestamp {
        self.now.unwrap_or_else(Timestamp::now)
    }

    /// What times are told against: the system's clock, or the fixed
    /// `now` (told in UTC) of a test.
    pub fn clock(&self) -> Clock {
        self.now.map_or_else(Clock::system, Clock::fixed)
    }

    /// The current view.
    pub fn view(&self) -> Option<&View> {
        self.views.get(self.current)
    }

    /// Starts a new round of counts: every view expects `parts` answers;
    /// answers of older rounds are dropped. Returns the round's number.
    pub fn counting(&mut self, parts: &[usize]) -> u64 {
        self.count_generation += 1;
        for (count, pending) in self.counts.iter_mut().zip(parts) {
            count.generation = self.count_generation;
            count.pending = *pending;
            count.sum = 0;
        }
        self.count_generation
    }

    /// One count answer for `view`, signed (+ counted, - subtracted).
    pub fn count_arrived(&mut self, view: usize, generation: u64, signed: Option<i64>) {
        let Some(count) = self.counts.get_mut(view) else {
            return;
        };
        if count.generation != generation || count.pending == 0 {
            return;
        }
        count.pending -= 1;
        match signed {
            Some(n) => count.sum += n,
            None => {
                // A failed part makes the whole count unknown.
                count.pending = 0;
                count.shown = None;
                return;
            }
        }
        if count.pending == 0 {
            count.shown = Some(count.sum.max(0) as u64);
        }
    }

    /// Learns who can be assigned from a staff page: the active staff,
    /// `me` first, then by name.
    pub fn learn_staff(&mut self, staff: &[Record], me: Option<&str>) {
        let mut active: Vec<(String, String)> = staff
            .iter()
            .filter(|member| member.get("active").and_then(Value::as_bool) != Some(false))
            .map(|member| {
                let name = crate::api::without_controls(text(member, "name"));
                (record_id(member).to_string(), name)
            })
            .collect();
        active.sort_by(|a, b| {
            let mine = |id: &str| Some(id) != me;
            (mine(&a.0), a.1.to_lowercase()).cmp(&(mine(&b.0), b.1.to_lowercase()))
        });
        self.staff = active;
    }

    /// Learns customer codes from a customers page.
    pub fn learn_codes(&mut self, customers: &[Record]) {
        for customer in customers {
            let code = text(customer, "code");
            if !code.is_empty() {
                self.codes
                    .insert(code.to_uppercase(), record_id(customer).to_string());
            }
        }
    }
}
