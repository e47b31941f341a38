//! A yes/no question over everything else. What "yes" does is the
//! question's payload `A`, which the owner of the question carries out;
//! "no" just closes the question.

/// A question waiting for an answer; `on_yes` says what yes does.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm<A> {
    pub question: String,
    pub on_yes: A,
    /// Whether yes cannot be taken back (a delete, dropped text, a final
    /// move): such questions take only the yes keys, never Enter, so a
    /// stray Enter typed after the action cannot answer them.
    pub destructive: bool,
}
