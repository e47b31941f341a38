//! The Improvements screen, a list screen: the continual service
//! improvement register across customers, what is proposed, under way,
//! done or rejected, where it came from and who carries it.

use rapport_shared::Collection;
use rapport_shared::records::{ImprovementInput, ImprovementSource, ImprovementStatus};
use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, with_description};
use crate::components::form::{FieldKind, FieldSpec};
use crate::strings;

list_screen! {
    /// The improvement register.
    ImprovementInput as "improvement" {
        title: strings::TAB_IMPROVEMENTS,
        icon: "\u{f0eb} ",
        go: GoImprovements,
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::computed("summary", "Improvement", Constraint::Fill(4), |r, _| {
                summary(r)
            }),
            Column::computed("customer", "Customer", Constraint::Fill(2), |r, lookup| {
                customer(r, lookup)
            }),
            Column::field("status", "Status", Constraint::Length(12)),
            Column::field("source", "Source", Constraint::Length(8)),
            Column::name_of("owner", "Owner", Constraint::Fill(2), "owner_id"),
            Column::field("done_on", "Done on", Constraint::Length(11)),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &["summary", "customer", "status", "source", "owner"],
    }
}

/// The description's first line: what the register lists.
fn summary(record: &Record) -> String {
    text(record, "description")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The customer it is for, or that it serves every customer.
fn customer(record: &Record, lookup: &crate::lookup::Lookup) -> String {
    if text(record, "customer_id").is_empty() {
        strings::EVERY_CUSTOMER.to_string()
    } else {
        lookup.name_of(record, "customer_id")
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let facts = vec![
        field_line("Customer", customer(record, sources.lookup)),
        field_line("Status", text(record, "status").to_string()),
        field_line("Source", text(record, "source").to_string()),
        field_line("Owner", sources.lookup.name_of(record, "owner_id")),
        field_line("Done on", text(record, "done_on").to_string()),
    ];
    with_description(facts, record)
}

/// The improvement form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("description", "Description", FieldKind::Text),
        FieldSpec::customer(),
        FieldSpec::new(
            "source",
            "Source",
            FieldKind::Enum(ImprovementSource::names),
        ),
        FieldSpec::new("owner_id", "Owner", FieldKind::Ref(Collection::Staff)),
        FieldSpec::new(
            "status",
            "Status",
            FieldKind::Enum(ImprovementStatus::names),
        ),
        FieldSpec::new("done_on", "Done on (YYYY-MM-DD)", FieldKind::Line),
    ]
}
