//! RFC transitions: the workflow steps of an RFC, written by the server
//! with each step and served under `/rfcs/{id}/history`.

use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "rfc_transitions",
    noun: "RFC transition",
    write_permission: Permission::Operator,
    filters: &[FilterSpec::text("rfc_id")],
    search_fields: &["note"],
    sorts: PLAIN_SORTS,
};
