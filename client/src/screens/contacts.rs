//! The Contacts screen, a list screen: people on the customers' side.
//! Opened from a customer (Enter) it shows only that customer's contacts.

use rapport_shared::enums::ContactRole;
use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::field_line;
use crate::components::form::{FieldKind, FieldSpec};
use crate::strings;
use rapport_shared::records::ContactInput;

list_screen! {
    /// The contacts list (narrowed to one customer's from the customers list).
    ContactInput as "contact" {
        title: strings::TAB_CONTACTS,
        icon: "\u{f2b9} ",
        go: GoContacts,
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("name", "Name", Constraint::Fill(2)),
            Column::name_of("customer", "Customer", Constraint::Fill(2), "customer_id"),
            Column::field("role", "Role", Constraint::Fill(1)),
            Column::field("email", "E-mail", Constraint::Fill(2)),
            Column::field("title", "Title", Constraint::Fill(1)),
            Column::field("phone", "Phone", Constraint::Length(16)),
        ],
        shown: &["name", "customer", "role", "email"],
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    vec![
        field_line("Name", text(record, "name").to_string()),
        field_line("Customer", sources.lookup.name_of(record, "customer_id")),
        field_line("Title", text(record, "title").to_string()),
        field_line("Role", text(record, "role").to_string()),
        field_line("E-mail", text(record, "email").to_string()),
        field_line("Phone", text(record, "phone").to_string()),
    ]
}

/// The contact form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::customer(),
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("title", "Title", FieldKind::Line),
        FieldSpec::new("email", "E-mail", FieldKind::Line),
        FieldSpec::new("phone", "Phone", FieldKind::Line),
        FieldSpec::new("role", "Role", FieldKind::Enum(ContactRole::names)),
    ]
}
