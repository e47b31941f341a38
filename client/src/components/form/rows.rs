//! A list of objects edited as text, one object per line with its fields
//! in a fixed order separated by `|` ([`RowShape`]): an agreement's levels,
//! a survey's questions.

use serde_json::Value;

/// The fields of each line of a [`FieldKind::Rows`](super::FieldKind::Rows) field.
#[derive(Debug, Clone, Copy)]
pub struct RowShape {
    /// The object fields, in the order a line gives them.
    pub columns: &'static [&'static str],
    /// The columns holding numbers (sent as JSON numbers when they parse).
    pub numbers: &'static [&'static str],
}

impl RowShape {
    /// The separator between a line's fields.
    pub const SEPARATOR: char = '|';

    /// One object per line; a line with more fields than the shape has
    /// stays text, so validation names the item.
    pub fn parse(&self, text: &str) -> Value {
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
                    .map(|(column, cell)| (column.to_string(), self.cell(column, cell)))
                    .collect();
                Value::Object(object)
            })
            .collect();
        Value::Array(rows)
    }

    fn cell(&self, column: &str, cell: &str) -> Value {
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
    pub fn format(&self, value: &Value) -> String {
        let Some(rows) = value.as_array() else {
            return String::new();
        };
        rows.iter()
            .map(|row| {
                let cells: Vec<String> = self
                    .columns
                    .iter()
                    .map(|column| match row.get(*column) {
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

    use super::RowShape;

    const SHAPE: RowShape = RowShape {
        columns: &["metric", "target", "unit", "better"],
        numbers: &["target"],
    };

    #[test]
    fn lines_become_objects_and_back() {
        let text =
            "availability | 99.5 | % | higher\n\n  incident response|4|hours|lower  \nuptime | 1 ";
        let value = SHAPE.parse(text);
        assert_eq!(
            value,
            json!([
                {"metric": "availability", "target": 99.5, "unit": "%", "better": "higher"},
                {"metric": "incident response", "target": 4, "unit": "hours", "better": "lower"},
                {"metric": "uptime", "target": 1}
            ])
        );
        assert_eq!(
            SHAPE.format(&value),
            "availability | 99.5 | % | higher\nincident response | 4 | hours | lower\nuptime | 1"
        );
    }

    #[test]
    fn what_is_not_a_row_stays_text_for_validation_to_name() {
        assert_eq!(
            SHAPE.parse("a | b | c | d | e\nx | ten"),
            json!(["a | b | c | d | e", {"metric": "x", "target": "ten"}])
        );
        assert_eq!(SHAPE.format(&json!("not a list")), "");
    }
}
