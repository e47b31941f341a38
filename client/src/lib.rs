//! rapport-client
