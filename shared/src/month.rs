//! Calendar months as the wire writes them, `YYYY-MM`: [`Month`] (parsing,
//! the month of a date, stepping and ranges) and [`month_rule`], the rule
//! of a month field.

use std::fmt;

use jiff::civil::Date;

/// One calendar month of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since the start of year 0: orders and steps simply.
    index: i32,
}

impl Month {
    /// Parses a strict `YYYY-MM` (years 1 to 9999).
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4
            || month.len() != 2
            || !(year.chars().chain(month.chars())).all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let (year, month): (i32, i32) = (year.parse().ok()?, month.parse().ok()?);
        ((1..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month {
            index: year * 12 + month - 1,
        })
    }

    /// The month `date` falls in.
    pub fn of(date: Date) -> Month {
        Month {
            index: i32::from(date.year()) * 12 + i32::from(date.month()) - 1,
        }
    }

    /// The year the month is in.
    pub fn year(self) -> i32 {
        self.index.div_euclid(12)
    }

    /// The month of its year, 1 (January) to 12.
    pub fn number(self) -> i32 {
        self.index.rem_euclid(12) + 1
    }

    /// The month `count` months before this one.
    pub fn minus(self, count: i32) -> Month {
        Month {
            index: self.index - count,
        }
    }

    /// Every month from this one through `last`, in order (none when
    /// `last` comes first).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index..=last.index).map(|index| Month { index })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.index / 12, self.index % 12 + 1)
    }
}

/// The rule of a month field: a month that is given must be `YYYY-MM`
/// (a blank one is left to the field's own reading).
pub fn month_rule(text: &str) -> Option<&'static str> {
    (!text.is_empty() && Month::parse(text).is_none()).then_some("must be a month YYYY-MM")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn months_parse_strictly_and_print_back() {
        for text in ["2026-01", "2026-12", "0001-01"] {
            assert_eq!(
                Month::parse(text).map(|m| m.to_string()).as_deref(),
                Some(text)
            );
        }
        for text in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-01",
            "2026/01",
            "2026-01-01",
            "+026-01",
            "",
        ] {
            assert_eq!(Month::parse(text), None, "{text}");
            assert!(month_rule(text).is_some() || text.is_empty(), "{text}");
        }
    }

    #[test]
    fn months_step_across_years() {
        let december = Month::of(date(2026, 12, 2));
        assert_eq!(december.to_string(), "2026-12");
        assert_eq!(december.minus(11).to_string(), "2026-01");
        assert_eq!(december.minus(12).to_string(), "2025-12");
        let range: Vec<String> = december
            .minus(1)
            .through(Month::parse("2027-02").expect("a month"))
            .map(|m| m.to_string())
            .collect();
        assert_eq!(range, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(december.through(december.minus(1)).count(), 0);
    }
}
