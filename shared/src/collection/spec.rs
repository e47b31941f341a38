//! The shape of a collection's declaration: [`CollectionSpec`], and the
//! list filters it offers ([`FilterSpec`]), both built with `const`
//! builders so each declaration is a constant.

use crate::enums::Permission;
use crate::wire::Sort;

/// What a collection is and what its generic calls allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectionSpec {
    /// Its path segment under `/api/v1`, its table and its wire name.
    pub name: &'static str,
    /// A record of it in words, for messages ("customer").
    pub noun: &'static str,
    /// The permission needed to create, change or delete one of its records.
    pub write_permission: Permission,
    /// The exact-match filters its list takes.
    pub filters: &'static [FilterSpec],
    /// The text fields `q` searches, case-insensitively.
    pub search_fields: &'static [&'static str],
    /// The orders its list offers; [`Sort::Priority`] also means its records
    /// keep a priority rank.
    pub sorts: &'static [Sort],
}

impl CollectionSpec {
    /// A collection named `name` (its records `noun`) that `write_permission`
    /// may write: no filters, no search fields, the [`PLAIN_SORTS`] until
    /// the builders below say otherwise.
    pub const fn new(name: &'static str, noun: &'static str, write_permission: Permission) -> Self {
        CollectionSpec {
            name,
            noun,
            write_permission,
            filters: &[],
            search_fields: &[],
            sorts: PLAIN_SORTS,
        }
    }

    /// The same collection, its list taking `filters`.
    pub const fn filters(self, filters: &'static [FilterSpec]) -> Self {
        CollectionSpec { filters, ..self }
    }

    /// The same collection, `q` searching `search_fields`.
    pub const fn search(self, search_fields: &'static [&'static str]) -> Self {
        CollectionSpec {
            search_fields,
            ..self
        }
    }

    /// The same collection, its list offering `sorts` instead.
    pub const fn sorts(self, sorts: &'static [Sort]) -> Self {
        CollectionSpec { sorts, ..self }
    }
}

/// The orders every collection offers.
pub const PLAIN_SORTS: &[Sort] = &[Sort::Created, Sort::Age, Sort::Updated];

/// The words a boolean filter takes.
const BOOL_WORDS: &[&str] = &["true", "false"];

/// One list filter: the query parameter, the record field it matches, how,
/// and the values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterSpec {
    pub param: &'static str,
    pub field: &'static str,
    pub kind: FilterKind,
    /// The only values it takes (an enum's names); `None` for ids.
    pub values: Option<&'static [&'static str]>,
    /// Whether `me` stands for the caller's own staff id.
    pub me: bool,
    /// What shape a value has, beyond being text.
    pub format: FilterFormat,
}

/// The shape a filter value must have; a value of another shape is
/// refused, not searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterFormat {
    /// Any text (a vocabulary, when the filter has `values`).
    Text,
    /// A record's id (a UUID, in hyphenated form).
    RecordId,
    /// A month `YYYY-MM`.
    Month,
}

impl FilterFormat {
    /// Whether `text` has this shape.
    pub fn accepts(self, text: &str) -> bool {
        match self {
            FilterFormat::Text => true,
            FilterFormat::RecordId => is_record_id(text),
            FilterFormat::Month => crate::month::Month::parse(text).is_some(),
        }
    }
}

/// Whether `text` is a record id: a UUID in its hyphenated, 36-character
/// form, any case.
pub fn is_record_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

/// How a filter value is matched against its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// The field equals the text (ids and enum names).
    Text,
    /// The field is the boolean `true` or `false`.
    Bool,
    /// The field is a whole number equal to the text read as one (kept
    /// in an `INTEGER` column, so `year=2026` matches the number 2026).
    Integer,
    /// The field is a list that contains the text.
    ListContains,
    /// The field is an instant (RFC 3339, kept as whole seconds in an
    /// `INTEGER` column): `true` matches records whose instant is absent
    /// or still to come, `false` those whose instant has passed.
    NotPassed,
    /// The field is an instant at or after the value: a date
    /// (`YYYY-MM-DD`, from its start in UTC) or an instant.
    From,
    /// The field is an instant up to the value: a date (`YYYY-MM-DD`,
    /// to its end in UTC) or an instant (inclusive).
    To,
}

