//! Declaring a collection's input type once: [`input_fields!`] turns one
//! list of fields, each with how it is read, into the struct, its
//! [`RecordInput::from_json`](super::RecordInput::from_json) and its
//! [`references`](super::RecordInput::references); [`IdField`] is how an
//! id field (one id, an optional one or a list) names the records it
//! refers to.

use super::Collection;
use super::record::Reference;

/// A field holding ids of other records: one id (`String`), an optional
/// one (`Option<String>`) or a list (`Vec<String>`).
pub trait IdField {
    /// The references its ids make, one per id, each naming `field`.
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference>;
}

impl IdField for String {
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        vec![Reference {
            field,
            collection,
            id: self.clone(),
        }]
    }
}

impl IdField for Option<String> {
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        self.iter()
            .flat_map(|id| id.references_to(field, collection))
            .collect()
    }
}

impl IdField for Vec<String> {
    fn references_to(&self, field: &'static str, collection: Collection) -> Vec<Reference> {
        self.iter()
            .flat_map(|id| id.references_to(field, collection))
            .collect()
    }
}

/// Declares a collection's input type from its fields, each written once
/// with its type and how [`FieldReader`](crate::fields::FieldReader)
/// reads it. Generates:
/// - the struct, with every field public and the serde and schemars
///   derives (the attributes written on it and on each field, doc
///   comments included, are kept, so they shape the JSON schema);
/// - `impl RecordInput`: `COLLECTION`, `type Stored`, `readers` (each
///   field with the reader's name, for the OpenAPI document),
///   `accepted_unread` (the `accepts` list), `from_json` (reads
///   the fields in the order written, runs each field's rule right after
///   reading it, accepts the fields named after `accepts` without reading
///   them, then names every error at once) and `references` (one per id
///   field marked `-> Collection`, in the order written).
///
/// A field is `name: Type = how`, where `how` is a `FieldReader` method
/// called with the field's name and any arguments given
/// (`required_line`, `optional_id`, `bool_or(true)`,
/// `optional_int(0..=MAX)`, ...), or for a closed vocabulary
/// `optional_enum(Enum)`, `enum_or_default(Enum)` (absent is the enum's
/// default), `required_enum(Enum)` (absent is an error; the enum's default
/// only fills the place of the refused value) or `enum_list(Enum)`. After `how`:
/// - `-> Customers` makes it a reference to a record of that collection
///   (the field's type is one of the [`IdField`]s);
/// - `where rule` runs `rule(&value) -> Option<&'static str>` on the value
///   read, and a message it returns is the field's error.
///
/// After the fields, `accepts [..];` names fields accepted without being
/// read, and `checks rule;` runs `rule(&input) -> Option<(&'static str,
/// &'static str)>` on the whole input once every field read well: a rule
/// about two fields, its `(field, message)` the error.
///
/// ```text
/// input_fields! {
///     /// A person on the customer's side.
///     pub struct ContactInput for Contacts, stored as Contact {
///         /// Id of the customer this person works for.
///         customer_id: String = required_id -> Customers,
///         name: String = required_line,
///         email: Option<String> = optional_line where optional_email_rule,
///         role: Option<ContactRole> = optional_enum(ContactRole),
///     }
/// }
/// ```
macro_rules! input_fields {
    (
        $(#[$meta:meta])*
        pub struct $input:ident for $collection:ident, stored as $stored:ty {
            $(
                $(#[$field_meta:meta])*
                $field:ident: $type:ty = $how:ident $(($($arg:tt)*))?
                    $(-> $target:ident)?
                    $(where $rule:path)?
            ),+ $(,)?
        }
        $(accepts $accepted:expr;)?
        $(checks $check:path;)?
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::schemars::JsonSchema,
        )]
        pub struct $input {
            $($(#[$field_meta])* pub $field: $type,)+
        }

        impl $crate::collection::RecordInput for $input {
            const COLLECTION: $crate::collection::Collection =
                $crate::collection::Collection::$collection;
            type Stored = $stored;

            fn from_json(
                object: &::serde_json::Map<String, ::serde_json::Value>,
            ) -> Result<Self, $crate::fields::ValidationErrors> {
                let mut reader = $crate::fields::FieldReader::new(object);
                $(
                    let $field = $crate::collection::input::input_fields!(
                        @read reader, $field, $how $(($($arg)*))?
                    );
                    $(
                        if let Some(message) = $rule(&$field) {
                            reader.error(stringify!($field), message);
                        }
                    )?
                )+
                $(
                    for field in $accepted {
                        reader.skip(field);
                    }
                )?
                reader.finish()?;
                let input = $input { $($field),+ };
                $(
                    if let Some((field, message)) = $check(&input) {
                        return Err($crate::fields::ValidationErrors::one(field, message));
                    }
                )?
                Ok(input)
            }

            fn readers() -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), stringify!($how))),+]
            }

            fn accepted_unread() -> Vec<&'static str> {
                #[allow(unused_mut)]
                let mut fields: Vec<&'static str> = Vec::new();
                $(fields.extend($accepted.iter().copied());)?
                fields
            }

            fn references(&self) -> Vec<$crate::collection::Reference> {
                std::iter::empty()
                    $($(
                        .chain($crate::collection::input::IdField::references_to(
                            &self.$field,
                            stringify!($field),
                            $crate::collection::Collection::$target,
                        ))
                    )?)+
                    .collect()
            }
        }
    };
    (@read $reader:ident, $field:ident, optional_enum($enum:ty)) => {
        $reader.optional_enum(stringify!($field), <$enum>::parse, &<$enum>::names())
    };
    (@read $reader:ident, $field:ident, enum_or_default($enum:ty)) => {
        $reader
            .optional_enum(stringify!($field), <$enum>::parse, &<$enum>::names())
            .unwrap_or_default()
    };
    (@read $reader:ident, $field:ident, required_enum($enum:ty)) => {
        $reader
            .required_enum(stringify!($field), <$enum>::parse, &<$enum>::names())
            .unwrap_or_default()
    };
    (@read $reader:ident, $field:ident, enum_list($enum:ty)) => {
        $reader.enum_list(stringify!($field), <$enum>::parse, &<$enum>::names())
    };
    (@read $reader:ident, $field:ident, $how:ident $(($($arg:expr),*))?) => {
        $reader.$how(stringify!($field) $($(, $arg)*)?)
    };
}

pub(crate) use input_fields;
