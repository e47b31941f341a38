//! Live updates from the server's change feed. A changed record that a
//! board shows is fetched and put in place (the selection stays where it
//! is); a deleted one disappears; a new one joins a board that has every
//! page loaded and no filter. The teams board reloads on the next tick.
//! A feed that fails is told as a failed request is (`request_failed`).

use rapport_shared::Collection;

use super::{App, Command, Purpose};
use crate::api::{ServerChange, record_id, record_version};
use crate::remote::Remote;

impl App {
    pub(super) fn on_change(&mut self, change: ServerChange) -> Vec<Command> {
        let Some(collection) = change.collection else {
            return Vec::new();
        };
        if matches!(collection, Collection::Teams | Collection::Customers)
            && self.teams.load != Remote::Idle
        {
            self.teams_stale = true;
        }
        if collection == Collection::Rfcs && self.rfcs.references != Remote::Idle {
            self.rfc_counts_stale = true;
        }
        let mut commands = Vec::new();
        if collection == Collection::Contacts && self.detail.customer_id.is_some() {
            let id = self.detail.customer_id.clone();
            commands.extend(self.load_contacts_of(id));
        }
        let Some(index) = self.board_index(collection) else {
            return commands;
        };
        let board = &self.boards[index];
        if board.load == Remote::Idle {
            return commands;
        }
        let shown = board.rows.iter().find(|r| record_id(r) == change.id);
        let fetch = match change.action.as_str() {
            "delete" => {
                if shown.is_some() {
                    self.lookup.forget(&change.id);
                    self.boards[index].remove(&change.id, &self.lookup);
                }
                false
            }
            // Our own saves come back too: a version already shown is skipped.
            "update" => shown.is_some_and(|r| record_version(r) < change.version),
            "create" => {
                shown.is_none()
                    && board.next_cursor.is_none()
                    && board.filter.is_empty()
                    && board.fixed_filters.is_empty()
            }
            _ => false,
        };
        if fetch {
            let id = change.id;
            commands.push(
                self.request(Purpose::Refreshed(index), |request| Command::Get {
                    request,
                    collection,
                    id,
                }),
            );
        }
        commands
    }
}

#[cfg(test)]
mod tests {
    use rapport_shared::enums::Permission;
    use rapport_shared::problem::Problem;

    use crate::api::ApiError;
    use crate::app::{Connection, Msg, StatusMessage};
    use crate::fixtures;

    #[test]
    fn a_refused_change_feed_is_told_as_any_refused_request() {
        let mut app = fixtures::app(Permission::Admin, 80, 24);
        let refused = ApiError::Problem(Problem::new(401, "unknown or revoked token"));
        assert!(app.update(Msg::FeedFailed(refused.clone())).is_empty());
        assert_eq!(
            app.message,
            Some(StatusMessage {
                text: refused.to_string(),
                error: true,
            })
        );
        assert_eq!(app.connection, Connection::Online);
    }

    #[test]
    fn a_change_feed_that_cannot_reach_the_server_goes_offline_and_retries() {
        let mut app = fixtures::app(Permission::Admin, 80, 24);
        let down = ApiError::Unreachable("connection refused".into());
        app.update(Msg::FeedFailed(down));
        fixtures::assert_offline_and_retrying(&mut app);
    }
}
