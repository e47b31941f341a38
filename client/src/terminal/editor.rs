//! A multi-line field's text through the user's own editor (`ctrl-e`):
//! which editor (`$EDITOR`, else `$VISUAL`, else `vi`), running it on a
//! temporary file, and taking the text back. The terminal around it is
//! suspended and restored by [`super::suspend`] and [`super::resume`];
//! this module only runs the editor, so tests run it without a terminal.

use std::path::Path;

/// The editor used when neither `EDITOR` nor `VISUAL` names one.
pub const FALLBACK_EDITOR: &str = "vi";

/// Why the editor gave no text back. The field keeps its text either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditFailure {
    /// The temporary file could not be written or read back.
    #[error("the text could not be handed to the editor: {0}")]
    File(String),
    /// The editor could not be started (not installed, not executable).
    #[error("{editor} could not be started: {reason}")]
    NotStarted { editor: String, reason: String },
    /// The editor ended with a failure (`:cq` in vi), or was killed.
    #[error("{editor} {how}")]
    Failed { editor: String, how: String },
    /// The file holds bytes that are not UTF-8 text.
    #[error("the edited text is not UTF-8")]
    NotText,
}

/// What an edit in the editor came to: the edited text, or why there is
/// none.
pub type EditOutcome = Result<String, EditFailure>;

/// The editor to run: `EDITOR`, else `VISUAL`, else [`FALLBACK_EDITOR`]
/// (blank values count as unset). It may carry arguments
/// (`code --wait`), since it is run by the shell.
pub fn editor_command(var: impl Fn(&str) -> Option<String>) -> String {
    ["EDITOR", "VISUAL"]
        .into_iter()
        .filter_map(var)
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| FALLBACK_EDITOR.to_string())
}

/// Runs `editor` on a temporary file holding `text` and gives back what
/// the file holds when it exits successfully. The editor inherits the
/// terminal; the caller has suspended the application's use of it.
pub async fn run_editor(editor: &str, text: &str) -> EditOutcome {
    let file = tempfile::Builder::new()
        .prefix("rapport-")
        .suffix(".txt")
        .tempfile()
        .map_err(|error| EditFailure::File(error.to_string()))?;
    std::fs::write(file.path(), text).map_err(|error| EditFailure::File(error.to_string()))?;
    run_on(editor, file.path()).await?;
    let bytes = std::fs::read(file.path()).map_err(|error| EditFailure::File(error.to_string()))?;
    String::from_utf8(bytes).map_err(|_| EditFailure::NotText)
}

/// Runs the editor's command line with the file's path as its last
/// argument, through `sh` so `EDITOR="code --wait"` works as in git.
async fn run_on(editor: &str, path: &Path) -> Result<(), EditFailure> {
    // Named by its program's file name (`vi`, not `/usr/bin/vi`).
    let program = editor.split_whitespace().next().unwrap_or(editor);
    let name = Path::new(program)
        .file_name()
        .map_or(program.to_string(), |n| n.to_string_lossy().into_owned());
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .await
        .map_err(|error| EditFailure::NotStarted {
            editor: name.clone(),
            reason: error.to_string(),
        })?;
    match status.code() {
        Some(0) => Ok(()),
        // The shell's own "command not found" and "cannot execute".
        Some(127 | 126) => Err(EditFailure::NotStarted {
            editor: name,
            reason: "no such program".to_string(),
        }),
        Some(code) => Err(EditFailure::Failed {
            editor: name,
            how: format!("exited with status {code}"),
        }),
        None => Err(EditFailure::Failed {
            editor: name,
            how: "was stopped by a signal".to_string(),
        }),
    }
}

/// The text a field gets back from an edit of `before`: the edited text
/// without the line end editors add after the last line (unless the text
/// had one), or `before` itself when the editor failed. The second part
/// is what the status line says: `None` when the text came back changed.
pub fn take_back(before: &str, outcome: EditOutcome) -> (String, Option<String>) {
    match outcome {
        Err(failure) => (
            before.to_string(),
            Some(crate::strings::editor_failed(&failure.to_string())),
        ),
        Ok(edited) => {
            let edited = if before.ends_with('\n') {
                edited
            } else {
                let trimmed = edited.strip_suffix('\n').unwrap_or(&edited);
                trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string()
            };
            if edited == before {
                (edited, Some(crate::strings::EDITOR_UNCHANGED.to_string()))
            } else {
                (edited, None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_is_editor_then_visual_then_vi() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        assert_eq!(
            editor_command(env(&[("EDITOR", "nano"), ("VISUAL", "code")])),
            "nano"
        );
        assert_eq!(
            editor_command(env(&[("EDITOR", " "), ("VISUAL", "code -w")])),
            "code -w"
        );
        assert_eq!(editor_command(env(&[])), "vi");
    }

    #[test]
    fn the_edited_text_comes_back_without_the_line_end_editors_add() {
        let (text, said) = take_back("one\ntwo", Ok("one\ntwo\nthree\n".to_string()));
        assert_eq!(text, "one\ntwo\nthree");
        assert_eq!(said, None);
        // A text that ended with a line end keeps what the editor wrote.
        let (text, _) = take_back("kept\n", Ok("kept\nmore\n".to_string()));
        assert_eq!(text, "kept\nmore\n");
        // Saved as it was: the same text, and the status line says so.
        let (text, said) = take_back("same", Ok("same\n".to_string()));
        assert_eq!(text, "same");
        assert_eq!(said.as_deref(), Some(crate::strings::EDITOR_UNCHANGED));
        // Emptied on purpose: empty it is.
        assert_eq!(take_back("gone", Ok(String::new())).0, "");
    }

    #[test]
    fn a_failed_editor_leaves_the_text_as_it_was_and_says_so() {
        let failure = EditFailure::Failed {
            editor: "vi".to_string(),
            how: "exited with status 1".to_string(),
        };
        let (text, said) = take_back("my notes", Err(failure));
        assert_eq!(text, "my notes");
        let said = said.unwrap_or_default();
        assert!(said.contains("vi exited with status 1"), "{said}");
        assert!(said.contains("kept as it was"), "{said}");
    }

    #[tokio::test]
    async fn an_editor_script_edits_the_file_and_a_failing_one_gives_nothing_back() {
        let edited = run_editor("sed -i 's/draft/final/'", "a draft text").await;
        assert_eq!(edited, Ok("a final text".to_string()));
        match run_editor("false", "text").await {
            Err(EditFailure::Failed { editor, how }) => {
                assert_eq!(editor, "false");
                assert_eq!(how, "exited with status 1");
            }
            other => panic!("{other:?}"),
        }
        match run_editor("no-such-editor-anywhere", "text").await {
            Err(EditFailure::NotStarted { editor, .. }) => {
                assert_eq!(editor, "no-such-editor-anywhere");
            }
            other => panic!("{other:?}"),
        }
    }
}
