//! The Customers screen, a list screen: code, health (the server's
//! judgement, `include=health`; `s` on it sorts worst first), name, kind,
//! status, team and purchaser; the detail pane shows the description, the customer's
//! contacts (loaded as the selection moves) and the customer team; Enter
//! shows the contacts screen narrowed to the customer.

use rapport_shared::Collection;
use rapport_shared::enums::{CustomerKind, CustomerStatus};
use ratatui::layout::Constraint;
use ratatui::text::Line;

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use super::ScreenId;
use super::list::{Related, list_screen};
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, list_text, paragraph};
use crate::components::form::{FieldKind, FieldSpec};
use crate::remote::Remote;
use crate::strings;
use rapport_shared::records::CustomerInput;

list_screen! {
    /// The customers list: Enter shows the customer's contacts, the detail
    /// pane lists them.
    CustomerInput as "customer" {
        title: strings::TAB_CUSTOMERS,
        icon: "\u{f0c0} ",
        go: GoCustomers,
        copy: "code",
        related: Some(Related {
            collection: Collection::Contacts,
            key: "customer_id",
        }),
        open: Some((ScreenId::Customer, "id")),
        defaults: || super::record_of(&[("status", serde_json::json!("active"))]),
        params: &[("include", "health")],
    }
}

/// A customer's health as the board shows it: a mark and the word, so it
/// reads without colour (`▲ act`, `● watch`, `? unknown`, `✓ good`).
pub fn health_cell(record: &Record) -> String {
    super::customer::health::mark(text(record, "health"))
}

/// How bad a customer's health is, worst first when sorted ascending.
fn health_rank(record: &Record) -> String {
    match text(record, "health") {
        "act" => "0",
        "watch" => "1",
        "unknown" => "2",
        "good" => "3",
        _ => "4",
    }
    .into()
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::field("code", "Code", Constraint::Length(10)),
            Column::field("name", "Name", Constraint::Fill(3)),
            Column::field("kind", "Kind", Constraint::Length(13)),
            Column::field("status", "Status", Constraint::Length(9)),
            Column::computed("health", "Health", Constraint::Length(9), |r, _| {
                health_cell(r)
            })
            .sorted_by(health_rank)
            .styled(|r, theme| super::customer::health::style(text(r, "health"), theme)),
            Column::name_of("team", "Team", Constraint::Fill(2), "team_id"),
            Column::name_of(
                "purchaser",
                "Purchaser",
                Constraint::Fill(2),
                "purchaser_contact_id",
            ),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &[
            "code",
            "name",
            "kind",
            "status",
            "health",
            "team",
            "purchaser",
        ],
    }
}

/// The detail pane, densest first: it must say the most in the few lines
/// an 80x24 terminal leaves it, and reads fully on a wide screen.
fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let lookup = sources.lookup;
    let mut facts: Vec<&str> = Vec::new();
    for field in ["kind", "status"] {
        if !text(record, field).is_empty() {
            facts.push(text(record, field));
        }
    }
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} {}", text(record, "code"), text(record, "name")),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(if facts.is_empty() {
            String::new()
        } else {
            format!(" ({})", facts.join(", "))
        }),
    ])];
    let team = match lookup.teams.get(text(record, "team_id")) {
        Some(team) => format!(
            "{} ({} {}, {} {}, {} {})",
            text(team, "name"),
            strings::TEAM_BRM,
            lookup.name_of(team, "brm_id"),
            strings::TEAM_DM_SHORT,
            lookup.name_of(team, "delivery_manager_id"),
            strings::TEAM_OWNERS_SHORT,
            list_text(team, "service_owner_ids", |id| lookup.name(id)),
        ),
        None => strings::DETAIL_NO_TEAM.to_string(),
    };
    lines.push(field_line(strings::DETAIL_TEAM, team));
    lines.push(field_line(
        strings::DETAIL_PURCHASER,
        lookup.name_of(record, "purchaser_contact_id"),
    ));
    let contacts = match (sources.contacts, sources.contacts_state) {
        // Shown where no contacts are loaded (`v` on the teams board).
        (None, Remote::Idle) => return with_paragraph(lines, record),
        (_, Remote::Loading(_)) | (None, _) => strings::LOADING.to_string(),
        (_, Remote::Failed(error)) => error.clone(),
        (Some([]), _) => strings::DETAIL_NO_CONTACTS.to_string(),
        (Some(contacts), _) => contacts
            .iter()
            .map(|contact| {
                let role = text(contact, "role");
                if role.is_empty() {
                    text(contact, "name").to_string()
                } else {
                    format!("{} ({role})", text(contact, "name"))
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    lines.push(field_line(strings::DETAIL_CONTACTS, contacts));
    with_paragraph(lines, record)
}

/// The detail's lines followed by the customer's description, if any.
fn with_paragraph(mut lines: Vec<Line<'static>>, record: &Record) -> Vec<Line<'static>> {
    let description = text(record, "description");
    if !description.is_empty() {
        lines.push(Line::default());
        lines.extend(paragraph(description));
    }
    lines
}

/// The customer form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("name", "Name", FieldKind::Line),
        FieldSpec::new("code", "Code", FieldKind::Line),
        FieldSpec::new("kind", "Kind", FieldKind::Enum(CustomerKind::names)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::Lookup;

    #[test]
    fn health_reads_without_colour_and_sorts_worst_first() {
        let column = columns()
            .all
            .into_iter()
            .find(|c| c.key == "health")
            .expect("a health column");
        let mut records: Vec<Record> = ["good", "act", "", "unknown", "watch"]
            .iter()
            .map(|state| super::super::record_of(&[("health", serde_json::json!(state))]))
            .collect();
        let lookup = Lookup::default();
        records.sort_by_key(|r| column.sort_value(r, &lookup));
        let shown: Vec<String> = records.iter().map(|r| column.value(r, &lookup)).collect();
        assert_eq!(
            shown,
            [
                "\u{25b2} act",
                "\u{25cf} watch",
                "? unknown",
                "\u{2713} good",
                ""
            ]
        );
        // Coloured by the theme; under NO_COLOR the word still says it.
        let theme = crate::theme::Theme::default();
        let style = column.cell_style.expect("the health column is styled");
        assert_eq!(style(&records[0], &theme), theme.error);
        assert_eq!(style(&records[3], &theme), theme.ok);
    }
}
