use super::write::cell;
use super::*;

#[test]
fn the_period_is_the_year_or_a_month_in_it() {
    let (from, to) = period(2026, None).expect("a year");
    assert_eq!(
        (from.to_string(), to.to_string()),
        ("2026-01".into(), "2026-12".into())
    );
    let (from, to) = period(2026, Some("2026-03")).expect("a month");
    assert_eq!(
        (from.to_string(), to.to_string()),
        ("2026-03".into(), "2026-03".into())
    );
    for (year, month, says) in [
        (
            2026,
            Some("2025-03"),
            "--month 2025-03 is not in --year 2026",
        ),
        (2026, Some("March"), "--month March is not a month"),
        (1999, None, "--year 1999 is not a year from"),
    ] {
        match period(year, month) {
            Err(CliError::Usage(message)) => assert!(message.starts_with(says), "{message}"),
            other => panic!("{year} {month:?}: {other:?}"),
        }
    }
}

#[test]
fn markdown_cells_cannot_break_the_table() {
    assert_eq!(cell("a|b\nc"), "a\\|b c");
}
