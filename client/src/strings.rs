//! Every sentence the user reads, in one place: titles, prompts, hints and
//! messages. Keeping them here keeps the wording consistent and makes a
//! later translation a one-file change. The Meetings screen's are in
//! `strings/meetings.rs`, health's and the week ahead's in
//! `strings/health.rs`, refusals' in `strings/refusals.rs`, the RFC
//! queue's in `strings/rfcs.rs`, `:export`'s and the notifications' in
//! `strings/export.rs`, all re-exported here.

mod audit;
mod export;
mod health;
mod meetings;
mod outbox;
mod refusals;
mod rfcs;
mod typing;
pub use audit::*;
pub use export::*;
pub use health::*;
pub use meetings::*;
pub use outbox::*;
pub use refusals::*;
pub use rfcs::*;
pub use typing::*;

// Tab titles, in tab order.
pub const TAB_CUSTOMERS: &str = "Customers";
pub const TAB_TEAMS: &str = "Teams";
pub const TAB_STAFF: &str = "Staff";
pub const TAB_SERVICES: &str = "Services";
pub const TAB_CONTACTS: &str = "Contacts";
pub const TAB_RFCS: &str = "RFCs";
pub const TAB_IMPROVEMENTS: &str = "Improvements";
pub const TAB_NOTICES: &str = "Notices";
pub const TAB_ACTIVITIES: &str = "Activities";
pub const TAB_SURVEYS: &str = "Surveys";
pub const TAB_SURVEY_RESULTS: &str = "Results";
pub const SURVEY_RESULTS_PICK: &str =
    "Enter on a survey of the Surveys board (:surveys) shows its results here.";
pub const SURVEY_NO_COMMENT: &str = "No comment to turn into an improvement.";
pub const SURVEY_CANNOT_IMPROVE: &str = "Your token cannot write improvements.";
pub const SURVEY_NOBODY: &str = "nobody answered";
pub const SURVEY_LOADING: &str = "The survey is still loading.";
pub const RESPONSE_CONTACT: &str = "Contact";
/// Recording a response to a survey that is not open.
pub fn survey_not_open(status: &str) -> String {
    format!("This survey is {status}: responses are recorded only while it is open.")
}
/// The results' bottom border when they go on past what is shown.
pub fn results_more(above: bool, below: bool, down: &str, up: &str) -> String {
    match (above, below) {
        (false, true) => format!("\u{25bc} more below: {down}"),
        (true, true) => format!("\u{25b2}\u{25bc} more above and below: {up} {down}"),
        (true, false) => format!("\u{25b2} more above: {up}"),
        (false, false) => String::new(),
    }
}
pub const TAB_CUSTOMER: &str = "Customer view";
pub const TAB_MEETINGS: &str = "Meetings";
/// A screen's action run from elsewhere while the screen loads.
pub fn screen_opened(title: &str) -> String {
    format!("The {title} screen is loading; run the action again once it shows.")
}

/// The palette entry showing a screen.
pub fn palette_show(title: &str) -> String {
    format!("show the {title} screen")
}

/// The palette entry switching the RFC queue's saved view.
pub const PALETTE_VIEW_HELP: &str = "RFC queue saved view: view <name>";
pub const PALETTE_SAVE_HELP: &str =
    "keep the RFC queue's view (filters, / search, sort) in the config file: save <name>";

pub const LOADING: &str = "Loading...";
pub const NO_RECORDS: &str = "No records.";
pub const NO_MATCHES: &str = "No records match the filter.";
pub const NOTHING_SELECTED: &str = "Nothing selected.";
/// A board opened on an agenda item's source records (Esc: every record).
pub const OPENED_ON_SOURCES: &str = "[the agenda item's records] ";

pub const FILTER_PROMPT: &str = "/";
pub const PALETTE_PROMPT: &str = ":";
pub const PALETTE_TITLE: &str = "Command";
pub const PALETTE_EMPTY: &str = "No command matches.";
pub const HELP_TITLE: &str = "Keys (generated from the live key map)";
pub const READ_ONLY_BADGE: &str = "read-only";

/// A record noun with its article: "a customer", "an activity" (an
/// abbreviation such as RFC keeps "a", as the palette always wrote it).
pub fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// A record noun in the plural: "customers", "activities".
pub fn plural(noun: &str) -> String {
    match noun.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{noun}s"),
    }
}

