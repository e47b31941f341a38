//! Agreements: what was agreed with a customer (an SLA) and the service
//! levels it promises. Holds [`AgreementStatus`], [`Better`], [`Level`],
//! [`AgreementInput`], [`Agreement`] with its derived `review_due`, the
//! collection's declaration, and the date rules read on every read
//! ([`effective_status`], [`review_due`]).

use jiff::ToSpan;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;

use super::input::input_fields;
use super::record::Meta;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};
use crate::fields::FieldReader;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("agreements", "agreement", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::text("status").one_of(AgreementStatus::NAMES),
    ])
    .search(&["title"]);

/// How many days ahead a review date makes an agreement due for review.
pub const REVIEW_WINDOW_DAYS: i64 = 30;

string_enum!(
    /// Where an agreement stands; a draft unless said otherwise. An active
    /// agreement reads as expired once its `valid_to` has passed
    /// ([`effective_status`]).
    #[derive(Default)]
    AgreementStatus {
        #[default]
        Draft = "draft",
        Active = "active",
        Expired = "expired",
        Terminated = "terminated",
    }
);

string_enum!(
    /// Which way a level's measurement is good: `higher` for availability,
    /// `lower` for response or resolution times.
    #[derive(Default)]
    Better {
        #[default]
        Higher = "higher",
        Lower = "lower",
    }
);

/// One service level an agreement promises ("availability 99.5 %").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Level {
    /// What is measured; unique within the agreement.
    pub metric: String,
    pub target: Number,
    pub unit: String,
    /// Absent or `null` when sent: `higher`.
    #[serde(default)]
    #[schemars(with = "Option<Better>")]
    pub better: Better,
}

impl Level {
    /// Whether a measured `value` meets the target, the way `better` says.
    pub fn met_by(&self, value: f64) -> bool {
        let target = self.target.as_f64().unwrap_or_default();
        match self.better {
            Better::Higher => value >= target,
            Better::Lower => value <= target,
        }
    }
}

/// Reads one level of an agreement's `levels`.
fn read_level(reader: &mut FieldReader<'_>) -> Level {
    Level {
        metric: reader.required_line("metric"),
        target: reader.required_number("target"),
        unit: reader.required_line("unit"),
        better: reader
            .optional_enum("better", Better::parse, &Better::names())
            .unwrap_or_default(),
    }
}

/// The rule of `levels`: no metric twice.
fn unique_metrics(levels: &[Level]) -> Option<&'static str> {
    let repeated = levels
        .iter()
        .enumerate()
        .any(|(index, level)| levels[..index].iter().any(|l| l.metric == level.metric));
    repeated.then_some("must not name a metric twice")
}

input_fields! {
    /// An agreement with a customer and the service levels it promises.
    pub struct AgreementInput for Agreements, stored as Agreement {
        /// Id of the customer it is with.
        customer_id: String = required_id -> Customers,
        title: String = required_line,
        /// Ids of the services it covers.
        #[serde(default)]
        service_ids: Vec<String> = id_list -> Services,
        #[serde(default)]
        levels: Vec<Level> = object_list(read_level) where unique_metrics,
        valid_from: Option<Date> = optional_date,
        /// The last day it holds; not before `valid_from`.
        valid_to: Option<Date> = optional_date_from(valid_from, "valid_from"),
        /// When it is next to be reviewed with the customer.
        review_on: Option<Date> = optional_date,
        /// As stored; an active agreement past `valid_to` reads `expired`.
        #[serde(default)]
        status: AgreementStatus = enum_or_default(AgreementStatus),
    }
    accepts AGREEMENT_DERIVED;
}

/// Agreement fields the server derives on every read; sent back, they are
/// accepted and ignored.
pub const AGREEMENT_DERIVED: &[&str] = &["review_due"];

/// Agreement as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Agreement {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: AgreementInput,
    /// True when `review_on` is at most 30 days away or already past.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub review_due: bool,
}

