//! What each collection adds to the generic calls: read-only fields the
//! server sets, unique fields, rules that need other records, and fields
//! derived on read. Adding a collection means implementing [`Resource`].

use std::future::Future;

use rapport_shared::Collection;
use rapport_shared::enums::{JobRole, RfcStatus};
use rapport_shared::records::{
    ContactInput, CustomerInput, RFC_READ_ONLY, RecordInput, RfcInput, ServiceInput, StaffInput,
    TeamInput,
};
use rapport_shared::{FieldError, ValidationErrors};
use serde_json::{Map, Value};

use crate::store::{Actor, Guard, Store, StoreError, StoredRecord, UniqueField};

use super::error::{ApiError, ApiResult};
use super::guards::{self, ROLE_USES};

/// A collection served by the generic calls of [`super::records`].
pub trait Resource: RecordInput + Send + Sync + 'static {
    /// Fields only the server writes; a PATCH that changes one is refused.
    const READ_ONLY: &'static [&'static str] = &[];

    /// The read-only fields of a new record.
    fn initial_fields(_actor: &Actor) -> Map<String, Value> {
        Map::new()
    }

    /// Fields that must be unique within the collection.
    fn unique(&self) -> Vec<UniqueField> {
        Vec::new()
    }

    /// Rules that need other records; `id` is `None` on create.
    fn check(
        &self,
        _store: &dyn Store,
        _id: Option<&str>,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }

    /// The rules of [`Resource::check`] as guards, checked again inside the
    /// write's transaction (see [`super::guards`]); `id` is `None` on create.
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        Vec::new()
    }

    /// Fills fields derived from other records before the record is shown.
    fn derive(
        _record: &mut StoredRecord,
        _store: &dyn Store,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }
}

impl Resource for StaffInput {
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        guards::staff(self, id)
    }

    /// A staff member may not lose a job role, or stop being active, while
    /// a team or service still relies on it: change those first.
    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(id) = id else { return Ok(()) };
        let mut errors = Vec::new();
        for use_ in &ROLE_USES {
            let (collection, role, what) = (use_.collection, use_.role, use_.what);
            let users = store
                .linked_from(collection, use_.field.to_string(), id.to_string())
                .await?;
            if users.is_empty() {
                continue;
            }
            let used = format!("{what} {} {}", users.len(), collection.name());
            if !self.job_roles.contains(&role) {
                errors.push(FieldError::new(
                    "job_roles",
                    format!("keeps {role} while this person is {used}"),
                ));
            }
            if !self.active {
                errors.push(FieldError::new(
                    "active",
                    format!("stays true while this person is {used}"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(ValidationErrors(errors)))
        }
    }
}

impl Resource for ContactInput {
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        guards::contact(self, id)
    }

    /// A contact who is a customer's purchaser, or requested RFCs, may not
    /// move to another customer: that would make a customer's purchaser
    /// or an RFC's requester someone from elsewhere.
    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(id) = id else { return Ok(()) };
        let purchaser_of = store
            .linked_from(
                Collection::Customers,
                "purchaser_contact_id".into(),
                id.to_string(),
            )
            .await?;
        if purchaser_of
            .iter()
            .any(|customer| *customer != self.customer_id)
        {
            return Err(ApiError::invalid(
                "customer_id",
                "this contact is another customer's purchaser: choose a new purchaser there first",
            ));
        }
        let requested = store
            .linked_from(
                Collection::Rfcs,
                "requested_by_contact_id".into(),
                id.to_string(),
            )
            .await?;
        for rfc_id in requested {
            let rfc = store.get(Collection::Rfcs, rfc_id).await?;
            if rfc.fields.get("customer_id").and_then(Value::as_str)
                != Some(self.customer_id.as_str())
            {
                return Err(ApiError::invalid(
                    "customer_id",
                    "this contact requested RFCs of their current customer and cannot move to another",
                ));
            }
        }
        Ok(())
    }
}

impl Resource for ServiceInput {
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        guards::service(self)
    }

    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        if let Some(owner_id) = &self.owner_id {
            require_role(store, "owner_id", owner_id, JobRole::ServiceOwner).await?;
        }
        Ok(())
    }
}

impl Resource for CustomerInput {
    fn guards(&self, id: Option<&str>) -> Vec<Guard> {
        guards::customer(self, id)
    }

    fn unique(&self) -> Vec<UniqueField> {
        vec![UniqueField {
            field: "code".into(),
            value: self.code.clone(),
        }]
    }

