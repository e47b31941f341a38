//! Bearer tokens. A token is a random secret shown once when created; the
//! store keeps only its SHA-256, so a leaked database does not leak tokens.
//! A token linked to a staff member acts as that person.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use rapport_shared::Collection;
use sha2::{Digest, Sha256};

use crate::http::HeaderMap;
use crate::store::{Actor, Store, StoreError};

use super::error::{ApiError, ApiResult};

/// Prefix of every token, so a secret pasted somewhere is recognisable.
pub const TOKEN_PREFIX: &str = "rpt_";

/// A new random token secret: the prefix and 32 random bytes in hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex(&bytes))
}

/// Bytes as lower-case hex, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The hash under which a secret is stored.
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// How long a checked token is trusted from memory before the store is
/// asked again: a revocation made anywhere (another server on the same
/// database, `rapportd token revoke` in another process) is seen within
/// this, and a request costs a hash lookup rather than two reads.
pub const TOKEN_RECHECK: Duration = Duration::from_secs(1);

/// Tokens remembered at most: more live tokens than this only means some
/// are checked in the store more often.
pub const TOKEN_CACHE_LIMIT: usize = 10_000;

/// The callers of recently checked tokens, by the hash of their secret.
#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, Checked>>,
}

struct Checked {
    actor: Actor,
    at: Instant,
    /// The token's expiry: a remembered token is never used past it.
    expires_at: Option<jiff::Timestamp>,
}

impl TokenCache {
    /// The caller of `hash` if it was checked less than [`TOKEN_RECHECK`]
    /// before `now` and has not expired since.
    fn fresh(&self, hash: &str, now: Instant) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let wall = jiff::Timestamp::now();
        entries
            .get(hash)
            .filter(|checked| now.saturating_duration_since(checked.at) < TOKEN_RECHECK)
            .filter(|checked| checked.expires_at.is_none_or(|expires| wall < expires))
            .map(|checked| checked.actor.clone())
    }

    fn remember(
        &self,
        hash: String,
        actor: &Actor,
        expires_at: Option<jiff::Timestamp>,
        now: Instant,
    ) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= TOKEN_CACHE_LIMIT && !entries.contains_key(&hash) {
            entries.retain(|_, checked| now.saturating_duration_since(checked.at) < TOKEN_RECHECK);
            if entries.len() >= TOKEN_CACHE_LIMIT {
                entries.clear();
            }
        }
        let checked = Checked {
            actor: actor.clone(),
            at: now,
            expires_at,
        };
        entries.insert(hash, checked);
    }

    fn forget(&self, hash: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(hash);
    }
}

/// The caller named by the request's `Authorization: Bearer` header, from
/// `cache` when checked within [`TOKEN_RECHECK`], else from the store.
pub async fn authenticate(
    store: &dyn Store,
    cache: &TokenCache,
    headers: &HeaderMap,
) -> ApiResult<Actor> {
    authenticate_at(store, cache, headers, Instant::now()).await
}

/// [`authenticate`] at time `now` (tests step the clock).
pub async fn authenticate_at(
    store: &dyn Store,
    cache: &TokenCache,
    headers: &HeaderMap,
    now: Instant,
) -> ApiResult<Actor> {
    let hash = hash_secret(bearer(headers)?);
    if let Some(actor) = cache.fresh(&hash, now) {
        return Ok(actor);
    }
    match actor_of(store, &hash).await {
        Ok((actor, expires_at)) => {
            cache.remember(hash, &actor, expires_at, now);
            Ok(actor)
        }
        Err(error) => {
            cache.forget(&hash);
            Err(error)
        }
    }
}

/// The caller of the token whose secret hashes to `hash`, read from the
/// store, and when the token expires.
async fn actor_of(store: &dyn Store, hash: &str) -> ApiResult<(Actor, Option<jiff::Timestamp>)> {
    let Some(token) = store.token_by_hash(hash.to_string()).await? else {
        return Err(ApiError::Unauthorized(
            "the token is unknown or revoked".into(),
        ));
    };
    if let Some(expires) = token.expires_at
        && token.expired_at(jiff::Timestamp::now())
    {
        return Err(ApiError::Unauthorized(format!(
            "the token expired at {expires}: ask for a new one (rapportd token create)"
        )));
    }
    let name = match &token.staff_id {
        Some(staff_id) => match store.get(Collection::Staff, staff_id.clone()).await {
            Ok(staff) => staff
                .fields
                .get("name")
                .and_then(|name| name.as_str())
                .unwrap_or(&token.name)
                .to_string(),
            Err(StoreError::NotFound { .. }) => token.name.clone(),
            Err(other) => return Err(other.into()),
        },
        None => token.name.clone(),
    };
    let actor = Actor {
        token_id: token.id,
        name,
        staff_id: token.staff_id,
        permission: token.permission,
    };
    Ok((actor, token.expires_at))
}

