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
}

impl TokenCache {
    /// The caller of `hash` if it was checked less than [`TOKEN_RECHECK`]
    /// before `now`.
    fn fresh(&self, hash: &str, now: Instant) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(hash)
            .filter(|checked| now.saturating_duration_since(checked.at) < TOKEN_RECHECK)
            .map(|checked| checked.actor.clone())
    }

    fn remember(&self, hash: String, actor: &Actor, now: Instant) {
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
        Ok(actor) => {
            cache.remember(hash, &actor, now);
            Ok(actor)
        }
        Err(error) => {
            cache.forget(&hash);
            Err(error)
        }
    }
}

/// The caller of the token whose secret hashes to `hash`, read from the store.
async fn actor_of(store: &dyn Store, hash: &str) -> ApiResult<Actor> {
    let Some(token) = store.token_by_hash(hash.to_string()).await? else {
        return Err(ApiError::Unauthorized(
            "the token is unknown or revoked".into(),
        ));
    };
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
    Ok(Actor {
        token_id: token.id,
        name,
        staff_id: token.staff_id,
        permission: token.permission,
    })
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
