//! Improvements: whoever carries one is an active staff member.

use rapport_shared::Collection;
use rapport_shared::records::ImprovementInput;

use crate::store::guard::NAME;
use crate::store::{Condition, Guard, Requirement};

use super::Resource;

impl Resource for ImprovementInput {
    /// The owner exists and is still active (any job role may carry an
    /// improvement).
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.owner_id
            .iter()
            .map(|owner_id| Guard::Requires {
                collection: Collection::Staff,
                id: owner_id.clone(),
                field: "owner_id".into(),
                missing: format!("no staff member with id {owner_id}"),
                requirements: vec![Requirement {
                    condition: Condition::NotFalse {
                        field: "active".into(),
                    },
                    message: format!("{NAME} is no longer active"),
                    on_field: None,
                }],
            })
            .collect()
    }
}
