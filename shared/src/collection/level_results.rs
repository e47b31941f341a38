//! Service level results: what was measured for one level of an agreement
//! in one month. Holds [`LevelResultInput`], [`LevelResult`] and the
//! collection's declaration; the attainment they add up to is
//! [`crate::attainment`].

use serde_json::Number;

use super::input::input_fields;
use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;
use crate::month::month_rule;

pub(super) const SPEC: CollectionSpec =
    CollectionSpec::new("level_results", "service level result", Permission::Manager).filters(&[
        FilterSpec::id("agreement_id"),
        FilterSpec::month("month"),
    ]);

input_fields! {
    /// One level's measured value in one month; one per agreement, metric
    /// and month.
    pub struct LevelResultInput for LevelResults, stored as LevelResult {
        /// Id of the agreement whose level was measured.
        agreement_id: String = required_id -> Agreements,
        /// One of the agreement's level metrics.
        metric: String = required_line,
        /// `YYYY-MM`.
        month: String = required_line where month_rule,
        value: Number = required_number,
        note: Option<String> = optional_text,
    }
}

impl LevelResultInput {
    /// What makes a result one of a kind: its agreement, metric and month.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.agreement_id, self.metric, self.month)
    }
}

/// Service level result as read from the server.
pub type LevelResult = Stored<LevelResultInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn a_result_reads_with_its_agreement_as_a_reference() {
        let input: LevelResultInput = read_input(json!({
            "agreement_id": "a1", "metric": "availability", "month": "2026-11", "value": 99.7,
        }))
        .expect("valid");
        assert_eq!(input.key(), "a1/availability/2026-11");
        assert_eq!(input.note, None);
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["agreement_id"]);
    }

    #[test]
    fn every_bad_field_is_named_once() {
        let errors = read_input::<LevelResultInput>(json!({
            "agreement_id": "", "metric": 3, "month": "2026-13", "value": "high",
        }))
        .expect_err("every field is wrong");
        for field in ["agreement_id", "metric", "month", "value"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
        let errors = read_input::<LevelResultInput>(json!({"agreement_id": "a1", "metric": "m"}))
            .expect_err("month and value missing");
        assert_eq!(errors.for_field("month"), Some("is required"));
        assert_eq!(errors.for_field("value"), Some("is required"));
        assert_eq!(errors.0.len(), 2, "{errors:?}");
    }
}
