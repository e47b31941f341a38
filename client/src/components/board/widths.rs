//! Column widths sized to what the rows hold: a code or a short word gets
//! its width (never more than its column declares), the widest text column
//! (a title, a name) gets what is left, and the other text columns (a
//! service, a team) their text when it fits, else a fair share of the room
//! (at least a third of it, so an 80-column queue still reads a service).

use ratatui::layout::Constraint;

/// Each column's widest text in characters: its header or any of the
/// rows' cells (`rows` holds each row's cell texts in column order).
pub fn content<'a>(
    titles: &[String],
    rows: impl Iterator<Item = &'a [String]> + Clone,
) -> Vec<usize> {
    titles
        .iter()
        .enumerate()
        .map(|(at, title)| {
            rows.clone()
                .filter_map(|texts| texts.get(at))
                .map(|text| text.chars().count())
                .chain(std::iter::once(title.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The widths of columns declared as `declared` whose header and cells, in
/// characters, are at most `content`, in `room` columns of which each
/// column after the first takes `spacing` more.
pub fn fitted(
    declared: &[Constraint],
    content: &[usize],
    room: u16,
    spacing: u16,
) -> Vec<Constraint> {
    let room = usize::from(room);
    let spacing = usize::from(spacing) * declared.len().saturating_sub(1);
    let fills: Vec<(usize, u16)> = declared
        .iter()
        .enumerate()
        .filter_map(|(at, c)| match c {
            Constraint::Fill(weight) => Some((at, *weight)),
            _ => None,
        })
        .collect();
    // The text column with the largest weight takes what is left.
    let primary = fills
        .iter()
        .max_by_key(|(at, weight)| (*weight, usize::MAX - at))
        .map(|f| f.0);
    let mut widths: Vec<usize> = declared
        .iter()
        .zip(content)
        .map(|(c, wanted)| match c {
            Constraint::Length(n) => (*wanted).min(usize::from(*n)),
            _ => *wanted,
        })
        .collect();
    let fixed: usize = widths
        .iter()
        .enumerate()
        .filter(|(at, _)| !fills.iter().any(|(f, _)| f == at))
        .map(|(_, w)| *w)
        .sum();
    let left = room.saturating_sub(fixed + spacing);
    let secondary: Vec<(usize, u16)> = fills
        .iter()
        .copied()
        .filter(|(at, _)| Some(*at) != primary)
        .collect();
    let total_weight: usize = fills
        .iter()
        .map(|(_, w)| usize::from(*w))
        .sum::<usize>()
        .max(1);
    let mut used = 0;
    // Each other text column gets its text up to its weighted share of
    // the room, and a lone one up to a third (a service beside a title).
    let floor = left / (3 * secondary.len().max(1));
    for (at, weight) in &secondary {
        let share = (left * usize::from(*weight) / total_weight).max(floor);
        widths[*at] = widths[*at].min(share);
        used += widths[*at];
    }
    if let Some(at) = primary {
        widths[at] = left.saturating_sub(used);
    }
    widths
        .into_iter()
        .map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .collect()
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Constraint::{Fill, Length};

    use super::fitted;

    #[test]
    fn codes_get_their_width_and_the_title_the_rest() {
        // Id, priority, service, title, status.
        let declared = [Length(6), Length(4), Fill(1), Fill(3), Length(11)];
        // The service's name is 15 characters, the statuses at most 7.
        let content = [6, 4, 15, 60, 7];
        assert_eq!(
            fitted(&declared, &content, 120, 1),
            [Length(6), Length(4), Length(15), Length(84), Length(7)]
        );
        // Narrow: the service keeps a third of the room, the title the rest.
        assert_eq!(
            fitted(&declared, &content, 60, 1),
            [Length(6), Length(4), Length(13), Length(26), Length(7)]
        );
    }

    #[test]
    fn several_text_columns_keep_to_their_share_and_the_name_gets_the_rest() {
        // Code, name, team, purchaser.
        let declared = [Length(10), Fill(3), Fill(2), Fill(2)];
        let content = [4, 19, 11, 30];
        // 80 - 4 - 3 spacing = 73 for the text: the others' shares 20 each.
        assert_eq!(
            fitted(&declared, &content, 80, 1),
            [Length(4), Length(42), Length(11), Length(20)]
        );
    }
}
