//! The field readers' rules, each on a small object.
use super::*;
use serde_json::json;

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("test input is an object")
}

#[test]
fn collects_every_error_and_unknown_fields() {
    let input = object(json!({"name": "  ", "count": "x", "typo": 1, "id": "ignored"}));
    let mut reader = FieldReader::new(&input);
    reader.required_line("name");
    reader.optional_int("count", 0..=10);
    let errors = reader.finish().expect_err("three problems");
    assert_eq!(errors.for_field("name"), Some("is required"));
    assert_eq!(errors.for_field("count"), Some("must be a whole number"));
    assert_eq!(errors.for_field("typo"), Some("is not a known field"));
    assert_eq!(errors.0.len(), 3);
}

#[test]
fn control_characters_and_invisible_names_are_refused() {
    for (value, field) in [
        (
            "NUL\u{0}here",
            "must not hold control characters or line breaks",
        ),
        (
            "\u{1b}[31mred",
            "must not hold control characters or line breaks",
        ),
        (
            "C1\u{9b}31m",
            "must not hold control characters or line breaks",
        ),
        (
            "two\nlines",
            "must not hold control characters or line breaks",
        ),
        (
            "abc\u{202e}fed",
            "must not hold control characters or line breaks",
        ),
        ("\u{200b}\u{200d}", "must hold visible characters"),
    ] {
        let input = object(json!({"name": value}));
        let mut reader = FieldReader::new(&input);
        reader.required_line("name");
        let errors = reader.finish().expect_err(value);
        assert_eq!(errors.for_field("name"), Some(field), "{value:?}");
    }
    let input = object(json!({"text": "line one\r\n\tindented", "bad": "bell\u{7}"}));
    let mut reader = FieldReader::new(&input);
    assert_eq!(
        reader.optional_text("text").as_deref(),
        Some("line one\n\tindented")
    );
    reader.optional_text("bad");
    let errors = reader.finish().expect_err("a bell");
    assert_eq!(
        errors.for_field("bad"),
        Some("must not hold control characters (line breaks and tabs are kept)")
    );
    let input = object(json!({"decisions": ["fine", "not\u{1b}fine"]}));
    let mut reader = FieldReader::new(&input);
    reader.line_list("decisions");
    assert!(reader.finish().is_err());
}

#[test]
fn a_value_too_long_is_one_error_not_also_missing() {
    let long = "x".repeat(MAX_LINE_CHARS + 1);
    let input = object(json!({"name": long, "text": 5}));
    let mut reader = FieldReader::new(&input);
    reader.required_line("name");
    reader.required_text("text");
    let errors = reader.finish().expect_err("two problems");
    assert_eq!(
        errors.for_field("name"),
        Some("must be at most 200 characters")
    );
    assert_eq!(errors.for_field("text"), Some("must be a string"));
    assert_eq!(errors.0.len(), 2, "{errors:?}");
}

#[test]
fn dates_and_emails() {
    assert!(parse_date("2026-02-28").is_some());
    assert!(parse_date("2026-02-30").is_none());
    assert!(parse_date("2026-2-3").is_none());
    assert!(is_email("ana.ruiz@finance.example"));
    assert!(!is_email("ana ruiz@finance.example"));
    assert!(!is_email("ana@localhost"));
    assert!(!is_email("@finance.example"));
    assert!(is_email("o'neil+rfc@it.finance-ministry.example"));
    assert!(
        !is_email("sls@nil.test*"),
        "the domain is letters, digits and hyphens"
    );
    assert!(!is_email("ana..ruiz@finance.example"));
    assert!(!is_email(".ana@finance.example"));
    assert!(!is_email("ana@-finance.example"));
    assert!(!is_email("ana@finance..example"));
    assert!(
        !is_email("añа@finance.example"),
        "ASCII only, as format: email reads it"
    );
}
