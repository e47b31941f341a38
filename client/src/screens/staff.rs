//! The Staff screen, a list screen: the people of the IT organisation
//! and their job roles.

use rapport_shared::enums::JobRole;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use serde_json::Value;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, list_text};
use crate::components::form::{FieldKind, FieldSpec};
use crate::strings;
use rapport_shared::records::StaffInput;

list_screen! {
    /// The staff list.
    StaffInput as "staff" {
        title: strings::TAB_STAFF,
        icon: "\u{f007} ",
        go: GoStaff,
        defaults: || super::record_of(&[("active", serde_json::json!(true))]),
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("name", "Name", Constraint::Fill(2)),
            Column::field("email", "E-mail", Constraint::Fill(2)),
            Column::computed("job_roles", "Job roles", Constraint::Fill(2), |r, _| {
                list_text(r, "job_roles", str::to_string)
            }),
            Column::computed("active", "Active", Constraint::Length(6), |r, _| {
                yes_no(r.get("active"))
            }),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &["name", "email", "job_roles", "active"],
    }
}

fn yes_no(value: Option<&Value>) -> String {
    match value.and_then(Value::as_bool) {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => String::new(),
    }
}

fn detail(record: &Record, _: &DetailSources<'_>) -> Vec<Line<'static>> {
    vec![
        field_line("Name", text(record, "name").to_string()),
        field_line("E-mail", text(record, "email").to_string()),
        field_line("Job roles", list_text(record, "job_roles", str::to_string)),
        field_line("Active", yes_no(record.get("active"))),
        // No raw id on screen: `y` copies it (for `rapportd token create --staff`).
    ]
}

/// The staff form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("email", "E-mail", FieldKind::Line),
        FieldSpec::new(
            "job_roles",
            "Job roles",
            FieldKind::EnumList(JobRole::names),
        ),
        FieldSpec::new("active", "Active", FieldKind::Bool),
    ]
}
