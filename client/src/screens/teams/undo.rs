//! Undo (`u`) of the last customer move made from the teams board. The
//! customer goes back by a new merge patch of its `team_id` with `If-Match`
//! of the version the move left, so a customer changed since (by anyone,
//! anywhere) is refused (412) and named, never silently moved back.

use crate::api::{Record, record_id, record_version};

/// How the last move made from the board can be taken back.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamUndo {
    /// Move `customer` (`label` on screen) back to `team_id` at the
    /// `version` the move left it at.
    Back {
        customer: String,
        label: String,
        team_id: String,
        version: i64,
    },
    /// The move waits in the outbox: the server has nothing to take back
    /// yet, and the version it will leave is not known.
    Queued,
}

impl TeamUndo {
    /// The way back from a move of `label` out of `from` (a team id),
    /// answered by the server with `record`.
    pub fn of_move(record: &Record, label: &str, from: &str) -> TeamUndo {
        if crate::outbox::is_pending(record) {
            return TeamUndo::Queued;
        }
        TeamUndo::Back {
            customer: record_id(record).to_string(),
            label: label.to_string(),
            team_id: from.to_string(),
            version: record_version(record),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: serde_json::Value) -> Record {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_way_back_is_the_team_left_at_the_version_the_move_left() {
        let moved = record(json!({"id": "c1", "version": 5, "team_id": "t2"}));
        assert_eq!(
            TeamUndo::of_move(&moved, "MOF", "t1"),
            TeamUndo::Back {
                customer: "c1".into(),
                label: "MOF".into(),
                team_id: "t1".into(),
                version: 5,
            }
        );
        let queued = record(json!({"id": "c1", "version": 4, "_pending": true}));
        assert_eq!(TeamUndo::of_move(&queued, "MOF", "t1"), TeamUndo::Queued);
    }
}
