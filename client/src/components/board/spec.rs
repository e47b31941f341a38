//! What makes one board differ from another: a [`BoardSpec`] names the
//! collection, its columns, the detail pane and what `y` copies.

use rapport_shared::Collection;
use ratatui::layout::Constraint;
use ratatui::text::Line;

use crate::api::Record;
use crate::lookup::Lookup;
use crate::remote::Remote;

/// One column of a board.
#[derive(Clone, Copy)]
pub struct Column {
    /// Config name (`[boards.customers] columns = ["code", ...]`).
    pub key: &'static str,
    pub title: &'static str,
    pub width: Constraint,
    /// The cell text of a record.
    pub value: fn(&Record, &Lookup) -> String,
}

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
    pub detail: fn(&Record, &DetailSources<'_>) -> Vec<Line<'static>>,
    /// The field `y` copies (falls back to the id when empty).
    pub copy_field: &'static str,
}
