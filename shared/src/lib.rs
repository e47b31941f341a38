//! Domain types, validation and workflows shared by rapport's server and
//! client. This crate does no I/O: it only describes records and the rules
//! they must follow, so both sides run exactly the same checks.
//!
//! Modules, in reading order:
//! - [`enums`]: the closed vocabularies (permissions, statuses, priorities...).
//! - [`collection`]: the REST collections and what each one allows.
//! - [`fields`]: reading a JSON object field by field, collecting every error.
//! - [`records`]: the records of each collection: their input and stored form.
//! - [`rfc`]: the Request for Change workflow (state machine).
//! - [`problem`]: RFC 9457 problem details, the one error shape on the wire.
//! - [`wire`]: other request and response bodies (pages, transitions, audit).

pub mod collection;
pub mod enums;
pub mod fields;
pub mod problem;
pub mod records;
pub mod rfc;
pub mod wire;

pub use collection::Collection;
pub use fields::{FieldError, ValidationErrors};
pub use problem::Problem;
