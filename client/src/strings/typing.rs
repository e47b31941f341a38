//! The words for keys typed ahead of the server, refused key pairs and
//! the user's editor (`ctrl-e`).

/// A key typed while a change is on its way: it waits and follows it.
pub fn typed_ahead(keys: usize) -> String {
    let keys = key_count(keys);
    format!("A change is still running on the server; {keys} typed ahead will follow it.")
}

/// A key typed while a question is open: it waits for the answer.
pub fn typed_ahead_question(keys: usize, yes: &str, no: &str) -> String {
    format!(
        "Answer the question first ({yes} yes, {no} no); {} typed after it will follow a yes.",
        key_count(keys)
    )
}

/// Enter pressed on a question that Enter does not answer.
pub fn enter_does_not_answer(yes: &str, no: &str) -> String {
    format!("Enter does not answer this question: {yes} yes, {no} no.")
}

/// The question was answered no: the keys typed after it are not applied.
pub fn typed_ahead_dropped(keys: usize) -> String {
    if keys == 1 {
        return "Answered no, so the key typed after the question was not applied.".to_string();
    }
    format!("Answered no, so the {keys} keys typed after the question were not applied.")
}

fn key_count(keys: usize) -> String {
    if keys == 1 {
        "1 key".to_string()
    } else {
        format!("{keys} keys")
    }
}

/// Saved in the editor as it was: nothing changed.
pub const EDITOR_UNCHANGED: &str = "The editor left the text as it was.";
/// ctrl-e outside a multi-line field.
pub const EDITOR_MULTI_LINE_ONLY: &str =
    "The editor opens on a multi-line field (a description, notes): move to one first.";

/// The editor gave no text back: the field keeps its own.
pub fn editor_failed(why: &str) -> String {
    format!("The editor gave nothing back ({why}): the text was kept as it was.")
}

/// The edited text came back into the field.
pub fn editor_took_back(field: &str) -> String {
    format!("{field}: the edited text is in the field; save the form to keep it.")
}

/// More keys typed ahead than are kept: this one is not kept.
pub fn typed_ahead_full(limit: usize) -> String {
    format!("{limit} keys are already waiting for the server; this key was not kept.")
}

/// The first of two keys was refused (`t` on an RFC past new): the key
/// meant for its chooser is swallowed, and the message says so.
pub fn second_key_ignored(reason: Option<&str>) -> String {
    let reason = reason.unwrap_or("Nothing to act on.");
    format!("{reason} The next key is ignored.")
}
