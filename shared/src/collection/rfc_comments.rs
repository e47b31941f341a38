//! RFC comments: what people said about an RFC, kept beside it and served
//! under `/rfcs/{id}/comments`.

use super::spec::{CollectionSpec, FilterSpec, PLAIN_SORTS};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec {
    name: "rfc_comments",
    noun: "RFC comment",
    write_permission: Permission::Operator,
    filters: &[FilterSpec::text("rfc_id")],
    search_fields: &["text"],
    sorts: PLAIN_SORTS,
};
