//! What makes one board differ from another: a [`BoardSpec`] names the
//! collection, its columns, the detail pane and what `y` copies.

use rapport_shared::Collection;
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::api::Record;
use crate::lookup::Lookup;
use crate::remote::Remote;
use crate::theme::Theme;

/// What a column's cell shows of a record.
#[derive(Clone, Copy)]
pub enum CellValue {
    /// The record's own text field named like the column.
    Field,
    /// The label of the record named by this id field (a team's name for
    /// `team_id`).
    NameOf(&'static str),
    /// Anything else, computed.
    Computed(fn(&Record, &Lookup) -> String),
}

/// One column of a board.
#[derive(Clone, Copy)]
pub struct Column {
    /// Config name (`[boards.customers] columns = ["code", ...]`).
    pub key: &'static str,
    pub title: &'static str,
    pub width: Constraint,
    /// What the cell shows.
    pub cell: CellValue,
    /// What `s` sorts it by, when not its text (a health state by how bad
    /// it is, not by its word).
    pub sort_key: Option<fn(&Record) -> String>,
    /// The cell's style, when it is not the row's (a health state's colour).
    pub cell_style: Option<fn(&Record, &Theme) -> Style>,
}

impl Column {
    /// A column showing the record's text field `key`.
    pub fn field(key: &'static str, title: &'static str, width: Constraint) -> Column {
        Column {
            key,
            title,
            width,
            cell: CellValue::Field,
            sort_key: None,
            cell_style: None,
        }
    }

    /// A column showing the label of the record the id field `field` names.
    pub fn name_of(
        key: &'static str,
        title: &'static str,
        width: Constraint,
        field: &'static str,
    ) -> Column {
        Column {
            key,
            title,
            width,
            cell: CellValue::NameOf(field),
            sort_key: None,
            cell_style: None,
        }
    }

    /// A column computed from the record.
    pub fn computed(
        key: &'static str,
        title: &'static str,
        width: Constraint,
        value: fn(&Record, &Lookup) -> String,
    ) -> Column {
        Column {
            key,
            title,
            width,
            cell: CellValue::Computed(value),
            sort_key: None,
            cell_style: None,
        }
    }

    /// The column sorted by `key` instead of its text.
    pub fn sorted_by(self, key: fn(&Record) -> String) -> Column {
        Column {
            sort_key: Some(key),
            ..self
        }
    }

    /// The column's cells styled by `style` (the row's selection still
    /// shows).
    pub fn styled(self, style: fn(&Record, &Theme) -> Style) -> Column {
        Column {
            cell_style: Some(style),
            ..self
        }
    }

    /// What `s` sorts the column by for `record`.
    pub fn sort_value(&self, record: &Record, lookup: &Lookup) -> String {
        match self.sort_key {
            Some(key) => key(record),
            None => self.value(record, lookup).to_lowercase(),
        }
    }

    /// The cell text of `record`.
    pub fn value(&self, record: &Record, lookup: &Lookup) -> String {
        match self.cell {
            CellValue::Field => crate::api::text(record, self.key).to_string(),
            CellValue::NameOf(field) => lookup.name_of(record, field),
            CellValue::Computed(value) => value(record, lookup),
        }
    }
}

/// A record's detail pane lines.
pub type DetailFn = fn(&Record, &DetailSources<'_>) -> Vec<Line<'static>>;

/// What the detail pane may draw from besides the record.
pub struct DetailSources<'a> {
    pub lookup: &'a Lookup,
    /// The selected customer's contacts, when this board loads them.
    pub contacts: Option<&'a [Record]>,
    pub contacts_state: &'a Remote,
}

/// An instance of the board: everything that differs between boards.
pub struct BoardSpec {
    pub collection: Collection,
    pub title: &'static str,
    pub columns: Vec<Column>,
    /// Column keys shown when the config names none.
    pub default_columns: &'static [&'static str],
    /// Lines of the detail pane for the selected record.
    pub detail: DetailFn,
    /// The field `y` copies (falls back to the id when empty).
    pub copy_field: &'static str,
}

/// A list screen's columns: every one it offers (`[boards.<name>] columns`
/// picks among them by key) and those shown when the config names none.
pub struct Columns {
    pub all: Vec<Column>,
    pub shown: &'static [&'static str],
}
