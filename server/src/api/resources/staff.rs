//! Staff: a person may not lose a job role, or stop being active, while a
//! team or service still relies on it.

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::StaffInput;

use crate::store::Guard;
use crate::store::guard::COUNT;

use super::Resource;

/// A link that needs its staff member to have a job role and be active.
pub struct RoleUse {
    pub collection: Collection,
    pub field: &'static str,
    pub role: JobRole,
    /// How a message names the person's part: "the BRM of" 2 teams.
    pub what: &'static str,
}

/// Every link to a staff member that needs a job role.
pub const ROLE_USES: [RoleUse; 4] = [
    RoleUse {
        collection: Collection::Teams,
        field: "brm_id",
        role: JobRole::Brm,
        what: "the BRM of",
    },
    RoleUse {
        collection: Collection::Teams,
        field: "delivery_manager_id",
        role: JobRole::DeliveryManager,
        what: "the delivery manager of",
    },
    RoleUse {
        collection: Collection::Teams,
        field: "service_owner_ids",
        role: JobRole::ServiceOwner,
        what: "a service owner in",
    },
    RoleUse {
        collection: Collection::Services,
        field: "owner_id",
        role: JobRole::ServiceOwner,
        what: "the owner of",
    },
];

impl Resource for StaffInput {
    /// Staff member `id` keeps every role, and stays active, while a record
    /// links to them through a field that needs it: change those first.
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        let Some(id) = id else { return Vec::new() };
        let mut guards = Vec::new();
        for role_use in &ROLE_USES {
            let used = format!("{} {COUNT} {}", role_use.what, role_use.collection.name());
            let mut not_used = |field: &str, message: String| {
                guards.push(Guard::NotReferenced {
                    collection: role_use.collection,
                    via_field: role_use.field.into(),
                    target_id: id.into(),
                    unless: None,
                    field: field.into(),
                    message,
                });
            };
            if !self.job_roles.contains(&role_use.role) {
                not_used(
                    "job_roles",
                    format!("keeps {} while this person is {used}", role_use.role),
                );
            }
            if !self.active {
                not_used("active", format!("stays true while this person is {used}"));
            }
        }
        guards
    }
}