/// The latest expiry accepted: 2200-01-01T00:00:00Z, well inside what
/// the store keeps (nanoseconds since 1970 in an i64).
const LATEST_EXPIRY_SECOND: i64 = 7_258_118_400;

/// When a token given `--expires TEXT` at `now` expires: `30d` (days) or
/// `12h` (hours) from now, a date `2027-01-31` (the token is good through
/// that day, until midnight UTC after it), or an RFC 3339 instant
/// `2027-01-31T17:00:00Z`. A time that is not in the future is refused.
pub fn expiry_from(text: &str, now: jiff::Timestamp) -> Result<jiff::Timestamp, String> {
    let text = text.trim();
    let refused = || {
        format!(
            "--expires {text:?}: give days or hours from now (30d, 12h), a date (2027-01-31) or an RFC 3339 time (2027-01-31T17:00:00Z)"
        )
    };
    let relative = |unit: char, hours: i64| -> Option<Result<jiff::Timestamp, String>> {
        let count: i64 = text.strip_suffix(unit)?.parse().ok()?;
        let span = count
            .checked_mul(hours)
            .map(jiff::SignedDuration::from_hours)
            .and_then(|span| now.checked_add(span).ok());
        Some(span.ok_or_else(refused))
    };
    // An instant first: a date parser would also read the date of one.
    let at = if let Some(at) = relative('d', 24).or_else(|| relative('h', 1)) {
        at?
    } else if let Ok(at) = text.parse::<jiff::Timestamp>() {
        at
    } else {
        let date = text.parse::<jiff::civil::Date>().map_err(|_| refused())?;
        date.tomorrow()
            .and_then(|day| day.to_zoned(jiff::tz::TimeZone::UTC))
            .map(|day| day.timestamp())
            .map_err(|_| refused())?
    };
    if at <= now {
        return Err(format!("--expires {text:?} is not in the future ({at})"));
    }
    // Instants are stored as nanoseconds in an i64, which ends in 2262.
    let latest = jiff::Timestamp::from_second(LATEST_EXPIRY_SECOND).map_err(|_| refused())?;
    if at > latest {
        return Err(format!(
            "--expires {text:?} is too far ahead: at most {latest}"
        ));
    }
    Ok(at)
}

