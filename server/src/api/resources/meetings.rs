//! Meetings: every contact attending is one of the meeting's customer
//! (a guard, checked inside the write, so a contact moved to another
//! customer meanwhile fails the write), and `team_id` is copied from the
//! customer inside the write's transaction (a derivation): the team that
//! met the customer, kept when the customer later moves to another team.

use rapport_shared::Collection;
use rapport_shared::records::MeetingInput;

use crate::store::{Derivation, Guard, Source, StoredRecord};

use super::{Resource, contact_of};

impl Resource for MeetingInput {
    const READ_ONLY: &'static [&'static str] = &["team_id"];

    fn read_only_message(_field: &str) -> &'static str {
        "follows from the customer's team"
    }

    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.attendee_contact_ids
            .iter()
            .map(|contact| {
                contact_of(
                    "attendee_contact_ids",
                    contact,
                    &self.customer_id,
                    "is not a contact of the meeting's customer",
                )
            })
            .collect()
    }

    fn derivations(&self, _current: Option<&StoredRecord>) -> Vec<Derivation> {
        vec![Derivation {
            op: 0,
            field: "team_id".into(),
            source: Source::FieldOf {
                collection: Collection::Customers,
                id: self.customer_id.clone(),
                field: "team_id".into(),
            },
        }]
    }
}
