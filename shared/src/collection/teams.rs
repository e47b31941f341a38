//! Customer teams: one BRM, one delivery manager and service owners
//! serving some customers. Holds [`TeamInput`], [`Team`] and the
//! collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Meta, RecordInput, Reference, reference_to, references};
use super::spec::{CollectionSpec, PLAIN_SORTS};
use super::Collection;
use crate::enums::Permission;
use crate::fields::{FieldReader, ValidationErrors};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "teams",
    noun: "customer team",
    write_permission: Permission::Manager,
    filters: &[],
    search_fields: &["name"],
    sorts: PLAIN_SORTS,
};

/// A customer team: one BRM, one delivery manager, service owners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TeamInput {
    pub name: String,
    /// Id of the staff member who is the team's BRM.
    pub brm_id: String,
    /// Id of the staff member who is the team's delivery manager.
    pub delivery_manager_id: String,
    #[serde(default)]
    pub service_owner_ids: Vec<String>,
}

impl RecordInput for TeamInput {
    const COLLECTION: Collection = Collection::Teams;
    type Stored = Team;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let brm_id = r.required_id("brm_id");
        let delivery_manager_id = r.required_id("delivery_manager_id");
        let service_owner_ids = r.id_list("service_owner_ids");
        r.skip("customer_ids");
        r.finish()?;
        Ok(TeamInput {
            name,
            brm_id,
            delivery_manager_id,
            service_owner_ids,
        })
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![
            reference_to("brm_id", Collection::Staff, &self.brm_id),
            reference_to(
                "delivery_manager_id",
                Collection::Staff,
                &self.delivery_manager_id,
            ),
        ];
        refs.extend(references(
            "service_owner_ids",
            Collection::Staff,
            &self.service_owner_ids,
        ));
        refs
    }
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
