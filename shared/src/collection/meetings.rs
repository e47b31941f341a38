//! Meetings with a customer, of two kinds kept apart on purpose:
//! forward-looking sessions (new needs, changes the business plans) and
//! follow-up meetings (the delivery reviewed against what was agreed).
//! Holds [`MeetingKind`], [`AgendaItem`], [`AgendaSource`],
//! [`ActionItem`], [`MeetingInput`], [`Meeting`] with its read-only
//! `team_id` (the customer's team when the meeting was written) and the
//! collection's declaration.

use jiff::Timestamp;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Collection;
use super::input::{IdField, input_fields};
use super::record::{Meta, Reference};
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::{Permission, string_enum};
use crate::fields::FieldReader;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("meetings", "meeting", Permission::Manager)
    .filters(&[
        FilterSpec::text("kind").one_of(MeetingKind::NAMES),
        FilterSpec::id("customer_id"),
        FilterSpec::id("team_id"),
        FilterSpec::from("from", "starts_at"),
        FilterSpec::to("to", "starts_at"),
    ])
    .search(&["title"]);

/// The longest a meeting may be said to last: a working day.
pub const MAX_DURATION_MINUTES: i64 = 12 * 60;

string_enum!(
    /// Which of the two kinds a meeting is.
    MeetingKind {
        ForwardLooking = "forward_looking",
        FollowUp = "follow_up",
    }
);

impl Default for MeetingKind {
    /// Only stands in for a kind that was refused.
    fn default() -> Self {
        MeetingKind::FollowUp
    }
}

/// The records an agenda item was built from, so they can be opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgendaSource {
    /// The collection of the records (`rfcs`, `agreements`, ...).
    pub collection: String,
    /// Their ids; empty when the item stands for a query's answer.
    #[serde(default)]
    pub ids: Vec<String>,
    /// The list query that finds them (`status=closed&customer_id=...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// One item of a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgendaItem {
    pub title: String,
    /// The figures or points to discuss, one per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Who leads the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The minutes set aside for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AgendaSource>,
}

/// One action agreed at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActionItem {
    pub text: String,
    /// The staff member who carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    #[serde(default)]
    pub done: bool,
}

/// Reads an agenda item's source.
fn read_source(reader: &mut FieldReader<'_>) -> AgendaSource {
    let collection = reader.required_line("collection");
    if !collection.is_empty() && Collection::parse(&collection).is_none() {
        reader.error("collection", "must name a collection");
    }
    AgendaSource {
        collection,
        ids: reader.id_list("ids"),
        query: reader.optional_line("query"),
    }
}

/// Reads one agenda item.
fn read_agenda_item(reader: &mut FieldReader<'_>) -> AgendaItem {
    let source = reader.optional_object("source", read_source);
    AgendaItem {
        title: reader.required_line("title"),
        notes: reader.optional_text("notes"),
        owner_id: reader.optional_id("owner_id"),
        minutes: reader.optional_int("minutes", 1..=MAX_DURATION_MINUTES),
        source,
    }
}

/// Reads one action item.
fn read_action(reader: &mut FieldReader<'_>) -> ActionItem {
    ActionItem {
        text: reader.required_line("text"),
        owner_id: reader.optional_id("owner_id"),
        due_on: reader.optional_date("due_on"),
        done: reader.bool_or("done", false),
    }
}

impl IdField for Vec<AgendaItem> {
    /// The staff members leading items.
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        owners(self.iter().map(|item| &item.owner_id), field, collection)
    }
}

impl IdField for Vec<ActionItem> {
    /// The staff members carrying actions.
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        owners(self.iter().map(|item| &item.owner_id), field, collection)
    }
}

fn owners<'a>(
    owners: impl Iterator<Item = &'a Option<String>>,
    field: &'static str,
    collection: Collection,
) -> Vec<Reference> {
    owners
        .flatten()
        .map(|id| Reference {
            field,
            collection,
            id: id.clone(),
        })
        .collect()
}

