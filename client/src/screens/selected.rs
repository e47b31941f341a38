//! What every screen offers on the record it has selected: its whole
//! detail (`v`, for a screen without a list board of its own) and which
//! record `T` shows the audit trail of ([`Selected`]).

use rapport_shared::Collection;

use super::{Effect, ScreenCtx, ScreenId, form_labels};
use crate::api::Record;
use crate::lookup::Lookup;

/// The record a screen has selected, for what every screen offers on it
/// (`T`, its audit trail): its collection, id and how it is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub collection: Collection,
    pub id: String,
    pub label: String,
}

impl Selected {
    /// `record` of `collection`, named as lists name it; `None` for a
    /// record the server does not have yet (queued offline).
    pub fn of(collection: Collection, record: &Record) -> Option<Selected> {
        let id = crate::api::record_id(record);
        if id.is_empty() || record.contains_key("_pending") {
            return None;
        }
        Some(Selected {
            collection,
            id: id.to_string(),
            label: crate::api::without_controls(&crate::lookup::label(collection, record)),
        })
    }
}

/// A record's whole detail, for `v` on a screen without a list board of
/// its own: as the list screen of its collection tells it in its pane,
/// else field by field under its form's labels.
pub fn detail_lines(
    collection: Collection,
    record: &Record,
    lookup: &Lookup,
    clock: &crate::when::Clock,
) -> Vec<ratatui::text::Line<'static>> {
    if let Some(detail) = ScreenId::of(collection).and_then(|s| s.entry().detail) {
        let idle = crate::remote::Remote::Idle;
        let sources = crate::components::board::DetailSources {
            lookup,
            contacts: None,
            contacts_state: &idle,
        };
        return detail(record, &sources);
    }
    crate::components::audit::record_lines(record, &form_labels(collection), lookup, clock)
}

/// `v` on a screen without a list board: `record`'s whole detail as an
/// overlay of the app's ([`Effect::Detail`]), or why there is none.
pub fn show_detail(
    ctx: &mut ScreenCtx,
    collection: Collection,
    record: Option<&Record>,
) -> Vec<Effect> {
    let Some(record) = record else {
        ctx.say(crate::strings::DETAIL_NOTHING_SELECTED, false);
        return Vec::new();
    };
    let clock = crate::when::Clock {
        now: jiff::Timestamp::now(),
        zone: ctx.env.zone.clone(),
    };
    let lines = detail_lines(collection, record, ctx.lookup, &clock);
    let title = crate::api::without_controls(&crate::lookup::label(collection, record));
    vec![Effect::Detail(
        crate::components::full_detail::FullDetail::new(title, lines),
    )]
}
