//! A customer's health: one line per relationship saying whether it needs
//! attention and why (`GET /api/v1/customers/{id}/health`). Six signals,
//! each with its value, its threshold, its state and a reason a person can
//! check by hand; the overall state is the worst signal's. There are no
//! weights: a signal is good, watch or act by its thresholds
//! ([`Thresholds`], from the server's config), or unknown when there is
//! nothing to judge it by (never good for want of data).
//!
//! The facts are the agenda's ([`crate::agenda::Facts`]): RFCs, agreements
//! with the attainment of the last three complete months, surveys, the
//! budget of the year, and the meetings held. Signals: [`signals`].

mod signals;
#[cfg(test)]
mod tests;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agenda::Facts;
use crate::enums::string_enum;
use crate::month::Month;
use crate::records::AgendaSource;

pub use signals::signals;

/// How many complete months the service levels signal looks back.
pub const LEVEL_MONTHS: i32 = 3;

string_enum!(
    /// How a signal (or a whole relationship) stands.
    State {
        Good = "good",
        Watch = "watch",
        Act = "act",
        Unknown = "unknown",
    }
);

impl State {
    /// How bad it is: good, then unknown, then watch, then act.
    pub fn rank(self) -> u8 {
        match self {
            State::Good => 0,
            State::Unknown => 1,
            State::Watch => 2,
            State::Act => 3,
        }
    }

    /// The worse of two states.
    pub fn worst(self, other: State) -> State {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// The thresholds the signals are judged by, from the `[health]` table of
/// the server's config; each has the default written beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Share of level-months met below which service levels are watched (1.0).
    pub levels_watch: f64,
    /// Share of level-months met below which to act (0.8).
    pub levels_act: f64,
    /// Latest satisfaction mean (1-5) below which to watch (3.5).
    pub mean_watch: f64,
    /// Latest satisfaction mean below which to act (3.0).
    pub mean_act: f64,
    /// NPS below which to watch (0).
    pub nps_watch: f64,
    /// NPS below which to act (-20).
    pub nps_act: f64,
    /// A fall of the mean since the round before, at least this, is watched (0.5).
    pub mean_fall_watch: f64,
    /// Year-end forecast above this percent of planned is watched (100).
    pub budget_watch_percent: i64,
    /// Year-end forecast above this percent of planned is acted on (110).
    pub budget_act_percent: i64,
    /// An open RFC older than this many days is in the backlog (30).
    pub backlog_days: i64,
    /// This many RFCs in the backlog are acted on (5); one is watched.
    pub backlog_act: usize,
    /// A backlog RFC older than this many days is acted on (90).
    pub backlog_oldest_act_days: i64,
    /// Days since the last follow-up meeting above which to watch (45).
    pub follow_up_watch_days: i64,
    /// Days since the last follow-up meeting above which to act (90).
    pub follow_up_act_days: i64,
    /// Days since the last forward-looking session above which to watch (120).
    pub forward_watch_days: i64,
    /// Days since the last forward-looking session above which to act (180).
    pub forward_act_days: i64,
    /// This many overdue actions are acted on (3); one is watched.
    pub overdue_actions_act: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            levels_watch: 1.0,
            levels_act: 0.8,
            mean_watch: 3.5,
            mean_act: 3.0,
            nps_watch: 0.0,
            nps_act: -20.0,
            mean_fall_watch: 0.5,
            budget_watch_percent: 100,
            budget_act_percent: 110,
            backlog_days: 30,
            backlog_act: 5,
            backlog_oldest_act_days: 90,
            follow_up_watch_days: 45,
            follow_up_act_days: 90,
            forward_watch_days: 120,
            forward_act_days: 180,
            overdue_actions_act: 3,
        }
    }
}

/// One signal of a customer's health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Signal {
    /// `service_levels`, `satisfaction`, `budget`, `rfc_backlog`,
    /// `rhythm` or `agreements`.
    pub name: String,
    /// The signal's main figure (null when unknown).
    pub value: Value,
    /// The thresholds it was judged by.
    pub threshold: Value,
    pub state: State,
    /// Why, in words and figures a person can check.
    pub reason: String,
    /// The records behind it.
    pub source: AgendaSource,
}

/// A customer's health on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    pub customer_id: String,
    pub as_of: Date,
    /// The worst of the signals' states.
    pub state: State,
    pub signals: Vec<Signal>,
}

/// The months the service levels signal covers on `as_of`: the last
/// [`LEVEL_MONTHS`] complete months.
pub fn level_months(as_of: Date) -> (Month, Month) {
    let last = Month::of(as_of).minus(1);
    (last.minus(LEVEL_MONTHS - 1), last)
}

/// The health of the customer the facts are about, on `as_of`.
pub fn health(facts: &Facts, as_of: Date, thresholds: &Thresholds) -> Health {
    let signals = signals(facts, as_of, thresholds);
    let state = signals
        .iter()
        .fold(State::Good, |worst, signal| worst.worst(signal.state));
    Health {
        customer_id: facts.customer_id.clone(),
        as_of,
        state,
        signals,
    }
}
