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
}

impl Choice {
    /// The step this choice starts.
    pub fn step(self) -> Step {
        match self {
            Choice::Route(route) => Step::Triage(route),
            Choice::Priority(priority) => Step::Priority(priority),
            Choice::Status(status) => Step::Move(status),
        }
    }

    pub fn label(self) -> String {
        match self {
            Choice::Route(route) => route.as_str().replace('_', " "),
            Choice::Priority(priority) => priority.as_str().to_string(),
            Choice::Status(status) => status.as_str().replace('_', " "),
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
}

/// The overlays of the RFC queue.
#[derive(Debug, Clone)]
pub enum RfcOverlay {
    Chooser(Chooser),
    /// Writing a comment on one RFC.
    Comment {
        id: String,
        label: String,
        editor: Box<TextArea<'static>>,
    },
    /// What a bulk step did, refusals first.
    Summary {
        lines: Vec<String>,
        scroll: usize,
    },
}
