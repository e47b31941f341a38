//! The screen layout: a pure function of the terminal size, shared by the
//! drawing code and by `update` (mouse clicks, page sizes), so both agree
//! on where everything is.

use ratatui::layout::{Constraint, Layout, Rect};

/// Width from which the detail pane sits beside the table, not below it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub table: Rect,
    pub detail: Rect,
    /// The whole body (teams board, forms).
    pub body: Rect,
    pub hint: Rect,
    pub status: Rect,
}

impl Areas {
    /// Rows of records that fit in the table (borders and header removed).
    pub fn table_rows(&self) -> usize {
        usize::from(self.table.height.saturating_sub(3))
    }
}

/// The layout for a terminal of `area`.
pub fn layout(area: Rect) -> Areas {
    let [tabs, body, hint, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [table, detail] = if area.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
    } else {
        let detail_height = (body.height * 2 / 5).max(5);
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(body)
    };
    Areas {
        tabs,
        table,
        detail,
        body,
        hint,
        status,
    }
}

/// The layout of a terminal `width` x `height` cells.
pub fn of_size((width, height): (u16, u16)) -> Areas {
    layout(Rect::new(0, 0, width, height))
}

/// A rectangle of `width` x `height` centred in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}
