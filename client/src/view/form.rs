//! Drawing a form: one row per field with its label, value and, under it,
//! its hint (the question a response answers) and the validation or server
//! message; the focused reference field shows its search results; a
//! conflict shows what the server changed. A form for a record that
//! belongs to another names that record in its title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::App;
use crate::components::detail::wrap_words;
use crate::components::form::{Field, FieldValue, Form};
use crate::keymap::Action;
use crate::strings;

/// Width of the label column.
const LABEL_WIDTH: u16 = 16;
/// Lines a multi-line field shows.
const TEXT_HEIGHT: u16 = 4;
/// Picker results shown under a reference field.
const PICKER_ROWS: usize = 5;
/// Rows the conflict dialog gives each value of a changed field.
const CONFLICT_VALUE_ROWS: usize = 2;

/// Draws `form` over `area`.
pub fn draw(frame: &mut Frame, app: &App, form: &Form, area: Rect) {
    let theme = &app.theme;
    // Heights of each field; the popup fits them (plus room for a
    // picker's results, so it does not jump while searching).
    let inner_width = area.width.min(100).saturating_sub(2);
    let value_width = usize::from(inner_width.saturating_sub(LABEL_WIDTH));
    let heights: Vec<u16> = form
        .fields
        .iter()
        .enumerate()
        .map(|(index, f)| field_height(f, form, index == form.focus, value_width))
        .collect();
    // A refusal is shown whole, wrapped to the form's width.
    let notice_rows = form
        .notice
        .as_deref()
        .map(|notice| wrap_words(notice, usize::from(inner_width)))
        .unwrap_or_default();
    let notice_height = notice_rows.len() as u16;
    let wanted = heights.iter().sum::<u16>() + notice_height + PICKER_ROWS as u16 + 2;
    let popup = crate::layout::centered(area, area.width.min(100), wanted.min(area.height));
    frame.render_widget(Clear, popup);
    let verb = if form.is_new() {
        strings::FORM_NEW
    } else {
        strings::FORM_EDIT
    };
    let saving = if form.save.is_loading() {
        format!(" {}", strings::FORM_SAVING)
    } else {
        String::new()
    };
    let keys = &app.keymap;
    let footer = format!(
        " {} save  {} next  {} close ",
        keys.label(Action::Save),
        keys.label(Action::NextField),
        keys.label(Action::Back)
    );
    let of = form
        .owner
        .as_ref()
        .map(|owner| {
            let name = crate::lookup::label(owner.collection, &owner.record);
            format!(" \u{b7} {}", crate::api::without_controls(&name))
        })
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(
            format!(" {verb} {}{of}{saving} ", form.collection.noun()),
            theme.title,
        ))
        .title_bottom(Line::styled(footer, theme.muted));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    // Scroll so the focused field is visible.
    let room = inner.height.saturating_sub(notice_height);
    let mut first = 0;
    while first < form.focus
        && heights
            .get(first..=form.focus)
            .map_or(0, |h| h.iter().sum::<u16>())
            > room
    {
        first += 1;
    }
    let mut y = inner.y;
    if !notice_rows.is_empty() {
        let lines: Vec<Line> = notice_rows
            .into_iter()
            .map(|row| Line::styled(row, theme.error))
            .collect();
        let height = notice_height.min(inner.height);
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, y, inner.width, height),
        );
        y += height;
    }
    for (index, field) in form.fields.iter().enumerate().skip(first) {
        let height = heights[index];
        if y + height > inner.y + inner.height {
            break;
        }
        draw_field(
            frame,
            app,
            form,
            index,
            field,
            Rect::new(inner.x, y, inner.width, height),
        );
        y += height;
    }
    if let Some(conflict) = &form.conflict {
        draw_conflict(frame, app, conflict, area);
    }
}

/// The rows of a field's hint or message under its value, indented.
fn under_rows(text: &str, width: usize) -> Vec<String> {
    wrap_words(text, width.saturating_sub(2))
        .into_iter()
        .map(|row| format!("  {row}"))
        .collect()
}

