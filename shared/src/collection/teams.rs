//! Customer teams: one BRM, one delivery manager and service owners
//! serving some customers. Holds [`TeamInput`], [`Team`] and the
//! collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::input::input_fields;
use super::record::Meta;
use super::spec::CollectionSpec;
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("teams", "customer team", Permission::Manager)
    .search(&["name"]);

input_fields! {
    /// A customer team: one BRM, one delivery manager, service owners.
    pub struct TeamInput for Teams, stored as Team {
        name: String = required_line,
        /// Id of the staff member who is the team's BRM.
        brm_id: String = required_id -> Staff,
        /// Id of the staff member who is the team's delivery manager.
        delivery_manager_id: String = required_id -> Staff,
        #[serde(default)]
        service_owner_ids: Vec<String> = id_list -> Staff,
    }
    accepts ["customer_ids"];
}

/// Customer team as read from the server, with the customers it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Team {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: TeamInput,
    /// Read-only: the customers whose `team_id` is this team.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub customer_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use serde_json::json;

    #[test]
    fn references_name_their_fields() {
        let value = json!({"name": "North", "brm_id": "s1", "delivery_manager_id": "s2", "service_owner_ids": ["s3", "s3", "s4"]});
        let team = TeamInput::from_json(value.as_object().expect("test input is an object"))
            .expect("valid");
        let refs = team.references();
        assert_eq!(refs.len(), 4);
        assert_eq!(refs[2].field, "service_owner_ids");
    }
}
