//! API tokens for scripts: shown once, stored as a digest, scoped,
//! revocable, with the time each was last used.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::record;
use crate::policy::Scope;
use crate::secret::{digest, new_secret};
use crate::users::{User, object, user_of};
use crate::{AccountError, Accounts, Context};

/// What every token starts with, so a leaked one is recognisable (secret
/// scanners look for such prefixes).
pub const PREFIX: &str = "rbt_";

/// A token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

fn token_of(row: &AnyRow, at: usize) -> Result<ApiToken, AccountError> {
    let scope: String = row.try_get(at + 3)?;
    Ok(ApiToken {
        id: row.try_get(at)?,
        user_id: row.try_get(at + 1)?,
        name: row.try_get(at + 2)?,
        scope: scope.parse().map_err(AccountError::Internal)?,
        created_at: row.try_get(at + 4)?,
        last_used_at: row.try_get(at + 5)?,
        revoked_at: row.try_get(at + 6)?,
    })
}

impl Accounts {
    /// Creates a token for `user`; the secret is returned here only.
    pub async fn create_token(
        &self,
        context: &Context,
        user: &User,
        name: &str,
        scope: Scope,
    ) -> Result<(String, ApiToken), AccountError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(AccountError::BadValue(
                "a token needs a name (what it is for), at most 100 characters".to_string(),
            ));
        }
        let secret = new_secret(PREFIX)?;
        let now = rolebook_store::db::now();
        let mut tx = self.db.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, scope, secret_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.id)
        .bind(name)
        .bind(scope.as_str())
        .bind(digest(&secret))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let token = ApiToken {
            id: row.try_get(0)?,
            user_id: user.id,
            name: name.to_string(),
            scope,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let detail = format!("for {} ({scope}): {name}", object(user));
        record(
            &mut tx,
            context,
            "token-created",
            &format!("token:{}", token.id),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok((secret, token))
    }

    /// The token `secret` and its owner, if the token is live (not
    /// revoked, owner enabled); records that it was used.
    pub async fn use_token(&self, secret: &str) -> Result<Option<(ApiToken, User)>, AccountError> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", ",
            token_columns!(),
            " FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        ))
        .bind(digest(secret))
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user = user_of(&row)?;
        let token = token_of(&row, 7)?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(rolebook_store::db::now())
            .bind(token.id)
            .execute(self.db.pool())
            .await?;
        Ok(Some((token, user)))
    }

    /// The tokens of `user`, or of everyone; newest first.
    pub async fn tokens(&self, user: Option<&User>) -> Result<Vec<ApiToken>, AccountError> {
        let rows = match user {
            Some(user) => {
                sqlx::query(concat!(
                    "SELECT ",
                    token_columns!(),
                    " FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC"
                ))
                .bind(user.id)
                .fetch_all(self.db.pool())
                .await?
            }
            None => {
                sqlx::query(concat!(
                    "SELECT ",
                    token_columns!(),
                    " FROM api_tokens t ORDER BY t.id DESC"
                ))
                .fetch_all(self.db.pool())
                .await?
            }
        };
        rows.iter().map(|row| token_of(row, 0)).collect()
    }

    /// Revokes token `id`; it stops working at once.
    pub async fn revoke_token(&self, context: &Context, id: i64) -> Result<ApiToken, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(rolebook_store::db::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            token_columns!(),
            " FROM api_tokens t WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AccountError::NoSuchToken(id))?;
        if revoked.rows_affected() > 0 {
            record(
                &mut tx,
                context,
                "token-revoked",
                &format!("token:{id}"),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        token_of(&row, 0)
    }
}