fn field_height(field: &Field, form: &Form, focused: bool, value_width: usize) -> u16 {
    let value = if field.spec.kind.is_multi_line() {
        TEXT_HEIGHT
    } else {
        1
    };
    let rows =
        |text: Option<&String>| text.map_or(0, |text| under_rows(text, value_width).len() as u16);
    let hint = rows(field.spec.hint.as_ref());
    let error = rows(form.errors.get(field.spec.name.as_ref()));
    let picker = match field.value.picker() {
        Some(p) if focused => p.results.len().min(PICKER_ROWS) as u16,
        _ => 0,
    };
    value + hint + error + picker
}

fn draw_field(frame: &mut Frame, app: &App, form: &Form, index: usize, field: &Field, area: Rect) {
    let theme = &app.theme;
    let focused = index == form.focus;
    let label_style = if focused {
        theme.accent.add_modifier(Modifier::BOLD)
    } else {
        theme.base
    };
    let marker = if focused { ">" } else { " " };
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{marker}{}", field.spec.label),
            label_style,
        )),
        Rect::new(area.x, area.y, LABEL_WIDTH.min(area.width), 1),
    );
    let value_x = area.x + LABEL_WIDTH.min(area.width);
    let value_width = area.width.saturating_sub(LABEL_WIDTH);
    let value_height = if field.spec.kind.is_multi_line() {
        TEXT_HEIGHT
    } else {
        1
    };
    let value_area = Rect::new(value_x, area.y, value_width, value_height);
    match &field.value {
        FieldValue::Text(textarea) => {
            let mut textarea = textarea.clone();
            textarea.set_cursor_line_style(theme.base);
            let cursor = if focused { theme.selected } else { theme.base };
            textarea.set_cursor_style(cursor);
            if field.spec.kind.is_multi_line() || focused {
                textarea.set_style(theme.base.add_modifier(Modifier::UNDERLINED));
            }
            frame.render_widget(&*textarea, value_area);
        }
        other => {
            let line = value_line(app, other, focused);
            frame.render_widget(Paragraph::new(line), value_area);
        }
    }
    let mut y = area.y + value_height;
    let under = [
        (field.spec.hint.as_ref(), theme.muted),
        (form.errors.get(field.spec.name.as_ref()), theme.error),
    ];
    for (text, style) in under {
        let Some(text) = text else { continue };
        let rows = under_rows(text, usize::from(value_width));
        let height = (rows.len() as u16).min(area.bottom().saturating_sub(y));
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|row| Line::styled(row, style))
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(value_x, y, value_width, height),
        );
        y += height;
    }
    if focused && let Some(picker) = field.value.picker() {
        let start = picker.cursor.saturating_sub(PICKER_ROWS - 1);
        for (row, (_, label)) in picker
            .results
            .iter()
            .enumerate()
            .skip(start)
            .take(PICKER_ROWS)
        {
            let style = if row == picker.cursor {
                theme.selected
            } else {
                theme.muted
            };
            frame.render_widget(
                Paragraph::new(Line::styled(format!("  {label}"), style)),
                Rect::new(value_x, y, value_width, 1),
            );
            y += 1;
        }
    }
}

