//! Drawing a list board: the table of loaded rows with its load state in
//! the title, and the detail pane of the selected record.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::RelatedRecords;
use crate::components::board::{Board, DetailSources};
use crate::remote::Remote;
use crate::screens::DrawCtx;
use crate::strings;

/// Draws `board` into `table` and its detail (with the selected record's
/// `related` records, when the screen loads them) into `detail`.
pub fn draw(
    frame: &mut Frame,
    ctx: &DrawCtx,
    board: &Board,
    related: Option<&RelatedRecords>,
    table: Rect,
    detail: Rect,
) {
    let theme = ctx.env.theme;
    let mut title = format!(" {} ", board.spec.title);
    let more = board.next_cursor.is_some();
    title.push_str(&format!(
        "({}) ",
        strings::row_count(board.rows_through(), more)
    ));
    if board.only.is_some() {
        title.push_str(strings::OPENED_ON_SOURCES);
    } else if !board.filter.is_empty() {
        title.push_str(&format!("/{} ", board.filter));
    }
    for (key, value) in &board.fixed_filters {
        let shown = if key == "customer_id" {
            ctx.lookup.name(value)
        } else if value == "true" {
            key.clone()
        } else {
            value.clone()
        };
        title.push_str(&format!("[{shown}] "));
    }
    if let Some((column, descending)) = board.sort
        && let Some(col) = board.spec.columns.get(column)
    {
        title.push_str(&format!("{} ", strings::sorted_by(col.title, descending)));
    }
    if board.load.is_loading() || board.more.is_loading() {
        title.push_str(&format!("{} ", strings::LOADING));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.title))
        .border_style(theme.focus_border);

    let empty_text = match &board.load {
        Remote::Failed(error) => Some(error.clone()),
        Remote::Loading(_) | Remote::Idle if board.rows.is_empty() => {
            Some(strings::LOADING.to_string())
        }
        _ if board.rows.is_empty() && board.filter.is_empty() => {
            Some(strings::NO_RECORDS.to_string())
        }
        _ if board.rows.is_empty() => Some(strings::NO_MATCHES.to_string()),
        _ => None,
    };
    if let Some(text) = empty_text {
        let style = if matches!(board.load, Remote::Failed(_)) {
            theme.error
        } else {
            theme.muted
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, style))
                .block(block)
                .wrap(Wrap { trim: true }),
            table,
        );
    } else {
        let columns: Vec<_> = board.columns().map(|(_, c)| *c).collect();
        let visible = board.viewport.max(1);
        let shown: Vec<(usize, &crate::api::Record, Vec<String>)> = board
            .order
            .iter()
            .enumerate()
            .skip(board.offset)
            .take(visible)
            .filter_map(|(position, index)| board.rows.get(*index).map(|r| (position, r)))
            .map(|(position, record)| {
                let pending = crate::outbox::is_pending(record);
                let texts = columns
                    .iter()
                    .enumerate()
                    .map(|(at, c)| {
                        let value = c.value(record, ctx.lookup);
                        // A queued write's copy is marked until the server's arrives.
                        if pending && at == 0 {
                            format!("{}{value}", strings::PENDING_MARK)
                        } else {
                            value
                        }
                    })
                    .collect();
                (position, record, texts)
            })
            .collect();
        let titles: Vec<String> = board
            .columns()
            .map(|(at, c)| strings::column_header(c.title, board.sorted_on(at)))
            .collect();
        let header = Row::new(titles.iter().map(|t| Cell::from(t.clone()))).style(theme.header);
        let content = crate::components::board::widths::content(
            &titles,
            shown.iter().map(|(_, _, texts)| texts.as_slice()),
        );
        let declared: Vec<_> = columns.iter().map(|c| c.width).collect();
        let widths = crate::components::board::widths::fitted(
            &declared,
            &content,
            table.width.saturating_sub(2),
            1,
        );
        let rows = shown.into_iter().map(|(position, record, texts)| {
            let row = Row::new(columns.iter().zip(texts).map(|(c, value)| {
                let cell = Cell::from(value);
                match c.cell_style {
                    Some(style) => cell.style(style(record, theme)),
                    None => cell,
                }
            }));
            if position == board.selected {
                row.style(theme.selected)
            } else {
                row
            }
        });
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .block(block)
                .column_spacing(1),
            table,
        );
    }

    let detail_block = Block::default().borders(Borders::ALL).title(Line::styled(
        format!(" {} ", strings::DETAIL_TITLE),
        theme.title,
    ));
    let lines = match board.selected_record() {
        Some(record) => {
            let idle = Remote::Idle;
            let sources = DetailSources {
                lookup: ctx.lookup,
                contacts: related
                    .filter(|r| r.of.as_deref() == Some(crate::api::record_id(record)))
                    .map(|r| r.records.as_slice()),
                contacts_state: related.map_or(&idle, |r| &r.load),
            };
            (board.spec.detail)(record, &sources)
        }
        None => vec![Line::styled(strings::NOTHING_SELECTED, theme.muted)],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(detail_block)
            .wrap(Wrap { trim: false }),
        detail,
    );
}
