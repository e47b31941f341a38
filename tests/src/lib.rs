//! End-to-end test support: start a real server on port 0 over a temporary database.
