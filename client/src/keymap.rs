//! The key map: every action the user can take, its default keys, and the
//! overrides from the `[keys]` table of the configuration. Components ask
//! the key map which action a key means in their context; the help overlay
//! is generated from the same table, so it cannot drift from the bindings.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where an action applies. A key may mean different actions in
/// different contexts (`y` copies in a list and answers yes in a dialog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Anywhere outside a form or dialog.
    Global,
    /// On a list board.
    Board,
    /// On the teams board.
    Teams,
    /// In a create or edit form (typed characters go to the field).
    Form,
    /// In a question or conflict dialog.
    Dialog,
    /// On the RFC triage queue.
    Rfcs,
    /// Choosing a route after the triage key.
    Triage,
    /// On the customer screen (its sections).
    Customer,
    /// On the Surveys board (its keys also work on a survey's results).
    Surveys,
    /// On a survey's results.
    SurveyResults,
    /// On the Meetings screen (the two boards, a meeting, my actions).
    Meetings,
    /// In the outbox's list of queued writes.
    Outbox,
}

impl Context {
    /// The contexts whose keys work here, its own first: a screen's
    /// context also takes the list keys and the global ones, and a
    /// survey's results the Surveys board's.
    pub fn chain(self) -> &'static [Context] {
        match self {
            Context::Board => &[Context::Board, Context::Global],
            Context::Teams => &[Context::Teams, Context::Board, Context::Global],
            Context::Rfcs => &[Context::Rfcs, Context::Board, Context::Global],
            Context::Customer => &[Context::Customer, Context::Board, Context::Global],
            Context::Surveys => &[Context::Surveys, Context::Board, Context::Global],
            Context::Meetings => &[Context::Meetings, Context::Board, Context::Global],
            Context::SurveyResults => &[
                Context::SurveyResults,
                Context::Surveys,
                Context::Board,
                Context::Global,
            ],
            Context::Global => &[Context::Global],
            Context::Form => &[Context::Form],
            Context::Dialog => &[Context::Dialog],
            Context::Triage => &[Context::Triage],
            Context::Outbox => &[Context::Outbox],
        }
    }

    /// The heading of this context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Board => "Lists",
            Context::Teams => "Teams board",
            Context::Form => "Forms",
            Context::Dialog => "Dialogs",
            Context::Rfcs => "RFC queue",
            Context::Triage => "RFC queue: triage route",
            Context::Customer => "Customer screen",
            Context::Surveys => "Surveys board and a survey's results",
            Context::SurveyResults => "Survey results",
            Context::Meetings => "Meetings screen",
            Context::Outbox => "Outbox (writes queued while the server was unreachable)",
        }
    }
}

