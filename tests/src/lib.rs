//! End-to-end test support: start a real server on port 0 over a temporary database.
//!
//! - [`client`]: the real client app driven by key events against a real server.

pub mod client;
pub mod switch;
