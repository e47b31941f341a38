//! What each served collection adds to the generic calls, one module per
//! collection: read-only fields the server sets, unique fields, rules that
//! need other records, and fields derived on read ([`Resource`]). The one
//! list of served collections is the `served!` list below, which makes [`each`]:
//! the router (and through it the list calls) and the OpenAPI document read it.
//!
//! Adding a collection here means one module implementing [`Resource`] for
//! its input type and one line in that list.

use std::future::Future;

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::RecordInput;
use rapport_shared::{FieldError, ValidationErrors};
use serde_json::{Map, Value};

use crate::store::{Actor, Store, StoreError, StoredRecord, UniqueField};

use super::error::{ApiError, ApiResult};

/// A collection served by the generic calls of [`super::records`].
pub trait Resource: RecordInput + Send + Sync + 'static {
    /// Fields only the server writes; a PATCH that changes one is refused.
    const READ_ONLY: &'static [&'static str] = &[];

    /// Why a PATCH may not change read-only `field` (the 422's message).
    fn read_only_message(_field: &str) -> &'static str {
        "is read-only"
    }

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

    /// Fills fields derived from other records before the record is shown.
    fn derive(
        _record: &mut StoredRecord,
        _store: &dyn Store,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }
}

/// Something done once per served collection, typed by its [`Resource`]
/// (adding its routes, its schemas).
pub trait ForEachResource {
    fn visit<R: Resource>(&mut self);
}

/// Declares the served collections, `module => InputType`: the modules
/// holding their rules, and [`each`] visiting them in this order (the
/// order of their routes and schemas).
macro_rules! served {
    ($($module:ident => $input:ident,)+) => {
        $(mod $module;)+

        /// Does `visitor`'s work for every served collection, in order.
        pub fn each(visitor: &mut impl ForEachResource) {
            $(visitor.visit::<rapport_shared::records::$input>();)+
        }
    };
}

served! {
    staff => StaffInput,
    customers => CustomerInput,
    contacts => ContactInput,
    teams => TeamInput,
    services => ServiceInput,
    rfcs => RfcInput,
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
