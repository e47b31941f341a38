//! The words of the audit trail (`T`) and of the full detail (`v`) on the
//! screens without a list of their own.

/// The audit trail's frame title.
pub fn audit_title(label: &str) -> String {
    format!("Changes to {label}")
}

/// `T` with nothing selected.
pub const AUDIT_NOTHING_SELECTED: &str = "Select a record first: T shows its changes.";

/// `v` with nothing selected.
pub const DETAIL_NOTHING_SELECTED: &str = "Select a record first: v shows its whole detail.";

/// The week ahead's full detail of an item.
pub const WEEK_DETAIL_DAY: &str = "Day";
pub const WEEK_DETAIL_KIND: &str = "Kind";
pub const WEEK_DETAIL_TITLE: &str = "Title";
pub const WEEK_DETAIL_CUSTOMER: &str = "Customer";

/// A trail with no entries.
pub const AUDIT_EMPTY: &str = "No changes recorded for this record.";

/// The next page of the trail is on its way.
pub const AUDIT_MORE_LOADING: &str = "Loading the next changes...";

/// More changes follow on the next page.
pub fn audit_more(bottom: &str) -> String {
    format!("More changes follow: {bottom} or scroll down to load them.")
}

/// The trail could not be read.
pub fn audit_failed(why: &str) -> String {
    format!("The changes could not be read: {why}")
}

/// The heading of one entry: when, who and what they did.
pub fn audit_heading(when: &str, who: &str, action: &str) -> String {
    let did = match action {
        "create" => "created it",
        "update" => "changed it",
        "delete" => "deleted it",
        _ => "wrote it",
    };
    format!("{when}  {who} {did}")
}

/// One changed field: before -> after.
pub fn audit_change(field: &str, before: &str, after: &str) -> String {
    format!("  {field}: {before} -> {after}")
}

/// One field a creation set.
pub fn audit_set(field: &str, value: &str) -> String {
    format!("  {field}: {value}")
}

/// An update that changed no field the client shows.
pub const AUDIT_NO_FIELDS: &str = "  (no field changed)";

/// A record id the client cannot name: its short id, as rows show ids.
pub fn unnamed_record(short: &str) -> String {
    format!("record {short}")
}

/// Yes and no, as a boolean field's value.
pub fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}
