//! What each served collection adds to the generic calls, one module per
//! collection: read-only fields the server sets, unique fields, rules that
//! need other records (as guards the store checks inside the write), and
//! fields derived on read ([`Resource`]). The one
//! list of served collections is the `served!` list below, which makes [`each`]:
//! the router (and through it the list calls) and the OpenAPI document read it.
//!
//! Adding a collection here means one module implementing [`Resource`] for
//! its input type and one line in that list.

use std::future::Future;

use rapport_shared::Collection;
use rapport_shared::enums::JobRole;
use rapport_shared::records::RecordInput;
use serde_json::{Map, Value};

use crate::store::guard::NAME;
use crate::store::{
    Actor, Condition, Derivation, Guard, Requirement, Store, StoredRecord, UniqueField,
};

use super::error::ApiResult;

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

    /// Rules about other records, as guards the store checks inside the
    /// write's transaction, so that of two racing writes that would together
    /// break a rule the second fails (see [`crate::store::guard`]); `id` is
    /// `None` on create.
    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        Vec::new()
    }

    /// Fields the store computes inside the write's transaction (see
    /// [`crate::store::derive`]), for op 0; `current` is the record being
    /// changed (`None` on create).
    fn derivations(&self, _current: Option<&StoredRecord>) -> Vec<Derivation> {
        Vec::new()
    }

    /// Rules that need other records but cannot race (checked before the
    /// write); `id` is `None` on create. Prefer [`Resource::guards`].
    fn check(
        &self,
        _store: &dyn Store,
        _id: Option<&str>,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }

    /// Sort orders [`Resource::list_view`] offers besides the collection's.
    const EXTRA_SORTS: &'static [&'static str] = &[];

    /// List parameters [`Resource::list_view`] reads, with their values.
    const EXTRA_LIST_PARAMS: &'static [(&'static str, &'static [&'static str])] = &[];

    /// A list answered otherwise than by one page of the store (the
    /// customers' `sort=health`); `None` leaves it to the generic call.
    fn list_view(
        _call: &super::route::Call,
    ) -> impl Future<Output = ApiResult<Option<crate::http::Response>>> + Send {
        async { Ok(None) }
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
    improvements => ImprovementInput,
    agreements => AgreementInput,
    level_results => LevelResultInput,
    activities => ActivityInput,
    budget_lines => BudgetLineInput,
    usage => UsageInput,
    surveys => SurveyInput,
    notices => NoticeInput,
    meetings => MeetingInput,
}

/// Staff member `staff_id`, named in `field`, exists, has `role` and is active.
fn has_role(field: &str, staff_id: &str, role: JobRole) -> Guard {
    Guard::Requires {
        collection: Collection::Staff,
        id: staff_id.into(),
        field: field.into(),
        missing: format!("no staff member with id {staff_id}"),
        requirements: vec![
            Requirement {
                condition: Condition::Contains {
                    field: "job_roles".into(),
                    value: Value::String(role.as_str().into()),
                },
                message: format!("{NAME} does not have the {role} job role"),
                on_field: None,
            },
            still_active(),
        ],
    }
}

/// Staff member `staff_id`, named in `field`, exists and is active (in
/// any job role).
fn active_staff(field: &str, staff_id: &str) -> Guard {
    Guard::Requires {
        collection: Collection::Staff,
        id: staff_id.into(),
        field: field.into(),
        missing: format!("no staff member with id {staff_id}"),
        requirements: vec![still_active()],
    }
}

/// The staff member's `active` is not false.
fn still_active() -> Requirement {
    Requirement {
        condition: Condition::NotFalse {
            field: "active".into(),
        },
        message: format!("{NAME} is no longer active"),
        on_field: None,
    }
}

/// Contact `contact_id`, named in `field`, exists and belongs to `customer_id`.
fn contact_of(field: &str, contact_id: &str, customer_id: &str, message: &str) -> Guard {
    Guard::Requires {
        collection: Collection::Contacts,
        id: contact_id.into(),
        field: field.into(),
        missing: format!("no contact with id {contact_id}"),
        requirements: vec![Requirement {
            condition: of_customer(customer_id),
            message: message.into(),
            on_field: None,
        }],
    }
}

/// The record's `customer_id` is `customer_id`.
fn of_customer(customer_id: &str) -> Condition {
    Condition::Equals {
        field: "customer_id".into(),
        value: Value::String(customer_id.into()),
    }
}