    async fn check(&self, store: &dyn Store, id: Option<&str>) -> ApiResult<()> {
        let Some(contact_id) = &self.purchaser_contact_id else {
            return Ok(());
        };
        let contact = match store.get(Collection::Contacts, contact_id.clone()).await {
            Ok(contact) => contact,
            Err(StoreError::NotFound { .. }) => {
                return Err(ApiError::invalid(
                    "purchaser_contact_id",
                    format!("no contact with id {contact_id}"),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let belongs = id.is_some_and(|id| {
            contact.fields.get("customer_id").and_then(Value::as_str) == Some(id)
        });
        if belongs {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "purchaser_contact_id",
                "the purchaser must be one of this customer's contacts (create the customer, then its contact, then set the purchaser)",
            ))
        }
    }
}

impl Resource for TeamInput {
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        guards::team(self)
    }

    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        let mut errors = Vec::new();
        let checks = std::iter::once(("brm_id", &self.brm_id, JobRole::Brm))
            .chain(std::iter::once((
                "delivery_manager_id",
                &self.delivery_manager_id,
                JobRole::DeliveryManager,
            )))
            .chain(
                self.service_owner_ids
                    .iter()
                    .map(|id| ("service_owner_ids", id, JobRole::ServiceOwner)),
            );
        for (field, staff_id, role) in checks {
            match require_role(store, field, staff_id, role).await {
                Ok(()) => {}
                Err(ApiError::Invalid(found)) => errors.extend(found.0),
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(ValidationErrors(errors)))
        }
    }

    async fn derive(record: &mut StoredRecord, store: &dyn Store) -> ApiResult<()> {
        let customer_ids = store
            .linked_from(Collection::Customers, "team_id".into(), record.id.clone())
            .await?;
        record.fields.insert(
            "customer_ids".into(),
            Value::Array(customer_ids.into_iter().map(Value::String).collect()),
        );
        Ok(())
    }
}

impl Resource for RfcInput {
    const READ_ONLY: &'static [&'static str] = RFC_READ_ONLY;

    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        guards::rfc(self)
    }

    fn initial_fields(actor: &Actor) -> Map<String, Value> {
        let mut fields = Map::new();
        fields.insert(
            "status".into(),
            Value::String(RfcStatus::New.as_str().into()),
        );
        fields.insert("route".into(), Value::Null);
        fields.insert("open".into(), Value::Bool(true));
        fields.insert(
            "raised_by_id".into(),
            actor
                .staff_id
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        fields
    }

    async fn check(&self, store: &dyn Store, _id: Option<&str>) -> ApiResult<()> {
        let Some(contact_id) = &self.requested_by_contact_id else {
            return Ok(());
        };
        match store.get(Collection::Contacts, contact_id.clone()).await {
            Ok(contact)
                if contact.fields.get("customer_id").and_then(Value::as_str)
                    == Some(self.customer_id.as_str()) =>
            {
                Ok(())
            }
            Ok(_) => Err(ApiError::invalid(
                "requested_by_contact_id",
                "the requester must be a contact of the RFC's customer",
            )),
            Err(StoreError::NotFound { .. }) => Err(ApiError::invalid(
                "requested_by_contact_id",
                format!("no contact with id {contact_id}"),
            )),
            Err(other) => Err(other.into()),
        }
    }
}

/// 422 on `field` unless staff member `staff_id` exists, is active and has `role`.
async fn require_role(
    store: &dyn Store,
    field: &str,
    staff_id: &str,
    role: JobRole,
) -> ApiResult<()> {
    let staff = match store.get(Collection::Staff, staff_id.to_string()).await {
        Ok(staff) => staff,
        Err(StoreError::NotFound { .. }) => {
            return Err(ApiError::invalid(
                field,
                format!("no staff member with id {staff_id}"),
            ));
        }
        Err(other) => return Err(other.into()),
    };
    let name = staff
        .fields
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(staff_id);
    let has_role = staff
        .fields
        .get("job_roles")
        .and_then(Value::as_array)
        .is_some_and(|roles| roles.iter().any(|r| r.as_str() == Some(role.as_str())));
    let active = staff
        .fields
        .get("active")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let problem = if !has_role {
        Some(format!("{name} does not have the {role} job role"))
    } else if !active {
        Some(format!("{name} is no longer active"))
    } else {
        None
    };
    match problem {
        Some(message) => Err(ApiError::Invalid(ValidationErrors(vec![FieldError::new(
            field, message,
        )]))),
        None => Ok(()),
    }
}
