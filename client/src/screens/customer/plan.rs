//! The activity plan as a timeline: activities grouped by horizon
//! (strategic, tactical, operational) and, within one, by when they fall
//! due against today (overdue, this month, this quarter, this year, later).
//! Pure: `today` is given, so the grouping is tested on fixed dates.

use jiff::civil::Date;
use rapport_shared::records::Horizon;

use crate::api::{Record, text};

/// When an activity falls, seen from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// It should have ended (or started, without an end) and is not done.
    Overdue,
    ThisMonth,
    ThisQuarter,
    ThisYear,
    /// A later year.
    Later,
    /// Finished before this month.
    Earlier,
    /// No date.
    Undated,
}

impl When {
    /// The group's heading.
    pub fn label(self) -> &'static str {
        match self {
            When::Overdue => "overdue",
            When::ThisMonth => "this month",
            When::ThisQuarter => "this quarter",
            When::ThisYear => "this year",
            When::Later => "later",
            When::Earlier => "earlier",
            When::Undated => "no date",
        }
    }
}

/// The day an activity is placed by: its end, else its start.
fn placed_on(activity: &Record) -> Option<Date> {
    ["ends_on", "starts_on"]
        .iter()
        .find_map(|field| text(activity, field).parse::<Date>().ok())
}

/// Whether the activity is finished (done or cancelled).
fn finished(activity: &Record) -> bool {
    matches!(text(activity, "status"), "done" | "cancelled")
}

/// When `activity` falls, seen from `today`.
pub fn when(activity: &Record, today: Date) -> When {
    let Some(day) = placed_on(activity) else {
        return When::Undated;
    };
    let same_month = day.year() == today.year() && day.month() == today.month();
    if day < today && !finished(activity) {
        return When::Overdue;
    }
    let quarter = |d: Date| (d.month() - 1) / 3;
    if same_month {
        When::ThisMonth
    } else if day < today {
        When::Earlier
    } else if day.year() == today.year() && quarter(day) == quarter(today) {
        When::ThisQuarter
    } else if day.year() == today.year() {
        When::ThisYear
    } else {
        When::Later
    }
}

/// The horizons in the timeline's order; `None` for activities with none.
pub const HORIZONS: [Option<Horizon>; 4] = [
    Some(Horizon::Strategic),
    Some(Horizon::Tactical),
    Some(Horizon::Operational),
    None,
];

/// The heading of a horizon group.
pub fn horizon_label(horizon: Option<Horizon>) -> &'static str {
    match horizon {
        Some(Horizon::Strategic) => "Strategic (about a year)",
        Some(Horizon::Tactical) => "Tactical (months)",
        Some(Horizon::Operational) => "Operational (weeks)",
        None => "No horizon",
    }
}

/// One row of the timeline: the activity's index in the loaded list, its
/// horizon and when it falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanRow {
    pub index: usize,
    pub horizon: Option<Horizon>,
    pub when: When,
}

/// The timeline's rows: by horizon, then by when, then by date.
pub fn timeline(activities: &[Record], today: Date) -> Vec<PlanRow> {
    let mut rows: Vec<(PlanRow, Option<Date>)> = activities
        .iter()
        .enumerate()
        .map(|(index, activity)| {
            let horizon = Horizon::parse(text(activity, "horizon"));
            let row = PlanRow {
                index,
                horizon,
                when: when(activity, today),
            };
            (row, placed_on(activity))
        })
        .collect();
    let rank = |h: Option<Horizon>| HORIZONS.iter().position(|x| *x == h).unwrap_or(3);
    rows.sort_by_key(|(row, day)| (rank(row.horizon), row.when, *day, row.index));
    rows.into_iter().map(|(row, _)| row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn activity(fields: serde_json::Value) -> Record {
        fields.as_object().cloned().unwrap_or_default()
    }

    fn today() -> Date {
        jiff::civil::date(2026, 5, 20)
    }

    #[test]
    fn groups_by_when_seen_from_today() {
        let cases = [
            (
                json!({"ends_on": "2026-05-01", "status": "planned"}),
                When::Overdue,
            ),
            (
                json!({"starts_on": "2026-01-10", "status": "in_progress"}),
                When::Overdue,
            ),
            (
                json!({"ends_on": "2026-05-01", "status": "done"}),
                When::ThisMonth,
            ),
            (json!({"ends_on": "2026-05-31"}), When::ThisMonth),
            (json!({"ends_on": "2026-06-30"}), When::ThisQuarter),
            (json!({"starts_on": "2026-07-01"}), When::ThisYear),
            (json!({"ends_on": "2026-12-31"}), When::ThisYear),
            (json!({"ends_on": "2027-01-01"}), When::Later),
            (
                json!({"ends_on": "2026-02-01", "status": "cancelled"}),
                When::Earlier,
            ),
            (json!({"title": "someday"}), When::Undated),
            (json!({"ends_on": "not a date"}), When::Undated),
        ];
        for (fields, expected) in cases {
            assert_eq!(
                when(&activity(fields.clone()), today()),
                expected,
                "{fields}"
            );
        }
    }

    #[test]
    fn the_end_places_an_activity_before_its_start() {
        let running = activity(json!({"starts_on": "2026-04-01", "ends_on": "2026-08-01"}));
        assert_eq!(when(&running, today()), When::ThisYear);
    }

    #[test]
    fn the_timeline_runs_by_horizon_then_when_then_date() {
        let activities = [
            json!({"horizon": "operational", "ends_on": "2026-05-25"}),
            json!({"horizon": "strategic", "ends_on": "2026-11-01"}),
            json!({"ends_on": "2026-05-22"}),
            json!({"horizon": "strategic", "ends_on": "2026-04-01"}),
            json!({"horizon": "strategic", "ends_on": "2026-10-01"}),
        ]
        .map(activity);
        let rows = timeline(&activities, today());
        let order: Vec<usize> = rows.iter().map(|r| r.index).collect();
        assert_eq!(order, vec![3, 4, 1, 0, 2]);
        assert_eq!(rows[0].when, When::Overdue);
        assert_eq!(rows[3].horizon, Some(Horizon::Operational));
        assert_eq!(rows[4].horizon, None);
    }
}
