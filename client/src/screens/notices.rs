//! The Notices screen, a list screen: what the customer care centre
//! announces (scheduled maintenance, outages, information), when, about
//! which services, and the customers it reaches (derived by the server
//! from the active agreements covering those services). It opens on the
//! notices not yet ended; Esc shows the ended ones too.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rapport_shared::Collection;
use rapport_shared::records::{NoticeInput, NoticeKind};
use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::list::list_screen;
use crate::api::{Record, text};
use crate::components::board::{Column, Columns, DetailSources};
use crate::components::detail::{field_line, heading, list_text, paragraph};
use crate::components::form::{FieldKind, FieldSpec};
use crate::lookup::Lookup;
use crate::strings;

list_screen! {
    /// The notices to customers.
    NoticeInput as "notice" {
        title: strings::TAB_NOTICES,
        icon: "\u{f0a1} ",
        go: GoNotices,
        defaults: starting_next_hour,
        narrowed: &[("active", "true")],
    }
}

/// The board's columns: every one it offers, and those shown when the
/// config names none.
fn columns() -> Columns {
    Columns {
        all: vec![
            Column::computed("summary", "Notice", Constraint::Fill(4), |r, _| summary(r)),
            Column::computed("kind", "Kind", Constraint::Length(11), |r, _| {
                kind_word(r).to_string()
            }),
            Column::computed("window", "When", Constraint::Length(27), |r, _| {
                window(r, &TimeZone::system())
            }),
            Column::computed("services", "Services", Constraint::Fill(2), |r, lookup| {
                names(r, "service_ids", lookup)
            }),
            Column::computed("affected", "Customers", Constraint::Fill(3), |r, lookup| {
                codes(r, lookup)
            }),
            Column::field("id", "Id", Constraint::Length(20)),
        ],
        shown: &["summary", "kind", "window", "services", "affected"],
    }
}

/// The text's first line: what the board lists.
fn summary(record: &Record) -> String {
    text(record, "text")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The kind in one short word: `maintenance`, `outage`, `information`.
fn kind_word(record: &Record) -> &str {
    match text(record, "kind") {
        "scheduled_maintenance" => "maintenance",
        other => other,
    }
}

/// The names of the records a list field holds, comma separated.
fn names(record: &Record, field: &str, lookup: &Lookup) -> String {
    list_text(record, field, |id| lookup.name(id))
}

/// The codes of the customers it reaches (a customer's label is its code
/// and name), comma separated: what fits a column.
fn codes(record: &Record, lookup: &Lookup) -> String {
    list_text(record, "affected_customer_ids", |id| {
        let label = lookup.name(id);
        label
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    })
}

/// When it runs, in `zone`: `Sat 5 Dec 22:00 – 23:30` on one day,
/// `Sat 5 Dec 22:00 – Sun 6 Dec 02:00` across days, `from Sat 5 Dec 22:00`
/// without an end. A time the server did not write as one is shown as it is.
pub fn window(record: &Record, zone: &TimeZone) -> String {
    let local = |field: &str| {
        let at = text(record, field);
        at.parse::<Timestamp>()
            .map(|instant| instant.to_zoned(zone.clone()))
            .map_err(|_| at.to_string())
    };
    let day = |at: &jiff::Zoned| at.strftime("%a %-d %b %H:%M").to_string();
    match (local("starts_at"), local("ends_at")) {
        (Ok(start), Ok(end)) if start.date() == end.date() => {
            format!("{} \u{2013} {}", day(&start), end.strftime("%H:%M"))
        }
        (Ok(start), Ok(end)) => format!("{} \u{2013} {}", day(&start), day(&end)),
        (Ok(start), Err(end)) if end.is_empty() => format!("from {}", day(&start)),
        (Ok(start), Err(end)) => format!("{} \u{2013} {end}", day(&start)),
        (Err(start), _) => start,
    }
}

fn detail(record: &Record, sources: &DetailSources<'_>) -> Vec<Line<'static>> {
    let lookup = sources.lookup;
    let mut lines = vec![
        field_line("Kind", text(record, "kind").replace('_', " ")),
        field_line("When", window(record, &TimeZone::system())),
        field_line("Services", names(record, "service_ids", lookup)),
        field_line("Customers", names(record, "affected_customer_ids", lookup)),
        Line::default(),
        heading("Text"),
    ];
    lines.extend(paragraph(text(record, "text")));
    lines
}

/// A new notice starts at the next whole hour (the form shows it in the
/// user's time zone).
fn starting_next_hour() -> Record {
    let now = jiff::Zoned::now();
    let next = now
        .round(
            jiff::ZonedRound::new()
                .smallest(jiff::Unit::Hour)
                .mode(jiff::RoundMode::Ceil),
        )
        .unwrap_or(now);
    crate::screens::record_of(&[("starts_at", serde_json::json!(next.timestamp().to_string()))])
}

/// The notice form's fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        FieldSpec::new("kind", "Kind", FieldKind::Enum(NoticeKind::names)).required(),
        FieldSpec::new("text", "Text", FieldKind::Text).required(),
        FieldSpec::new("starts_at", "Starts", FieldKind::Instant)
            .required()
            .hint(format!("Local time: {}", crate::when::TYPED_FORMS)),
        FieldSpec::new("ends_at", "Ends (empty: open-ended)", FieldKind::Instant),
        FieldSpec::new(
            "service_ids",
            "Services",
            FieldKind::RefList(Collection::Services),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notice(starts: &str, ends: Option<&str>) -> Record {
        let mut record =
            json!({"kind": "outage", "text": "Mail down\nWe are on it", "starts_at": starts});
        if let Some(ends) = ends {
            record["ends_at"] = json!(ends);
        }
        record.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_window_is_told_in_local_time() {
        let paris = TimeZone::fixed(jiff::tz::offset(1));
        let same_day = notice("2026-12-05T21:00:00Z", Some("2026-12-05T22:30:00Z"));
        assert_eq!(window(&same_day, &paris), "Sat 5 Dec 22:00 \u{2013} 23:30");
        let overnight = notice("2026-12-05T21:00:00Z", Some("2026-12-06T01:00:00Z"));
        assert_eq!(
            window(&overnight, &TimeZone::UTC),
            "Sat 5 Dec 21:00 \u{2013} Sun 6 Dec 01:00"
        );
        assert_eq!(
            window(&notice("2026-12-05T21:00:00Z", None), &TimeZone::UTC),
            "from Sat 5 Dec 21:00"
        );
        assert_eq!(window(&notice("soon", None), &TimeZone::UTC), "soon");
        assert_eq!(summary(&same_day), "Mail down");
    }
}
