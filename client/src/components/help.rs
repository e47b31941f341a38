//! The `?` help overlay. Its lines are generated from the live key map, so
//! a rebinding in the config shows up here and the help can never list a
//! key that does not work. Write actions are left out in read-only mode.

use crate::keymap::{Action, Context, KeyMap};

/// The contexts in the order the help lists them.
pub const CONTEXTS: &[Context] = &[
    Context::Global,
    Context::Board,
    Context::Teams,
    Context::Form,
    Context::Dialog,
    Context::Rfcs,
    Context::Triage,
    Context::Customer,
    Context::Surveys,
    Context::SurveyResults,
    Context::Meetings,
    Context::Outbox,
];

/// One line of the help: a heading, or keys and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Binding { keys: String, help: &'static str },
}

/// The help's lines for `keymap`.
pub fn lines(keymap: &KeyMap, read_only: bool) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for context in CONTEXTS {
        lines.push(HelpLine::Heading(context.title()));
        for action in Action::ALL.iter().filter(|a| a.context() == *context) {
            if read_only && action.writes() {
                continue;
            }
            lines.push(HelpLine::Binding {
                keys: keymap.label(*action),
                help: action.help(),
            });
        }
    }
    lines
}

/// The help overlay's state: how far it is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_binding_and_follows_overrides() {
        let mut overrides = std::collections::BTreeMap::new();
        overrides.insert("copy".to_string(), vec!["c".to_string()]);
        let map = KeyMap::with_overrides(&overrides).expect("valid");
        let all = lines(&map, false);
        let bindings = all
            .iter()
            .filter(|l| matches!(l, HelpLine::Binding { .. }))
            .count();
        assert_eq!(bindings, Action::ALL.len());
        assert!(all.contains(&HelpLine::Binding {
            keys: "c".to_string(),
            help: Action::Copy.help()
        }));
        let read_only = lines(&map, true);
        assert!(!read_only.iter().any(
            |l| matches!(l, HelpLine::Binding { help, .. } if *help == Action::Delete.help())
        ));
    }
}
