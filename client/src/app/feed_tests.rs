//! The change feed failing: told as any failed request is (offline and
//! retried when the server cannot be reached, else in the status bar).

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
