//! Service level results: the metric is one of the agreement's levels (a
//! guard, so a level removed meanwhile is seen), and one result per
//! agreement, metric and month (a unique key; a second is a 409).

use rapport_shared::Collection;
use rapport_shared::records::LevelResultInput;
use serde_json::Value;

use crate::store::{Condition, Guard, Requirement, Taken, UniqueField};

use super::Resource;

impl Resource for LevelResultInput {
    /// The agreement, metric and month together.
    fn unique(&self) -> Vec<UniqueField> {
        vec![UniqueField {
            field: "month".into(),
            value: self.key(),
            taken: Taken::Conflict,
        }]
    }

    /// The agreement exists and has a level with the result's metric.
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        vec![Guard::Requires {
            collection: Collection::Agreements,
            id: self.agreement_id.clone(),
            field: "agreement_id".into(),
            missing: format!("no agreement with id {}", self.agreement_id),
            requirements: vec![Requirement {
                condition: Condition::HasItemWith {
                    field: "levels".into(),
                    item_field: "metric".into(),
                    value: Value::String(self.metric.clone()),
                },
                message: format!("the agreement has no level with the metric {}", self.metric),
                on_field: Some("metric".into()),
            }],
        }]
    }
}
