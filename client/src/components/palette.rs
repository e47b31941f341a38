//! The `:` command palette: every command of the key map plus `new <record
//! type>` and `<board> <text>` searches, matched fuzzily as the user types
//! (`:cust fin` finds customers matching "fin", `:nw cont` is `new contact`).

use rapport_shared::Collection;

use crate::keymap::{Action, Context};

/// What a palette entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteCommand {
    /// The same as pressing the action's key.
    Run(Action),
    /// Open the form for a new record.
    New(Collection),
    /// Go to the board of the collection and filter it by the argument.
    Find(Collection),
    /// Switch the RFC queue to the saved view named by the argument.
    View,
}

/// One entry of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the user types (`new contact`, `customer`).
    pub name: String,
    pub help: String,
    pub command: PaletteCommand,
    /// Whether the rest of the input is an argument (`customer fin`).
    pub takes_argument: bool,
    pub writes: bool,
}

/// The boards a `<board> <text>` search can go to.
const FIND: &[(&str, Collection)] = &[
    ("customer", Collection::Customers),
    ("staff", Collection::Staff),
    ("service", Collection::Services),
    ("contact", Collection::Contacts),
    ("rfc", Collection::Rfcs),
];

/// The record types `new <type>` can create.
const NEW: &[(&str, Collection)] = &[
    ("new customer", Collection::Customers),
    ("new contact", Collection::Contacts),
    ("new team", Collection::Teams),
    ("new staff", Collection::Staff),
    ("new service", Collection::Services),
    ("new rfc", Collection::Rfcs),
];

/// Every palette entry.
pub fn entries() -> Vec<Entry> {
    let mut entries: Vec<Entry> = FIND
        .iter()
        .map(|(name, collection)| Entry {
            name: name.to_string(),
            help: format!("find {}s: {name} <text>", collection.noun()),
            command: PaletteCommand::Find(*collection),
            takes_argument: true,
            writes: false,
        })
        .collect();
    entries.extend(NEW.iter().map(|(name, collection)| Entry {
        name: name.to_string(),
        help: format!("create a {}", collection.noun()),
        command: PaletteCommand::New(*collection),
        takes_argument: false,
        writes: true,
    }));
    entries.push(Entry {
        name: "view".to_string(),
        help: "RFC queue saved view: view <name>".to_string(),
        command: PaletteCommand::View,
        takes_argument: true,
        writes: false,
    });
    entries.extend(
        Action::ALL
            .iter()
            .filter(|a| {
                matches!(
                    a.context(),
                    Context::Global | Context::Board | Context::Teams | Context::Rfcs
                )
            })
            .filter(|a| **a != Action::Palette)
            .map(|action| Entry {
                name: action.name().replace('_', " "),
                help: action.help().to_string(),
                command: PaletteCommand::Run(*action),
                takes_argument: false,
                writes: action.writes(),
            }),
    );
    entries
}

/// How well `pattern` matches `candidate` as a subsequence, ignoring case;
/// `None` when it does not. Consecutive letters and word starts score more.
pub fn fuzzy_score(pattern: &str, candidate: &str) -> Option<i64> {
    let candidate: Vec<char> = candidate.to_lowercase().chars().collect();
    let mut score = 0;
    let mut at = 0;
    let mut previous: Option<usize> = None;
    for wanted in pattern
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
    {
        let found = candidate[at..].iter().position(|c| *c == wanted)? + at;
        score += 1;
        if previous.is_some_and(|p| p + 1 == found) {
            score += 3;
        }
        if found == 0 || candidate.get(found.wrapping_sub(1)) == Some(&' ') {
            score += 2;
        }
        previous = Some(found);
        at = found + 1;
    }
    Some(score * 100 - candidate.len() as i64)
}

/// A match: the entry, its argument and its score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub entry: usize,
    pub argument: String,
    pub score: i64,
}

/// The palette's state.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub input: String,
    pub entries: Vec<Entry>,
    pub matches: Vec<Match>,
    pub cursor: usize,
}

impl Palette {
    /// A palette over the entries the user may run.
    pub fn new(read_only: bool) -> Palette {
        let entries = entries()
            .into_iter()
            .filter(|e| !(read_only && e.writes))
            .collect();
        let mut palette = Palette {
            entries,
            ..Palette::default()
        };
        palette.rematch();
        palette
    }

    /// Recomputes the matches for the input.
    pub fn rematch(&mut self) {
        let input = self.input.trim_start();
        let (head, rest) = match input.split_once(' ') {
            Some((head, rest)) => (head, rest.trim()),
            None => (input, ""),
        };
        let mut matches: Vec<Match> = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let found = if entry.takes_argument {
                fuzzy_score(head, &entry.name).map(|score| (score, rest.to_string()))
            } else {
                fuzzy_score(input, &entry.name).map(|score| (score, String::new()))
            };
            if let Some((score, argument)) = found {
                matches.push(Match {
                    entry: index,
                    argument,
                    score,
                });
            }
        }
        matches.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        self.matches = matches;
        self.cursor = 0;
    }

    /// The chosen entry and argument.
    pub fn chosen(&self) -> Option<(PaletteCommand, String)> {
        let found = self.matches.get(self.cursor)?;
        let entry = self.entries.get(found.entry)?;
        Some((entry.command, found.argument.clone()))
    }

    /// A typed character or editing key; returns false for keys it ignores.
    pub fn key(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        use crossterm::event::KeyCode;
        match key.code {
            KeyCode::Char(c) => {
                self.input.push(c);
                self.rematch();
            }
            KeyCode::Backspace => {
                self.input.pop();
                self.rematch();
            }
            KeyCode::Down | KeyCode::Tab => {
                self.cursor = (self.cursor + 1).min(self.matches.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::BackTab => self.cursor = self.cursor.saturating_sub(1),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Option<(PaletteCommand, String)> {
        let mut palette = Palette::new(false);
        palette.input = input.to_string();
        palette.rematch();
        palette.chosen()
    }

    #[test]
    fn finds_commands_fuzzily() {
        assert_eq!(
            run("customer fin"),
            Some((
                PaletteCommand::Find(Collection::Customers),
                "fin".to_string()
            ))
        );
        assert_eq!(
            run("cust fin"),
            Some((
                PaletteCommand::Find(Collection::Customers),
                "fin".to_string()
            ))
        );
        assert_eq!(
            run("new contact"),
            Some((PaletteCommand::New(Collection::Contacts), String::new()))
        );
        assert_eq!(
            run("nw cont"),
            Some((PaletteCommand::New(Collection::Contacts), String::new()))
        );
        assert_eq!(
            run("quit"),
            Some((PaletteCommand::Run(Action::Quit), String::new()))
        );
        assert_eq!(run("zzzz"), None);
    }

    #[test]
    fn read_only_hides_writes() {
        let palette = Palette::new(true);
        assert!(palette.entries.iter().all(|e| !e.writes));
        assert!(palette.entries.iter().any(|e| e.name == "customer"));
    }
}