input_fields! {
    /// A meeting with a customer.
    pub struct MeetingInput for Meetings, stored as Meeting {
        kind: MeetingKind = required_enum(MeetingKind),
        /// Id of the customer met; the team follows from it.
        customer_id: String = required_id -> Customers,
        /// When it starts (RFC 3339, with its offset).
        starts_at: Timestamp = required_timestamp,
        title: Option<String> = optional_line,
        duration_minutes: Option<i64> = optional_int(1..=MAX_DURATION_MINUTES),
        /// A room, an address or a link.
        location: Option<String> = optional_line,
        /// Staff attending.
        #[serde(default)]
        attendee_staff_ids: Vec<String> = id_list -> Staff,
        /// Contacts attending; each of the meeting's customer.
        #[serde(default)]
        attendee_contact_ids: Vec<String> = id_list -> Contacts,
        #[serde(default)]
        agenda: Vec<AgendaItem> = object_list(read_agenda_item) -> Staff,
        minutes: Option<String> = optional_text,
        #[serde(default)]
        decisions: Vec<String> = line_list,
        #[serde(default)]
        actions: Vec<ActionItem> = object_list(read_action) -> Staff,
    }
    accepts MEETING_DERIVED;
}

/// Meeting fields the server sets; sent back, they are accepted and ignored.
pub const MEETING_DERIVED: &[&str] = &["team_id"];

/// Meeting as read from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Meeting {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: MeetingInput,
    /// The customer's team when the meeting was last written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("readOnly" = true))]
    pub team_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::RecordInput;
    use crate::collection::record::read_input;
    use serde_json::json;

    #[test]
    fn a_meeting_needs_its_kind_customer_and_start() {
        let errors = read_input::<MeetingInput>(json!({})).expect_err("empty");
        for field in ["kind", "customer_id", "starts_at"] {
            assert_eq!(errors.for_field(field), Some("is required"), "{field}");
        }
        let input: MeetingInput = read_input(json!({
            "kind": "follow_up", "customer_id": "c1", "starts_at": "2026-12-10T09:00:00Z",
            "attendee_staff_ids": ["s1"], "attendee_contact_ids": ["p1"],
            "agenda": [{"title": "Service levels", "notes": "availability met 5 of 6",
                        "source": {"collection": "agreements", "ids": ["a1"]}, "owner_id": "s2"}],
            "decisions": ["Move the backup window"],
            "actions": [{"text": "Send the report", "owner_id": "s1", "due_on": "2026-12-17"}],
        }))
        .expect("valid");
        assert!(!input.actions[0].done);
        assert_eq!(input.agenda[0].source.as_ref().map(|s| s.ids.len()), Some(1));
        let fields: Vec<_> = input.references().iter().map(|r| (r.field, r.id.clone())).collect();
        assert_eq!(
            fields,
            [
                ("customer_id", "c1".to_string()),
                ("attendee_staff_ids", "s1".into()),
                ("attendee_contact_ids", "p1".into()),
                ("agenda", "s2".into()),
                ("actions", "s1".into()),
            ]
        );
    }

    #[test]
    fn bad_items_are_named_by_their_list() {
        for (field, value) in [
            ("agenda", json!([{"notes": "no title"}])),
            ("agenda", json!([{"title": "x", "source": {"collection": "nothing"}}])),
            ("actions", json!([{"text": "x", "due_on": "soon"}])),
            ("actions", json!([{"text": "x", "done": "yes"}])),
            ("decisions", json!(["", "b"])),
            ("decisions", json!("one")),
            ("duration_minutes", json!(0)),
            ("kind", json!("chat")),
        ] {
            let mut body = json!({"kind": "follow_up", "customer_id": "c1",
                                  "starts_at": "2026-12-10T09:00:00Z"});
            body[field] = value.clone();
            let errors = read_input::<MeetingInput>(body).expect_err("refused");
            assert!(errors.for_field(field).is_some(), "{field} {value}: {errors:?}");
        }
    }
}
