//! Domain types, validation and workflows shared by rapport's server and
//! client. This crate does no I/O: it only describes records and the rules
//! they must follow, so both sides run exactly the same checks.
//!
//! Modules, in reading order:
//! - [`enums`]: the closed vocabularies (permissions, statuses, priorities...).
//! - [`collection`]: every collection declared once, one module each: its
//!   input and stored records, its words, filters, search and sort orders.
//! - [`fields`]: reading a JSON object field by field, collecting every error.
//! - [`rfc`]: the Request for Change workflow (state machine).
//! - [`month`]: calendar months `YYYY-MM`.
//! - [`attainment`]: an agreement's service levels met, month by month.
//! - [`satisfaction`]: what a survey's responses add up to (means, NPS).
//! - [`problem`]: RFC 9457 problem details, the one error shape on the wire.
//! - [`wire`]: other request and response bodies (pages, transitions, audit).

pub mod agenda;
pub mod attainment;
pub mod budget;
pub mod collection;
pub mod enums;
pub mod fields;
pub mod health;
pub mod month;
pub mod problem;
pub mod rfc;
pub mod satisfaction;
pub mod wire;

/// The record types by the name both sides import them under
/// (`records::StaffInput`): they live in their collection's module.
pub use collection as records;
pub use collection::Collection;
pub use fields::{FieldError, ValidationErrors};
pub use problem::Problem;
