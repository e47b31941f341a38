//! The collections of records, each declared once. Every collection has
//! one module here holding its input and stored types, the words only it
//! uses and its [`CollectionSpec`]: its name (path segment and table), noun,
//! write permission, list filters with their values, search fields and
//! sort orders. The one list below (`collections!`) makes the
//! [`Collection`] enum and points each value at its declaration; everything
//! else (server routes, list filters, the store, the OpenAPI document, the
//! client) reads the declaration instead of matching on the collection.
//!
//! Modules: [`record`] (what every record shares: [`Meta`], [`Reference`],
//! [`RecordInput`]), [`spec`] (the declaration's shape) and `input` (the
//! `input_fields!` macro declaring an input type), then one per
//! collection. Their types are re-exported here, so
//! `rapport_shared::records::StaffInput` names the staff input.
//!
//! Adding a collection: one module holding `pub(super) const SPEC`
//! (`CollectionSpec::new(name, noun, permission)` and the builders for
//! its filters, search fields and sorts), its
//! input type declared with `input_fields!` (each field once, with how it
//! is read and, for ids, the collection it refers to; a rule only it has
//! is a small function the field names with `where`), its stored type
//! (`pub type Thing = Stored<ThingInput>` unless its records carry
//! read-only fields) and the words only it uses; then one
//! `Variant => module,` line in the list.

mod input;
pub mod record;
pub mod spec;

use serde::{Deserialize, Serialize};

use crate::enums::Permission;
use crate::wire::Sort;

pub use record::{Meta, RecordInput, Reference, Stored, to_object};
pub use spec::{CollectionSpec, FilterFormat, FilterKind, FilterSpec, is_record_id};

/// Declares every collection: `Variant => module`, the REST collections
/// (served as `/api/v1/{name}` with the five calls) first, then the side
/// collections kept beside another record. Generates the modules, the
/// re-exports of their types, [`Collection`] with `REST`, `ALL`
/// and `spec`.
macro_rules! collections {
    (
        rest { $($(#[$rest_doc:meta])* $rest:ident => $rest_module:ident,)+ }
        side { $($(#[$side_doc:meta])* $side:ident => $side_module:ident,)+ }
    ) => {
        $(pub mod $rest_module; pub use $rest_module::*;)+
        $(pub mod $side_module; pub use $side_module::*;)+

        /// A kind of record the server keeps.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Collection {
            $($(#[$rest_doc])* $rest,)+
            $($(#[$side_doc])* $side,)+
        }

        impl Collection {
            /// The collections served as `/api/v1/{name}` with the five calls.
            pub const REST: &'static [Collection] = &[$(Collection::$rest),+];

            /// Every collection the store keeps.
            pub const ALL: &'static [Collection] =
                &[$(Collection::$rest,)+ $(Collection::$side),+];

            /// The collection's declaration.
            pub const fn spec(self) -> &'static CollectionSpec {
                match self {
                    $(Collection::$rest => &$rest_module::SPEC,)+
                    $(Collection::$side => &$side_module::SPEC,)+
                }
            }
        }
    };
}

collections! {
    rest {
        Staff => staff,
        Customers => customers,
        Contacts => contacts,
        Teams => teams,
        Services => services,
        Rfcs => rfcs,
        Improvements => improvements,
        Agreements => agreements,
        LevelResults => level_results,
        Activities => activities,
        BudgetLines => budget_lines,
        Usage => usage,
        Surveys => surveys,
        Notices => notices,
        Meetings => meetings,
    }
    side {
        /// Comments on an RFC (served under `/rfcs/{id}/comments`).
        RfcComments => rfc_comments,
        /// Workflow steps of an RFC (served under `/rfcs/{id}/history`).
        RfcTransitions => rfc_transitions,
        /// Responses to a survey (served under `/surveys/{id}/responses`).
        SurveyResponses => survey_responses,
    }
}

impl Collection {
    /// The collection's name: its path segment and its table name (a
    /// `const fn`, for declarations such as the client's list screens).
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// Parses a collection name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// A record of this collection in words, for messages ("customer").
    pub fn noun(self) -> &'static str {
        self.spec().noun
    }

    /// The permission needed to create, change or delete a record here.
    pub fn write_permission(self) -> Permission {
        self.spec().write_permission
    }

    /// The exact-match filters the list call takes.
    pub fn filters(self) -> &'static [FilterSpec] {
        self.spec().filters
    }

    /// The text fields `q` searches, case-insensitively.
    pub fn search_fields(self) -> &'static [&'static str] {
        self.spec().search_fields
    }

    /// The orders the list call offers (`sort=`).
    pub fn sorts(self) -> &'static [Sort] {
        self.spec().sorts
    }
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_is_named_as_its_collection() {
        for collection in Collection::ALL {
            let wire = serde_json::to_value(collection).expect("a collection serialises");
            assert_eq!(wire, collection.name(), "{collection:?}");
            assert_eq!(Collection::parse(collection.name()), Some(*collection));
            assert!(collection.sorts().contains(&Sort::Created), "{collection}");
        }
    }
}
