//! The demo's notices: an outage of remote access under way now and a
//! scheduled mail upgrade next weekend, each about services most customers'
//! agreements cover, so both reach several customers. Times are set from
//! the seeding moment, so the demo always has one current and one upcoming
//! notice.

use jiff::{SignedDuration, Timestamp};
use rapport_shared::records::NoticeInput;
use serde_json::json;

use super::rfcs::Parties;
use super::timeline::Timeline;
use super::{SeedError, actor_for, create_all};
use crate::store::Store;

/// The demo's services by index (see `data::SERVICES`).
const EMAIL: usize = 0;
const IDENTITY: usize = 4;
const NETWORK: usize = 5;

/// What the service desk announced: kind, text, start and end from the
/// seeding moment, and the services concerned.
const NOTICES: &[(&str, &str, i64, i64, &[usize])] = &[
    (
        "outage",
        "VPN access interrupted for remote staff\nA failed line card at the north data centre; traffic is being moved to the second site. Office connections are not affected.",
        -2,
        3,
        &[NETWORK, IDENTITY],
    ),
    (
        "scheduled_maintenance",
        "Mail platform upgrade on Saturday night\nMailboxes and calendars are read-only during the window; mobile devices may ask to sign in again afterwards.",
        24 * 4,
        24 * 4 + 4,
        &[EMAIL],
    ),
];

/// Seeds the notices, each written a few hours before it was due.
pub async fn seed_notices(
    store: &dyn Store,
    timeline: &Timeline,
    parties: &Parties<'_>,
) -> Result<(), SeedError> {
    let desk = actor_for("demo seed", None);
    let now = timeline.now();
    let at = |hours: i64| -> Timestamp { now + SignedDuration::from_hours(hours) };
    for (kind, text, starts, ends, services) in NOTICES {
        let service_ids: Vec<&String> = services.iter().map(|s| &parties.services[*s]).collect();
        let value = json!({
            "kind": kind, "text": text, "service_ids": service_ids,
            "starts_at": at(*starts).to_string(), "ends_at": at(*ends).to_string(),
        });
        let written = timeline.no_later(at(starts.min(&0) - 1));
        let what = text.lines().next().unwrap_or_default().to_string();
        create_all::<NoticeInput>(store, &desk, vec![(what, value)], written).await?;
    }
    Ok(())
}
