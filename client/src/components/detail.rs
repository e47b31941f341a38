//! Building blocks of detail panes: `label: value` lines, headings, list
//! fields, paragraphs (also wrapped into rows, [`wrap_words`]) and the
//! description section, shared by every screen that shows a record.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::api::{Record, text};
use crate::keymap::Action;
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

/// `text` broken into rows of at most `width` characters, at spaces where
/// it can be (a word longer than a row is cut), every line break kept: for
/// views that scroll by rows and so must know how many they draw.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for line in text.split('\n') {
        let mut row = String::new();
        for word in line.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let used = row.chars().count();
            if used > 0 && used + 1 + word.len() > width {
                rows.push(std::mem::take(&mut row));
            } else if used > 0 {
                row.push(' ');
            }
            while word.len() > width {
                let rest = word.split_off(width);
                rows.push(word.into_iter().collect());
                word = rest;
            }
            row.extend(word);
        }
        rows.push(row);
    }
    rows
}

/// Where a full detail view scrolled to `scroll` of `last` (its last
/// top row), showing `page` rows, is after `action`.
pub fn scrolled(action: Option<Action>, scroll: usize, page: usize, last: usize) -> usize {
    let half = (page / 2).max(1);
    let scroll = match action {
        Some(Action::Down) => scroll + 1,
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::HalfPageDown) => scroll + half,
        Some(Action::HalfPageUp) => scroll.saturating_sub(half),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => last,
        _ => scroll,
    };
    scroll.min(last)
}

#[cfg(test)]
mod tests {
    use super::{scrolled, wrap_words};
    use crate::keymap::Action;

    #[test]
    fn words_wrap_at_spaces_and_long_ones_are_cut() {
        assert_eq!(
            wrap_words("the desk was quick", 9),
            ["the desk", "was quick"]
        );
        assert_eq!(wrap_words("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
        assert_eq!(wrap_words("one\ntwo", 10), ["one", "two"]);
        assert_eq!(wrap_words("", 10), [""]);
    }

    #[test]
    fn a_full_detail_scrolls_within_its_rows() {
        assert_eq!(scrolled(Some(Action::Down), 3, 10, 3), 3);
        assert_eq!(scrolled(Some(Action::Down), 0, 10, 3), 1);
        assert_eq!(scrolled(Some(Action::Up), 0, 10, 3), 0);
        assert_eq!(scrolled(Some(Action::HalfPageDown), 0, 10, 40), 5);
        assert_eq!(scrolled(Some(Action::Bottom), 0, 10, 40), 40);
        assert_eq!(scrolled(Some(Action::Top), 7, 10, 40), 0);
        assert_eq!(scrolled(None, 9, 10, 4), 4);
    }
}
