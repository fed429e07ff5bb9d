//! One-time sign-up links: invitations an admin sends, and the first-run
//! setup link that creates the first admin (there is no default
//! password).

use serde::Serialize;
use sqlx::Row;
use time::OffsetDateTime;

use crate::audit::record;
use crate::policy::Role;
use crate::secret::{digest, new_secret};
use crate::users::{User, add_user, new_hash, normalise_email, object};
use crate::{AccountError, Accounts, Context};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: time::Duration = time::Duration::days(7);
/// How long the first-run setup link works; a server prints a new one each
/// time it starts while there is no user.
pub const SETUP_LIFETIME: time::Duration = time::Duration::hours(1);

/// An unused, unexpired sign-up link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: i64,
    /// Empty for the setup link: the first admin gives theirs.
    pub email: String,
    pub role: Role,
    pub expires_at: String,
    /// Whether this is the first-run setup link.
    pub setup: bool,
}

impl Accounts {
    /// A new invitation for `email` to join as `role`; the link's secret
    /// is returned here only.
    pub async fn invite(
        &self,
        context: &Context,
        by: &User,
        email: &str,
        role: Role,
    ) -> Result<(String, Invitation), AccountError> {
        let email = normalise_email(email)?;
        if self.user_by_email(&email).await.is_ok() {
            return Err(AccountError::EmailTaken(email));
        }
        let secret = new_secret("")?;
        let expires_at =
            rolebook_store::db::timestamp(OffsetDateTime::now_utc() + INVITATION_LIFETIME);
        let mut tx = self.db.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO invitations (token_hash, email, role, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(digest(&secret))
        .bind(&email)
        .bind(role.as_str())
        .bind(by.id)
        .bind(rolebook_store::db::now())
        .bind(&expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let invitation = Invitation {
            id: row.try_get(0)?,
            email: email.clone(),
            role,
            expires_at,
            setup: false,
        };
        let detail = format!("as {role}, by {}", object(by));
        record(
            &mut tx,
            context,
            "invitation-created",
            &format!("user:{email}"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok((secret, invitation))
    }

    /// A new first-run setup link while the workspace has no user (any
    /// earlier unused one stops working); `None` once someone exists.
    pub async fn setup_link(&self, context: &Context) -> Result<Option<String>, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let users: i64 = sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if users > 0 {
            return Ok(None);
        }
        sqlx::query("DELETE FROM invitations WHERE created_by IS NULL AND used_at IS NULL")
            .execute(&mut *tx)
            .await?;
        let secret = new_secret("")?;
        let expires_at = rolebook_store::db::timestamp(OffsetDateTime::now_utc() + SETUP_LIFETIME);
        sqlx::query(
            "INSERT INTO invitations (token_hash, email, role, created_by, created_at, expires_at) \
             VALUES ($1, '', 'admin', NULL, $2, $3)",
        )
        .bind(digest(&secret))
        .bind(rolebook_store::db::now())
        .bind(&expires_at)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, context, "setup-link-created", "workspace", "").await?;
        tx.commit().await?;
        Ok(Some(secret))
    }

    /// The invitation whose link holds `secret`, if it can still be used.
    pub async fn invitation(&self, secret: &str) -> Result<Option<Invitation>, AccountError> {
        let row = sqlx::query(
            "SELECT id, email, role, expires_at, created_by FROM invitations \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(digest(secret))
        .bind(rolebook_store::db::now())
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role: String = row.try_get(2)?;
        let created_by: Option<i64> = row.try_get(4)?;
        let invitation = Invitation {
            id: row.try_get(0)?,
            email: row.try_get(1)?,
            role: role.parse().map_err(AccountError::Internal)?,
            expires_at: row.try_get(3)?,
            setup: created_by.is_none(),
        };
        // A setup link is void once anyone exists.
        if invitation.setup && self.user_count().await? > 0 {
            return Ok(None);
        }
        Ok(Some(invitation))
    }

    /// The invitations still waiting to be used, soonest to expire first
    /// (not the setup link); their links were shown once and are not kept.
    pub async fn pending_invitations(&self) -> Result<Vec<Invitation>, AccountError> {
        let rows = sqlx::query(
            "SELECT id, email, role, expires_at FROM invitations \
             WHERE used_at IS NULL AND expires_at > $1 AND created_by IS NOT NULL \
             ORDER BY expires_at, id",
        )
        .bind(rolebook_store::db::now())
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get(2)?;
                Ok(Invitation {
                    id: row.try_get(0)?,
                    email: row.try_get(1)?,
                    role: role.parse().map_err(AccountError::Internal)?,
                    expires_at: row.try_get(3)?,
                    setup: false,
                })
            })
            .collect()
    }

    /// Creates the account an invitation (or the setup link) is for, and
    /// uses the link up. `email` is read only for the setup link; an
    /// invitation's email is the one it was sent to.
    pub async fn accept(
        &self,
        context: &Context,
        secret: &str,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<User, AccountError> {
        let invitation = self
            .invitation(secret)
            .await?
            .ok_or(AccountError::BadLink)?;
        let email = if invitation.setup {
            normalise_email(email)?
        } else {
            invitation.email.clone()
        };
        let hash = new_hash(password, &email).await?;
        let mut tx = self.db.begin_write().await?;
        // Used once: a second acceptance racing this one finds it used.
        let used =
            sqlx::query("UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(rolebook_store::db::now())
                .bind(invitation.id)
                .execute(&mut *tx)
                .await?;
        if used.rows_affected() != 1 {
            return Err(AccountError::BadLink);
        }
        if invitation.setup {
            let users: i64 = sqlx::query("SELECT COUNT(*) FROM users")
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            if users > 0 {
                return Err(AccountError::BadLink);
            }
        }
        let context = context.as_actor(&email);
        let user = add_user(&mut tx, &context, &email, name, invitation.role, Some(hash)).await?;
        let action = if invitation.setup {
            "setup-completed"
        } else {
            "invitation-accepted"
        };
        record(&mut tx, &context, action, &object(&user), "").await?;
        tx.commit().await?;
        Ok(user)
    }
}
