//! The collections of records and what each allows: its path under
//! `/api/v1`, the permission its writes need, the filters its list takes and
//! the fields its `q` search looks in.

use serde::{Deserialize, Serialize};

use crate::enums::Permission;

/// A kind of record the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Staff,
    Customers,
    Contacts,
    Teams,
    Services,
    Rfcs,
    /// Comments on an RFC (served under `/rfcs/{id}/comments`).
    RfcComments,
    /// Workflow steps of an RFC (served under `/rfcs/{id}/history`).
    RfcTransitions,
}

impl Collection {
    /// The collections served as `/api/v1/{name}` with the five calls.
    pub const REST: &'static [Collection] = &[
        Collection::Staff,
        Collection::Customers,
        Collection::Contacts,
        Collection::Teams,
        Collection::Services,
        Collection::Rfcs,
    ];

    /// Every collection the store keeps.
    pub const ALL: &'static [Collection] = &[
        Collection::Staff,
        Collection::Customers,
        Collection::Contacts,
        Collection::Teams,
        Collection::Services,
        Collection::Rfcs,
        Collection::RfcComments,
        Collection::RfcTransitions,
    ];

    /// The collection's name: its path segment and its table name.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Staff => "staff",
            Collection::Customers => "customers",
            Collection::Contacts => "contacts",
            Collection::Teams => "teams",
            Collection::Services => "services",
            Collection::Rfcs => "rfcs",
            Collection::RfcComments => "rfc_comments",
            Collection::RfcTransitions => "rfc_transitions",
        }
    }

    /// Parses a collection name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// A record of this collection in words, for messages ("customer").
    pub fn noun(self) -> &'static str {
        match self {
            Collection::Staff => "staff member",
            Collection::Customers => "customer",
            Collection::Contacts => "contact",
            Collection::Teams => "customer team",
            Collection::Services => "service",
            Collection::Rfcs => "RFC",
            Collection::RfcComments => "RFC comment",
            Collection::RfcTransitions => "RFC transition",
        }
    }

    /// The permission needed to create, change or delete a record here.
    pub fn write_permission(self) -> Permission {
        match self {
            Collection::Staff => Permission::Admin,
            Collection::Customers
            | Collection::Contacts
            | Collection::Teams
            | Collection::Services => Permission::Manager,
            Collection::Rfcs | Collection::RfcComments | Collection::RfcTransitions => {
                Permission::Operator
            }
        }
    }

    /// The exact-match filters the list call takes.
    pub fn filters(self) -> &'static [FilterSpec] {
        use FilterKind::{Bool, ListContains, Text};
        // A struct literal (unlike a call) is promoted to a `'static` constant.
        macro_rules! f {
            ($param:literal, $field:literal, $kind:ident) => {
                FilterSpec {
                    param: $param,
                    field: $field,
                    kind: $kind,
                }
            };
        }
        match self {
            Collection::Staff => &[
                f!("job_role", "job_roles", ListContains),
                f!("active", "active", Bool),
            ],
            Collection::Customers => {
                &[f!("status", "status", Text), f!("team_id", "team_id", Text)]
            }
            Collection::Contacts => &[
                f!("customer_id", "customer_id", Text),
                f!("role", "role", Text),
            ],
            Collection::Teams => &[],
            Collection::Services => &[f!("owner_id", "owner_id", Text)],
            Collection::Rfcs => &[
                f!("status", "status", Text),
                f!("route", "route", Text),
                f!("customer_id", "customer_id", Text),
                f!("assignee_id", "assignee_id", Text),
                f!("priority", "priority", Text),
                f!("service_id", "service_id", Text),
                f!("open", "open", Bool),
            ],
            Collection::RfcComments | Collection::RfcTransitions => &[f!("rfc_id", "rfc_id", Text)],
        }
    }

    /// The text fields `q` searches, case-insensitively.
    pub fn search_fields(self) -> &'static [&'static str] {
        match self {
            Collection::Staff => &["name", "email"],
            Collection::Customers => &["name", "code", "description"],
            Collection::Contacts => &["name", "title", "email"],
            Collection::Teams => &["name"],
            Collection::Services => &["name", "description"],
            Collection::Rfcs => &["title", "description"],
            Collection::RfcComments => &["text"],
            Collection::RfcTransitions => &["note"],
        }
    }
}

/// One list filter: the query parameter, the record field it matches and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterSpec {
    pub param: &'static str,
    pub field: &'static str,
    pub kind: FilterKind,
}

/// How a filter value is matched against its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// The field equals the text (ids and enum names).
    Text,
    /// The field is the boolean `true` or `false`.
    Bool,
    /// The field is a list that contains the text.
    ListContains,
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
