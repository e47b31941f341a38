//! Reading what a request says: its query parameters, its JSON body and its
//! preconditions, each failure named for the caller.

use rapport_shared::wire::MAX_PAGE_LIMIT;
use serde_json::{Map, Value};

use crate::http::{HeaderMap, Request};

use super::error::{ApiError, ApiResult};

/// Decoded query parameters, in order.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `a=1&b=x+y` (form encoding: `+` is a space, `%XX` a byte).
    pub fn parse(raw: &str) -> ApiResult<Self> {
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = percent_decode(name, true).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "query parameter {name:?} is not valid percent-encoded UTF-8"
                ))
            })?;
            let value = percent_decode(value, true).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "the value of query parameter {name} is not valid percent-encoded UTF-8"
                ))
            })?;
            pairs.push((name, value));
        }
        Ok(Query(pairs))
    }

    /// The parameters but those named in `names`.
    pub fn without(&self, names: &[&str]) -> Query {
        Query(
            self.0
                .iter()
                .filter(|(name, _)| !names.contains(&name.as_str()))
                .cloned()
                .collect(),
        )
    }

    /// The last value given for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `limit` as a page size from 1 to [`MAX_PAGE_LIMIT`], `default` when absent.
    pub fn limit(&self, default: u32) -> ApiResult<u32> {
        let Some(text) = self.get("limit") else {
            return Ok(default);
        };
        text.parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE_LIMIT).contains(limit))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!("must be a whole number from 1 to {MAX_PAGE_LIMIT}"),
                )
            })
    }

    /// Every parameter name that is not in `known`: a 422 naming the first,
    /// since a misspelt filter silently ignored would show the wrong records.
    pub fn reject_unknown(&self, known: &[&str]) -> ApiResult<()> {
        let mut errors = Vec::new();
        for (name, _) in &self.0 {
            if !known.contains(&name.as_str())
                && !errors
                    .iter()
                    .any(|e: &rapport_shared::FieldError| &e.field == name)
            {
                errors.push(rapport_shared::FieldError::new(
                    name.clone(),
                    format!(
                        "is not a parameter of this call (known: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(rapport_shared::ValidationErrors(errors)))
        }
    }
}

/// Percent-decodes `text`; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let high = hex(*bytes.get(index + 1)?)?;
                let low = hex(*bytes.get(index + 2)?)?;
                out.push(high * 16 + low);
                index += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                index += 1;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The body as a JSON object: 400 when it is not JSON, 422 when it is JSON
/// but not an object.
pub fn json_object(request: &Request) -> ApiResult<Map<String, Value>> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "this call needs a JSON object as its body".into(),
        ));
    }
    let value: Value = serde_json::from_slice(&request.body).map_err(|error| {
        ApiError::BadRequest(format!(
            "the body is not valid JSON: {error} (line {}, column {})",
            error.line(),
            error.column()
        ))
    })?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(ApiError::invalid(
            "body",
            format!("must be a JSON object, not {}", json_kind(&other)),
        )),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The version named by `If-Match`: 428 when absent, 400 when it is not an
/// entity tag this server gives out. `*` matches any version (`None`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(http::header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired);
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::BadRequest("If-Match is not readable text".into()))?
        .trim();
    if text == "*" {
        return Ok(None);
    }
    parse_etag(text).map(Some).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "If-Match must name a version like \"3\", not {text}"
        ))
    })
}

/// Reads `"3"`, `W/"3"` or a bare `3` as version 3.
pub fn parse_etag(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    text.parse::<i64>().ok().filter(|version| *version >= 1)
}

/// Whether `If-None-Match` already names `version` (for a 304).
pub fn if_none_match(headers: &HeaderMap, version: i64) -> bool {
    headers
        .get_all(http::header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || parse_etag(tag) == Some(version))
}

/// Longest idempotency key accepted: a UUID is 36 bytes; 255 leaves room for
/// any key scheme without letting keys grow unbounded in the store.
pub const MAX_IDEMPOTENCY_KEY_BYTES: usize = 255;

/// The `Idempotency-Key` header, if present: 1 to
/// [`MAX_IDEMPOTENCY_KEY_BYTES`] visible ASCII characters, spaces allowed
/// only between them (the OpenAPI document's pattern, exactly). The
/// parser has already removed the whitespace around a field value.
pub fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_IDEMPOTENCY_KEY_BYTES {
        return Err(ApiError::BadRequest(format!(
            "Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_BYTES} characters"
        )));
    }
    let visible = |byte: &u8| byte.is_ascii_graphic();
    let edges_visible = bytes.first().is_some_and(visible) && bytes.last().is_some_and(visible);
    if !edges_visible || !bytes.iter().all(|byte| visible(byte) || *byte == b' ') {
        return Err(ApiError::BadRequest(
            "Idempotency-Key must be visible ASCII characters (spaces only between them)".into(),
        ));
    }
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode() {
        let query =
            Query::parse("q=ministry+of%20fin&status=active&status=inactive").expect("valid");
        assert_eq!(query.get("q"), Some("ministry of fin"));
        assert_eq!(query.get("status"), Some("inactive"));
        assert!(Query::parse("q=%zz").is_err());
        assert!(Query::parse("q=%ff").is_err());
    }

    #[test]
    fn etags() {
        assert_eq!(parse_etag("\"3\""), Some(3));
        assert_eq!(parse_etag("W/\"12\""), Some(12));
        assert_eq!(parse_etag("7"), Some(7));
        assert_eq!(parse_etag("\"x\""), None);
        assert_eq!(parse_etag("\"0\""), None);
    }

    fn key(value: &[u8]) -> ApiResult<Option<String>> {
        let mut headers = HeaderMap::new();
        let value = crate::http::HeaderValue::from_bytes(value).expect("a header value");
        headers.insert("idempotency-key", value);
        idempotency_key(&headers)
    }

    #[test]
    fn idempotency_keys_are_what_the_document_says() {
        assert_eq!(key(b"a").ok().flatten().as_deref(), Some("a"));
        assert_eq!(key(b"one two").ok().flatten().as_deref(), Some("one two"));
        assert!(key(&[b'k'; MAX_IDEMPOTENCY_KEY_BYTES]).is_ok());
        assert!(key(&[b'k'; MAX_IDEMPOTENCY_KEY_BYTES + 1]).is_err());
        assert!(key(b"").is_err());
        assert!(
            key(b"tab\there").is_err(),
            "a tab is not a visible character"
        );
        assert!(key(b"ends ").is_err());
        assert!(key(b"caf\xc3\xa9").is_err(), "only ASCII");
        assert!(idempotency_key(&HeaderMap::new()).is_ok_and(|key| key.is_none()));
    }
}
