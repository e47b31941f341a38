//! Activities: the activity plan per customer, on three horizons
//! (strategic work about a year ahead, tactical months, operational
//! weeks). Holds [`Horizon`], [`ActivityStatus`], [`ActivityInput`],
//! [`Activity`], the dates rule and the collection's declaration.

use jiff::civil::Date;

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("activities", "activity", Permission::Manager)
    .filters(&[
        FilterSpec::id("customer_id"),
        FilterSpec::text("horizon").one_of(Horizon::NAMES),
        FilterSpec::text("status").one_of(ActivityStatus::NAMES),
        FilterSpec::id("owner_id").or_me(),
    ])
    .search(&["title", "description"]);

string_enum!(
    /// How far ahead an activity is planned: strategic (about a year),
    /// tactical (months) or operational (weeks).
    Horizon {
        Strategic = "strategic",
        Tactical = "tactical",
        Operational = "operational",
    }
);

string_enum!(
    /// How far an activity has come; planned unless said otherwise.
    #[derive(Default)]
    ActivityStatus {
        #[default]
        Planned = "planned",
        InProgress = "in_progress",
        Done = "done",
        Cancelled = "cancelled",
    }
);

input_fields! {
    /// One activity of a customer's plan.
    pub struct ActivityInput for Activities, stored as Activity {
        /// Id of the customer it is planned for.
        customer_id: String = required_id -> Customers,
        title: String = required_line,
        description: Option<String> = optional_text,
        horizon: Option<Horizon> = optional_enum(Horizon),
        starts_on: Option<Date> = optional_date,
        /// The last day; never before `starts_on`.
        ends_on: Option<Date> = optional_date,
        #[serde(default)]
        status: ActivityStatus = enum_or_default(ActivityStatus),
        /// Id of the staff member who carries it.
        owner_id: Option<String> = optional_id -> Staff,
    }
    checks ends_after_start;
}

/// An activity ends on or after the day it starts (`ends_on` is named).
fn ends_after_start(input: &ActivityInput) -> Option<(&'static str, &'static str)> {
    match (input.starts_on, input.ends_on) {
        (Some(starts), Some(ends)) if ends < starts => Some(("ends_on", "must not be before starts_on")),
        _ => None,
    }
}

/// Activity as read from the server.
pub type Activity = Stored<ActivityInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn customer_and_title_are_enough_and_status_starts_planned() {
        let input: ActivityInput = read_input(json!({"customer_id": "c1", "title": "Annual review"}))
            .expect("customer and title are enough");
        assert_eq!(input.status, ActivityStatus::Planned);
        assert_eq!(input.horizon, None);
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["customer_id"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = read_input::<ActivityInput>(json!({
            "title": "",
            "horizon": "someday",
            "status": "maybe",
            "starts_on": "soon",
            "owner_id": 3,
        }))
        .expect_err("every field is wrong");
        for field in ["customer_id", "title", "horizon", "status", "starts_on", "owner_id"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn an_activity_ends_on_or_after_its_start() {
        let base = json!({"customer_id": "c1", "title": "Migrate mail", "starts_on": "2026-03-10"});
        let mut before = base.clone();
        before["ends_on"] = json!("2026-03-09");
        let errors = read_input::<ActivityInput>(before).expect_err("ends before it starts");
        assert_eq!(errors.for_field("ends_on"), Some("must not be before starts_on"));
        let mut same_day = base;
        same_day["ends_on"] = json!("2026-03-10");
        read_input::<ActivityInput>(same_day).expect("a one-day activity");
    }
}