/// `count` of `noun`, singular for one: "1 comment", "3 comments".
pub fn count_of(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {}", plural(noun))
    }
}

/// The badge the tab bar shows when write actions are hidden.
pub fn read_only_badge() -> String {
    format!("[{READ_ONLY_BADGE}]")
}

pub const DETAIL_TITLE: &str = "Detail";
pub const DETAIL_CONTACTS: &str = "Contacts";
pub const DETAIL_TEAM: &str = "Team";
pub const DETAIL_PURCHASER: &str = "Purchaser";
pub const DETAIL_DESCRIPTION: &str = "Description";
/// An improvement without a customer serves every customer.
pub const EVERY_CUSTOMER: &str = "(every customer)";
pub const DETAIL_NO_CONTACTS: &str = "No contacts yet.";
pub const DETAIL_NO_TEAM: &str = "No team.";

pub const TEAM_BRM: &str = "BRM";
pub const TEAM_DM: &str = "Delivery manager";
pub const TEAM_DM_SHORT: &str = "DM";
pub const TEAM_OWNERS_SHORT: &str = "owners";
pub const TEAM_OWNERS: &str = "Service owners";
pub const TEAM_CUSTOMERS: &str = "Customers";
pub const TEAM_NONE: &str = "No customer teams yet.";

/// Team cards to the left of those shown (`h` reaches them).
pub fn teams_before(count: usize) -> String {
    format!(" \u{2190} {count} more ")
}

/// Team cards to the right of those shown (`l` reaches them).
pub fn teams_after(count: usize) -> String {
    format!(" {count} more \u{2192} ")
}

pub const FORM_NEW: &str = "New";
pub const FORM_EDIT: &str = "Edit";
pub const FORM_SAVING: &str = "Saving...";
pub const FORM_NONE: &str = "(none)";
pub const FORM_PICK_HINT: &str =
    "type to search, ↑/↓ choose, Enter pick, Backspace on empty clears";
pub const FORM_ENUM_HINT: &str = "←/→ or Space to choose";
pub const FORM_BOOL_HINT: &str = "Space toggles";
pub const FORM_LIST_HINT: &str = "←/→ move, Space toggles";
pub const FORM_INVALID: &str = "Fix the marked fields first.";
pub const DRAFT_RESTORED: &str = "Reopened the edit you had not saved when rapport was last ended.";

pub const CONFIRM_TITLE: &str = "Confirm";
pub const CONFLICT_TITLE: &str = "Changed on the server while you edited";
pub const CONFLICT_INTRO: &str = "Your edit is kept. Fields the server changed:";
pub const CONFLICT_NO_FIELDS: &str = "(only the version changed)";
pub const CONFLICT_DELETED: &str = "The record was deleted on the server.";

pub const CONN_CONNECTING: &str = "connecting";
pub const CONN_ONLINE: &str = "online";
pub const CONN_OFFLINE: &str = "offline";

/// The help's footer, with the live scroll and close keys.
pub fn help_footer(down: &str, up: &str, close: &str) -> String {
    format!("{down}/{up} scroll, {close} closes")
}

/// Question asked before quitting with unsaved form text.
pub fn confirm_quit_unsaved() -> String {
    "A form has unsaved text. Quit anyway and lose it?".to_string()
}

/// Question asked before closing a form with unsaved text.
pub fn confirm_discard() -> String {
    "Discard the unsaved changes in this form?".to_string()
}

/// Question asked before deleting a record.
pub fn confirm_delete(noun: &str, label: &str) -> String {
    format!("Delete {noun} {label}? This cannot be undone.")
}

/// Question asked before moving RFCs to a final status.
pub fn confirm_final_move(status: &str, count: usize, only: Option<&str>) -> String {
    match (count, only) {
        (1, Some(label)) => format!("Move {label} to {status}? This ends its work."),
        _ => format!("Move {count} RFCs to {status}? This ends their work."),
    }
}