fn value_line(app: &App, value: &FieldValue, focused: bool) -> Line<'static> {
    let theme = &app.theme;
    match value {
        FieldValue::Text(_) => Line::default(),
        FieldValue::Choice { options, index, .. } => {
            let shown = index
                .and_then(|i| options.get(i))
                .copied()
                .unwrap_or(strings::FORM_NONE);
            let mut spans = vec![Span::styled(
                format!("< {shown} >"),
                if focused { theme.accent } else { theme.base },
            )];
            if focused {
                spans.push(Span::styled(
                    format!("  {}", strings::FORM_ENUM_HINT),
                    theme.muted,
                ));
            }
            Line::from(spans)
        }
        FieldValue::Flags {
            options,
            on,
            cursor,
        } => {
            let mut spans = Vec::new();
            for (i, (option, set)) in options.iter().zip(on).enumerate() {
                let mark = if *set { "[x]" } else { "[ ]" };
                let style = if focused && i == *cursor {
                    theme.selected
                } else {
                    theme.base
                };
                spans.push(Span::styled(format!("{mark} {option}"), style));
                spans.push(Span::raw(" "));
            }
            if focused {
                spans.push(Span::styled(
                    format!(" {}", strings::FORM_LIST_HINT),
                    theme.muted,
                ));
            }
            Line::from(spans)
        }
        FieldValue::Bool(set) => {
            let mut spans = vec![Span::styled(
                if *set { "[x] yes" } else { "[ ] no" }.to_string(),
                if focused { theme.accent } else { theme.base },
            )];
            if focused {
                spans.push(Span::styled(
                    format!("  {}", strings::FORM_BOOL_HINT),
                    theme.muted,
                ));
            }
            Line::from(spans)
        }
        FieldValue::Ref { id, label, picker } => {
            if focused && !picker.query.is_empty() {
                return Line::from(vec![
                    Span::styled("search: ", theme.muted),
                    Span::raw(picker.query.clone()),
                    Span::styled("_", theme.muted),
                ]);
            }
            let shown = if id.is_some() {
                label.clone()
            } else {
                strings::FORM_NONE.to_string()
            };
            let mut spans = vec![Span::styled(
                shown,
                if focused { theme.accent } else { theme.base },
            )];
            if focused {
                spans.push(Span::styled(
                    format!("  {}", strings::FORM_PICK_HINT),
                    theme.muted,
                ));
            }
            Line::from(spans)
        }
        FieldValue::Refs { items, picker } => {
            let names: Vec<String> = items.iter().map(|(_, l)| l.clone()).collect();
            let mut text = if names.is_empty() {
                strings::FORM_NONE.to_string()
            } else {
                names.join(", ")
            };
            if focused {
                text.push_str(&format!("  + {}_", picker.query));
            }
            Line::styled(text, if focused { theme.accent } else { theme.base })
        }
    }
}

fn draw_conflict(
    frame: &mut Frame,
    app: &App,
    conflict: &crate::components::form::Conflict,
    area: Rect,
) {
    let theme = &app.theme;
    let keys = &app.keymap;
    let width = area.width.saturating_sub(4).min(90);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let mut lines = Vec::new();
    if conflict.server.is_none() {
        lines.push(Line::from(strings::CONFLICT_DELETED));
    } else {
        lines.push(Line::from(strings::CONFLICT_INTRO));
        if conflict.changes.is_empty() {
            lines.push(Line::styled(strings::CONFLICT_NO_FIELDS, theme.muted));
        }
        for (field, was, now) in &conflict.changes {
            lines.push(Line::styled(format!("{field}:"), theme.header));
            for (arrow, value, style) in [("   ", was, theme.muted), ("-> ", now, theme.accent)] {
                for row in value_rows(value, inner_width.saturating_sub(3)) {
                    lines.push(Line::from(vec![Span::raw(arrow), Span::styled(row, style)]));
                }
            }
        }
    }
    let choices = if conflict.server.is_some() {
        strings::conflict_keys(
            &keys.label(Action::Reapply),
            &keys.label(Action::Overwrite),
            &keys.label(Action::KeepEditing),
        )
    } else {
        format!("{} keep editing", keys.label(Action::KeepEditing))
    };
    // The keys always show: they get the popup's last rows, and the
    // changes what is left above them (a long field is cut, its start
    // and its new value's start still readable).
    let choice_rows: Vec<Line> = wrap_words(&choices, inner_width)
        .into_iter()
        .map(|row| Line::styled(row, theme.accent))
        .collect();
    let choice_height = choice_rows.len() as u16;
    let wanted = lines.len() as u16 + 1 + choice_height + 2;
    let popup = crate::layout::centered(area, width, wanted.min(area.height));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(Line::styled(
            format!(" {} ", strings::CONFLICT_TITLE),
            theme.error,
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let choice_height = choice_height.min(inner.height);
    let body_height = inner.height - choice_height;
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, body_height.saturating_sub(1)),
    );
    frame.render_widget(
        Paragraph::new(choice_rows),
        Rect::new(inner.x, inner.y + body_height, inner.width, choice_height),
    );
}

/// A changed field's value as at most [`CONFLICT_VALUE_ROWS`] rows of
/// `width`, the last one ending in an ellipsis when the value is longer.
fn value_rows(value: &str, width: usize) -> Vec<String> {
    let mut rows = wrap_words(value, width.max(1));
    if rows.len() > CONFLICT_VALUE_ROWS {
        rows.truncate(CONFLICT_VALUE_ROWS);
        if let Some(last) = rows.last_mut() {
            let kept: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{kept}\u{2026}");
        }
    }
    rows
}
