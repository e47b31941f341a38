//! Drawing the Meetings screen: a title line (what the boards are narrowed
//! to and searched for), then the mode's body: the two boards side by side
//! from 120 columns (stacked below), with the selected meeting's preview
//! under them when there is room; an open meeting (`draw_meeting`); or my
//! actions, overdue first. Every text from a record goes through [`clean`].

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use serde_json::Value;

use super::{MeetingsScreen, Mode, Side, items, starts};
use crate::api::{Record, text};
use crate::layout::SIDE_BY_SIDE_WIDTH;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::screens::customer::clean;
use crate::strings;

/// Height from which the boards leave room for the selected meeting's
/// preview below them (on a wide terminal).
const PREVIEW_HEIGHT: u16 = 30;

/// Draws the screen into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, screen: &MeetingsScreen, area: Rect) {
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(title_line(ctx, screen)), top);
    match screen.mode {
        Mode::Boards => draw_boards(frame, ctx, screen, body),
        Mode::Meeting => super::draw_meeting::draw(frame, ctx, screen, body),
        Mode::MyActions => draw_actions(frame, ctx, screen, body),
    }
}

/// ` Meetings  [MOF Ministry of Finance]  /review  · 90 days either side of today`
fn title_line(ctx: &DrawCtx, screen: &MeetingsScreen) -> Line<'static> {
    let theme = ctx.env.theme;
    let title = match screen.mode {
        Mode::MyActions => strings::MEETINGS_MY_ACTIONS,
        _ => strings::TAB_MEETINGS,
    };
    let mut spans = vec![Span::styled(format!(" {title} "), theme.title)];
    for (key, value) in &screen.narrowing {
        let word = if key == "team_id" { "team " } else { "" };
        let shown = clean(&ctx.lookup.name(value));
        spans.push(Span::styled(format!(" [{word}{shown}]"), theme.accent));
    }
    let searched = screen.searching || !screen.search.is_empty();
    if screen.mode == Mode::Boards && searched {
        spans.push(Span::styled(
            format!(" {}{}", strings::FILTER_PROMPT, clean(&screen.search)),
            theme.accent,
        ));
        if screen.searching {
            spans.push(Span::styled("_", theme.muted));
        }
    }
    if screen.mode == Mode::Boards {
        spans.push(Span::styled(
            format!("  {}", strings::meetings_range(super::RANGE_DAYS)),
            theme.muted,
        ));
    }
    Line::from(spans)
}

fn draw_boards(frame: &mut Frame, ctx: &DrawCtx, screen: &MeetingsScreen, area: Rect) {
    let wide = area.width >= SIDE_BY_SIDE_WIDTH;
    let (boards, preview) = if wide && area.height >= PREVIEW_HEIGHT {
        let [boards, preview] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (boards, Some(preview))
    } else {
        (area, None)
    };
    let halves = if wide {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
    };
    let [first, second] = halves.areas(boards);
    for (side, rect) in Side::BOTH.into_iter().zip([first, second]) {
        draw_board(frame, ctx, screen, side, rect);
    }
    if let Some(preview) = preview {
        let lines = match screen.selected_on_board(ctx.lookup) {
            Some(meeting) => super::draw_meeting::preview(ctx, meeting),
            None => vec![Line::styled(strings::MEETING_PICK, ctx.env.theme.muted)],
        };
        let pane = Pane {
            title: strings::MEETING_PREVIEW,
            lines,
            selected: 0,
            focused: false,
            wrap: true,
        };
        boxed(frame, ctx, pane, preview);
    }
}

/// One board: its upcoming meetings, then its recent ones.
fn draw_board(frame: &mut Frame, ctx: &DrawCtx, screen: &MeetingsScreen, side: Side, area: Rect) {
    let theme = ctx.env.theme;
    let rows = screen.board_rows(side, ctx.lookup);
    let focused = screen.side == side;
    let now = screen.now();
    let title = format!(
        "{} ({})",
        side.title(),
        strings::board_counts(rows.upcoming.len(), rows.recent.len())
    );
    let mut lines = Vec::new();
    let mut selected_line = 0;
    let note = match &screen.load {
        Remote::Failed(error) => Some(clean(error)),
        Remote::Loading(_) | Remote::Idle if screen.meetings.is_empty() => {
            Some(strings::LOADING.to_string())
        }
        _ => None,
    };
    if let Some(note) = note {
        lines.push(Line::styled(note, theme.muted));
    } else {
        let mut row = 0;
        for (heading, group, empty) in [
            (
                strings::MEETINGS_UPCOMING,
                &rows.upcoming,
                strings::MEETINGS_NONE_PLANNED,
            ),
            (
                strings::MEETINGS_RECENT,
                &rows.recent,
                strings::MEETINGS_NONE_RECENT,
            ),
        ] {
            lines.push(Line::styled(heading, theme.header));
            if group.is_empty() {
                lines.push(Line::styled(format!("  {empty}"), theme.muted));
            }
            for at in group {
                let Some(meeting) = screen.meetings.get(*at) else {
                    continue;
                };
                let selected = row == screen.row(side);
                if selected {
                    selected_line = lines.len();
                }
                lines.push(board_line(ctx, meeting, now, selected, focused));
                row += 1;
            }
        }
    }
    let pane = Pane {
        title: &title,
        lines,
        selected: selected_line,
        focused,
        wrap: false,
    };
    boxed(frame, ctx, pane, area);
}

