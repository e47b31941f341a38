//! A yes/no question over everything else. What "yes" does is a
//! [`ConfirmAction`] the app carries out; "no" just closes the question.

use rapport_shared::Collection;

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
}

/// A question waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub on_yes: ConfirmAction,
}
