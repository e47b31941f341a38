//! The Activities screen, a list screen: the activity plan across
//! customers, on which horizon each activity sits, how far it has come,
//! when it runs and who carries it.

use rapport_shared::Collection;
use rapport_shared::records::{ActivityInput, ActivityStatus, Horizon};
use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, with_description};
use crate::components::form::{FieldKind, FieldSpec};
use crate::strings;

list_screen! {
    /// The activity plan.
    ActivityInput as "activity" {
        title: strings::TAB_ACTIVITIES,
        icon: "\u{f073} ",
        go: GoActivities,
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("title", "Activity", Constraint::Fill(4)),
            Column::name_of("customer", "Customer", Constraint::Fill(2), "customer_id"),
            Column::field("horizon", "Horizon", Constraint::Length(11)),
            Column::field("status", "Status", Constraint::Length(11)),
            Column::field("starts_on", "Starts", Constraint::Length(10)),
            Column::field("ends_on", "Ends", Constraint::Length(10)),
            Column::name_of("owner", "Owner", Constraint::Fill(2), "owner_id"),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &[
            "title",
            "customer",
            "horizon",
            "status",
            "starts_on",
            "ends_on",
            "owner",
        ],
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let facts = vec![
        field_line("Activity", text(record, "title").to_string()),
        field_line("Customer", sources.lookup.name_of(record, "customer_id")),
        field_line("Horizon", text(record, "horizon").to_string()),
        field_line("Status", text(record, "status").to_string()),
        field_line("Starts", text(record, "starts_on").to_string()),
        field_line("Ends", text(record, "ends_on").to_string()),
        field_line("Owner", sources.lookup.name_of(record, "owner_id")),
    ];
    with_description(facts, record)
}

/// The activity form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::customer(),
        FieldSpec::new("description", "Description", FieldKind::Text),
        FieldSpec::new("horizon", "Horizon", FieldKind::Enum(Horizon::names)),
        FieldSpec::new("status", "Status", FieldKind::Enum(ActivityStatus::names)),
        FieldSpec::new("starts_on", "Starts on (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("ends_on", "Ends on (YYYY-MM-DD)", FieldKind::Line),
        FieldSpec::new("owner_id", "Owner", FieldKind::Ref(Collection::Staff)),
    ]
}
