//! The Services screen, a list screen: the service catalogue with owners
//! and unit prices.

use rapport_shared::Collection;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use serde_json::Value;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, with_description};
use crate::components::form::{FieldKind, FieldSpec};
use crate::strings;
use rapport_shared::records::ServiceInput;

list_screen! {
    /// The service catalogue.
    ServiceInput as "service" {
        title: strings::TAB_SERVICES,
        icon: "\u{f013} ",
        go: GoServices,
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("name", "Name", Constraint::Fill(3)),
            Column::name_of("owner", "Owner", Constraint::Fill(2), "owner_id"),
            Column::field("unit", "Unit", Constraint::Fill(1)),
            Column::computed("price", "Unit price", Constraint::Length(12), |r, _| {
                price(r)
            }),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &["name", "owner", "unit", "price"],
    }
}

/// The unit price in currency units with two decimals.
fn price(record: &Record) -> String {
    match record.get("unit_price_cents").and_then(Value::as_i64) {
        Some(cents) => format!("{}.{:02}", cents / 100, (cents % 100).abs()),
        None => String::new(),
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let facts = vec![
        field_line("Service", text(record, "name").to_string()),
        field_line("Owner", sources.lookup.name_of(record, "owner_id")),
        field_line("Unit", text(record, "unit").to_string()),
        field_line("Unit price", price(record)),
    ];
    with_description(facts, record)
}

/// The service form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("owner_id", "Owner", FieldKind::Ref(Collection::Staff)),
        FieldSpec::new("unit", "Unit", FieldKind::Line),
        FieldSpec::new("unit_price_cents", "Price (cents)", FieldKind::Int),
        FieldSpec::new("description", "Description", FieldKind::Text),
    ]
}