/// Declares [`Action`] with its config name, context, help text, whether it
/// writes, and default keys, all in one table.
macro_rules! actions {
    ($($variant:ident = $name:literal, $ctx:ident, $write:literal, $help:literal, [$($key:literal),*];)+) => {
        /// Everything a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),+ }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in the `[keys]` config table and the palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// Where the action applies.
            pub fn context(self) -> Context {
                match self { $(Action::$variant => Context::$ctx),+ }
            }

            /// What the action does, for the help overlay and the palette.
            pub fn help(self) -> &'static str {
                match self { $(Action::$variant => $help),+ }
            }

            /// Whether the action changes records (hidden in read-only mode).
            pub fn writes(self) -> bool {
                match self { $(Action::$variant => $write),+ }
            }

            /// The keys bound when the configuration names none.
            pub fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$variant => &[$($key),*]),+ }
            }

            /// Parses a config name.
            pub fn parse(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    Quit = "quit", Global, false, "quit rapport (asks when a form has unsaved text)", ["q", "ctrl-c"];
    Help = "help", Global, false, "show this help", ["?", "f1"];
    Palette = "palette", Global, false, "command palette (fuzzy)", [":"];
    Back = "back", Global, false, "back / close / clear filter", ["esc"];
    NextTab = "next_tab", Global, false, "next board", ["tab", "l", "right"];
    PrevTab = "prev_tab", Global, false, "previous board", ["backtab", "h", "left"];
    GoCustomers = "go_customers", Global, false, "Customers board", ["1"];
    GoTeams = "go_teams", Global, false, "Teams board", ["2"];
    GoStaff = "go_staff", Global, false, "Staff board", ["3"];
    GoServices = "go_services", Global, false, "Services board", ["4"];
    GoContacts = "go_contacts", Global, false, "Contacts board", ["5"];
    Refresh = "refresh", Global, false, "reload from the server (retry when offline)", ["r", "ctrl-r"];
    Outbox = "outbox", Global, false, "the outbox: writes queued while the server was unreachable", ["O"];
    Audit = "audit", Global, false, "the selected record's audit trail: who changed what and when (j/k scroll, esc closes)", ["T"];
    Notifications = "notifications", Global, false, "RFCs newly assigned to you or critical, newest first (Enter opens one; clears the count)", ["!"];
    OutboxCancel = "outbox_cancel", Outbox, false, "cancel the selected queued write", ["x", "delete"];
    OutboxSend = "outbox_send", Outbox, false, "send the queue now (also a refused write again)", ["s"];
    OutboxDiscard = "outbox_discard", Outbox, false, "discard every queued write", ["X"];
    OutboxOpen = "outbox_open", Outbox, false, "open the selected create or edit in its form", ["enter"];
    Up = "up", Board, false, "move up", ["k", "up"];
    Down = "down", Board, false, "move down", ["j", "down"];
    Top = "top", Board, false, "first row", ["g", "home"];
    Bottom = "bottom", Board, false, "last row (loads every page)", ["G", "end"];
    HalfPageDown = "half_page_down", Board, false, "half a page down", ["ctrl-d", "pagedown"];
    HalfPageUp = "half_page_up", Board, false, "half a page up", ["ctrl-u", "pageup"];
    Filter = "filter", Board, false, "incremental filter", ["/"];
    SortNext = "sort_next", Board, false, "sort by the next column", ["s"];
    SortReverse = "sort_reverse", Board, false, "reverse the sort", ["S"];
    Copy = "copy", Board, false, "copy code or id (OSC 52)", ["y"];
    Open = "open", Board, false, "open: a customer's contacts", ["enter"];
    New = "new", Board, true, "new record", ["n"];
    Edit = "edit", Board, true, "edit the selected record", ["e"];
    Delete = "delete", Board, true, "delete the selected record", ["d", "delete"];
    FullDetail = "full_detail", Board, false, "read the selected record's whole detail full screen (v or esc closes)", ["v"];
    TeamLeft = "team_left", Teams, false, "previous team", ["h", "left"];
    TeamRight = "team_right", Teams, false, "next team", ["l", "right"];
    MoveCustomerLeft = "move_customer_left", Teams, true, "move the customer to the previous team", ["H", "<"];
    MoveCustomerRight = "move_customer_right", Teams, true, "move the customer to the next team", ["L", ">"];
    TeamUndo = "team_undo", Teams, true, "undo the last customer move made here (a new write, refused if the customer changed since)", ["u"];
    Save = "save", Form, true, "save the form", ["ctrl-s"];
    NextField = "next_field", Form, false, "next field", ["tab"];
    PrevField = "prev_field", Form, false, "previous field", ["backtab"];
    EditInEditor = "edit_in_editor", Form, false, "edit the multi-line field (or the RFC comment) in your editor ($EDITOR, else $VISUAL, else vi)", ["ctrl-e"];
    Yes = "yes", Dialog, false, "answer yes (Enter does not)", ["y"];
    No = "no", Dialog, false, "answer no", ["n", "esc"];
    Reapply = "reapply", Dialog, false, "conflict: reload and reapply my edit", ["r"];
    Overwrite = "overwrite", Dialog, false, "conflict: overwrite the server's version", ["o"];
    KeepEditing = "keep_editing", Dialog, false, "conflict: keep editing", ["k", "esc"];
    GoRfcs = "go_rfcs", Global, false, "RFC queue board", ["6"];
    GoImprovements = "go_improvements", Global, false, "Improvements board (the improvement register)", ["7"];
    GoActivities = "go_activities", Global, false, "Activities board (the activity plan)", ["8"];
    RfcTriage = "rfc_triage", Rfcs, true, "triage the new RFC(s): then pick the route", ["t"];
    RfcAssignMe = "rfc_assign_me", Rfcs, true, "assign the RFC(s) to me (asks before taking one from a colleague)", ["a"];
    RfcAssignTo = "rfc_assign_to", Rfcs, true, "assign the RFC(s) to...: type to narrow, digit or Enter picks", ["A"];
    RfcPriority = "rfc_priority", Rfcs, true, "set the priority of the RFC(s)", ["p"];
    RfcMove = "rfc_move", Rfcs, true, "move to a legal next status", ["m"];
    RfcUndo = "rfc_undo", Rfcs, true, "undo the last priority or assignee change made here (a new write, refused if the RFC changed since)", ["u"];
    RfcComment = "rfc_comment", Rfcs, true, "comment on the RFC", ["c"];
    RfcMark = "rfc_mark", Rfcs, false, "mark / unmark the RFC for a bulk step", ["space"];
    RfcMarkRange = "rfc_mark_range", Rfcs, false, "mark a range: press at both ends", ["V"];
    RfcMarkAll = "rfc_mark_all", Rfcs, false, "mark every loaded RFC in the view", ["*"];
    RfcDetail = "rfc_detail", Rfcs, false, "read the whole detail full screen (j/k, ctrl-d/ctrl-u scroll)", ["v"];
    RfcLastResult = "rfc_last_result", Rfcs, false, "show the last bulk step's summary", ["R"];
    RfcNextView = "rfc_next_view", Rfcs, false, "next saved view", ["]"];
    RfcPrevView = "rfc_prev_view", Rfcs, false, "previous saved view", ["["];
    RouteChange = "route_change_management", Triage, false, "route: change management (inside the agreement)", ["c"];
    RouteService = "route_service_level", Triage, false, "route: service level management (outside it)", ["s"];
    RecordResponse = "record_response", Surveys, true, "record a response received by phone or e-mail (the survey selected or shown)", ["R"];
    CommentToImprovement = "comment_to_improvement", SurveyResults, true, "survey results: turn the selected comment into an improvement", ["I"];
    GoCustomer = "go_customer", Global, false, "Customer screen (the customer last opened with Enter)", ["9"];
    GoNotices = "go_notices", Global, false, "Notices board (maintenance and outages announced to customers)", ["0"];
    SectionNext = "section_next", Customer, false, "next section", ["]"];
    SectionPrev = "section_prev", Customer, false, "previous section", ["["];
    SectionHealth = "section_health", Customer, false, "section: health, each signal and why (Enter: the records behind it)", ["H"];
    SectionOverview = "section_overview", Customer, false, "section: overview", ["o"];
    SectionContacts = "section_contacts", Customer, false, "section: contacts (Enter: the Contacts board)", ["c"];
    SectionAgreements = "section_agreements", Customer, false, "section: agreements and attainment", ["a"];
    SectionPlan = "section_plan", Customer, false, "section: activity plan", ["p"];
    SectionBudget = "section_budget", Customer, false, "section: budget (Enter drills down, Esc goes up)", ["b"];
    SectionRfcs = "section_rfcs", Customer, false, "section: RFCs", ["f"];
    SectionImprovements = "section_improvements", Customer, false, "section: improvements", ["i"];
    SectionNotices = "section_notices", Customer, false, "section: notices reaching the customer", ["w"];
    SectionMeetings = "section_meetings", Customer, false, "section: meetings (Enter: the meeting on the Meetings screen)", ["m"];
    BudgetPrograms = "budget_programs", Customer, false, "budget: per service / per program (elsewhere: the selected record's whole detail)", ["v"];
    MeetingSwitch = "meeting_switch", Meetings, false, "meetings: the other board (forward-looking / follow-up), or a meeting's next part", ["tab"];
    MyActions = "my_actions", Meetings, false, "meetings: my open actions across meetings, overdue first (again: back)", ["m"];
    ProposeAgenda = "propose_agenda", Meetings, true, "meetings: fill the agenda from the customer's records (the kind's proposal)", ["P"];
    MeetingAdd = "meeting_add", Meetings, true, "meeting: add an agenda item, decision or action to the part in focus", ["a"];
    ItemUp = "item_up", Meetings, true, "meeting: move the selected item up", ["K"];
    ItemDown = "item_down", Meetings, true, "meeting: move the selected item down", ["J"];
    TickAction = "tick_action", Meetings, true, "meetings: tick the selected action done (again: not done)", ["x"];
    ActionToRfc = "action_to_rfc", Meetings, false, "meetings: raise an RFC from the selected action (its customer and text)", ["R"];
    ActionToImprovement = "action_to_improvement", Meetings, false, "meetings: register an improvement from the selected action", ["I"];
}