/// A meeting on a board: when, the customer's code, the title, and what
/// it still needs (an agenda) or left (open actions).
fn board_line(
    ctx: &DrawCtx,
    meeting: &Record,
    now: Timestamp,
    selected: bool,
    focused: bool,
) -> Line<'static> {
    let theme = ctx.env.theme;
    let zone = ctx.env.zone;
    let when = starts(meeting)
        .map(|at| {
            at.to_zoned(zone.clone())
                .strftime("%a %-d %b %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| clean(text(meeting, "starts_at")));
    let customer = ctx.lookup.name_of(meeting, "customer_id");
    let code = customer.split_whitespace().next().unwrap_or_default();
    let title = text(meeting, "title");
    let title = if title.is_empty() {
        strings::MEETING_UNTITLED.to_string()
    } else {
        clean(title)
    };
    // The focused board's selection is the one keys act on.
    let marker = match (selected, focused) {
        (true, true) => "▶ ",
        (true, false) => "▷ ",
        _ => "  ",
    };
    let mut spans = vec![
        Span::raw(marker),
        Span::raw(format!("{when:<16} ")),
        Span::styled(format!("{:<6} ", clean(code)), theme.accent),
        Span::raw(title),
    ];
    let agenda = items::list(meeting, "agenda").len();
    let upcoming = starts(meeting).is_some_and(|at| at >= now);
    if agenda == 0 && upcoming {
        spans.push(Span::styled(
            format!(" · {}", strings::MEETING_NO_AGENDA),
            theme.error,
        ));
    } else if agenda > 0 {
        spans.push(Span::styled(
            format!(" · {}", strings::agenda_items(agenda)),
            theme.muted,
        ));
    }
    let open = items::open_actions(meeting);
    if open > 0 {
        spans.push(Span::styled(
            format!(" · {}", strings::open_actions(open)),
            theme.muted,
        ));
    }
    let style = if selected && focused {
        theme.selected
    } else {
        Style::default()
    };
    Line::from(spans).style(style)
}

/// My open actions: due (overdue in the error style), text, customer and kind.
fn draw_actions(frame: &mut Frame, ctx: &DrawCtx, screen: &MeetingsScreen, area: Rect) {
    let theme = ctx.env.theme;
    let today = screen.now().to_zoned(ctx.env.zone.clone()).date();
    let mut lines = Vec::new();
    let note = match &screen.actions_load {
        Remote::Failed(error) => Some(clean(error)),
        Remote::Loading(_) | Remote::Idle => Some(strings::LOADING.to_string()),
        Remote::Loaded if screen.actions.is_empty() => {
            Some(strings::MEETINGS_NO_ACTIONS.to_string())
        }
        Remote::Loaded => None,
    };
    if let Some(note) = note {
        lines.push(Line::styled(note, theme.muted));
    }
    for (row, action) in screen.actions.iter().enumerate() {
        let field = |name: &str| action.get(name).and_then(Value::as_str).unwrap_or("");
        let (due, overdue) = due_text(field("due_on"), today);
        let customer = ctx.lookup.name(field("customer_id"));
        let code = customer.split_whitespace().next().unwrap_or_default();
        let kind = match field("kind") {
            "forward_looking" => Side::ForwardLooking.word(),
            "follow_up" => Side::FollowUp.word(),
            other => other,
        };
        let selected = row == screen.action_row;
        let marker = if selected { "▶ " } else { "  " };
        let due_style = if overdue { theme.error } else { theme.muted };
        let line = Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("{due:<16} "), due_style),
            Span::raw(clean(field("text"))),
            Span::styled(format!(" · {} · {}", clean(code), clean(kind)), theme.muted),
        ]);
        lines.push(line.style(if selected {
            theme.selected
        } else {
            Style::default()
        }));
    }
    let title = format!(
        "{} ({})",
        strings::MEETINGS_MY_ACTIONS,
        screen.actions.len()
    );
    let pane = Pane {
        title: &title,
        lines,
        selected: screen.action_row,
        focused: true,
        wrap: false,
    };
    boxed(frame, ctx, pane, area);
}

/// When an action is due, as read against `today`, and whether it is late.
pub fn due_text(due_on: &str, today: jiff::civil::Date) -> (String, bool) {
    let Ok(due) = due_on.parse::<jiff::civil::Date>() else {
        return (strings::NO_DUE_DATE.to_string(), false);
    };
    let days = (due - today).get_days();
    match days {
        d if d < 0 => (strings::overdue_days(i64::from(-d)), true),
        0 => (strings::DUE_TODAY.to_string(), false),
        _ => (due_date(due_on), false),
    }
}

/// `due 1 Mar` (the text as it is when it is not a date).
pub fn due_date(due_on: &str) -> String {
    match due_on.parse::<jiff::civil::Date>() {
        Ok(due) => format!("due {}", due.strftime("%-d %b")),
        Err(_) => format!("due {}", clean(due_on)),
    }
}

/// A bordered box of lines: its title, the line to keep in view, whether
/// it has the focus border and whether long lines wrap (else they are cut
/// at the border).
pub struct Pane<'a> {
    pub title: &'a str,
    pub lines: Vec<Line<'static>>,
    pub selected: usize,
    pub focused: bool,
    pub wrap: bool,
}

/// Draws `pane` into `area`, scrolled so its selected line shows.
pub fn boxed(frame: &mut Frame, ctx: &DrawCtx, pane: Pane, area: Rect) {
    let theme = ctx.env.theme;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {} ", pane.title), theme.title));
    if pane.focused {
        block = block.border_style(theme.focus_border);
    }
    let height = usize::from(block.inner(area).height.max(1));
    let scroll = (pane.selected + 2).saturating_sub(height);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    let mut paragraph = Paragraph::new(pane.lines).block(block).scroll((scroll, 0));
    if pane.wrap {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, area);
}
