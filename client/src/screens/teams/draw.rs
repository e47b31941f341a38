//! Drawing the teams board: one card per team, side by side, scrolled so
//! the selected team is always visible.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{CARD_WIDTH, TeamsBoard};
use crate::api::{record_id, text};
use crate::components::detail::list_text;
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;

/// Draws the team cards into `area`.
pub fn draw(frame: &mut Frame, ctx: &DrawCtx, board: &TeamsBoard, area: Rect) {
    let theme = ctx.env.theme;
    let loading = board.load.is_loading();
    let title = format!(
        " {} ({}){} ",
        strings::TAB_TEAMS,
        board.teams.len(),
        if loading {
            format!(" {}", strings::LOADING)
        } else {
            String::new()
        }
    );
    let mut outer = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.title))
        .border_style(theme.focus_border);
    let inner = outer.inner(area);
    let fit = usize::from((inner.width / CARD_WIDTH).max(1));
    let first = board.column.saturating_sub(fit - 1);
    let shown: Vec<usize> = (first..board.teams.len()).take(fit).collect();
    // Cards that do not fit are announced on the bottom border, on the
    // side where they are.
    let after = board.teams.len().saturating_sub(first + shown.len());
    if first > 0 {
        outer = outer.title_bottom(Line::styled(strings::teams_before(first), theme.accent));
    }
    if after > 0 {
        outer = outer
            .title_bottom(Line::styled(strings::teams_after(after), theme.accent).right_aligned());
    }
    frame.render_widget(outer, area);
    if board.teams.is_empty() {
        let text = match &board.load {
            Remote::Failed(error) => error.clone(),
            Remote::Loaded => strings::TEAM_NONE.to_string(),
            _ => strings::LOADING.to_string(),
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.muted)), inner);
        return;
    }
    let cards =
        Layout::horizontal(shown.iter().map(|_| Constraint::Length(CARD_WIDTH))).split(inner);
    for (slot, index) in shown.iter().enumerate() {
        let team = &board.teams[*index];
        let selected = *index == board.column;
        let lookup = ctx.lookup;
        let mut lines = vec![
            Line::styled(format!("{}:", strings::TEAM_BRM), theme.header),
            Line::from(lookup.name_of(team, "brm_id")),
            Line::styled(format!("{}:", strings::TEAM_DM), theme.header),
            Line::from(lookup.name_of(team, "delivery_manager_id")),
            Line::styled(format!("{}:", strings::TEAM_OWNERS), theme.header),
            Line::from(list_text(team, "service_owner_ids", |id| lookup.name(id))),
            Line::styled(format!("{}:", strings::TEAM_CUSTOMERS), theme.header),
        ];
        let members = board.members.get(record_id(team));
        match members {
            Some(m) if m.load.is_loading() && m.customers.is_empty() => {
                lines.push(Line::styled(strings::LOADING, theme.muted));
            }
            Some(m) => {
                for (row, customer) in m.customers.iter().enumerate() {
                    let label = format!("{} {}", text(customer, "code"), text(customer, "name"));
                    let style = if selected && row == board.row {
                        theme.selected
                    } else {
                        theme.base
                    };
                    lines.push(Line::styled(label, style));
                }
            }
            None => {}
        }
        let border = if selected {
            theme.focus_border
        } else {
            theme.muted
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(border)
            .title(Line::styled(
                format!(" {} ", text(team, "name")),
                if selected { theme.title } else { theme.base },
            ));
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            cards[slot],
        );
    }
}
