//! A list of objects edited as text, one object per line with its fields
//! in a fixed order separated by `|` ([`RowShape`]): an agreement's levels,
//! a survey's questions. A column holding a record's id ([`RowShape::refs`])
//! shows and takes the record's name instead ([`RowNames`]).

use rapport_shared::Collection;
use serde_json::Value;

use crate::lookup::Lookup;

/// The fields of each line of a [`FieldKind::Rows`](super::FieldKind::Rows) field.
#[derive(Debug, Clone, Copy)]
pub struct RowShape {
    /// The object fields, in the order a line gives them.
    pub columns: &'static [&'static str],
    /// The columns holding numbers (sent as JSON numbers when they parse).
    pub numbers: &'static [&'static str],
    /// The columns holding a record's id, written and read by the
    /// record's name (a question's `service_id` by the service's name).
    pub refs: &'static [(&'static str, Collection)],
}

/// The records a form's reference columns may name: read from the lookup
/// when the form opens, so a line is read back without it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowNames {
    /// Collection, id and name.
    known: Vec<(Collection, String, String)>,
}

impl RowNames {
    /// The records of the collections `shapes` refer to.
    pub fn of<'a>(shapes: impl IntoIterator<Item = &'a RowShape>, lookup: &Lookup) -> RowNames {
        let mut known = Vec::new();
        for shape in shapes {
            for (_, collection) in shape.refs {
                if known.iter().any(|(c, _, _)| c == collection) {
                    continue;
                }
                known.extend(
                    lookup
                        .labels_of(*collection)
                        .map(|(id, name)| (*collection, id.to_string(), name.to_string())),
                );
            }
        }
        RowNames { known }
    }

    /// The name `id` is written as: its record's, unless that name could
    /// not be read back as the one record (unknown, shared, or holding the
    /// separator), when the id is written as it is.
    fn name(&self, collection: Collection, id: &str) -> String {
        self.known
            .iter()
            .find(|(c, known, _)| *c == collection && known == id)
            .map(|(_, _, name)| name)
            .filter(|name| self.id(collection, name) == Some(id))
            .filter(|name| !name.contains(RowShape::SEPARATOR))
            .map_or_else(|| id.to_string(), Clone::clone)
    }

    /// The one record of `collection` named `name` (any case).
    fn id(&self, collection: Collection, name: &str) -> Option<&str> {
        let mut named = self
            .known
            .iter()
            .filter(|(c, _, known)| *c == collection && known.eq_ignore_ascii_case(name));
        match (named.next(), named.next()) {
            (Some((_, id, _)), None) => Some(id),
            _ => None,
        }
    }
}

impl RowShape {
    /// The separator between a line's fields.
    pub const SEPARATOR: char = '|';

