//! The rules of texts, dates and addresses, used by the readers and by
//! the client (which shows what the server would refuse).

use jiff::Timestamp;
use jiff::civil::Date;

/// Whether `c` must never be stored in a text: a control character (but a
/// line break or tab in a multi-line text) or a bidirectional override or
/// isolate, which could reorder what an operator reads.
pub fn is_unsafe_char(c: char, multiline: bool) -> bool {
    let kept = multiline && (c == '\n' || c == '\t');
    (c.is_control() && !kept) || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` shows nothing: zero-width spaces and joiners, word joiner,
/// byte order mark, direction marks.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
}

/// What is wrong with a text's characters, if anything: control
/// characters (and bidirectional overrides) are refused, and a text of
/// nothing but invisible characters (a name that would show blank).
pub fn text_rule(text: &str, multiline: bool) -> Option<&'static str> {
    if text.chars().any(|c| is_unsafe_char(c, multiline)) {
        return Some(if multiline {
            "must not hold control characters (line breaks and tabs are kept)"
        } else {
            "must not hold control characters or line breaks"
        });
    }
    if text.chars().all(|c| is_invisible(c) || c.is_whitespace()) {
        return Some("must hold visible characters");
    }
    None
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<Date> {
    if text.len() != 10 {
        return None;
    }
    text.parse::<Date>().ok()
}

/// Parses an RFC 3339 instant, which must carry its offset (`Z` or
/// `+01:00`): a time without one names no instant.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok()
}

/// The rule of an e-mail field: an address that is given must look like
/// one ([`is_email`]); a blank one is left to the field's own reading.
pub fn email_address_rule(email: &str) -> Option<&'static str> {
    (!email.is_empty() && !is_email(email))
        .then_some("must be an e-mail address like name@example.org")
}

/// Whether `text` is an e-mail address as the OpenAPI document's
/// `format: email` reads one (RFC 5321's dot-atom form): a local part of
/// letters, digits and ``!#$%&'*+-/=?^_`{|}~`` in dot-separated runs, one
/// `@`, and a domain of at least two dot-separated labels of letters,
/// digits and inner hyphens. Deliverability is not ours to judge.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let atom = |run: &str| {
        !run.is_empty()
            && run
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b))
    };
    let label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    local.len() <= 64
        && local.split('.').all(atom)
        && domain.len() <= 253
        && domain.split('.').count() >= 2
        && domain.split('.').all(label)
}