impl FilterKind {
    /// Whether the field is an instant kept as whole seconds.
    pub fn is_instant(self) -> bool {
        matches!(
            self,
            FilterKind::NotPassed | FilterKind::From | FilterKind::To
        )
    }

    /// For [`FilterKind::From`] the first second matched, for
    /// [`FilterKind::To`] the first second past the range; `None` when
    /// the text is neither a date nor an instant (or for other kinds).
    pub fn bound_seconds(self, text: &str) -> Option<i64> {
        let day_start = |date: jiff::civil::Date| {
            date.to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|zoned| zoned.timestamp().as_second())
        };
        let (start, past) = match crate::fields::parse_date(text) {
            Some(date) => (day_start(date)?, day_start(date.tomorrow().ok()?)?),
            None => {
                let second = crate::fields::parse_timestamp(text)?.as_second();
                (second, second + 1)
            }
        };
        match self {
            FilterKind::From => Some(start),
            FilterKind::To => Some(past),
            _ => None,
        }
    }
}

impl FilterSpec {
    /// Matches field `name` exactly (`?name=`), any text.
    pub const fn text(name: &'static str) -> Self {
        FilterSpec {
            param: name,
            field: name,
            kind: FilterKind::Text,
            values: None,
            me: false,
            format: FilterFormat::Text,
        }
    }

    /// Matches field `name`, a record's id, exactly (`?customer_id=`).
    pub const fn id(name: &'static str) -> Self {
        FilterSpec {
            format: FilterFormat::RecordId,
            ..FilterSpec::text(name)
        }
    }

    /// Matches month field `name` (`YYYY-MM`) exactly.
    pub const fn month(name: &'static str) -> Self {
        FilterSpec {
            format: FilterFormat::Month,
            ..FilterSpec::text(name)
        }
    }

    /// Matches boolean field `name` with `true` or `false`.
    pub const fn bool(name: &'static str) -> Self {
        FilterSpec {
            kind: FilterKind::Bool,
            values: Some(BOOL_WORDS),
            ..FilterSpec::text(name)
        }
    }

    /// Matches whole-number field `name` with a whole number.
    pub const fn integer(name: &'static str) -> Self {
        FilterSpec {
            kind: FilterKind::Integer,
            ..FilterSpec::text(name)
        }
    }

    /// `?param=` a date or an instant: records whose instant `field` is at
    /// or after it.
    pub const fn from(param: &'static str, field: &'static str) -> Self {
        FilterSpec {
            param,
            field,
            kind: FilterKind::From,
            values: None,
            me: false,
            format: FilterFormat::Text,
        }
    }

    /// `?param=` a date or an instant: records whose instant `field` is at
    /// or before it (a date: any time that day).
    pub const fn to(param: &'static str, field: &'static str) -> Self {
        FilterSpec {
            param,
            field,
            kind: FilterKind::To,
            values: None,
            me: false,
            format: FilterFormat::Text,
        }
    }

    /// `?param=true` matches records whose instant `field` is absent or
    /// still to come (an open-ended notice is active), `false` the rest.
    pub const fn not_passed(param: &'static str, field: &'static str) -> Self {
        FilterSpec {
            param,
            field,
            kind: FilterKind::NotPassed,
            values: Some(BOOL_WORDS),
            me: false,
            format: FilterFormat::Text,
        }
    }

    /// `?param=` matches when list field `field` contains the text.
    pub const fn list_contains(param: &'static str, field: &'static str) -> Self {
        FilterSpec {
            field,
            kind: FilterKind::ListContains,
            ..FilterSpec::text(param)
        }
    }

    /// The same filter, taking only `values`.
    pub const fn one_of(self, values: &'static [&'static str]) -> Self {
        FilterSpec {
            values: Some(values),
            ..self
        }
    }

    /// The same filter, reading `me` as the caller's staff id.
    pub const fn or_me(self) -> Self {
        FilterSpec { me: true, ..self }
    }
}
