//! The writer's token commands: creating a token (its name unique among
//! live tokens, its staff member present) and revoking one.

use jiff::Timestamp;
use rapport_shared::Collection;
use rapport_shared::enums::Permission;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::super::ops;
use super::super::reads;
use super::super::schema::{self, backend};
use super::WriterState;
use crate::store::next_id;
use crate::store::{StoreError, StoreResult, TokenRecord};

impl WriterState {
    /// Stores a new token's hash; its name must not be live already.
    pub(super) fn create_token(
        &mut self,
        name: String,
        permission: Permission,
        staff_id: Option<String>,
        secret_hash: String,
        expires_at: Option<Timestamp>,
    ) -> StoreResult<TokenRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        if let Some(staff_id) = &staff_id
            && ops::fetch(&tx, Collection::Staff, staff_id)?.is_none()
        {
            return Err(StoreError::MissingLink {
                field: "staff_id".into(),
                collection: Collection::Staff,
                id: staff_id.clone(),
            });
        }
        let taken = tx
            .query_row(
                "SELECT 1 FROM tokens WHERE name = ?1 AND revoked = 0",
                [&name],
                |_| Ok(()),
            )
            .optional()
            .map_err(backend)?
            .is_some();
        if taken {
            return Err(StoreError::Duplicate {
                field: "name".into(),
                value: name,
            });
        }
        let token = TokenRecord {
            id: next_id(&mut self.last_id),
            name,
            permission,
            staff_id,
            created_at: Timestamp::now(),
            revoked: false,
            expires_at,
        };
        let expires_ns = token.expires_at.map(schema::to_ns).transpose()?;
        tx.execute(
            "INSERT INTO tokens (id, name, permission, staff_id, secret_hash, created_ns, revoked, expires_ns) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
            params![
                token.id,
                token.name,
                token.permission.as_str(),
                token.staff_id,
                secret_hash,
                schema::to_ns(token.created_at)?,
                expires_ns,
            ],
        )
        .map_err(|error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate {
                field: "secret".into(),
                value: "(hidden)".into(),
            },
            _ => backend(error),
        })?;
        tx.commit().map_err(backend)?;
        Ok(token)
    }

    /// Revokes a token by id, or the live token of that name.
    pub(super) fn revoke_token(&mut self, id_or_name: &str) -> StoreResult<TokenRecord> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // An id wins over a name; by name, only a live token is meant.
        let token = match reads::token_where(&tx, "id = ?1", id_or_name)? {
            Some(token) => token,
            None => reads::token_where(&tx, "name = ?1 AND revoked = 0", id_or_name)?
                .ok_or_else(|| StoreError::UnknownToken(id_or_name.to_owned()))?,
        };
        tx.execute("UPDATE tokens SET revoked = 1 WHERE id = ?1", [&token.id])
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(TokenRecord {
            revoked: true,
            ..token
        })
    }
}