/// Asked before an assignment takes RFCs from a colleague: `to` is the
/// new assignee (`None`: the user), `taken` how many of the `count`
/// targets are someone else's, `holder` whose when only one is.
pub fn confirm_take(
    to: Option<&str>,
    count: usize,
    taken: usize,
    only: Option<&str>,
    holder: Option<&str>,
) -> String {
    let to = to.unwrap_or("you");
    match (count, only, holder) {
        (1, Some(label), Some(holder)) => {
            format!("{label} is assigned to {holder}. Assign it to {to}?")
        }
        (_, _, Some(holder)) => {
            format!("One of the {count} RFCs is assigned to {holder}. Assign all {count} to {to}?")
        }
        _ => format!(
            "{taken} of the {count} RFCs are assigned to colleagues. Assign all {count} to {to}?"
        ),
    }
}

/// The answer keys shown under a question.
pub fn confirm_keys(yes: &str, no: &str) -> String {
    format!("{yes} yes    {no} no")
}

/// The choices offered when the server changed a record under an edit.
pub fn conflict_keys(reapply: &str, overwrite: &str, keep: &str) -> String {
    format!("{reapply} reload and reapply my edit   {overwrite} overwrite   {keep} keep editing")
}

/// Status line after copying to the clipboard.
pub fn copied(text: &str) -> String {
    format!("Copied {text} to the clipboard.")
}

/// Status line after a save.
pub fn saved(noun: &str, label: &str) -> String {
    format!("Saved {noun} {label}.")
}

/// Status line after saving a record that belongs to another.
pub fn saved_under(noun: &str, owner: &str) -> String {
    format!("Saved the {noun} to {owner}.")
}

/// A new record that belongs to another, asked for where there is none.
pub fn owner_needed(noun: &str, owner: &str) -> String {
    format!("A {noun} belongs to a {owner}: select or open one first.")
}

/// Status line after a delete.
pub fn deleted(noun: &str, label: &str) -> String {
    format!("Deleted {noun} {label}.")
}

/// Status line after moving a customer to another team.
pub fn moved(customer: &str, team: &str) -> String {
    format!("Moved {customer} to {team}.")
}

/// `u` on the teams board before any move was made there (or after the
/// last one was undone).
pub const TEAM_NOTHING_TO_UNDO: &str = "Nothing to undo: no customer moved here yet";

/// `u` while the move still waits in the outbox.
pub fn team_undo_queued(outbox_key: &str) -> String {
    format!(
        "The move has not reached the server yet: cancel it in the outbox ({outbox_key}); nothing undone"
    )
}

/// Status line after `u` moved a customer back.
pub fn moved_back(customer: &str, team: &str) -> String {
    format!("Undone: {customer} is back in {team}.")
}

/// An undo of a move refused because someone changed the customer since.
pub fn team_undo_changed(customer: &str) -> String {
    format!("{customer} {UNDO_CHANGED_SINCE}")
}

/// Why a write action is unavailable.
pub fn read_only_refusal() -> String {
    "Read-only: this token cannot change records.".to_string()
}

/// The message shown while the server cannot be reached (the status bar
/// already names the server and counts down to the next attempt).
pub fn server_unreachable(error: &str, retry_secs: u64) -> String {
    format!("Server unreachable: {error}; retrying every {retry_secs} s (r: now)")
}

/// Why a client built without the `embedded` feature cannot start as
/// asked; `asked` is what called for a local server.
pub fn no_embedded_server(asked: &str) -> String {
    format!(
        "{asked}: this rapport was built without the `embedded` feature, so it cannot start a \
         local server; set `server` (or --server) to a rapport server's URL, or rebuild with \
         `--features embedded`"
    )
}

/// A count of loaded rows and whether more exist ("1 row", "50+ rows").
pub fn row_count(loaded: usize, more: bool) -> String {
    let noun = if loaded == 1 && !more { "row" } else { "rows" };
    let more = if more { "+" } else { "" };
    format!("{loaded}{more} {noun}")
}

/// The sort shown in a board's title.
pub fn sorted_by(column: &str, descending: bool) -> String {
    let arrow = if descending { "desc" } else { "asc" };
    format!("sort: {column} {arrow}")
}

/// A column's header: its title, and when the board is sorted by it the
/// direction (`Name ▲` ascending, `Name ▼` descending).
pub fn column_header(title: &str, sorted: Option<bool>) -> String {
    match sorted {
        Some(false) => format!("{title} \u{25b2}"),
        Some(true) => format!("{title} \u{25bc}"),
        None => title.to_string(),
    }
}

/// The short name of an RFC route for the table.
pub fn route_short(route: &str) -> &'static str {
    match route {
        "change_management" => "CM",
        "service_level_management" => "SLM",
        _ => "",
    }
}

