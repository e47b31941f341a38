//! The `:` command palette (as in k9s): every command of the key map plus
//! `new <record type>`, `<board> <text>` searches, the screens' own words
//! and a jump to any screen by name, matched fuzzily as the user types
//! (`:cust fin` finds customers matching "fin", `:nw cont` is `new
//! contact`, `:rfcs` shows the RFC queue), and `export csv|json [FILE]`
//! (`export!` to replace a file). The screens it offers are handed in, so
//! the palette names none.

use rapport_shared::Collection;

use crate::keymap::{Action, Context};
use crate::strings;

/// What a palette entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteCommand {
    /// The same as pressing the action's key.
    Run(Action),
    /// Open the form for a new record.
    New(Collection),
    /// Go to the screen of the collection and filter it by the argument.
    Find(Collection),
    /// Show the screen of this palette name (`meetings`, `week`): a name,
    /// since two screens may show one collection.
    Show(&'static str),
    /// The screen of the collection's own word, with the argument.
    Word(Collection, &'static str),
    /// Write the current list's whole view to a file (`export csv|json
    /// [FILE]`); `replace` is `export!`, which replaces an existing file.
    Export { replace: bool },
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
    /// Whether the screen it searches shows short ids.
    pub short_ids: bool,
}

/// What the palette offers of one screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteScreen {
    /// The word that shows it (`rfcs`).
    pub name: &'static str,
    pub title: &'static str,
    pub collection: Collection,
    /// The word for one of its records (`new customer`, `customer fin`).
    pub record: &'static str,
    /// Whether `<record> <text>` searches its records.
    pub find: bool,
    /// Whether a short id typed alone finds one of its records.
    pub short_ids: bool,
    /// Its own words taking an argument, with their help (`view <name>`).
    pub words: &'static [(&'static str, &'static str)],
}

/// Every palette entry for these screens: searches, creates, the
/// screens' own words, the key map's commands, then a jump to each screen.
pub fn entries(screens: &[PaletteScreen]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = screens
        .iter()
        .filter(|s| s.find)
        .map(|s| Entry {
            name: s.record.to_string(),
            help: format!(
                "find {}: {} <text>",
                strings::plural(s.collection.noun()),
                s.record
            ),
            command: PaletteCommand::Find(s.collection),
            takes_argument: true,
            writes: false,
            short_ids: s.short_ids,
        })
        .collect();
    // A screen without a record word (the week ahead) creates nothing.
    entries.extend(
        screens
            .iter()
            .filter(|s| !s.record.is_empty())
            .map(|s| Entry {
                name: format!("new {}", s.record),
                help: format!("create {}", strings::with_article(s.collection.noun())),
                command: PaletteCommand::New(s.collection),
                takes_argument: false,
                writes: true,
                short_ids: false,
            }),
    );
    for screen in screens {
        entries.extend(screen.words.iter().map(|(word, help)| Entry {
            name: word.to_string(),
            help: help.to_string(),
            command: PaletteCommand::Word(screen.collection, word),
            takes_argument: true,
            writes: false,
            short_ids: false,
        }));
    }
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
                short_ids: false,
            }),
    );
    for (name, help, replace) in [
        ("export", strings::PALETTE_EXPORT_HELP, false),
        ("export!", strings::PALETTE_EXPORT_REPLACE_HELP, true),
    ] {
        entries.push(Entry {
            name: name.to_string(),
            help: help.to_string(),
            command: PaletteCommand::Export { replace },
            takes_argument: true,
            writes: false,
            short_ids: false,
        });
    }
    entries.extend(screens.iter().map(|s| Entry {
        name: s.name.to_string(),
        help: crate::strings::palette_show(s.title),
        command: PaletteCommand::Show(s.name),
        takes_argument: false,
        writes: false,
        short_ids: false,
    }));
    entries
}

/// Whether `text` reads as a short id: six hexadecimal characters, one of
/// them a digit (so that words such as `beaded` stay words).
pub fn is_short_id(text: &str) -> bool {
    text.len() == SHORT_ID_LEN
        && text.chars().all(|c| c.is_ascii_hexdigit())
        && text.chars().any(|c| c.is_ascii_digit())
}

/// The length of the short ids screens show.
pub const SHORT_ID_LEN: usize = 6;

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
    /// A palette over the entries of `screens` the user may run.
    pub fn new(read_only: bool, screens: &[PaletteScreen]) -> Palette {
        let entries = entries(screens)
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
        // A short id alone finds its record first, on the screens showing them.
        if is_short_id(input.trim()) {
            let finds = self.entries.iter().enumerate().filter(|(_, e)| e.short_ids);
            let found: Vec<Match> = finds
                .map(|(entry, _)| Match {
                    entry,
                    argument: input.trim().to_string(),
                    score: i64::MAX,
                })
                .collect();
            matches.splice(0..0, found);
        }
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
        let mut palette = Palette::new(false, &crate::screens::palette_screens());
        palette.input = input.to_string();
        palette.rematch();
        palette.chosen()
    }

    #[test]
    fn a_short_id_alone_finds_an_rfc() {
        assert_eq!(
            run("ef83c5"),
            Some((PaletteCommand::Find(Collection::Rfcs), "ef83c5".to_string()))
        );
        assert!(is_short_id("00A1b2"));
        // Words and other lengths stay words.
        assert!(!is_short_id("beaded"));
        assert!(!is_short_id("ef83c"));
        assert!(!is_short_id("ef83c5a"));
        assert_ne!(
            run("accede").map(|(command, _)| command),
            Some(PaletteCommand::Find(Collection::Rfcs))
        );
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
    fn export_takes_its_format_and_file() {
        assert_eq!(
            run("export csv out.csv"),
            Some((
                PaletteCommand::Export { replace: false },
                "csv out.csv".to_string()
            ))
        );
        assert_eq!(
            run("export! json"),
            Some((PaletteCommand::Export { replace: true }, "json".to_string()))
        );
        assert_eq!(
            run("export"),
            Some((PaletteCommand::Export { replace: false }, String::new()))
        );
    }

    #[test]
    fn read_only_hides_writes() {
        let palette = Palette::new(true, &crate::screens::palette_screens());
        assert!(palette.entries.iter().all(|e| !e.writes));
        assert!(palette.entries.iter().any(|e| e.name == "customer"));
    }
}
