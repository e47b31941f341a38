//! Times as people read them: relative while recent ("just now",
//! "12 min ago", "3 h ago"), then the weekday and local time within a
//! week ("Tue 14:00"), then the local date ("2 Nov 14:00", "2 Nov 2025");
//! never the server's RFC 3339 text. `typed.rs` reads times as people
//! type them into a form and says how a form shows one.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

mod typed;
pub use typed::TYPED_FORMS;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The moment and time zone times are told against.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    pub now: Timestamp,
    pub zone: TimeZone,
}

impl Clock {
    /// The current time in the user's time zone (`TZ` or the system's).
    pub fn system() -> Clock {
        Clock {
            now: Timestamp::now(),
            zone: TimeZone::system(),
        }
    }

    /// A fixed moment told in UTC (for tests and snapshots).
    pub fn fixed(now: Timestamp) -> Clock {
        Clock {
            now,
            zone: TimeZone::UTC,
        }
    }

    /// Today's date where the user is.
    pub fn today(&self) -> jiff::civil::Date {
        self.now.to_zoned(self.zone.clone()).date()
    }

    /// `at` (RFC 3339, as the server writes it) told against this clock;
    /// text that is not a time is given back as it is.
    pub fn tell(&self, at: &str) -> String {
        match at.parse::<Timestamp>() {
            Ok(at) => self.tell_time(at),
            Err(_) => at.to_string(),
        }
    }

    /// `at` told against this clock.
    pub fn tell_time(&self, at: Timestamp) -> String {
        let ago = self.now.duration_since(at);
        let secs = ago.as_secs();
        if ago >= SignedDuration::ZERO {
            match secs {
                s if s < MINUTE => return "just now".into(),
                s if s < HOUR => return format!("{} min ago", s / MINUTE),
                s if s < DAY => return format!("{} h ago", s / HOUR),
                _ => {}
            }
        }
        let local = at.to_zoned(self.zone.clone());
        let within_week = secs.abs() < 7 * DAY;
        let this_year = local.year() == self.now.to_zoned(self.zone.clone()).year();
        let format = if within_week {
            "%a %H:%M"
        } else if this_year {
            "%-d %b %H:%M"
        } else {
            "%-d %b %Y"
        };
        local.strftime(format).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed("2026-12-02T15:00:00Z".parse().expect("a time"))
    }

    #[test]
    fn recent_times_are_relative() {
        let clock = clock();
        assert_eq!(clock.tell("2026-12-02T14:59:30Z"), "just now");
        assert_eq!(clock.tell("2026-12-02T14:47:54.090277189Z"), "12 min ago");
        assert_eq!(clock.tell("2026-12-02T12:00:00Z"), "3 h ago");
    }

    #[test]
    fn older_times_are_local_weekdays_then_dates() {
        let clock = clock();
        assert_eq!(clock.tell("2026-11-28T09:05:00Z"), "Sat 09:05");
        assert_eq!(clock.tell("2026-11-02T14:00:00Z"), "2 Nov 14:00");
        assert_eq!(clock.tell("2025-11-02T14:00:00Z"), "2 Nov 2025");
        assert_eq!(clock.tell("2026-12-04T10:00:00Z"), "Fri 10:00");
    }

    #[test]
    fn times_are_told_in_the_users_zone() {
        let clock = Clock {
            zone: TimeZone::fixed(jiff::tz::offset(2)),
            ..clock()
        };
        assert_eq!(clock.tell("2026-11-28T09:05:00Z"), "Sat 11:05");
    }

    #[test]
    fn text_that_is_not_a_time_is_kept() {
        assert_eq!(clock().tell("soon"), "soon");
        assert_eq!(clock().tell(""), "");
    }
}