impl Action {
    /// Whether the action is the first of two keys: it opens a chooser
    /// that takes the second (`t c`, `p 4`, `m 1`). When such an action is
    /// refused, the app swallows the next key, which was meant for the
    /// chooser and would otherwise do something else (`c` a comment, `4`
    /// another board).
    pub fn takes_second_key(self) -> bool {
        matches!(
            self,
            Action::RfcTriage | Action::RfcPriority | Action::RfcMove | Action::RfcAssignTo
        )
    }
}

/// One key with its modifiers, as written in the config (`ctrl-d`, `G`, `enter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeySpec {
    /// Parses `ctrl-d`, `alt-x`, `shift-tab`, `G`, `enter`, `f1`, `space`...
    pub fn parse(text: &str) -> Option<KeySpec> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers -= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(KeySpec { code, modifiers })
    }

    /// Whether a key event is this key. Shift is ignored for characters,
    /// since the character itself already says whether shift was held.
    pub fn matches(&self, key: &KeyEvent) -> bool {
        let mut mods = key.modifiers;
        if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods -= KeyModifiers::SHIFT;
        }
        let code = match key.code {
            KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            code => code,
        };
        code == self.code && mods == self.modifiers
    }

    /// The key as written in the config and shown in help.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("shift-");
        }
        match self.code {
            KeyCode::Enter => out.push_str("enter"),
            KeyCode::Esc => out.push_str("esc"),
            KeyCode::Tab => out.push_str("tab"),
            KeyCode::BackTab => out.push_str("shift-tab"),
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Backspace => out.push_str("backspace"),
            KeyCode::Delete => out.push_str("delete"),
            KeyCode::Insert => out.push_str("insert"),
            KeyCode::Up => out.push_str("up"),
            KeyCode::Down => out.push_str("down"),
            KeyCode::Left => out.push_str("left"),
            KeyCode::Right => out.push_str("right"),
            KeyCode::Home => out.push_str("home"),
            KeyCode::End => out.push_str("end"),
            KeyCode::PageUp => out.push_str("pageup"),
            KeyCode::PageDown => out.push_str("pagedown"),
            KeyCode::F(n) => out.push_str(&format!("f{n}")),
            _ => out.push('?'),
        }
        out
    }
}

