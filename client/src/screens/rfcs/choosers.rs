//! The queue's overlays: a chooser (route, priority or legal next status)
//! for the RFCs it was opened on, the comment editor and the bulk summary.

use rapport_shared::enums::{Priority, RfcRoute, RfcStatus};
use ratatui_textarea::TextArea;

use super::bulk::Step;
use crate::api::Record;

/// One choice of a chooser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Route(RfcRoute),
    Priority(Priority),
    Status(RfcStatus),
    /// The staff member at this index of [`super::RfcQueue::staff`].
    Assignee(usize),
}

impl Choice {
    /// The step this choice starts; `staff` names the assignees.
    pub fn step(self, staff: &[(String, String)]) -> Option<Step> {
        Some(match self {
            Choice::Route(route) => Step::Triage(route),
            Choice::Priority(priority) => Step::Priority(priority),
            Choice::Status(status) => Step::Move(status, None),
            Choice::Assignee(index) => {
                let (id, name) = staff.get(index)?;
                Step::Assign {
                    id: id.clone(),
                    name: Some(name.clone()),
                }
            }
        })
    }

    /// How the chooser shows it; `staff` names the assignees.
    pub fn label(self, staff: &[(String, String)]) -> String {
        match self {
            Choice::Route(route) => route.as_str().replace('_', " "),
            Choice::Priority(priority) => priority.as_str().to_string(),
            Choice::Status(status) => status.as_str().replace('_', " "),
            Choice::Assignee(index) => staff
                .get(index)
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        }
    }
}

/// A short list to pick from, for the RFCs it was opened on.
#[derive(Debug, Clone, PartialEq)]
pub struct Chooser {
    pub title: &'static str,
    pub choices: Vec<Choice>,
    pub cursor: usize,
    /// The RFCs the choice applies to.
    pub targets: Vec<Record>,
    /// What was typed to narrow the choices (the assignee chooser, whose
    /// letters narrow rather than move).
    pub narrow: Option<String>,
}

/// How many assignees the chooser offers at once: one per digit key.
pub const ASSIGNEES_SHOWN: usize = 9;

/// The assignee choices for `typed`: the first [`ASSIGNEES_SHOWN`] staff
/// whose name contains it (any case), in the order of `staff`.
pub fn assignee_choices(staff: &[(String, String)], typed: &str) -> Vec<Choice> {
    let typed = typed.to_lowercase();
    staff
        .iter()
        .enumerate()
        .filter(|(_, (_, name))| name.to_lowercase().contains(&typed))
        .map(|(index, _)| Choice::Assignee(index))
        .take(ASSIGNEES_SHOWN)
        .collect()
}

/// The overlays of the RFC queue.
#[derive(Debug, Clone)]
pub enum RfcOverlay {
    Chooser(Chooser),
    /// Writing a comment on one RFC.
    Comment(CommentEditor),
    /// The selected RFC's whole detail (fields, description, history,
    /// comments) over the body, scrolled by `scroll` rows.
    Detail {
        scroll: usize,
    },
    /// The optional note of a move, typed after its status was chosen.
    Note(MoveNote),
    /// What a bulk step did, refusals first.
    Summary {
        lines: Vec<String>,
        scroll: usize,
    },
}

/// The note a move adds to the history: one line, optional (Enter on an
/// empty line moves without one), for the RFCs the move was chosen for.
#[derive(Debug, Clone)]
pub struct MoveNote {
    pub status: RfcStatus,
    pub targets: Vec<Record>,
    pub editor: Box<TextArea<'static>>,
}

impl MoveNote {
    /// An empty note for moving `targets` to `status`.
    pub fn new(status: RfcStatus, targets: Vec<Record>) -> MoveNote {
        let mut editor = TextArea::default();
        editor.set_placeholder_text(crate::strings::RFC_NOTE_PLACEHOLDER);
        MoveNote {
            status,
            targets,
            editor: Box::new(editor),
        }
    }

    /// The note typed, or `None` when only blanks were.
    pub fn note(&self) -> Option<String> {
        let text = self.editor.lines().join(" ");
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

/// Where the comment editor is: typing, asking before dropping the text,
/// or waiting for the server to take the comment (the text stays on
/// screen until it has, so a refused post loses nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentState {
    Editing,
    AskingDrop,
    Posting,
}

/// The comment editor: one RFC and the text typed for it.
#[derive(Debug, Clone)]
pub struct CommentEditor {
    pub id: String,
    pub label: String,
    pub editor: Box<TextArea<'static>>,
    pub state: CommentState,
}

impl CommentEditor {
    /// An editor for RFC `id` (shown as `label`) holding `text`.
    pub fn new(id: String, label: String, text: &str) -> CommentEditor {
        let mut editor = TextArea::default();
        // Long lines wrap at words instead of scrolling sideways.
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        editor.set_placeholder_text(crate::strings::RFC_COMMENT_TITLE);
        editor.insert_str(text);
        CommentEditor {
            id,
            label,
            editor: Box::new(editor),
            state: CommentState::Editing,
        }
    }

    /// Puts `text` in place of what was typed (the user's editor gave it
    /// back), the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        let fresh = CommentEditor::new(self.id.clone(), self.label.clone(), text);
        self.editor = fresh.editor;
    }

    /// The text typed so far.
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// Whether closing the editor would lose typed text.
    pub fn has_text(&self) -> bool {
        !self.text().trim().is_empty()
    }
}
