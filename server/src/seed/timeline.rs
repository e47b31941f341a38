//! The demo's past: when each demo record was written, so that ages,
//! histories and times-to-close read as a year of real work. Every time is
//! computed from the seeding time and the record's index, never drawn at
//! random: the same demo every time, shifted to the moment it is seeded.
//!
//! - [`Timeline::setup`]: the organisation (staff, services, teams,
//!   customers, contacts), set up a year back, one batch an hour apart.
//! - [`Timeline::improvement_logged`]: the improvements, every two months.
//! - [`Timeline::rfc`]: an RFC's [`RfcDates`]: raised at a past date that
//!   suits how far it got, each workflow step hours to weeks after the one
//!   before, a comment in between, a due date weeks after raising.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rapport_shared::enums::RfcStatus;

/// How long before seeding the organisation was set up: a year of history.
pub const ORGANISATION_AGE: SignedDuration = SignedDuration::from_hours(365 * 24);

/// Nothing in the demo happens closer to the seeding time than this, so
/// that no step lands in the future however its waits add up.
pub(super) const LATEST: SignedDuration = SignedDuration::from_mins(30);

const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;

/// When one demo RFC was raised, moved and commented on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfcDates {
    pub raised: Timestamp,
    /// One time per workflow step, each after the one before.
    pub steps: Vec<Timestamp>,
    /// Between raising and the first step (or now, when it never moved).
    pub commented: Timestamp,
    /// `YYYY-MM-DD`, two to eight weeks after raising.
    pub due_on: String,
}

/// The demo's calendar, anchored at the seeding time.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    now: Timestamp,
}

impl Timeline {
    /// The calendar of a demo seeded at `now`.
    pub fn new(now: Timestamp) -> Timeline {
        Timeline { now }
    }

    /// The seeding time the calendar is anchored at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// `at`, or [`LATEST`] before seeding when `at` is later: nothing in
    /// the demo is written in the future.
    pub fn no_later(&self, at: Timestamp) -> Timestamp {
        at.min(self.now - LATEST)
    }

    /// When the `batch`-th batch of the organisation's set-up was written.
    pub fn setup(&self, batch: i64) -> Timestamp {
        self.ago(ORGANISATION_AGE.as_secs() - batch * HOUR)
    }

    /// When improvement `index` was logged: a month after the set-up, then
    /// every two months.
    pub fn improvement_logged(&self, index: usize) -> Timestamp {
        let after_setup = (30 + 60 * as_i64(index)) * DAY;
        self.ago((ORGANISATION_AGE.as_secs() - after_setup).max(LATEST.as_secs()))
    }

    /// The dates of RFC `index`, whose workflow steps go to `path` in order.
    pub fn rfc(&self, index: usize, path: &[RfcStatus]) -> RfcDates {
        let outcome = path.last().copied().unwrap_or(RfcStatus::New);
        let (youngest, oldest) = raised_hours_ago(outcome);
        let age = spread(index, 0, youngest * HOUR, oldest * HOUR);
        let raised = self.ago(age);
        let waits: Vec<i64> = (0..)
            .zip(path)
            .map(|(step, to)| {
                let (shortest, longest) = wait_hours(*to);
                spread(index, step + 1, shortest * HOUR, longest * HOUR)
            })
            .collect();
        // Squeeze the waits in proportion when they would run past the
        // latest moment; a second apart at the least keeps the order strict.
        let room = age - LATEST.as_secs() - as_i64(path.len());
        let total: i64 = waits.iter().sum();
        let mut at = age;
        let steps = waits
            .iter()
            .map(|wait| {
                let wait = if total > room {
                    (wait * room / total).max(1)
                } else {
                    *wait
                };
                at -= wait;
                self.ago(at)
            })
            .collect::<Vec<_>>();
        let first_move = steps.first().copied().unwrap_or_else(|| self.ago(0));
        let commented =
            raised + SignedDuration::from_secs(first_move.duration_since(raised).as_secs() / 2);
        let due = raised + SignedDuration::from_secs(spread(index, 99, 14 * DAY, 56 * DAY));
        RfcDates {
            raised,
            steps,
            commented,
            due_on: due.to_zoned(TimeZone::UTC).date().to_string(),
        }
    }

    /// The time `secs` seconds before seeding.
    fn ago(&self, secs: i64) -> Timestamp {
        self.now - SignedDuration::from_secs(secs)
    }
}

/// How long ago an RFC that got as far as `outcome` was raised, in hours
/// (youngest, oldest): finished ones are spread over the eleven months
/// before seeding, work in flight (and rejected or declined work waiting to
/// be closed) over the last seven months, the untriaged over the last
/// twelve days and the just triaged over the last weeks, so the queue shows
/// ages under a week, between a week and a month, and older.
fn raised_hours_ago(outcome: RfcStatus) -> (i64, i64) {
    use RfcStatus::*;
    match outcome {
        Closed | Withdrawn => (30 * 24, 350 * 24),
        New => (2, 12 * 24),
        Triaged => (24, 25 * 24),
        Assessing | Negotiating | Approved | Scheduled | Implemented | AgreementUpdated
        | Rejected | Declined => (8 * 24, 210 * 24),
    }
}

/// How long an RFC waits before it moves to `to`, in hours (shortest,
/// longest): triage within a couple of days, assessment within days,
/// implementing and agreeing new levels in weeks.
fn wait_hours(to: RfcStatus) -> (i64, i64) {
    use RfcStatus::*;
    match to {
        New | Triaged => (2, 52),
        Assessing => (4, 72),
        Negotiating => (24, 96),
        Scheduled => (24, 120),
        Closed => (24, 168),
        Withdrawn => (24, 240),
        Approved | Rejected => (48, 336),
        Implemented | Declined => (72, 504),
        AgreementUpdated => (168, 672),
    }
}

/// A value from `low` to `high` picked by `index` and `salt`: evenly spread
/// over the demo's records, and different for each salt.
fn spread(index: usize, salt: i64, low: i64, high: i64) -> i64 {
    const STEPS: i64 = 997;
    let mix = (as_i64(index) * 389 + salt * 151 + as_i64(index) * salt * 61) % STEPS;
    low + (high - low) * mix / (STEPS - 1)
}

/// An index as a number of days or steps (the demo's tables are small).
fn as_i64(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_each_other_and_end_before_now() {
        let now = Timestamp::now();
        let timeline = Timeline::new(now);
        let path = [
            RfcStatus::Triaged,
            RfcStatus::Assessing,
            RfcStatus::Approved,
            RfcStatus::Scheduled,
            RfcStatus::Implemented,
            RfcStatus::Closed,
        ];
        for index in 0..200 {
            for len in 0..=path.len() {
                let dates = timeline.rfc(index, &path[..len]);
                let mut previous = dates.raised;
                for step in &dates.steps {
                    assert!(*step > previous, "{index} {len}: {dates:?}");
                    previous = *step;
                }
                assert!(previous < now - LATEST + SignedDuration::from_secs(1));
                assert!(dates.commented >= dates.raised);
                assert!(dates.steps.first().is_none_or(|s| dates.commented < *s));
            }
        }
    }

    #[test]
    fn the_set_up_comes_first() {
        let now = Timestamp::now();
        let timeline = Timeline::new(now);
        assert_eq!(timeline.setup(0), now - ORGANISATION_AGE);
        let oldest_rfc = (0..60)
            .map(|i| timeline.rfc(i, &[RfcStatus::Closed]).raised)
            .min();
        assert!(oldest_rfc.is_some_and(|t| t > timeline.setup(10)));
        assert!((0..5).all(|i| timeline.improvement_logged(i) < now));
    }
}
