//! Times as people type them into a form (`Tue 14:00`, `2026-12-08 09:00`,
//! `today 17:00`, `5 Dec 22:00`), read in the user's time zone, and the
//! text such a field shows for a stored instant. The server is sent the
//! instant in RFC 3339; nobody types or reads that form.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{Timestamp, ToSpan};

use super::Clock;

/// How a form shows an instant: the weekday, the local date and the time
/// (`Tue 2026-12-08 09:00`), which [`Clock::read`] reads back.
const SHOWN: &str = "%a %Y-%m-%d %H:%M";

/// What a time field accepts, for its label and its error.
pub const TYPED_FORMS: &str = "Tue 14:00, 2026-12-08 09:00 or today 17:00";

impl Clock {
    /// `at` as a form field shows it, in this clock's zone: `Tue 2026-12-08
    /// 09:00` (seconds only when it has some).
    pub fn field_text(&self, at: Timestamp) -> String {
        let local = at.to_zoned(self.zone.clone());
        if local.second() == 0 {
            local.strftime(SHOWN).to_string()
        } else {
            local.strftime("%a %Y-%m-%d %H:%M:%S").to_string()
        }
    }

    /// Reads a time as people type it, in this clock's zone: a day
    /// (`today`, `tomorrow`, a weekday — the next one, today included —,
    /// `2026-12-08` or `8 Dec [2026]`, optionally after its weekday) and a
    /// time of day (`14:00`, `9:30`); either may be left out (no day is
    /// today, no time is midnight). RFC 3339 is read too, for pasted times.
    /// The error says what could not be read and what would be.
    pub fn read(&self, typed: &str) -> Result<Timestamp, String> {
        let typed = typed.trim();
        if let Ok(at) = typed.parse::<Timestamp>() {
            return Ok(at);
        }
        let unreadable =
            || format!("cannot read \u{201c}{typed}\u{201d} as a time: write {TYPED_FORMS}");
        let words: Vec<String> = typed
            .split([' ', ','])
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return Err(unreadable());
        }
        let today = self.now.to_zoned(self.zone.clone()).date();
        let (time, day_words) = match words.last().and_then(|w| time_of_day(w)) {
            Some(time) => (time, &words[..words.len() - 1]),
            None => (Time::midnight(), &words[..]),
        };
        let date = day(day_words, today).ok_or_else(unreadable)?;
        DateTime::from_parts(date, time)
            .to_zoned(self.zone.clone())
            .map(|zoned| zoned.timestamp())
            .map_err(|_| unreadable())
    }
}

/// `14:00`, `9:30`, `14:00:30`, `14h`.
fn time_of_day(word: &str) -> Option<Time> {
    let word = word.strip_suffix('h').unwrap_or(word);
    let mut parts = word.split(':');
    let hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    let second: i8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    if parts.next().is_some() || (!word.contains(':') && word.len() > 2) {
        return None;
    }
    Time::new(hour, minute, second, 0).ok()
}

/// The day the words name, `today` when there are none.
fn day(words: &[String], today: Date) -> Option<Date> {
    let (weekday, rest) = match words.first().and_then(|w| weekday(w)) {
        Some(weekday) => (Some(weekday), &words[1..]),
        None => (None, words),
    };
    let date = match rest {
        [] => match weekday {
            // The next such weekday, today included.
            Some(weekday) => {
                let ahead = (weekday.to_monday_zero_offset()
                    - today.weekday().to_monday_zero_offset())
                .rem_euclid(7);
                today.checked_add(i64::from(ahead).days()).ok()?
            }
            None => today,
        },
        [word] if word == "today" => today,
        [word] if word == "tomorrow" => today.tomorrow().ok()?,
        [word] => word.parse::<Date>().ok()?,
        [day_of_month, month_word] => {
            let month = month(month_word)?;
            let this_year = Date::new(today.year(), month, day_of_month.parse().ok()?).ok()?;
            // A day without a year is the next such day, as a weekday is.
            if this_year < today {
                this_year.checked_add(1.year()).ok()?
            } else {
                this_year
            }
        }
        [day_of_month, month_word, year] => Date::new(
            year.parse().ok()?,
            month(month_word)?,
            day_of_month.parse().ok()?,
        )
        .ok()?,
        _ => return None,
    };
    // A weekday written with a date must be that date's.
    match weekday {
        Some(weekday) if date.weekday() != weekday => None,
        _ => Some(date),
    }
}

/// `mon`, `monday`, `tue`, `tues`...
fn weekday(word: &str) -> Option<Weekday> {
    let days = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    let word = word.trim_end_matches('.');
    days.into_iter()
        .find(|(name, _)| word.len() >= 3 && name.starts_with(word))
        .map(|(_, day)| day)
}

/// `jan`, `january`, `dec`...: the month's number.
fn month(word: &str) -> Option<i8> {
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.');
    months
        .iter()
        .position(|name| word.len() >= 3 && name.starts_with(word))
        .and_then(|at| i8::try_from(at + 1).ok())
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;

    /// Wednesday 2 December 2026, 15:00 in Paris (UTC+1).
    fn paris() -> Clock {
        Clock {
            now: "2026-12-02T14:00:00Z".parse().expect("a time"),
            zone: TimeZone::fixed(jiff::tz::offset(1)),
        }
    }

    fn read(typed: &str) -> String {
        match paris().read(typed) {
            Ok(at) => at.to_string(),
            Err(error) => error,
        }
    }

    #[test]
    fn times_are_read_as_people_type_them_in_local_time() {
        for (typed, instant) in [
            ("today 17:00", "2026-12-02T16:00:00Z"),
            ("17:00", "2026-12-02T16:00:00Z"),
            ("tomorrow 9:30", "2026-12-03T08:30:00Z"),
            ("Tue 14:00", "2026-12-08T13:00:00Z"),
            ("wed 08:00", "2026-12-02T07:00:00Z"),
            ("Friday", "2026-12-03T23:00:00Z"),
            ("2026-12-08 09:00", "2026-12-08T08:00:00Z"),
            ("Tue 2026-12-08 09:00", "2026-12-08T08:00:00Z"),
            ("Sat 5 Dec 22:00", "2026-12-05T21:00:00Z"),
            ("1 Jan 10:00", "2027-01-01T09:00:00Z"),
            ("3 march 2027 14h", "2027-03-03T13:00:00Z"),
            ("2026-12-05T22:00:00+01:00", "2026-12-05T21:00:00Z"),
        ] {
            assert_eq!(read(typed), instant, "{typed}");
        }
    }

    #[test]
    fn a_time_that_cannot_be_read_says_so_and_what_would_be() {
        for typed in [
            "soon",
            "25:00",
            "Mon 2026-12-08 09:00",
            "31 Feb",
            "tomorrow at 9",
        ] {
            let said = read(typed);
            assert!(
                said.starts_with(&format!(
                    "cannot read \u{201c}{typed}\u{201d} as a time: write Tue 14:00"
                )),
                "{typed}: {said}"
            );
        }
    }

    #[test]
    fn a_field_shows_the_local_time_that_reads_back_as_the_same_instant() {
        let clock = paris();
        let at: Timestamp = "2026-12-08T08:00:00Z".parse().expect("a time");
        assert_eq!(clock.field_text(at), "Tue 2026-12-08 09:00");
        assert_eq!(clock.read(&clock.field_text(at)), Ok(at));
        let odd: Timestamp = "2026-12-08T08:00:30Z".parse().expect("a time");
        assert_eq!(clock.read(&clock.field_text(odd)), Ok(odd));
    }
}
