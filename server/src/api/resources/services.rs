//! Services: the owner must be an active service owner, and the store
//! keeps the history of the unit price (read-only `price_history`, one
//! entry per price from the moment it was written), which usage is
//! charged from.

use rapport_shared::enums::JobRole;
use rapport_shared::records::{PRICE_HISTORY, ServiceInput};

use crate::store::{Derivation, Guard, Source, StoredRecord};

use super::{Resource, has_role};

impl Resource for ServiceInput {
    const READ_ONLY: &'static [&'static str] = &[PRICE_HISTORY];

    fn read_only_message(_field: &str) -> &'static str {
        "is kept by the server: change unit_price_cents instead"
    }

    fn guards(&self, _id: Option<&str>) -> Vec<Guard> {
        self.owner_id
            .iter()
            .map(|owner_id| has_role("owner_id", owner_id, JobRole::ServiceOwner))
            .collect()
    }

    /// A new price joins the history at the write's time.
    fn derivations(&self, _current: Option<&StoredRecord>) -> Vec<Derivation> {
        vec![Derivation {
            op: 0,
            field: PRICE_HISTORY.into(),
            source: Source::History {
                of: "unit_price_cents".into(),
            },
        }]
    }
}
