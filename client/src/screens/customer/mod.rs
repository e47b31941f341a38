//! The customer screen: one customer on one screen, in sections — its
//! health (shown first: each signal with its state and reason, Enter its
//! records), the overview (what the customer does and how it uses IT, status, purchaser,
//! team), its contacts, agreements with their levels and the last months'
//! attainment, the activity plan as a timeline, the budget with its
//! drill-down (service, month, usage lines) and a view by program, its
//! RFCs, improvements, the notices reaching it and its meetings. Enter on a customer (Customers board) opens it;
//! `[`/`]` and a letter per section move between sections; `n`/`e` create
//! and edit the focused section's records with the usual forms.
//!
//! Submodules: `plan` (the timeline's grouping), `loads` (what opening a
//! customer asks for), `update` (the `Screen` implementation: keys,
//! changes), `replies` (answers), `health` (the signals' lines and where
//! they open), `budget` (its rows and lines),
//! `sections` (the other sections' lines), `draw` (the layout).

pub mod budget;
mod draw;
#[cfg(test)]
pub mod fixtures;
pub mod health;
mod loads;
pub mod plan;
mod replies;
pub mod sections;
#[cfg(test)]
mod tests;
mod update;

use jiff::civil::Date;
use rapport_shared::Collection;
use rapport_shared::records::{AgreementInput, AgreementStatus};
use serde_json::Value;

use crate::api::Record;
use crate::components::form::{FieldKind, FieldSpec, RowShape, rules};
use crate::config::Settings;
use crate::keymap::{Action, Context};
use crate::remote::Remote;
use crate::screens::ScreenEntry;
use crate::strings;

pub use update::CustomerScreen;

/// The registry entry of the customer screen. It is the screen of the
/// agreements (they have no list of their own): its forms are theirs.
pub const ENTRY: ScreenEntry = ScreenEntry {
    title: strings::TAB_CUSTOMER,
    name: "customer",
    icon: "\u{f007} ",
    collection: Collection::Agreements,
    go: Some(Action::GoCustomer),
    context: Context::Customer,
    record: "agreement",
    find: false,
    short_ids: false,
    palette: &[],
    fields: agreement_fields,
    rules: rules::<AgreementInput>,
    owned_form: None,
    defaults: || crate::screens::record_of(&[("status", serde_json::json!("active"))]),
    detail: None,
    make: |_: &Settings| Box::new(CustomerScreen::new(jiff::Zoned::now().date())),
};

/// Months of attainment shown per level, this month included.
pub const ATTAINMENT_MONTHS: i32 = 6;

/// Records of one kind loaded for a customer, at most this many.
pub const SECTION_LIMIT: u32 = 200;

/// The screen's sections, in the order `]` walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Health,
    Overview,
    Contacts,
    Agreements,
    Plan,
    Budget,
    Rfcs,
    Improvements,
    Notices,
    Meetings,
}

impl Section {
    /// Every section, in order.
    pub const ALL: [Section; 10] = [
        Section::Health,
        Section::Overview,
        Section::Contacts,
        Section::Agreements,
        Section::Plan,
        Section::Budget,
        Section::Rfcs,
        Section::Improvements,
        Section::Notices,
        Section::Meetings,
    ];

