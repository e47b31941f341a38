//! The life of one remote load, as an explicit state. Every request gets a
//! fresh [`RequestId`]; a state remembers the id it waits for, so an answer
//! to an older request (a filter typed further, a list reloaded) is
//! recognised as stale and dropped.

/// Identifies one request to the server; increases for the app's lifetime.
pub type RequestId = u64;

/// Where a remote load stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Remote {
    /// Never asked for.
    #[default]
    Idle,
    /// Asked for with this request; older answers are stale.
    Loading(RequestId),
    /// Arrived.
    Loaded,
    /// Failed with this message.
    Failed(String),
}

impl Remote {
    /// Whether `request` is the one this state waits for.
    pub fn awaits(&self, request: RequestId) -> bool {
        matches!(self, Remote::Loading(waiting) if *waiting == request)
    }

    /// Whether a request is in flight.
    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading(_))
    }
}
