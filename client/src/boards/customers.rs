//! The Customers board: code, name, kind, status, team and purchaser; the
//! detail pane shows the description, the contacts and the customer team.

use rapport_shared::Collection;
use rapport_shared::enums::CustomerStatus;
use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{field_line, heading, paragraph};
use crate::api::{Record, text};
use crate::components::board::{BoardSpec, Column, DetailSources};
use crate::components::form::{FieldKind, FieldSpec};
use crate::lookup::Lookup;
use crate::remote::Remote;
use crate::strings;

/// The board's columns and detail pane.
pub fn spec() -> BoardSpec {
    BoardSpec {
        collection: Collection::Customers,
        title: strings::TAB_CUSTOMERS,
        columns: vec![
            Column {
                key: "code",
                title: "Code",
                width: Constraint::Length(10),
                value: |r, _| text(r, "code").to_string(),
            },
            Column {
                key: "name",
                title: "Name",
                width: Constraint::Fill(3),
                value: |r, _| text(r, "name").to_string(),
            },
            Column {
                key: "kind",
                title: "Kind",
                width: Constraint::Fill(1),
                value: |r, _| text(r, "kind").to_string(),
            },
            Column {
                key: "status",
                title: "Status",
                width: Constraint::Length(9),
                value: |r, _| text(r, "status").to_string(),
            },
            Column {
                key: "team",
                title: "Team",
                width: Constraint::Fill(2),
                value: |r, l: &Lookup| l.name_of(r, "team_id"),
            },
            Column {
                key: "purchaser",
                title: "Purchaser",
                width: Constraint::Fill(2),
                value: |r, l: &Lookup| l.name_of(r, "purchaser_contact_id"),
            },
            Column {
                key: "id",
                title: "Id",
                width: Constraint::Length(20),
                value: |r, _| text(r, "id").to_string(),
            },
        ],
        default_columns: &["code", "name", "kind", "status", "team", "purchaser"],
        detail,
        copy_field: "code",
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let lookup = sources.lookup;
    let mut lines = vec![
        field_line(
            "Customer",
            format!("{} {}", text(record, "code"), text(record, "name")),
        ),
        field_line("Kind", text(record, "kind").to_string()),
        field_line("Status", text(record, "status").to_string()),
        field_line("Purchaser", lookup.name_of(record, "purchaser_contact_id")),
        Line::default(),
        heading(strings::DETAIL_DESCRIPTION),
    ];
    lines.extend(paragraph(text(record, "description")));
    lines.push(Line::default());
    lines.push(heading(strings::DETAIL_CONTACTS));
    match (sources.contacts, sources.contacts_state) {
        (_, Remote::Loading(_)) | (None, _) => lines.push(Line::from(strings::LOADING)),
        (_, Remote::Failed(error)) => lines.push(Line::from(error.clone())),
        (Some([]), _) => lines.push(Line::from(strings::DETAIL_NO_CONTACTS)),
        (Some(contacts), _) => {
            for contact in contacts {
                let role = text(contact, "role");
                let email = text(contact, "email");
                lines.push(Line::from(format!(
                    "- {}{}{}",
                    text(contact, "name"),
                    if role.is_empty() {
                        String::new()
                    } else {
                        format!(" ({role})")
                    },
                    if email.is_empty() {
                        String::new()
                    } else {
                        format!(" <{email}>")
                    },
                )));
            }
        }
    }
    lines.push(Line::default());
    lines.push(heading(strings::DETAIL_TEAM));
    match lookup.teams.get(text(record, "team_id")) {
        Some(team) => {
            lines.push(Line::from(text(team, "name").to_string()));
            lines.push(field_line(
                strings::TEAM_BRM,
                lookup.name_of(team, "brm_id"),
            ));
            lines.push(field_line(
                strings::TEAM_DM,
                lookup.name_of(team, "delivery_manager_id"),
            ));
            let owners = super::list_text(team, "service_owner_ids", |id| lookup.name(id));
            lines.push(field_line(strings::TEAM_OWNERS, owners));
        }
        None => lines.push(Line::from(strings::DETAIL_NO_TEAM)),
    }
    lines
}

/// The customer form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("code", "Code", FieldKind::Line),
        FieldSpec::new("kind", "Kind", FieldKind::Line),
        FieldSpec::new("status", "Status", FieldKind::Enum(CustomerStatus::names)).required(),
        FieldSpec::new("team_id", "Team", FieldKind::Ref(Collection::Teams)),
        FieldSpec::new(
            "purchaser_contact_id",
            "Purchaser",
            FieldKind::Ref(Collection::Contacts),
        ),
        FieldSpec::new("description", "Description", FieldKind::Text),
    ]
}
