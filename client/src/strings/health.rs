//! The words of a customer's health (the customer screen's Health
//! section) and of the week ahead screen.

pub const TAB_WEEK: &str = "Week ahead";
pub const HEALTH_OVERALL: &str = "Overall";
pub const HEALTH_NO_SIGNALS: &str = "no signals";
pub const WEEK_NOTHING: &str = "nothing";
pub const WEEK_CHANGED: &str = "Health changed since you last looked";
pub const WEEK_NO_CHANGE: &str = "none";
pub const WEEK_NO_STAFF: &str = "The week ahead is a staff member's: this token is linked to no staff member. Sign in with a token of your own (rapportd token create --staff STAFF_ID).";
pub const WEEK_NO_SELECTION: &str = "Nothing selected: j/k move between the week's items.";

/// The week's heading.
pub fn week_heading(from: &str, to: &str) -> String {
    format!("Week ahead, {from} to {to}")
}

/// One customer whose health changed: `MOF Ministry of Finance: good -> act`.
pub fn health_changed(customer: &str, before: &str, now: &str) -> String {
    format!("{customer}: {before} -> {now}")
}
