//! Staff: the people of the IT organisation, with their job roles. Holds
//! [`StaffInput`], [`Staff`] and the collection's declaration.

use super::input::input_fields;
use super::record::{Stored, yes};
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{JobRole, Permission};
use crate::fields::email_address_rule;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("staff", "staff member", Permission::Admin)
    .filters(&[
        FilterSpec::list_contains("job_role", "job_roles").one_of(JobRole::NAMES),
        FilterSpec::bool("active"),
    ])
    .search(&["name", "email"]);

input_fields! {
    /// A person in the IT organisation.
    pub struct StaffInput for Staff, stored as Staff {
        name: String = required_line,
        #[schemars(email)]
        email: String = required_line where email_address_rule,
        #[serde(default)]
        job_roles: Vec<JobRole> = enum_list(JobRole),
        #[serde(default = "yes")]
        active: bool = bool_or(true),
    }
}

/// Staff member as read from the server.
pub type Staff = Stored<StaffInput>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
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
