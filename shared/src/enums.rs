//! The closed vocabularies of the domain. Each enum serialises as its
//! `snake_case` wire name and knows all of its values, so validation,
//! pickers in the client and the OpenAPI document list the same words.
//! The words one collection alone uses live in that collection's module
//! (see [`crate::collection`]) and are re-exported here by their old names.

pub use crate::collection::contacts::ContactRole;
pub use crate::collection::customers::{CustomerKind, CustomerStatus};
pub use crate::collection::rfcs::{Priority, RfcCategory};

/// Declares a fieldless enum with its wire names, `ALL`, `NAMES`, `as_str`,
/// parsing and its JSON schema (an `enum` of the wire names).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire names of every value, in declaration order (a
            /// constant, for declarations such as filter vocabularies).
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// The wire name of this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses a wire name; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// The wire names of every value, for error messages and pickers.
            pub fn names() -> Vec<&'static str> {
                Self::NAMES.to_vec()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text).ok_or_else(|| {
                    format!("must be one of {}", Self::names().join(", "))
                })
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(
    /// What an API token may do; each of viewer, operator, manager and
    /// admin includes the ones before it. `metrics` stands apart: it reads
    /// only `GET /metrics` (a scraper's token sees no record), which admin
    /// may read too.
    Permission {
        Viewer = "viewer",
        Operator = "operator",
        Manager = "manager",
        Admin = "admin",
        Metrics = "metrics",
    }
);

impl Permission {
    /// Whether a token with `self` may do what needs `needed`.
    pub fn allows(self, needed: Permission) -> bool {
        match (self, needed) {
            (Permission::Metrics, needed) => needed == Permission::Metrics,
            (has, Permission::Metrics) => has == Permission::Admin,
            (has, needed) => has >= needed,
        }
    }
}

string_enum!(
    /// A staff member's job in the IT organisation.
    JobRole {
        Brm = "brm",
        DeliveryManager = "delivery_manager",
        ServiceOwner = "service_owner",
        ServiceDesk = "service_desk",
    }
);

string_enum!(
    /// Where an RFC stands in its workflow (see [`crate::rfc`]).
    RfcStatus {
        New = "new",
        Triaged = "triaged",
        Assessing = "assessing",
        Approved = "approved",
        Rejected = "rejected",
        Scheduled = "scheduled",
        Implemented = "implemented",
        Negotiating = "negotiating",
        AgreementUpdated = "agreement_updated",
        Declined = "declined",
        Closed = "closed",
        Withdrawn = "withdrawn",
    }
);

string_enum!(
    /// The route triage chooses for an RFC.
    RfcRoute {
        /// Inside what the agreement already covers.
        ChangeManagement = "change_management",
        /// Outside the agreement: the agreement or the portfolio must change.
        ServiceLevelManagement = "service_level_management",
    }
);

string_enum!(
    /// Life of an agreement (SLA).
    AgreementStatus {
        Draft = "draft",
        Active = "active",
        Expired = "expired",
        Terminated = "terminated",
    }
);

string_enum!(
    /// The two kinds of meeting, kept on separate boards on purpose.
    MeetingKind {
        ForwardLooking = "forward_looking",
        FollowUp = "follow_up",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for status in RfcStatus::ALL {
            assert_eq!(RfcStatus::parse(status.as_str()), Some(*status));
            let json = serde_json::to_string(status).expect("enums serialise");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(Priority::parse("urgent"), None);
        assert!("urgent".parse::<Priority>().is_err());
    }

    #[test]
    fn permissions_include_the_ones_before() {
        assert!(Permission::Admin.allows(Permission::Viewer));
        assert!(Permission::Operator.allows(Permission::Operator));
        assert!(!Permission::Operator.allows(Permission::Manager));
    }

    #[test]
    fn metrics_is_its_own_and_only_admin_also_has_it() {
        assert!(Permission::Metrics.allows(Permission::Metrics));
        assert!(Permission::Admin.allows(Permission::Metrics));
        for other in [
            Permission::Viewer,
            Permission::Operator,
            Permission::Manager,
        ] {
            assert!(!other.allows(Permission::Metrics), "{other:?}");
            assert!(!Permission::Metrics.allows(other), "{other:?}");
        }
        assert!(!Permission::Metrics.allows(Permission::Admin));
    }
}
