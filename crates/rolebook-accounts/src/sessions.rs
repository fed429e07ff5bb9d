//! Browser sessions: a random cookie value, of which only a digest is
//! stored, and a CSRF token per session.

use sqlx::Row;
use time::OffsetDateTime;

use crate::audit::record;
use crate::secret::{digest, new_secret};
use crate::users::{User, object, user_of};
use crate::{AccountError, Accounts, Context};

/// A session ends this long after sign-in, however active (NIST SP
/// 800-63B, AAL2: 12 hours).
pub const LIFETIME: time::Duration = time::Duration::hours(12);
/// … or after this long without a request (AAL2: 30 minutes).
pub const IDLE: time::Duration = time::Duration::minutes(30);
/// `last_seen_at` is written at most this often, so that reading pages
/// does not write to the database on every request.
pub const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// Sent back with every state-changing form or request.
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
}

/// A new session: the cookie value to set (shown once, never stored) and
/// the session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub session: Session,
}

impl Accounts {
    /// Starts a session for `user` (who just signed in). Each sign-in
    /// gets a new random id: one set before sign-in is never kept.
    pub async fn start_session(
        &self,
        context: &Context,
        user: &User,
    ) -> Result<NewSession, AccountError> {
        let cookie = new_secret("")?;
        let csrf_token = new_secret("")?;
        let now = OffsetDateTime::now_utc();
        let created_at = rolebook_store::db::timestamp(now);
        let expires_at = rolebook_store::db::timestamp(now + LIFETIME);
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(digest(&cookie))
        .bind(user.id)
        .bind(&csrf_token)
        .bind(&created_at)
        .bind(&expires_at)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &context.as_actor(&user.email),
            "session-started",
            &object(user),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession {
            cookie,
            session: Session {
                user: user.clone(),
                csrf_token,
                created_at,
                expires_at,
            },
        })
    }

    /// The live session whose cookie is `cookie`: not expired, not idle
    /// too long, its user enabled. Refreshes its last-seen time.
    pub async fn session(&self, cookie: &str) -> Result<Option<Session>, AccountError> {
        let now = OffsetDateTime::now_utc();
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", s.csrf_token, s.created_at, s.expires_at, s.last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND u.disabled_at IS NULL"
        ))
        .bind(digest(cookie))
        .bind(rolebook_store::db::timestamp(now))
        .bind(rolebook_store::db::timestamp(now - IDLE))
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let last_seen: String = row.try_get(10)?;
        if last_seen < rolebook_store::db::timestamp(now - TOUCH_EVERY) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(rolebook_store::db::timestamp(now))
                .bind(digest(cookie))
                .execute(self.db.pool())
                .await?;
        }
        Ok(Some(Session {
            user: user_of(&row)?,
            csrf_token: row.try_get(7)?,
            created_at: row.try_get(8)?,
            expires_at: row.try_get(9)?,
        }))
    }

    /// Ends the session `cookie` (signing out here).
    pub async fn end_session(&self, context: &Context, cookie: &str) -> Result<(), AccountError> {
        let mut tx = self.db.begin_write().await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(digest(cookie))
            .execute(&mut *tx)
            .await?;
        if ended.rows_affected() > 0 {
            record(
                &mut tx,
                context,
                "signed-out",
                &format!("user:{}", context.actor),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of `user` (signing out everywhere); returns how
    /// many there were.
    pub async fn end_sessions(&self, context: &Context, user: &User) -> Result<u64, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        record(
            &mut tx,
            context,
            "signed-out-everywhere",
            &object(user),
            &format!("{ended} sessions ended"),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}
