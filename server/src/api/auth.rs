//! Bearer tokens. A token is a random secret shown once when created; the
//! store keeps only its SHA-256, so a leaked database does not leak tokens.
//! A token linked to a staff member acts as that person.

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

/// The caller named by the request's `Authorization: Bearer` header.
pub async fn authenticate(store: &dyn Store, headers: &HeaderMap) -> ApiResult<Actor> {
    let secret = bearer(headers)?;
    let Some(token) = store.token_by_hash(hash_secret(secret)).await? else {
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
