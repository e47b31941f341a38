//! The words of `:export` and of the notifications.

use std::path::Path;

use crate::api::ApiError;

/// `:export` without a format.
pub const EXPORT_USAGE: &str =
    "Say which format: :export csv [FILE] or :export json [FILE] (:export! replaces a file).";
/// `:export` on a screen that is not a list.
pub const EXPORT_NOT_HERE: &str =
    "Only a list can be exported: show the RFC queue or another list first.";
/// A second `:export` while one runs.
pub const EXPORT_RUNNING: &str = "An export is running already; wait for it to finish.";

/// The palette entries' help.
pub const PALETTE_EXPORT_HELP: &str =
    "write the whole list shown to a file: export csv|json [FILE]";
pub const PALETTE_EXPORT_REPLACE_HELP: &str = "export, replacing the file if it is there";

/// A whole number with its thousands grouped: "1,234".
pub fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `count` rows, singular for one: "1 row", "1,234 rows".
pub fn row_total(count: usize) -> String {
    if count == 1 {
        "1 row".to_string()
    } else {
        format!("{} rows", grouped(count))
    }
}

/// A format the export does not write.
pub fn export_unknown_format(format: &str) -> String {
    let format = crate::api::without_controls(format);
    format!("Unknown format \"{format}\": use csv or json.")
}

/// The export's progress, while pages arrive.
pub fn exporting(read: usize, path: &Path) -> String {
    format!("Exporting to {}... {} read", shown(path), row_total(read))
}

/// The export is written.
pub fn exported(count: usize, path: &Path) -> String {
    format!("Exported {} to {}", row_total(count), shown(path))
}

/// The file is there and `:export!` was not used.
pub fn export_exists(path: &Path) -> String {
    format!(
        "{} is there already: use :export! to replace it, or name another file.",
        shown(path)
    )
}

/// The file could not be written.
pub fn export_cannot_write(path: &Path, reason: &str) -> String {
    format!("Cannot write {}: {reason}.", shown(path))
}

/// A page could not be read: nothing was written.
pub fn export_failed(error: &ApiError) -> String {
    if error.is_unreachable() {
        return "Export stopped: the server cannot be reached; nothing was written.".to_string();
    }
    format!("Export stopped, nothing was written: {error}")
}

/// The notifications list's title.
pub const NOTIFICATIONS_TITLE: &str = "Notifications: RFCs for you, newest first";
/// The list when nothing was told.
pub const NOTIFICATIONS_EMPTY: &str =
    "Nothing yet: RFCs assigned to you by others and new critical RFCs show here.";

/// The status bar's count of notifications not yet seen, with the key
/// that lists them.
pub fn notifications_badge(unseen: usize, key: &str) -> String {
    format!("{} new: {key}", grouped(unseen))
}

/// One notification's line: why, the RFC, who and when.
pub fn notification_line(
    reason: crate::notifications::Reason,
    rfc: &str,
    who: &str,
    when: &str,
) -> String {
    use crate::notifications::Reason;
    let why = match reason {
        Reason::AssignedToMe => "assigned to you",
        Reason::NewCritical => "new critical RFC",
        Reason::NowCritical => "now critical",
    };
    format!("{why}: {rfc} (by {who}, {when})")
}

/// The list's key line.
pub fn notifications_keys(open: &str, close: &str) -> String {
    format!("{open} open on the RFC queue · {close} close")
}

/// A path as the status line shows it (no control characters).
fn shown(path: &Path) -> String {
    crate::api::without_controls(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_counted_as_people_write_them() {
        assert_eq!(row_total(1), "1 row");
        assert_eq!(row_total(0), "0 rows");
        assert_eq!(row_total(999), "999 rows");
        assert_eq!(row_total(1_234), "1,234 rows");
        assert_eq!(row_total(1_234_567), "1,234,567 rows");
        assert_eq!(
            exported(1, Path::new("rfcs.csv")),
            "Exported 1 row to rfcs.csv"
        );
    }
}
