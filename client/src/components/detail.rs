//! Building blocks of detail panes: `label: value` lines, headings, list
//! fields, paragraphs and the description section, shared by every screen
//! that shows a record.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::api::{Record, text};
use crate::strings;

/// A `label: value` line of a detail pane.
pub fn field_line(label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{label}: "),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ])
}

/// A heading line of a detail pane.
pub fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(
        text.to_string(),
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    ))
}

/// A list field (ids or enum names) as text.
pub fn list_text(record: &Record, field: &str, name: impl Fn(&str) -> String) -> String {
    record
        .get(field)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(&name)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Multi-line text split into detail lines.
pub fn paragraph(text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|line| Line::from(line.to_string()))
        .collect()
}

/// A detail pane's facts followed by a blank line and the record's
/// `description` under its heading: how list screens end their detail.
pub fn with_description(mut facts: Vec<Line<'static>>, record: &Record) -> Vec<Line<'static>> {
    facts.push(Line::default());
    facts.push(heading(strings::DETAIL_DESCRIPTION));
    facts.extend(paragraph(text(record, "description")));
    facts
}