    /// One object per line; a line with more fields than the shape has
    /// stays text, so validation names the item.
    /// A cell of a reference column naming a known record becomes its id;
    /// any other text is sent as typed, for the server to name.
    pub fn parse(&self, text: &str, names: &RowNames) -> Value {
        let rows = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let cells: Vec<&str> = line.split(Self::SEPARATOR).map(str::trim).collect();
                if cells.len() > self.columns.len() {
                    return Value::String(line.trim().to_string());
                }
                let object = self
                    .columns
                    .iter()
                    .zip(cells)
                    .filter(|(_, cell)| !cell.is_empty())
                    .map(|(column, cell)| (column.to_string(), self.cell(column, cell, names)))
                    .collect();
                Value::Object(object)
            })
            .collect();
        Value::Array(rows)
    }

    fn cell(&self, column: &str, cell: &str, names: &RowNames) -> Value {
        if let Some((_, collection)) = self.refs.iter().find(|(c, _)| *c == column) {
            let id = names.id(*collection, cell).unwrap_or(cell);
            return Value::String(id.to_string());
        }
        if !self.numbers.contains(&column) {
            return Value::String(cell.to_string());
        }
        if let Ok(whole) = cell.parse::<i64>() {
            return Value::from(whole);
        }
        cell.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(cell.to_string()))
    }

    /// The lines of a list of objects, as [`RowShape::parse`] reads them.
    pub fn format(&self, value: &Value, names: &RowNames) -> String {
        let Some(rows) = value.as_array() else {
            return String::new();
        };
        rows.iter()
            .map(|row| {
                let cells: Vec<String> = self
                    .columns
                    .iter()
                    .map(|column| match row.get(*column) {
                        Some(Value::String(id))
                            if let Some((_, collection)) =
                                self.refs.iter().find(|(c, _)| c == column) =>
                        {
                            names.name(*collection, id)
                        }
                        Some(Value::String(text)) => text.clone(),
                        Some(Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    })
                    .collect();
                cells.join(" | ").trim_end_matches([' ', '|']).to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{RowNames, RowShape};

    const SHAPE: RowShape = RowShape {
        columns: &["metric", "target", "unit", "better"],
        numbers: &["target"],
        refs: &[],
    };

    #[test]
    fn lines_become_objects_and_back() {
        let text =
            "availability | 99.5 | % | higher\n\n  incident response|4|hours|lower  \nuptime | 1 ";
        let value = SHAPE.parse(text, &RowNames::default());
        assert_eq!(
            value,
            json!([
                {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher"},
                {"metric": "incident response", "target": 4, "unit": "hours", "better": "lower"},
                {"metric": "uptime", "target": 1}
            ])
        );
        assert_eq!(
            SHAPE.format(&value, &RowNames::default()),
            "availability | 99.5 | % | higher\nincident response | 4 | hours | lower\nuptime | 1"
        );
    }

    #[test]
    fn what_is_not_a_row_stays_text_for_validation_to_name() {
        assert_eq!(
            SHAPE.parse("a | b | c | d | e\nx | ten", &RowNames::default()),
            json!(["a | b | c | d | e", {"metric": "x", "target": "ten"}])
        );
        assert_eq!(SHAPE.format(&json!("not a list"), &RowNames::default()), "");
    }

    /// A question's service is written by its name and read back to its
    /// id; a name no service has, or two share, is sent as typed.
    #[test]
    fn a_reference_column_reads_and_takes_names() {
        use rapport_shared::Collection;

        use crate::lookup::Lookup;

        const QUESTIONS: RowShape = RowShape {
            columns: &["id", "text", "service_id"],
            numbers: &[],
            refs: &[("service_id", Collection::Services)],
        };
        let mut lookup = Lookup::default();
        let service = |id: &str, name: &str| {
            json!({"id": id, "name": name})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        lookup.learn(
            Collection::Services,
            &[
                service("5f0c0a1e-0000-4000-8000-000000000001", "Desktop"),
                service("5f0c0a1e-0000-4000-8000-000000000002", "Hosting"),
                service("5f0c0a1e-0000-4000-8000-000000000003", "Hosting"),
            ],
        );
        // A customer of the same name is not a service.
        lookup.learn(
            Collection::Customers,
            &[service("5f0c0a1e-0000-4000-8000-000000000009", "Desk")],
        );
        let names = RowNames::of([&QUESTIONS], &lookup);
        let value = json!([
            {"id": "q1", "text": "Happy?", "service_id": "5f0c0a1e-0000-4000-8000-000000000001"},
            {"id": "q2", "text": "Fast?", "service_id": "5f0c0a1e-0000-4000-8000-000000000002"}
        ]);
        let text = QUESTIONS.format(&value, &names);
        // Two services are named Hosting: that one stays an id.
        assert_eq!(
            text,
            "q1 | Happy? | Desktop\nq2 | Fast? | 5f0c0a1e-0000-4000-8000-000000000002"
        );
        assert_eq!(QUESTIONS.parse(&text, &names), value);
        assert_eq!(
            QUESTIONS.parse("q1 | Happy? | desktop\nq3 | New? | Desk", &names),
            json!([
                {"id": "q1", "text": "Happy?", "service_id": "5f0c0a1e-0000-4000-8000-000000000001"},
                {"id": "q3", "text": "New?", "service_id": "Desk"}
            ])
        );
    }
}