/// A config key or action name that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyMapError {
    #[error("[keys]: unknown action {0:?}")]
    UnknownAction(String),
    #[error("[keys] {action}: cannot read key {key:?}")]
    BadKey { action: String, key: String },
}

/// The live bindings: every action and the keys that trigger it.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: BTreeMap<Action, Vec<KeySpec>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let bindings = Action::ALL
            .iter()
            .map(|action| {
                let keys = action
                    .default_keys()
                    .iter()
                    .filter_map(|key| KeySpec::parse(key))
                    .collect();
                (*action, keys)
            })
            .collect();
        KeyMap { bindings }
    }
}

impl KeyMap {
    /// The defaults with the config's `[keys]` table applied: each named
    /// action gets exactly the keys listed (an empty list unbinds it).
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<KeyMap, KeyMapError> {
        let mut map = KeyMap::default();
        for (name, keys) in overrides {
            let action =
                Action::parse(name).ok_or_else(|| KeyMapError::UnknownAction(name.clone()))?;
            let mut specs = Vec::new();
            for key in keys {
                let spec = KeySpec::parse(key).ok_or_else(|| KeyMapError::BadKey {
                    action: name.clone(),
                    key: key.clone(),
                })?;
                specs.push(spec);
            }
            map.bindings.insert(action, specs);
        }
        Ok(map)
    }

    /// The action `key` means in `context`, if any: its own keys first,
    /// then those of the rest of its [`Context::chain`].
    pub fn action(&self, context: Context, key: &KeyEvent) -> Option<Action> {
        context.chain().iter().find_map(|ctx| {
            self.bindings
                .iter()
                .filter(|(action, _)| action.context() == *ctx)
                .find(|(_, keys)| keys.iter().any(|spec| spec.matches(key)))
                .map(|(action, _)| *action)
        })
    }

    /// Whether `key` is bound to `action` (for dialogs, which accept only
    /// their own few answers).
    pub fn is(&self, action: Action, key: &KeyEvent) -> bool {
        self.keys(action).iter().any(|spec| spec.matches(key))
    }

    /// The keys bound to `action`.
    pub fn keys(&self, action: Action) -> &[KeySpec] {
        self.bindings.get(&action).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The keys bound to `action` as one label (`j/down`), for hints.
    pub fn label(&self, action: Action) -> String {
        let keys = self.keys(action);
        if keys.is_empty() {
            return "(unbound)".to_string();
        }
        keys.iter()
            .map(KeySpec::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod doc_tests;