/// A view's name with its live count in the views bar.
pub fn view_with_count(name: &str, count: Option<u64>) -> String {
    match count {
        Some(count) => format!("{name} {count}"),
        None => format!("{name} …"),
    }
}

/// How many RFCs are marked for a bulk step.
pub fn marked(count: usize) -> String {
    format!("{count} marked")
}

/// A view names a customer code that no customer has.
pub fn unknown_customer_code(code: &str) -> String {
    format!("no customer has the code {code}")
}

/// The first line of a bulk summary.
pub fn bulk_outcome(what: &str, done: usize, refused: usize) -> String {
    format!("{what}: {done} done, {refused} refused")
}

/// A bulk step's outcome, with the key that shows its summary.
pub fn with_details_key(outcome: &str) -> String {
    format!("{outcome} (R: details)")
}

/// No bulk step has run yet, so there is no summary to show.
pub const NO_BULK_RESULT: &str =
    "No bulk step yet: mark RFCs with space, V or *, then t, a, p or m.";

/// A one-RFC step succeeded.
pub fn rfc_step_done(what: &str, label: &str) -> String {
    format!("{what}: {label}")
}

/// A one-RFC step was refused.
pub fn rfc_step_refused(what: &str, label: &str, reason: &str) -> String {
    format!("{what} refused for {label}: {reason}")
}

/// The server did not take a comment; the editor holds the text again.
pub fn comment_refused(reason: &str) -> String {
    format!("Comment not posted ({reason}); your text is still in the editor.")
}

/// Asked before Esc drops a typed comment (`yes` keys only: Enter never drops).
pub fn comment_drop_question(yes: &str, no: &str) -> String {
    format!("Drop this comment? {yes} drops it, {no} keeps editing")
}

/// The detail pane's footer: the key that opens it full screen.
pub fn rfc_detail_hint(key: &str) -> String {
    format!("{key}: all of it")
}

/// The full-screen detail's footer.
pub fn rfc_full_detail_hint(keys: [&str; 4], close: &str) -> String {
    let [down, up, half_down, half_up] = keys;
    format!("{down}/{up}/{half_down}/{half_up} scroll, {close} closes")
}

/// Why `/` is refused on a saved view that has its own `q=` search.
pub const SAVE_VIEW_NO_NAME: &str = "Give the view a name: :save NAME.";
pub const SAVE_VIEW_CHOSEN: &str =
    "The queue shows chosen RFCs, which a view cannot name: choose a view first.";
pub const SAVE_VIEW_NONE: &str = "There is no view to save.";
pub const SAVE_VIEW_QUOTE: &str =
    "A search with a double quote in it cannot be kept in a view: search without it.";
pub const SAVE_VIEW_NO_FILE: &str =
    "No config file location is known (no home directory): start rapport with --config FILE.";

/// `:save NAME` with a name a view has already.
pub fn view_name_taken(name: &str, built_in: bool) -> String {
    if built_in {
        format!("\u{201c}{name}\u{201d} is a built-in view: choose another name.")
    } else {
        format!("A view named \u{201c}{name}\u{201d} exists already: choose another name.")
    }
}

/// A view `:save` kept, and a sort of the loaded rows it could not keep.
pub fn view_saved(name: &str, path: &str, unsorted: Option<&str>) -> String {
    match unsorted {
        Some(column) => format!(
            "Saved the view \u{201c}{name}\u{201d} in {path} (in its server order: the sort by {column} is of the loaded rows only)."
        ),
        None => format!("Saved the view \u{201c}{name}\u{201d} in {path}."),
    }
}

pub fn view_has_search(q: &str) -> String {
    format!("This view already searches for {q:?}; / works on views without q=.")
}

/// The triage chooser's footer: the route letters, then the generic keys.
pub fn triage_chooser_hint(change: &str, service: &str) -> String {
    format!("{change} change mgmt, {service} service level, Esc cancels")
}

/// The note a comment was posted.
pub fn commented(label: &str) -> String {
    format!("Commented on {label}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_is_a_row() {
        assert_eq!(row_count(1, false), "1 row");
        assert_eq!(row_count(0, false), "0 rows");
        assert_eq!(row_count(2, false), "2 rows");
        assert_eq!(row_count(1, true), "1+ rows");
    }
}
