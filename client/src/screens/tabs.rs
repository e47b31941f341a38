//! The tab bar's labels, as drawn and as clicked: every screen of the
//! registry with its number key, cut shorter when the bar is crowded.

use ratatui::text::Span;

use super::ScreenId;

/// The tab bar's labels as drawn, in order: ` 1 Customers `, with the
/// screen's icon when `icons` is on, and the number key ([`tab_number`]). When they do not all fit in `width`
/// cells, every tab but the `current` one is cut to its number and a short
/// title (` 2 Team `), and then to its number alone, so that a dozen screens
/// still fit 80 columns with the current one named in full. Drawing and
/// mouse clicks both measure these, so a click lands on the tab drawn under
/// it.
pub fn tab_labels(icons: bool, current: ScreenId, width: u16) -> Vec<(ScreenId, Span<'static>)> {
    let label = |position: usize, tab: ScreenId, title: &str| {
        let icon = if icons { tab.entry().icon } else { "" };
        let number = tab_number(position)
            .map(|n| format!("{n} "))
            .unwrap_or_default();
        let title = if title.is_empty() {
            String::new()
        } else {
            format!("{icon}{title} ")
        };
        (tab, Span::raw(format!(" {number}{title}")))
    };
    let fits = |labels: &[(ScreenId, Span<'static>)]| {
        let cells: usize = labels
            .iter()
            .map(|(_, span)| span.width() + usize::from(TAB_GAP))
            .sum();
        cells <= usize::from(width)
    };
    let mut labels = Vec::new();
    let shorter = SHORT_TITLE_CHARS.iter().map(|&chars| Some(chars));
    for short in std::iter::once(None).chain(shorter) {
        labels = ScreenId::ALL
            .iter()
            .enumerate()
            .map(|(number, &tab)| {
                // A tab without a number keeps a letter to be told by.
                let least = usize::from(tab_number(number).is_none());
                let title: String = match short {
                    Some(chars) if tab != current => {
                        tab.title().chars().take(chars.max(least)).collect()
                    }
                    _ => tab.title().to_string(),
                };
                label(number, tab, &title)
            })
            .collect();
        if fits(&labels) {
            break;
        }
    }
    labels
}

/// The number key a tab at `position` is reached by, as its label shows
/// it: `1` to `9`, then `0` for the tenth; the tabs after it have none
/// (they are reached by name from the palette). The registry lists the
/// screens with a `Go` action first, in the order of their keys.
pub fn tab_number(position: usize) -> Option<char> {
    match position {
        0..=8 => char::from_digit(position as u32 + 1, 10),
        9 => Some('0'),
        _ => None,
    }
}

/// How many characters of a title a tab keeps when the bar is crowded, the
/// first that fits: four keep most titles readable (`Team`, `RFCs`), three
/// fit nine screens in 80 columns, two ten, one eleven, none any number.
const SHORT_TITLE_CHARS: [usize; 5] = [4, 3, 2, 1, 0];

/// The blank between two tab labels.
pub const TAB_GAP: u16 = 1;
