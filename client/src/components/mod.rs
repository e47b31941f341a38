//! Reusable components: each owns its state and handles its own keys,
//! returning an outcome the app turns into requests.
//! - [`board`]: the generic list board (paging, selection, filter, sort).
//! - [`form`]: the generic create/edit form driven by a field list.
//! - [`palette`]: the `:` command palette with fuzzy matching.
//! - [`help`]: the `?` overlay generated from the key map.
//! - [`confirm`]: yes/no questions carrying what yes does.
//! - [`detail`]: the lines detail panes are made of.
//! - [`full_detail`]: a record's whole detail full screen (`v`), scrolled.
//! - [`audit`]: a record's audit trail (`T`), paged and told for people.

pub mod audit;
pub mod board;
pub mod confirm;
pub mod detail;
pub mod form;
pub mod full_detail;
pub mod help;
pub mod palette;
