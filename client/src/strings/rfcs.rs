//! The words of the RFC queue: its views, choosers, steps, notes and undo.

pub const VIEW_UNTRIAGED: &str = "Untriaged";
pub const VIEW_MINE: &str = "My queue";
pub const VIEW_CM: &str = "Change management";
pub const VIEW_SLM: &str = "Service level management";
pub const VIEW_ALL_OPEN: &str = "All open";
pub const VIEW_CLOSED: &str = "Closed";
pub const VIEW_WITHDRAWN: &str = "Withdrawn";
/// Open RFCs due this week, soonest first.
pub const VIEW_DUE_WEEK: &str = "Due this week";
/// "Due this week" where the views line is short of room.
pub const VIEW_DUE_WEEK_SHORT: &str = "Due wk";
/// Every RFC in every status: where a search from the palette looks.
pub const VIEW_ALL: &str = "All";
pub const RFC_HISTORY: &str = "History";
pub const RFC_COMMENTS: &str = "Comments";
pub const RFC_NO_HISTORY: &str = "No steps yet.";

pub const RFC_NO_COMMENTS: &str = "No comments yet.";
pub const RFC_TRIAGE_TITLE: &str = "Triage: choose the route";
pub const RFC_PRIORITY_TITLE: &str = "Set the priority";
pub const RFC_MOVE_TITLE: &str = "Move to (legal next statuses only)";
pub const RFC_ASSIGN_TITLE: &str = "Assign to";
pub const RFC_ASSIGN_HINT: &str =
    "type a name to narrow, digit or arrows + Enter picks, Esc cancels";
pub const RFC_NOBODY_MATCHES: &str = " Nobody active has that in their name.";
pub const RFC_NO_ASSIGNEES: &str =
    "The staff list has not loaded yet: press r to refresh, then A again";
pub const RFC_COMMENT_TITLE: &str = "Comment (ctrl-s posts, ctrl-e in your editor, esc cancels)";
/// The comment came back from the user's editor (`ctrl-e`); `post` is the
/// key that posts it.
pub fn comment_taken_back(post: &str) -> String {
    format!("Comment: the edited text is in the editor; {post} posts it.")
}
pub const RFC_COMMENT_POSTING: &str = "Posting...";
pub const RFC_SUMMARY_TITLE: &str = "Bulk result";
pub const RFC_CHOOSER_HINT: &str = "number or j/k + Enter picks, Esc cancels";
/// The title of a move's note.
pub const RFC_NOTE_TITLE: &str = "Note for the history";
/// What an empty note line says.
pub const RFC_NOTE_PLACEHOLDER: &str = "optional: why, what was agreed...";
/// Said when Esc leaves a move's note.
pub const RFC_MOVE_CANCELLED: &str = "Move cancelled: nothing changed";

/// The line under a move's note: what Enter and `back` do.
pub fn note_hint(back: &str) -> String {
    format!("Enter moves (empty: no note), {back} cancels")
}

/// What a move's note is for: the RFC(s) and where they go.
pub fn note_target(targets: &str, status: &str) -> String {
    format!("{targets} -> {}", status.replace('_', " "))
}
pub const RFC_SUMMARY_HINT: &str = "Esc or Enter closes";
pub const RFC_NO_STAFF: &str =
    "Your token is not linked to a staff member, so nothing can be assigned to you.";
pub const RFC_NOTHING_LEGAL: &str = "No legal next status: the RFC is finished.";
/// `u` with no change made from the queue yet (or the last one undone).
pub const RFC_NOTHING_TO_UNDO: &str =
    "Nothing to undo: no priority or assignee change made here yet";
/// `u` after a triage.
pub const UNDO_TRIAGE_FORBIDDEN: &str = "A triaged RFC cannot go back to new: nothing undone";
/// An undo refused because someone changed the RFC after the step.
pub const UNDO_CHANGED_SINCE: &str =
    "changed on the server since your change: nothing undone, r shows it";

/// `u` after a workflow step: the reason, then that nothing happened.
pub fn undo_move_forbidden(reason: &str) -> String {
    format!("{reason}: nothing undone")
}

/// What an undo is called in messages.
pub fn undo_what(what: &str) -> String {
    format!("Undo of {what}")
}

pub const RFC_STEP_RUNNING: &str = "The previous step is still running; wait for its summary.";
pub const RFC_NOT_NEW: &str = "Only new RFCs are triaged; m moves the others.";

/// How the history names a changed field of an RFC.
pub fn rfc_history_field(field: &str) -> &'static str {
    match field {
        "assignee_id" => "assignee",
        "priority" => "priority",
        _ => "field",
    }
}
