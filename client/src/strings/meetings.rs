//! The Meetings screen's sentences: its boards, an open meeting's parts
//! and editor, and what its keys say.

pub const PALETTE_MEETINGS_WITH_HELP: &str =
    "meetings with a customer (code or name) or of a team: meetings-with <name>";
pub const MEETINGS_FORWARD: &str = "Forward-looking";
pub const MEETINGS_FOLLOW_UP: &str = "Follow-up";
pub const MEETINGS_UPCOMING: &str = "Upcoming";
pub const MEETINGS_RECENT: &str = "Recent";
pub const MEETINGS_NONE_PLANNED: &str = "nothing planned: n plans one";
pub const MEETINGS_NONE_RECENT: &str = "none in the last months";
pub const MEETINGS_MY_ACTIONS: &str = "My open actions";
pub const MEETINGS_NO_ACTIONS: &str = "No open action is yours.";
pub const MEETING_PREVIEW: &str = "Selected meeting";
pub const MEETING_DETAILS: &str = "Details";
pub const MEETING_AGENDA: &str = "Agenda";
pub const MEETING_MINUTES: &str = "Minutes";
pub const MEETING_DECISIONS: &str = "Decisions";
pub const MEETING_ACTIONS: &str = "Actions";
pub const MEETING_UNTITLED: &str = "(untitled)";
pub const MEETING_NO_AGENDA: &str = "no agenda yet";
pub const MEETING_EMPTY_AGENDA: &str =
    "No agenda yet: P fills it from the customer's records, a adds an item.";
pub const MEETING_NO_MINUTES: &str = "No minutes yet: e writes them.";
pub const MEETING_NO_DECISIONS: &str = "No decisions yet: a adds one.";
pub const MEETING_NO_ACTIONS: &str = "No actions yet: a adds one.";
pub const MEETING_NEW_ITEM: &str = "New agenda item";
pub const MEETING_EDIT_ITEM: &str = "Agenda item";
pub const MEETING_NEW_DECISION: &str = "New decision";
pub const MEETING_EDIT_DECISION: &str = "Decision";
pub const MEETING_NEW_ACTION: &str = "New action";
pub const MEETING_EDIT_ACTION: &str = "Action";
pub const MEETING_FIELD_TITLE: &str = "Title";
pub const MEETING_FIELD_KIND: &str = "Kind";
pub const MEETING_FIELD_CUSTOMER: &str = "Customer";
pub const MEETING_FIELD_TEAM: &str = "Team";
pub const MEETING_FIELD_WHEN: &str = "When";
pub const MEETING_FIELD_PLACE: &str = "Place";
pub const MEETING_FIELD_STAFF: &str = "Staff";
pub const MEETING_FIELD_CONTACTS: &str = "Contacts";
pub const MEETING_FIELD_OWNER: &str = "Owner (left/right/space)";
pub const MEETING_FIELD_ITEM_MINUTES: &str = "Minutes set aside";
pub const MEETING_FIELD_NOTES: &str = "Notes (Enter breaks a line)";
pub const MEETING_FIELD_DECISION: &str = "Decision";
pub const MEETING_FIELD_ACTION: &str = "Action";
pub const MEETING_FIELD_DUE: &str = "Due on (YYYY-MM-DD)";
pub const NOBODY: &str = "(nobody)";
pub const NO_DUE_DATE: &str = "no due date";
pub const DUE_TODAY: &str = "due today";
pub const MEETING_EMPTY_TITLE: &str = "An agenda item needs a title.";
pub const MEETING_EMPTY_DECISION: &str = "A decision needs its text.";
pub const MEETING_EMPTY_ACTION: &str = "An action needs its text.";
pub const MEETING_BAD_MINUTES: &str = "The minutes set aside are a whole number.";
pub const MEETING_NO_SOURCE: &str = "This item names no records it came from.";
pub const MEETING_UNKNOWN_SOURCE: &str = "This item's records have no screen of their own.";
pub const MEETING_WRITING: &str = "A change to a meeting is on its way; wait for it.";
pub const MEETING_PICK: &str = "No meeting selected.";
pub const MEETING_PICK_ACTION: &str = "Select an action first (Tab to the actions).";
pub const MEETING_NO_ITEM: &str = "Nothing selected in this part.";
pub const MEETING_ADD_WHERE: &str =
    "Tab to the agenda, minutes, decisions or actions to add to them.";
pub const MEETING_NO_ACTION: &str = "The action has no text to raise.";
pub const MEETING_NO_START: &str = "The meeting has no start time to date its agenda.";
pub const MEETING_PROPOSING: &str = "Reading the customer's records for the agenda...";
pub const MEETING_EMPTY_PROPOSAL: &str = "The customer's records propose nothing for this period.";
pub const MEETING_A_MEETING: &str = "a meeting";
pub const MEETING_GONE: &str = "The meeting is no longer shown; open it again.";
pub const MEETING_SAVED: &str = "Meeting saved.";
pub const MEETING_MOVED: &str = "Moved.";
pub const MEETING_REMOVED: &str = "Removed.";
pub const MEETING_TICKED: &str = "Action done.";
pub const MEETING_UNTICKED: &str = "Action open again.";
pub const MEETING_STALE: &str =
    "The meeting changed on the server; it was read again: check and try once more.";
pub const UNEXPECTED: &str = "unexpected answer";

/// How many items an agenda has.
pub fn agenda_items(count: usize) -> String {
    match count {
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

/// How many actions are still open.
pub fn open_actions(count: usize) -> String {
    format!("{count} open")
}

/// A board's title counts.
pub fn board_counts(upcoming: usize, recent: usize) -> String {
    format!("{upcoming} upcoming, {recent} recent")
}

/// What the boards hold.
pub fn meetings_range(days: i64) -> String {
    format!("{days} days back and ahead")
}

/// An action past its due date.
pub fn overdue_days(days: i64) -> String {
    match days {
        1 => "overdue 1 day".to_string(),
        n => format!("overdue {n} days"),
    }
}

/// The question before a proposal replaces an agenda.
pub fn replace_agenda(items: usize) -> String {
    format!(
        "Replace the agenda's {} with the proposal from the customer's records?",
        agenda_items(items)
    )
}

/// The question before an item is removed.
pub fn remove_item(part: &str) -> String {
    format!("Remove the selected item from the {}?", part.to_lowercase())
}

/// The agenda was filled.
pub fn agenda_filled(items: usize) -> String {
    format!(
        "Agenda filled: {} from the customer's records.",
        agenda_items(items)
    )
}

/// A change the shared rules refuse, before it is sent.
pub fn meeting_refused(reason: &str) -> String {
    format!("Not saved: {reason}")
}

/// No customer or team matches a `meetings-with` argument.
pub fn meetings_nobody_matches(wanted: &str) -> String {
    format!("No customer or team matches {wanted:?}.")
}

/// The line an RFC or improvement raised from an action ends with.
pub fn from_meeting(origin: &str) -> String {
    format!("(an action of the {origin})")
}

/// The editor's keys.
pub fn editor_keys(save: &str, next: &str, close: &str) -> String {
    format!("{save} save · {next} next field · {close} close")
}

/// The editor asks before dropping changed text.
pub fn editor_drop(back: &str) -> String {
    format!("{back} again drops your changes; any other key keeps editing")
}
