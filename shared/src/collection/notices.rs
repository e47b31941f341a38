//! Notices: what the customer care centre announces to the customers a
//! piece of work or an outage touches (scheduled maintenance, an outage,
//! information). Holds [`NoticeKind`], [`NoticeInput`], [`Notice`] with
//! its derived `affected_customer_ids`, and the collection's declaration.
//! Who is affected is not stored: the server derives it on every read
//! from the active agreements covering the notice's services, so a new
//! agreement changes who a standing notice reaches.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::input::input_fields;
use super::record::Meta;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("notices", "notice", Permission::Operator)
    .filters(&[
        FilterSpec::not_passed("active", "ends_at"),
        FilterSpec::text("kind").one_of(NoticeKind::NAMES),
    ])
    .search(&["text"]);

string_enum!(
    /// What a notice announces (the default only stands in for a kind
    /// that was refused).
    #[derive(Default)]
    NoticeKind {
        ScheduledMaintenance = "scheduled_maintenance",
        Outage = "outage",
        #[default]
        Information = "information",
    }
);

input_fields! {
    /// An announcement to the customers of some services.
    pub struct NoticeInput for Notices, stored as Notice {
        kind: NoticeKind = required_enum(NoticeKind),
        /// What the customers are told; the first line is its summary.
        text: String = required_text,
        /// When the work or the outage begins (RFC 3339, with its offset).
        starts_at: Timestamp = required_timestamp,
        /// When it ends; not before `starts_at`. Without it the notice
        /// stays active.
        ends_at: Option<Timestamp> = optional_timestamp_from(starts_at, "starts_at"),
        /// Ids of the services it concerns.
        #[serde(default)]
        service_ids: Vec<String> = id_list -> Services,
    }
    accepts NOTICE_DERIVED;
}

/// Notice fields the server derives on every read; sent back, they are
/// accepted and ignored.
pub const NOTICE_DERIVED: &[&str] = &["affected_customer_ids"];

/// Notice as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Notice {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: NoticeInput,
    /// Customers with an active agreement covering one of its services,
    /// as of the read.
    #[serde(default)]
    #[schemars(extend("readOnly" = true))]
    pub affected_customer_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn a_notice_needs_its_kind_text_and_start() {
        let errors = read_input::<NoticeInput>(json!({})).expect_err("empty");
        for field in ["kind", "text", "starts_at"] {
            assert_eq!(errors.for_field(field), Some("is required"), "{field}");
        }
        let input: NoticeInput = read_input(json!({
            "kind": "scheduled_maintenance", "text": "Mail upgrade",
            "starts_at": "2026-12-05T22:00:00+01:00", "service_ids": ["s1"],
        }))
        .expect("valid");
        assert_eq!(input.starts_at.to_string(), "2026-12-05T21:00:00Z");
        assert_eq!(input.ends_at, None);
        let fields: Vec<_> = input.references().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["service_ids"]);
    }

    #[test]
    fn times_need_an_offset_and_the_end_follows_the_start() {
        let errors = read_input::<NoticeInput>(json!({
            "kind": "outage", "text": "Network down",
            "starts_at": "2026-12-05T22:00:00", "ends_at": "soon",
        }))
        .expect_err("no offset, no time");
        assert!(errors.for_field("starts_at").is_some_and(|m| m.contains("offset")));
        assert!(errors.for_field("ends_at").is_some_and(|m| m.contains("offset")));
        let errors = read_input::<NoticeInput>(json!({
            "kind": "outage", "text": "Network down",
            "starts_at": "2026-12-05T22:00:00Z", "ends_at": "2026-12-05T21:59:59Z",
        }))
        .expect_err("ends before it starts");
        assert_eq!(errors.for_field("ends_at"), Some("must not be before starts_at"));
        let errors = read_input::<NoticeInput>(json!({
            "kind": "rumour", "text": "x", "starts_at": "2026-12-05T22:00:00Z",
        }))
        .expect_err("an unknown kind");
        assert!(errors.for_field("kind").is_some());
    }
}
