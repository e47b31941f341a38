//! RFC comments: what people said about an RFC, kept beside it and served
//! under `/rfcs/{id}/comments`. Holds [`RfcCommentFields`], [`RfcComment`]
//! and the collection's declaration.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::record::Stored;
use super::spec::{CollectionSpec, FilterSpec};
use crate::enums::Permission;

pub(super) const SPEC: CollectionSpec = CollectionSpec::new("rfc_comments", "RFC comment", Permission::Operator)
    .filters(&[FilterSpec::id("rfc_id")])
    .search(&["text"]);

/// A comment's fields, as the server writes them: the client sends only
/// the text, the server adds the RFC, the author and the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RfcCommentFields {
    /// Id of the RFC commented on.
    pub rfc_id: String,
    pub text: String,
    /// The name of the token that wrote it.
    pub who: String,
    /// The staff member that token belongs to, when known.
    pub who_staff_id: Option<String>,
    pub when: Timestamp,
}

/// RFC comment as read from the server.
pub type RfcComment = Stored<RfcCommentFields>;