/// The status an agreement reads as on `today`: a stored active agreement
/// whose `valid_to` has passed is expired; any other reads as stored.
pub fn effective_status(
    stored: AgreementStatus,
    valid_to: Option<Date>,
    today: Date,
) -> AgreementStatus {
    match valid_to {
        Some(last_day) if stored == AgreementStatus::Active && last_day < today => {
            AgreementStatus::Expired
        }
        _ => stored,
    }
}

/// Whether an agreement is due for review on `today`: its `review_on` is
/// at most [`REVIEW_WINDOW_DAYS`] ahead, or has passed without the date
/// being moved (a review not yet held stays due). False without a date.
pub fn review_due(review_on: Option<Date>, today: Date) -> bool {
    review_on.is_some_and(|review_on| {
        today
            .checked_add(REVIEW_WINDOW_DAYS.days())
            .is_ok_and(|horizon| review_on <= horizon)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use jiff::civil::date;
    use serde_json::json;

    #[test]
    fn levels_read_with_better_defaulting_to_higher() {
        let input: AgreementInput = read_input(json!({
            "customer_id": "c1", "title": "Hosting SLA", "service_ids": ["s1"],
            "levels": [
                {"metric": "availability", "target": 99.5, "unit": "%"},
                {"metric": "response", "target": 4, "unit": "h", "better": "lower"},
            ],
        }))
        .expect("valid");
        assert_eq!(input.levels[0].better, Better::Higher);
        assert_eq!(input.levels[1].better, Better::Lower);
        assert_eq!(input.status, AgreementStatus::Draft);
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["customer_id", "service_ids"]);
    }

    #[test]
    fn bad_levels_and_reversed_dates_are_named() {
        for levels in [
            json!([{"metric": "", "target": 1, "unit": "%"}]),
            json!([{"metric": "a", "target": "high", "unit": "%"}]),
            json!([{"metric": "a", "target": 1, "unit": "%", "better": "more"}]),
            json!([{"metric": "a", "target": 1, "unit": "%", "colour": "red"}]),
            json!([{"metric": "a", "target": 1, "unit": "%"}, {"metric": "a", "target": 2, "unit": "%"}]),
            json!("availability"),
        ] {
            let errors = read_input::<AgreementInput>(json!({
                "customer_id": "c1", "title": "SLA", "levels": levels,
            }))
            .expect_err("a bad level");
            assert!(errors.for_field("levels").is_some(), "{levels}: {errors:?}");
        }
        let errors = read_input::<AgreementInput>(json!({
            "customer_id": "c1", "title": "SLA",
            "valid_from": "2026-06-01", "valid_to": "2026-05-31",
        }))
        .expect_err("reversed dates");
        assert_eq!(errors.for_field("valid_to"), Some("must not be before valid_from"));
    }

    #[test]
    fn an_active_agreement_expires_after_its_last_day() {
        let today = date(2026, 12, 2);
        let active = AgreementStatus::Active;
        assert_eq!(effective_status(active, Some(date(2026, 12, 1)), today), AgreementStatus::Expired);
        assert_eq!(effective_status(active, Some(today), today), active);
        assert_eq!(effective_status(active, None, today), active);
        let draft = AgreementStatus::Draft;
        assert_eq!(effective_status(draft, Some(date(2025, 1, 1)), today), draft);
    }

    #[test]
    fn a_review_is_due_within_thirty_days_or_when_past() {
        let today = date(2026, 12, 2);
        assert!(review_due(Some(date(2027, 1, 1)), today));
        assert!(!review_due(Some(date(2027, 1, 2)), today));
        assert!(review_due(Some(date(2026, 11, 1)), today));
        assert!(!review_due(None, today));
    }

    #[test]
    fn levels_are_met_the_way_better_says() {
        let level = |better| Level {
            metric: "m".into(),
            target: Number::from(10),
            unit: "u".into(),
            better,
        };
        assert!(level(Better::Higher).met_by(10.0));
        assert!(!level(Better::Higher).met_by(9.9));
        assert!(level(Better::Lower).met_by(9.9));
        assert!(!level(Better::Lower).met_by(10.1));
    }
}
