//! Drawing the customer screen: the customer's name, the row of sections
//! (the focused one highlighted), and the focused section scrolled so its
//! selected row shows. From 120 columns the overview stays on the left
//! beside the focused section; narrower, only the focused section is drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{CustomerState, Section, budget, clean, health, sections};
use crate::api::text;
use crate::layout::SIDE_BY_SIDE_WIDTH;
use crate::screens::DrawCtx;

/// Draws the screen into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, state: &CustomerState, area: Rect) {
    let theme = ctx.env.theme;
    let [top, bar, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let name = match &state.customer {
        Some(c) => format!(" {} {}", clean(text(c, "code")), clean(text(c, "name"))),
        None => format!(" {}", crate::strings::TAB_CUSTOMER),
    };
    frame.render_widget(Paragraph::new(Line::styled(name, theme.title)), top);
    // When every title does not fit, the sections not focused keep their
    // first four letters (`Heal Over Cont`), as crowded tabs do.
    let full: usize = Section::ALL
        .iter()
        .map(|s| s.title().chars().count() + 1)
        .sum();
    let crowded = full > usize::from(area.width);
    let mut spans = Vec::new();
    for section in Section::ALL {
        let focused = section == state.section;
        let style = if focused { theme.selected } else { theme.muted };
        let title: String = if crowded && !focused {
            section.title().chars().take(4).collect()
        } else {
            section.title().to_string()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(title, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), bar);
    let wide = area.width >= SIDE_BY_SIDE_WIDTH;
    let focus = if wide && state.section == Section::Overview {
        Section::Contacts
    } else {
        state.section
    };
    let main = if wide {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(35), Constraint::Percentage(65)])
                .areas(body);
        let overview = sections::overview(state, ctx);
        let focused = state.section == Section::Overview;
        boxed(
            frame,
            ctx,
            Section::Overview.title(),
            overview,
            0,
            left,
            focused,
        );
        right
    } else {
        body
    };
    let (lines, selected) = match focus {
        Section::Budget => budget::lines(state, ctx.lookup, theme),
        Section::Health => health::lines(state, ctx),
        other => sections::lines(state, ctx, other),
    };
    let title = if matches!(focus, Section::Budget | Section::Health) {
        focus.title().to_string()
    } else {
        let count = state.part(focus).map_or(0, |p| p.items.len());
        if state.part(focus).is_some() {
            format!("{} ({count})", focus.title())
        } else {
            focus.title().to_string()
        }
    };
    boxed(
        frame,
        ctx,
        &title,
        lines,
        selected,
        main,
        focus == state.section,
    );
}

/// Draws `lines` in a bordered box titled `title`, scrolled so line
/// `selected` shows.
fn boxed(
    frame: &mut Frame,
    ctx: &DrawCtx,
    title: &str,
    lines: Vec<Line<'static>>,
    selected: usize,
    area: Rect,
    focused: bool,
) {
    let theme = ctx.env.theme;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {title} "), theme.title));
    if focused {
        block = block.border_style(theme.focus_border);
    }
    let height = usize::from(block.inner(area).height.max(1));
    // Keep the selected line and the one after it (a level) in view.
    let scroll = (selected + 2).saturating_sub(height);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}
