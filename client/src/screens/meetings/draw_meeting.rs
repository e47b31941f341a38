//! Drawing an open meeting: its details, the agenda (each item with who
//! leads it, the minutes set aside, where it came from and its notes), the
//! minutes, the decisions and the actions (ticked or not, overdue in the
//! error style). From 120 columns every part shows, the agenda the largest;
//! narrower, a row of parts and the one in focus. Also the preview under
//! the boards and the in-place editor.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use serde_json::Value;

use super::draw::{Pane, boxed, due_text};
use super::editor::{EditValue, Editor};
use super::{MeetingsScreen, Part, Side, items, when};
use crate::api::{Record, text};
use crate::components::detail::{field_line, list_text};
use crate::keymap::Action;
use crate::layout::SIDE_BY_SIDE_WIDTH;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::screens::customer::clean;
use crate::strings;

/// Lines a multi-line field of the editor shows.
const TEXT_ROWS: u16 = 8;

/// Draws the open meeting into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, screen: &MeetingsScreen, area: Rect) {
    let Some(meeting) = &screen.open else {
        let note = match &screen.open_load {
            Remote::Failed(error) => clean(error),
            _ => strings::LOADING.to_string(),
        };
        frame.render_widget(
            Paragraph::new(Line::styled(note, ctx.env.theme.muted)),
            area,
        );
        return;
    };
    let today = screen.now().to_zoned(ctx.env.zone.clone()).date();
    let pane = |part: Part| {
        let selected = if part == screen.part {
            Some(screen.item)
        } else {
            None
        };
        let (lines, line) = part_lines(ctx, meeting, part, selected, today);
        let count = part.list().map(|field| items::list(meeting, field).len());
        (lines, line, count)
    };
    let draw_part = |frame: &mut Frame, part: Part, rect: Rect| {
        let (lines, selected, count) = pane(part);
        let title = match count {
            Some(count) => format!("{} ({count})", part.title()),
            None => part.title().to_string(),
        };
        let pane = Pane {
            title: &title,
            lines,
            selected,
            focused: part == screen.part,
            wrap: true,
        };
        boxed(frame, ctx, pane, rect);
    };
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        let [details, agenda] =
            Layout::vertical([Constraint::Length(10), Constraint::Min(3)]).areas(left);
        let [minutes, decisions, actions] = Layout::vertical([
            Constraint::Percentage(35),
            Constraint::Percentage(25),
            Constraint::Percentage(40),
        ])
        .areas(right);
        for (part, rect) in [
            (Part::Details, details),
            (Part::Agenda, agenda),
            (Part::Minutes, minutes),
            (Part::Decisions, decisions),
            (Part::Actions, actions),
        ] {
            draw_part(frame, part, rect);
        }
        return;
    }
    let [bar, head, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let theme = ctx.env.theme;
    let mut spans = Vec::new();
    for part in Part::ALL {
        let style = if part == screen.part {
            theme.selected
        } else {
            theme.muted
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(part.title(), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), bar);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(" {}", headline(ctx, meeting)),
            theme.muted,
        )),
        head,
    );
    draw_part(frame, screen.part, body);
}

/// A meeting in one line: customer, kind, when, title.
fn headline(ctx: &DrawCtx, meeting: &Record) -> String {
    let kind = Side::of(meeting).map_or("", Side::word);
    format!(
        "{} · {kind} · {} · {}",
        clean(&ctx.lookup.name_of(meeting, "customer_id")),
        when(meeting, ctx.env.zone),
        title(meeting)
    )
}

fn title(meeting: &Record) -> String {
    match text(meeting, "title") {
        "" => strings::MEETING_UNTITLED.to_string(),
        title => clean(title),
    }
}

/// A part's lines and the line of its selected item.
fn part_lines(
    ctx: &DrawCtx,
    meeting: &Record,
    part: Part,
    selected: Option<usize>,
    today: jiff::civil::Date,
) -> (Vec<Line<'static>>, usize) {
    let muted = ctx.env.theme.muted;
    let empty = |note: &str| (vec![Line::styled(note.to_string(), muted)], 0);
    match part {
        Part::Details => (details(ctx, meeting), 0),
        Part::Minutes => match text(meeting, "minutes") {
            "" => empty(strings::MEETING_NO_MINUTES),
            minutes => (minutes.lines().map(|l| Line::from(clean(l))).collect(), 0),
        },
        Part::Agenda | Part::Decisions | Part::Actions => {
            let field = part.list().unwrap_or("agenda");
            let list = items::list(meeting, field);
            if list.is_empty() {
                return empty(match part {
                    Part::Agenda => strings::MEETING_EMPTY_AGENDA,
                    Part::Decisions => strings::MEETING_NO_DECISIONS,
                    _ => strings::MEETING_NO_ACTIONS,
                });
            }
            let mut lines = Vec::new();
            let mut line = 0;
            for (at, item) in list.iter().enumerate() {
                let chosen = selected == Some(at);
                if chosen {
                    line = lines.len();
                }
                let rows = match part {
                    Part::Agenda => agenda_item(ctx, at, item),
                    Part::Decisions => vec![Line::from(format!(
                        "• {}",
                        clean(item.as_str().unwrap_or(""))
                    ))],
                    _ => vec![action(ctx, item, today)],
                };
                lines.extend(mark(ctx, rows, chosen));
            }
            (lines, line)
        }
    }
}