    /// The section's title.
    pub fn title(self) -> &'static str {
        match self {
            Section::Health => "Health",
            Section::Overview => "Overview",
            Section::Contacts => "Contacts",
            Section::Agreements => "Agreements",
            Section::Plan => "Plan",
            Section::Budget => "Budget",
            Section::Rfcs => "RFCs",
            Section::Improvements => "Improvements",
            Section::Notices => "Notices",
            Section::Meetings => "Meetings",
        }
    }

    /// The collection listed in the section (what `n`/`e` create and edit).
    pub fn collection(self) -> Collection {
        match self {
            Section::Health | Section::Overview => Collection::Customers,
            Section::Contacts => Collection::Contacts,
            Section::Agreements => Collection::Agreements,
            Section::Plan => Collection::Activities,
            Section::Budget => Collection::BudgetLines,
            Section::Rfcs => Collection::Rfcs,
            Section::Improvements => Collection::Improvements,
            Section::Notices => Collection::Notices,
            Section::Meetings => Collection::Meetings,
        }
    }

    /// The section a key-map action jumps to.
    pub fn of_action(action: Action) -> Option<Section> {
        Some(match action {
            Action::SectionHealth => Section::Health,
            Action::SectionOverview => Section::Overview,
            Action::SectionContacts => Section::Contacts,
            Action::SectionAgreements => Section::Agreements,
            Action::SectionPlan => Section::Plan,
            Action::SectionBudget => Section::Budget,
            Action::SectionRfcs => Section::Rfcs,
            Action::SectionImprovements => Section::Improvements,
            Action::SectionNotices => Section::Notices,
            Action::SectionMeetings => Section::Meetings,
            _ => return None,
        })
    }

    /// Whether the section shows the customer itself (its health or
    /// overview), where there is no record of a section's own to create or
    /// delete.
    pub fn is_customer_itself(self) -> bool {
        matches!(self, Section::Health | Section::Overview)
    }

    /// The section `steps` away, wrapping around.
    pub fn step(self, steps: isize) -> Section {
        let count = Section::ALL.len() as isize;
        let at = Section::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        Section::ALL[(at + steps).rem_euclid(count) as usize]
    }

    /// The sections with a list of records ([`Section::filters`]).
    pub const LISTED: [Section; 7] = [
        Section::Contacts,
        Section::Agreements,
        Section::Plan,
        Section::Rfcs,
        Section::Improvements,
        Section::Notices,
        Section::Meetings,
    ];

    /// The section listing records of `collection` (`?section=` of a
    /// narrowing names it by its collection: `agreements`).
    pub fn of_collection(name: &str) -> Option<Section> {
        Section::ALL
            .iter()
            .copied()
            .find(|section| section.collection().name() == name)
    }

    /// The list filters that load a listed section's records for customer
    /// `id`: its `customer_id`, except for notices, which name no customer
    /// (the notices not yet ended are loaded, and those reaching the
    /// customer kept: [`reaches`]).
    pub fn filters(self, id: &str) -> Vec<(String, String)> {
        match self {
            Section::Notices => vec![("active".to_string(), "true".to_string())],
            _ => vec![("customer_id".to_string(), id.to_string())],
        }
    }
}

/// Whether a notice reaches customer `id` (its `affected_customer_ids`,
/// derived by the server, name it).
pub fn reaches(notice: &Record, id: &str) -> bool {
    notice
        .get("affected_customer_ids")
        .and_then(Value::as_array)
        .is_some_and(|ids| ids.iter().any(|c| c.as_str() == Some(id)))
}

/// The records of one section and the selected one.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub load: Remote,
    pub items: Vec<Record>,
    pub row: usize,
}

/// How the budget is viewed, and how deep the drill-down is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Drill {
    /// Planned against charged per service.
    #[default]
    Services,
    /// Charged per program.
    Programs,
    /// One service's monthly charges.
    Service(String),
    /// One service's usage lines of one month.
    Month(String, String),
}

/// The budget section's state.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    pub load: Remote,
    /// The budget view as the server sent it.
    pub view: Option<Value>,
    pub drill: Drill,
    pub row: usize,
    /// Row of the service (and month) drilled into, restored on the way up.
    pub above: Vec<usize>,
    /// The usage lines of the month drilled into.
    pub usage: Part,
}

