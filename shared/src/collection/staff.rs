//! Staff: the people of the IT organisation, with their job roles. Holds
//! [`StaffInput`], [`Staff`] and the collection's declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Stored, RecordInput, Reference, yes};
use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use super::Collection;
use crate::enums::{JobRole, Permission};
use crate::fields::{FieldReader, ValidationErrors, is_email};

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "staff",
    noun: "staff member",
    write_permission: Permission::Admin,
    filters: &[
        FilterSpec::list_contains("job_role", "job_roles").one_of(JobRole::NAMES),
        FilterSpec::bool("active"),
    ],
    search_fields: &["name", "email"],
    sorts: PLAIN_SORTS,
};

/// A person in the IT organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StaffInput {
    pub name: String,
    #[schemars(email)]
    pub email: String,
    #[serde(default)]
    pub job_roles: Vec<JobRole>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl RecordInput for StaffInput {
    const COLLECTION: Collection = Collection::Staff;
    type Stored = Staff;

    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut r = FieldReader::new(object);
        let name = r.required_line("name");
        let email = r.required_line("email");
        if !email.is_empty() && !is_email(&email) {
            r.error("email", "must be an e-mail address like name@example.org");
        }
        let job_roles = r.enum_list("job_roles", JobRole::parse, &JobRole::names());
        let active = r.bool_or("active", true);
        r.finish()?;
        Ok(StaffInput {
            name,
            email,
            job_roles,
            active,
        })
    }

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

/// Staff member as read from the server.
pub type Staff = Stored<StaffInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_are_named() {
        let value =
            json!({"name": 3, "email": "a@b.example", "job_roles": ["cook"], "active": "yes"});
        let bad = StaffInput::from_json(value.as_object().expect("test input is an object"))
            .expect_err("errors");
        assert_eq!(bad.for_field("name"), Some("must be a string"));
        assert!(bad.for_field("job_roles").is_some());
        assert_eq!(bad.for_field("active"), Some("must be true or false"));
    }
}