/// The secret of an `Authorization: Bearer` header: 401 when missing or malformed.
pub fn bearer(headers: &HeaderMap) -> ApiResult<&str> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized(
            "this call needs an Authorization: Bearer <token> header".into(),
        ));
    };
    let text = value.to_str().map_err(|_| {
        ApiError::Unauthorized("the Authorization header is not readable text".into())
    })?;
    let (scheme, secret) = text.trim().split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || secret.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "the Authorization header must be Bearer <token>".into(),
        ));
    }
    Ok(secret.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        let one = new_secret();
        assert!(one.starts_with(TOKEN_PREFIX));
        assert_eq!(one.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(one, new_secret());
        assert_eq!(hash_secret("abc"), hash_secret("abc"));
        assert_eq!(hash_secret("abc").len(), 64);
    }

    #[tokio::test]
    async fn a_revocation_elsewhere_is_seen_within_the_recheck() {
        use crate::store::sqlite::SqliteStore;
        use rapport_shared::enums::Permission;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(&dir.path().join("rapport.db")).expect("a store");
        let secret = new_secret();
        store
            .create_token(
                "ops".into(),
                Permission::Operator,
                None,
                hash_secret(&secret),
            )
            .await
            .expect("a token");
        let mut headers = HeaderMap::new();
        let value = format!("Bearer {secret}");
        headers.insert(http::header::AUTHORIZATION, value.parse().expect("header"));
        let cache = TokenCache::default();
        let start = Instant::now();
        let actor = authenticate_at(&store, &cache, &headers, start).await;
        assert_eq!(actor.map(|a| a.name).ok().as_deref(), Some("ops"));
        // Revoked as `rapportd token revoke` would, behind the cache's back.
        store.revoke_token("ops".into()).await.expect("revoked");
        let cached = authenticate_at(&store, &cache, &headers, start + TOKEN_RECHECK / 2).await;
        assert!(cached.is_ok(), "trusted from memory within the recheck");
        let later = authenticate_at(&store, &cache, &headers, start + TOKEN_RECHECK).await;
        assert!(matches!(later, Err(ApiError::Unauthorized(_))), "{later:?}");
        // And stays refused: the refusal is not remembered as a caller.
        let again = authenticate_at(&store, &cache, &headers, start).await;
        assert!(again.is_err());
    }

    #[tokio::test]
    async fn an_expired_token_is_a_401_saying_so_and_never_served_from_the_cache() {
        use crate::store::sqlite::SqliteStore;
        use rapport_shared::enums::Permission;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(&dir.path().join("rapport.db")).expect("a store");
        let past = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
        let secret = new_secret();
        store
            .create_expiring_token(
                "old".into(),
                Permission::Viewer,
                None,
                hash_secret(&secret),
                Some(past),
            )
            .await
            .expect("a token");
        let mut headers = HeaderMap::new();
        let value = format!("Bearer {secret}");
        headers.insert(http::header::AUTHORIZATION, value.parse().expect("header"));
        let cache = TokenCache::default();
        let refused = authenticate_at(&store, &cache, &headers, Instant::now()).await;
        match refused {
            Err(ApiError::Unauthorized(detail)) => assert!(detail.contains("expired"), "{detail}"),
            other => panic!("expected a 401, got {other:?}"),
        }

        // A token remembered while it was good is not used past its expiry,
        // even within the recheck.
        let actor = Actor {
            token_id: "t".into(),
            name: "remembered".into(),
            staff_id: None,
            permission: Permission::Viewer,
        };
        let now = Instant::now();
        cache.remember(hash_secret(&secret), &actor, Some(past), now);
        assert!(cache.fresh(&hash_secret(&secret), now).is_none());
        let future = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
        cache.remember(hash_secret(&secret), &actor, Some(future), now);
        assert!(cache.fresh(&hash_secret(&secret), now).is_some());
    }

    #[test]
    fn expiry_takes_days_hours_dates_and_instants() {
        let now: jiff::Timestamp = "2026-12-03T12:00:00Z".parse().expect("a time");
        let at = |text: &str| expiry_from(text, now).map(|t| t.to_string());
        assert_eq!(at("30d").as_deref(), Ok("2027-01-02T12:00:00Z"));
        assert_eq!(at("12h").as_deref(), Ok("2026-12-04T00:00:00Z"));
        assert_eq!(at("2027-01-31").as_deref(), Ok("2027-02-01T00:00:00Z"));
        assert_eq!(
            at("2027-01-31T17:00:00+01:00").as_deref(),
            Ok("2027-01-31T16:00:00Z")
        );
        let past = at("2026-01-01").expect_err("in the past");
        assert!(past.contains("not in the future"), "{past}");
        let nonsense = at("soon").expect_err("not a time");
        assert!(
            nonsense.contains("30d") && nonsense.contains("2027-01-31"),
            "{nonsense}"
        );
        assert!(at("0d").is_err());
        assert!(at("99999999999999d").is_err());
        let far = at("2999-01-01").expect_err("beyond what is stored");
        assert!(far.contains("2200-01-01T00:00:00Z"), "{far}");
    }

    #[test]
    fn bearer_header_forms() {
        let mut headers = HeaderMap::new();
        assert!(bearer(&headers).is_err());
        headers.insert(
            http::header::AUTHORIZATION,
            "Basic abc".parse().expect("header"),
        );
        assert!(bearer(&headers).is_err());
        headers.insert(
            http::header::AUTHORIZATION,
            "bearer  rpt_1 ".parse().expect("header"),
        );
        assert_eq!(bearer(&headers).ok(), Some("rpt_1"));
    }
}
