//! What an agreement's follow-up meeting reviews: per level and month the
//! measured value and whether it met the target, and per level the share
//! of measured months met. Holds the response body of
//! `GET /api/v1/agreements/{id}/attainment` ([`Attainment`],
//! [`LevelAttainment`], [`MonthAttainment`]), one measurement
//! ([`Measured`]) and the arithmetic ([`attainment`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::month::Month;
use crate::records::{Better, Level};

/// An agreement's attainment over a range of months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attainment {
    pub agreement_id: String,
    /// One per level of the agreement, in the agreement's order.
    pub levels: Vec<LevelAttainment>,
}

/// One level over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LevelAttainment {
    pub metric: String,
    pub target: Number,
    pub unit: String,
    pub better: Better,
    /// Months met over months with a result; null when none has one.
    pub met_share: Option<f64>,
    /// Every month of the range, in order.
    pub months: Vec<MonthAttainment>,
}

/// One level in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MonthAttainment {
    /// `YYYY-MM`.
    pub month: String,
    /// The measured value; null when nothing was measured.
    pub value: Option<Number>,
    /// Whether the value met the target; null when nothing was measured.
    pub met: Option<bool>,
}

/// One service level result: a metric's value in a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub metric: String,
    pub month: Month,
    pub value: Number,
}

/// The attainment of `levels` from `from` through `to`, from the results
/// measured (results of other metrics or months are not counted).
pub fn attainment(
    agreement_id: &str,
    levels: &[Level],
    results: &[Measured],
    from: Month,
    to: Month,
) -> Attainment {
    let levels = levels
        .iter()
        .map(|level| {
            let months: Vec<MonthAttainment> = from
                .through(to)
                .map(|month| {
                    let value = results
                        .iter()
                        .find(|r| r.metric == level.metric && r.month == month)
                        .map(|r| r.value.clone());
                    MonthAttainment {
                        month: month.to_string(),
                        met: value
                            .as_ref()
                            .map(|v| level.met_by(v.as_f64().unwrap_or_default())),
                        value,
                    }
                })
                .collect();
            let measured = months.iter().filter(|m| m.met.is_some()).count();
            let met = months.iter().filter(|m| m.met == Some(true)).count();
            LevelAttainment {
                metric: level.metric.clone(),
                target: level.target.clone(),
                unit: level.unit.clone(),
                better: level.better,
                met_share: (measured > 0).then(|| met as f64 / measured as f64),
                months,
            }
        })
        .collect();
    Attainment {
        agreement_id: agreement_id.into(),
        levels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).expect("a month")
    }

    fn level(metric: &str, target: i64, better: Better) -> Level {
        Level {
            metric: metric.into(),
            target: Number::from(target),
            unit: "u".into(),
            better,
        }
    }

    fn measured(metric: &str, text: &str, value: f64) -> Measured {
        Measured {
            metric: metric.into(),
            month: month(text),
            value: Number::from_f64(value).expect("a finite value"),
        }
    }

    #[test]
    fn higher_and_lower_levels_over_months_with_and_without_results() {
        let levels = [
            level("availability", 99, Better::Higher),
            level("resolution", 8, Better::Lower),
        ];
        let results = [
            measured("availability", "2026-01", 99.5),
            measured("availability", "2026-03", 98.0),
            measured("resolution", "2026-01", 9.0),
            measured("resolution", "2026-02", 8.0),
            measured("resolution", "2026-03", 4.0),
            measured("resolution", "2025-12", 1.0),
        ];
        let seen = attainment("a1", &levels, &results, month("2026-01"), month("2026-03"));
        assert_eq!(seen.agreement_id, "a1");
        let mets = |index: usize| -> Vec<Option<bool>> {
            seen.levels[index].months.iter().map(|m| m.met).collect()
        };
        assert_eq!(mets(0), [Some(true), None, Some(false)]);
        assert_eq!(seen.levels[0].months[1].value, None);
        assert_eq!(seen.levels[0].met_share, Some(0.5));
        assert_eq!(mets(1), [Some(false), Some(true), Some(true)]);
        assert_eq!(seen.levels[1].met_share, Some(2.0 / 3.0));
        let months: Vec<&str> = seen.levels[1]
            .months
            .iter()
            .map(|m| m.month.as_str())
            .collect();
        assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
    }

    #[test]
    fn no_results_share_nothing() {
        let levels = [level("availability", 99, Better::Higher)];
        let seen = attainment("a1", &levels, &[], month("2026-01"), month("2026-02"));
        assert_eq!(seen.levels[0].met_share, None);
        assert!(
            seen.levels[0]
                .months
                .iter()
                .all(|m| m.met.is_none() && m.value.is_none())
        );
    }
}
