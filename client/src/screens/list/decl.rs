//! What a list screen declares: its [`ListDecl`] (board, related records,
//! where Enter goes, keys of its own), and the related records it loads
//! for the detail pane.

use rapport_shared::Collection;

use super::super::{Effect, ScreenCtx, ScreenId};
use crate::api::Record;
use crate::components::board::BoardSpec;
use crate::keymap::Action;
use crate::remote::Remote;

/// Records of another collection listed in the detail pane of the
/// selected record (a customer's contacts).
pub struct Related {
    pub collection: Collection,
    /// The field of the related records naming the selected one.
    pub key: &'static str,
}

/// Reference lists of one record (a customer's contacts) are capped at
/// this many rows: more contacts than this per customer do not occur.
pub const RELATED_LIMIT: u32 = 500;

/// What makes one list screen differ from another.
pub struct ListDecl {
    /// Its name in the config's `[boards.NAME]` table.
    pub name: &'static str,
    pub spec: fn() -> BoardSpec,
    /// Records loaded for the selected record's detail pane.
    pub related: Option<Related>,
    /// Where Enter goes: the screen shown narrowed to records whose field
    /// names the selected record (else Enter edits it).
    pub open: Option<(ScreenId, &'static str)>,
    /// Records that belong to the listed ones (a survey's responses): a
    /// new one belongs to the selected record, and since the server counts
    /// them into it (its answered count) a change to one reloads the list
    /// on the next tick (once for a burst, such as an import), a save of
    /// one from a form at once.
    pub owns: Option<Collection>,
    /// Keys of its own on the selected record.
    pub actions: &'static [ListAction],
    /// Query parameters every page is asked with, not filters (the
    /// customers' `include=health`).
    pub params: &'static [(&'static str, &'static str)],
    /// The filters the board starts narrowed to (the Notices screen shows
    /// the notices not yet ended); Esc lifts them to show every record.
    pub narrowed: &'static [(&'static str, &'static str)],
}

/// A key of a list screen's own, on the selected record (record a
/// response to the selected survey).
pub struct ListAction {
    pub action: Action,
    /// Its key hint.
    pub hint: &'static str,
    /// The collection it writes: the hint shows only when the user may.
    pub writes: Collection,
    pub run: fn(&mut ScreenCtx, &Record) -> Vec<Effect>,
}

/// The related records of the selected record, for the detail pane.
#[derive(Debug, Clone, Default)]
pub struct RelatedRecords {
    /// The record they are related to.
    pub of: Option<String>,
    pub load: Remote,
    pub records: Vec<Record>,
}

/// The `id` filter another screen narrows with (one id, or several
/// separated by commas: an agenda item's source records) apart from the
/// filters the server takes.
pub fn split_ids(filters: Vec<(String, String)>) -> (Vec<String>, Vec<(String, String)>) {
    let (ids, rest): (Vec<_>, Vec<_>) = filters.into_iter().partition(|(key, _)| key == "id");
    let ids = ids
        .iter()
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    (ids, rest)
}