/// Marks an item's first line as selected (or not).
fn mark(ctx: &DrawCtx, rows: Vec<Line<'static>>, selected: bool) -> Vec<Line<'static>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, line)| {
            let lead = if i == 0 && selected { "▶ " } else { "  " };
            let mut spans = vec![Span::raw(lead)];
            spans.extend(line.spans);
            let style = if selected && i == 0 {
                ctx.env.theme.selected
            } else {
                line.style
            };
            Line::from(spans).style(style)
        })
        .collect()
}

/// The meeting's details: kind, customer, team, when, where, who.
fn details(ctx: &DrawCtx, meeting: &Record) -> Vec<Line<'static>> {
    let lookup = ctx.lookup;
    let duration = meeting
        .get("duration_minutes")
        .and_then(Value::as_i64)
        .map(|minutes| format!(", {minutes} min"))
        .unwrap_or_default();
    let names = |field: &str| clean(&list_text(meeting, field, |id| lookup.name(id)));
    let team = text(meeting, "team_id");
    vec![
        field_line(strings::MEETING_FIELD_TITLE, title(meeting)),
        field_line(
            strings::MEETING_FIELD_KIND,
            Side::of(meeting).map_or("", Side::word).to_string(),
        ),
        field_line(
            strings::MEETING_FIELD_CUSTOMER,
            clean(&lookup.name_of(meeting, "customer_id")),
        ),
        field_line(
            strings::MEETING_FIELD_TEAM,
            if team.is_empty() {
                String::new()
            } else {
                clean(&lookup.name(team))
            },
        ),
        field_line(
            strings::MEETING_FIELD_WHEN,
            format!("{}{duration}", when(meeting, ctx.env.zone)),
        ),
        field_line(
            strings::MEETING_FIELD_PLACE,
            clean(text(meeting, "location")),
        ),
        field_line(strings::MEETING_FIELD_STAFF, names("attendee_staff_ids")),
        field_line(
            strings::MEETING_FIELD_CONTACTS,
            names("attendee_contact_ids"),
        ),
    ]
}

/// An agenda item: its number and title, who leads it and for how long,
/// where it came from, then its notes.
fn agenda_item(ctx: &DrawCtx, at: usize, item: &Value) -> Vec<Line<'static>> {
    let theme = ctx.env.theme;
    let field = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or("");
    let mut spans = vec![Span::raw(format!("{}. {}", at + 1, clean(field("title"))))];
    let mut facts = Vec::new();
    if let Some(minutes) = item.get("minutes").and_then(Value::as_i64) {
        facts.push(format!("{minutes} min"));
    }
    if !field("owner_id").is_empty() {
        facts.push(clean(&ctx.lookup.name(field("owner_id"))));
    }
    if !facts.is_empty() {
        spans.push(Span::styled(
            format!(" ({})", facts.join(", ")),
            theme.muted,
        ));
    }
    if let Some(source) = item.get("source").filter(|s| s.is_object()) {
        let collection = source
            .get("collection")
            .and_then(Value::as_str)
            .unwrap_or("");
        let count = source
            .get("ids")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let shown = if count > 0 {
            format!(" ↗ {} ({count})", clean(collection))
        } else {
            format!(" ↗ {}", clean(collection))
        };
        spans.push(Span::styled(shown, theme.accent));
    }
    let mut lines = vec![Line::from(spans)];
    for note in field("notes").lines() {
        lines.push(Line::styled(format!("   {}", clean(note)), theme.muted));
    }
    lines
}

