//! A yes/no question over everything else. What "yes" does is a
//! [`ConfirmAction`] the app carries out; "no" just closes the question.

use rapport_shared::Collection;
use rapport_shared::enums::RfcStatus;

use crate::api::Record;

/// What answering yes does.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    /// Delete the record at this version (sent with `If-Match`).
    Delete {
        collection: Collection,
        id: String,
        version: i64,
        label: String,
    },
    /// Quit although a form holds unsaved text.
    Quit,
    /// Close the form and drop its unsaved text.
    DiscardForm,
    /// Move these RFCs to a final status (withdrawn, rejected, declined,
    /// closed).
    RfcMove {
        status: RfcStatus,
        targets: Vec<Record>,
    },
}

impl ConfirmAction {
    /// Whether yes cannot be taken back (a delete, dropped text, a final
    /// move): such questions take only the yes keys, never Enter, so a
    /// stray Enter typed after the action cannot answer them.
    pub fn destructive(&self) -> bool {
        match self {
            ConfirmAction::Delete { .. }
            | ConfirmAction::Quit
            | ConfirmAction::DiscardForm
            | ConfirmAction::RfcMove { .. } => true,
        }
    }
}

/// A question waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub on_yes: ConfirmAction,
}
