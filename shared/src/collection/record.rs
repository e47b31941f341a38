//! What every record shares. Every collection has an input type (the
//! fields a client may write, read from JSON by [`RecordInput::from_json`]
//! with every error named) and a stored type (the input plus [`Meta`] and
//! any read-only fields the server derives), which the client reads.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::collection::Collection;
use crate::fields::ValidationErrors;

/// What every record carries: server-assigned, never written by clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// Opaque, sortable by creation.
    #[schemars(extend("readOnly" = true))]
    pub id: String,
    /// 1 on create, +1 on every change; the `ETag`.
    #[schemars(extend("readOnly" = true))]
    pub version: i64,
    #[schemars(extend("readOnly" = true))]
    pub created_at: Timestamp,
    #[schemars(extend("readOnly" = true))]
    pub updated_at: Timestamp,
}

/// A record as read from the server: [`Meta`] and its fields, flat in one
/// JSON object. Collections whose records carry nothing else name theirs
/// with an alias (`type Staff = Stored<StaffInput>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Stored<F> {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub fields: F,
}

/// A field of one record that names another record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The field holding the id (for the 422 that names it).
    pub field: &'static str,
    /// Where the referenced record lives.
    pub collection: Collection,
    pub id: String,
}

/// The writable fields of one collection.
pub trait RecordInput: Sized + Serialize {
    /// The collection these fields belong to.
    const COLLECTION: Collection;

    /// The record as read from the server: these fields, [`Meta`] and any
    /// read-only fields; its JSON schema is the collection's in the
    /// OpenAPI document.
    type Stored: Serialize + DeserializeOwned + JsonSchema;

    /// Reads and validates the fields from a JSON object, naming every
    /// field at fault. Rules that need other records (existence, uniqueness)
    /// are the server's; everything else is checked here.
    fn from_json(object: &Map<String, Value>) -> Result<Self, ValidationErrors>;

    /// Each field read, in order, with the name of the
    /// [`FieldReader`](crate::fields::FieldReader) method that reads it
    /// (`required_line`, `optional_enum`, ...): what a body may hold, for
    /// the OpenAPI document.
    fn readers() -> Vec<(&'static str, &'static str)>;

    /// Fields accepted in a body without being read (besides
    /// [`META_FIELDS`](crate::fields::META_FIELDS)): any value is ignored.
    fn accepted_unread() -> Vec<&'static str>;

    /// The records this one refers to; each must exist when it is written.
    fn references(&self) -> Vec<Reference>;

    /// The fields as a JSON object.
    fn to_object(&self) -> Map<String, Value> {
        to_object(self)
    }
}

/// A struct's fields as a JSON object (what the store keeps of a record).
pub fn to_object<T: Serialize>(fields: &T) -> Map<String, Value> {
    match serde_json::to_value(fields) {
        Ok(Value::Object(object)) => object,
        // Every record's fields are a struct, which always serialises to an object.
        _ => Map::new(),
    }
}

/// The default of flags that start out true (`active`, `open`).
pub(super) fn yes() -> bool {
    true
}

/// Reads a test's JSON object as `T`'s input.
#[cfg(test)]
pub(crate) fn read_input<T: RecordInput>(value: Value) -> Result<T, ValidationErrors> {
    T::from_json(value.as_object().expect("test input is an object"))
}