/// An action: ticked or not, its text, who carries it and when it is due.
fn action(ctx: &DrawCtx, item: &Value, today: jiff::civil::Date) -> Line<'static> {
    let theme = ctx.env.theme;
    let field = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or("");
    let open = items::is_open(item);
    let mut spans = vec![
        Span::raw(if open { "[ ] " } else { "[x] " }),
        Span::raw(clean(field("text"))),
    ];
    if !field("owner_id").is_empty() {
        spans.push(Span::styled(
            format!(" · {}", clean(&ctx.lookup.name(field("owner_id")))),
            theme.muted,
        ));
    }
    if !field("due_on").is_empty() {
        let (due, overdue) = match open {
            true => due_text(field("due_on"), today),
            false => (super::draw::due_date(field("due_on")), false),
        };
        let style = if overdue { theme.error } else { theme.muted };
        spans.push(Span::styled(format!(" · {due}"), style));
    }
    let line = Line::from(spans);
    if open { line } else { line.style(theme.muted) }
}

/// The selected meeting under the boards: its details, then the agenda's
/// titles, the decisions and the open actions.
pub fn preview(ctx: &DrawCtx, meeting: &Record) -> Vec<Line<'static>> {
    let theme = ctx.env.theme;
    let mut lines = details(ctx, meeting);
    let agenda = items::list(meeting, "agenda");
    lines.push(Line::default());
    lines.push(Line::styled(strings::MEETING_AGENDA, theme.header));
    if agenda.is_empty() {
        lines.push(Line::styled(
            format!("  {}", strings::MEETING_EMPTY_AGENDA),
            theme.muted,
        ));
    }
    for (at, item) in agenda.iter().enumerate() {
        let title = item.get("title").and_then(Value::as_str).unwrap_or("");
        lines.push(Line::from(format!("  {}. {}", at + 1, clean(title))));
    }
    let decisions = items::list(meeting, "decisions");
    if !decisions.is_empty() {
        lines.push(Line::styled(strings::MEETING_DECISIONS, theme.header));
        for decision in &decisions {
            lines.push(Line::from(format!(
                "  • {}",
                clean(decision.as_str().unwrap_or(""))
            )));
        }
    }
    let open: Vec<Value> = items::list(meeting, "actions")
        .into_iter()
        .filter(items::is_open)
        .collect();
    if !open.is_empty() {
        lines.push(Line::styled(strings::MEETING_ACTIONS, theme.header));
        for item in &open {
            let said = item.get("text").and_then(Value::as_str).unwrap_or("");
            lines.push(Line::from(format!("  [ ] {}", clean(said))));
        }
    }
    lines
}

/// Draws the in-place editor over `area`: each field's label, then its
/// value (the multi-line ones as a small editor), and the keys.
pub fn draw_editor(frame: &mut Frame, ctx: &DrawCtx, editor: &Editor, area: Rect) {
    let theme = ctx.env.theme;
    let rows = |value: &EditValue| match value {
        EditValue::Text {
            multi_line: true, ..
        } => TEXT_ROWS,
        _ => 1,
    };
    let height: u16 = editor
        .fields
        .iter()
        .map(|f| 1 + rows(&f.value))
        .sum::<u16>()
        + 3;
    let popup = crate::layout::centered(area, area.width.saturating_sub(4).min(78), height);
    frame.render_widget(Clear, popup);
    let keys = &ctx.env.keymap;
    let footer = if editor.asking_drop {
        Line::styled(
            format!(" {} ", strings::editor_drop(&keys.label(Action::Back))),
            theme.error,
        )
    } else {
        Line::styled(
            format!(
                " {} ",
                strings::editor_keys(
                    &keys.label(Action::Save),
                    &keys.label(Action::NextField),
                    &keys.label(Action::Back)
                )
            ),
            theme.muted,
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Line::styled(
            format!(" {} ", editor.target.title()),
            theme.title,
        ))
        .title_bottom(footer);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut y = inner.y;
    for (at, field) in editor.fields.iter().enumerate() {
        let focused = at == editor.focus;
        let label_style = if focused {
            theme.accent.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        let bottom = inner.y + inner.height;
        if y >= bottom {
            break;
        }
        frame.render_widget(
            Paragraph::new(Line::styled(field.label, label_style)),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
        let height = rows(&field.value).min(bottom.saturating_sub(y));
        let value_area = Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), height);
        match &field.value {
            EditValue::Text { area: text, .. } => {
                let mut text = text.clone();
                text.set_cursor_line_style(theme.base);
                text.set_cursor_style(if focused { theme.selected } else { theme.base });
                text.set_style(theme.base.add_modifier(Modifier::UNDERLINED));
                frame.render_widget(&*text, value_area);
            }
            choice @ EditValue::Choice { .. } => {
                let style = if focused {
                    theme.selected
                } else {
                    Style::default()
                };
                let line = Line::styled(format!("< {} >", clean(&choice.shown())), style);
                frame.render_widget(Paragraph::new(line), value_area);
            }
        }
        y += height;
    }
}