/// The state of the customer screen.
#[derive(Debug)]
pub struct CustomerState {
    /// The customer shown (none until one is opened).
    pub customer_id: Option<String>,
    pub customer: Option<Record>,
    pub customer_load: Remote,
    pub section: Section,
    /// Its health: the overall state and each signal.
    pub health: health::Health,
    pub contacts: Part,
    pub agreements: Part,
    pub activities: Part,
    pub rfcs: Part,
    pub improvements: Part,
    /// The notices not yet ended that reach the customer.
    pub notices: Part,
    /// Its meetings, the latest first.
    pub meetings: Part,
    /// The attainment view of each agreement, by agreement id.
    pub attainment: std::collections::HashMap<String, Value>,
    pub budget: Budget,
    /// The customer's satisfaction view (`items`: a mean and NPS per survey).
    pub satisfaction: Option<Value>,
    /// Today, for the plan's grouping, the budget year and attainment months.
    pub today: Date,
}

impl CustomerState {
    /// A screen showing no customer yet.
    pub fn new(today: Date) -> CustomerState {
        CustomerState {
            customer_id: None,
            customer: None,
            customer_load: Remote::Idle,
            section: Section::Health,
            health: health::Health::default(),
            contacts: Part::default(),
            agreements: Part::default(),
            activities: Part::default(),
            rfcs: Part::default(),
            improvements: Part::default(),
            notices: Part::default(),
            meetings: Part::default(),
            attainment: Default::default(),
            budget: Budget::default(),
            satisfaction: None,
            today,
        }
    }

    /// The records of a listed section.
    pub fn part(&self, section: Section) -> Option<&Part> {
        Some(match section {
            Section::Contacts => &self.contacts,
            Section::Agreements => &self.agreements,
            Section::Plan => &self.activities,
            Section::Rfcs => &self.rfcs,
            Section::Improvements => &self.improvements,
            Section::Notices => &self.notices,
            Section::Meetings => &self.meetings,
            Section::Health | Section::Overview | Section::Budget => return None,
        })
    }

    /// The records of a listed section, to change.
    pub fn part_mut(&mut self, section: Section) -> Option<&mut Part> {
        Some(match section {
            Section::Contacts => &mut self.contacts,
            Section::Agreements => &mut self.agreements,
            Section::Plan => &mut self.activities,
            Section::Rfcs => &mut self.rfcs,
            Section::Improvements => &mut self.improvements,
            Section::Notices => &mut self.notices,
            Section::Meetings => &mut self.meetings,
            Section::Health | Section::Overview | Section::Budget => return None,
        })
    }

    /// The indices of a section's records in the order drawn (the plan
    /// runs as its timeline).
    pub fn order(&self, section: Section) -> Vec<usize> {
        match section {
            Section::Plan => plan::timeline(&self.activities.items, self.today)
                .iter()
                .map(|row| row.index)
                .collect(),
            other => (0..self.part(other).map_or(0, |p| p.items.len())).collect(),
        }
    }

    /// The selected record of the focused section.
    pub fn selected(&self) -> Option<&Record> {
        let part = self.part(self.section)?;
        let index = *self.order(self.section).get(part.row)?;
        part.items.get(index)
    }
}

/// The agreement form's fields.
pub fn agreement_fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::customer(),
        FieldSpec::new(
            "service_ids",
            "Services",
            FieldKind::RefList(Collection::Services),
        ),
        FieldSpec::new("valid_from", "Valid from (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("valid_to", "Valid to (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("review_on", "Review on (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("status", "Status", FieldKind::Enum(AgreementStatus::names)),
        FieldSpec::new(
            "levels",
            "Levels, one per line: metric | target | unit | higher or lower",
            FieldKind::Rows(&LEVEL_ROWS),
        ),
    ]
}

/// An agreement's levels as the form edits them, one per line:
/// `availability | 99.5 | % | higher`.
pub const LEVEL_ROWS: RowShape = RowShape {
    columns: &["metric", "target", "unit", "better"],
    numbers: &["target"],
    refs: &[],
};

/// Text from a record made safe for the terminal: control characters
/// (escape sequences, carriage returns, tabs) become a visible `?`.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
