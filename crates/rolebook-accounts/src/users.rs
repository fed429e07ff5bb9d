//! Users: adding, listing, roles, disabling, passwords, and signing in
//! with throttling.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use crate::audit::{Tx, record};
use crate::policy::Role;
use crate::{AccountError, Accounts, Context, password};

/// A user, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When the account was disabled; a disabled user cannot sign in and
    /// their sessions and tokens stop working.
    pub disabled_at: Option<String>,
    pub created_at: String,
    /// Whether the user has a password (else they sign in only through
    /// the trusted proxy).
    pub has_password: bool,
}

impl User {
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// Failed sign-ins allowed per account inside [`THROTTLE_WINDOW`] before
/// it is locked for the rest of the window.
pub const FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins allowed per address inside the window, over all
/// accounts (guessing one password across many accounts).
pub const FAILURES_PER_ADDRESS: i64 = 20;
/// How far back failures count.
pub const THROTTLE_WINDOW: time::Duration = time::Duration::minutes(15);

pub(crate) fn user_of(row: &AnyRow) -> Result<User, AccountError> {
    let role: String = row.try_get(3)?;
    let hash: Option<String> = row.try_get(6)?;
    Ok(User {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        role: role.parse().map_err(AccountError::Internal)?,
        disabled_at: row.try_get(4)?,
        created_at: row.try_get(5)?,
        has_password: hash.is_some(),
    })
}

/// The form an email is stored and compared in; an error unless it looks
/// like one (something, `@`, a domain with a dot, no spaces).
pub fn normalise_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(AccountError::BadEmail(email))
    }
}

fn check_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AccountError::BadName);
    }
    Ok(name.to_string())
}

impl Accounts {
    /// How many users there are, disabled ones included: none means the
    /// workspace is waiting for its first admin.
    pub async fn user_count(&self) -> Result<i64, AccountError> {
        let row = sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(self.db.pool())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Adds a user; `password` is `None` for one who signs in through the
    /// trusted proxy only.
    pub async fn add_user(
        &self,
        context: &Context,
        email: &str,
        name: &str,
        role: Role,
        password: Option<&str>,
    ) -> Result<User, AccountError> {
        let hash = match password {
            Some(given) => Some(new_hash(given, email).await?),
            None => None,
        };
        let mut tx = self.db.begin_write().await?;
        let user = add_user(&mut tx, context, email, name, role, hash).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Every user, by email.
    pub async fn users(&self) -> Result<Vec<User>, AccountError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u ORDER BY u.email"
        ))
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(user_of).collect()
    }

    pub async fn user(&self, id: i64) -> Result<User, AccountError> {
        sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .map(|row| user_of(&row))
        .transpose()?
        .ok_or_else(|| AccountError::NoSuchUser(id.to_string()))
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User, AccountError> {
        let email = normalise_email(email)?;
        sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.email = $1"
        ))
        .bind(&email)
        .fetch_optional(self.db.pool())
        .await?
        .map(|row| user_of(&row))
        .transpose()?
        .ok_or(AccountError::NoSuchUser(email))
    }

    /// Gives a user another role. The last enabled admin keeps theirs.
    pub async fn set_role(
        &self,
        context: &Context,
        email: &str,
        role: Role,
    ) -> Result<User, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let user = user_in(&mut tx, email).await?;
        if user.role == Role::Admin && role != Role::Admin && user.is_enabled() {
            keep_an_admin(&mut tx, user.id).await?;
        }
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(rolebook_store::db::now())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("role {} → {role}", user.role);
        record(
            &mut tx,
            context,
            "user-role-changed",
            &object(&user),
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.user(user.id).await
    }

    /// Disables (or enables again) a user. Disabling ends their sessions
    /// and revokes nothing else: their tokens stop working because their
    /// owner is disabled, and work again if the user is enabled.
    pub async fn set_enabled(
        &self,
        context: &Context,
        email: &str,
        enabled: bool,
    ) -> Result<User, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let user = user_in(&mut tx, email).await?;
        if !enabled && user.role == Role::Admin && user.is_enabled() {
            keep_an_admin(&mut tx, user.id).await?;
        }
        let now = rolebook_store::db::now();
        let disabled_at = if enabled { None } else { Some(now.clone()) };
        if enabled != user.is_enabled() {
            sqlx::query("UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3")
                .bind(disabled_at)
                .bind(&now)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            if !enabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user.id)
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if enabled {
                "user-enabled"
            } else {
                "user-disabled"
            };
            record(&mut tx, context, action, &object(&user), "").await?;
        }
        tx.commit().await?;
        self.user(user.id).await
    }

    /// Sets a user's password and ends their sessions.
    pub async fn set_password(
        &self,
        context: &Context,
        email: &str,
        new_password: &str,
    ) -> Result<User, AccountError> {
        let hash = new_hash(new_password, email).await?;
        let mut tx = self.db.begin_write().await?;
        let user = user_in(&mut tx, email).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(rolebook_store::db::now())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, context, "password-set", &object(&user), "").await?;
        tx.commit().await?;
        self.user(user.id).await
    }

    /// Checks an email and password. Refused while the account or the
    /// address has had too many recent failures; every outcome is in the
    /// audit log. An unknown email costs the time of a real check.
    pub async fn authenticate(
        &self,
        context: &Context,
        email: &str,
        given: &str,
    ) -> Result<User, AccountError> {
        let email = normalise_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
        let now = OffsetDateTime::now_utc();
        let since = rolebook_store::db::timestamp(now - THROTTLE_WINDOW);
        if let Some(retry_after) = self
            .throttled(&email, &context.address, &since, now)
            .await?
        {
            let mut tx = self.db.begin_write().await?;
            let detail = format!("throttled for {retry_after} s");
            record(
                &mut tx,
                context,
                "sign-in-throttled",
                &format!("user:{email}"),
                &detail,
            )
            .await?;
            tx.commit().await?;
            return Err(AccountError::Throttled { retry_after });
        }
        let found = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.email = $1"
        ))
        .bind(&email)
        .fetch_optional(self.db.pool())
        .await?;
        let (user, hash) = match &found {
            Some(row) => (Some(user_of(row)?), row.try_get::<Option<String>, _>(6)?),
            None => (None, None),
        };
        let given_owned = given.to_string();
        let matches = blocking(move || match &hash {
            Some(hash) => password::verify(hash, &given_owned),
            None => {
                password::verify_nothing(&given_owned);
                false
            }
        })
        .await?;
        let mut tx = self.db.begin_write().await?;
        let outcome = match user {
            Some(user) if matches && user.is_enabled() => Ok(user),
            Some(user) if matches => Err((AccountError::Disabled, user.email)),
            _ => Err((AccountError::BadCredentials, email.clone())),
        };
        match outcome {
            Ok(user) => {
                let context = context.as_actor(&user.email);
                record(&mut tx, &context, "sign-in", &object(&user), "password").await?;
                tx.commit().await?;
                Ok(user)
            }
            Err((error, email)) => {
                sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
                    .bind(&since)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)",
                )
                .bind(&email)
                .bind(&context.address)
                .bind(rolebook_store::db::timestamp(now))
                .execute(&mut *tx)
                .await?;
                let detail = match error {
                    AccountError::Disabled => "account disabled",
                    _ => "wrong email or password",
                };
                record(
                    &mut tx,
                    context,
                    "sign-in-failed",
                    &format!("user:{email}"),
                    detail,
                )
                .await?;
                tx.commit().await?;
                Err(error)
            }
        }
    }

    /// Seconds until `email` from `address` may try again, if throttled.
    async fn throttled(
        &self,
        email: &str,
        address: &str,
        since: &str,
        now: OffsetDateTime,
    ) -> Result<Option<u64>, AccountError> {
        let mut wait = None;
        for (sql, value, limit) in [
            (
                "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE email = $1 AND at >= $2",
                email,
                FAILURES_PER_ACCOUNT,
            ),
            (
                "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE address = $1 AND at >= $2",
                address,
                FAILURES_PER_ADDRESS,
            ),
        ] {
            let row = sqlx::query(sql)
                .bind(value)
                .bind(since)
                .fetch_one(self.db.pool())
                .await?;
            let count: i64 = row.try_get(0)?;
            let oldest: Option<String> = row.try_get(1)?;
            if count >= limit {
                // Locked until the oldest failure in the window leaves it.
                let seconds = oldest
                    .and_then(|at| {
                        OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
                            .ok()
                    })
                    .map_or(THROTTLE_WINDOW.whole_seconds(), |oldest| {
                        (oldest + THROTTLE_WINDOW - now).whole_seconds()
                    })
                    .max(1);
                let seconds = u64::try_from(seconds).unwrap_or(1);
                wait = Some(wait.map_or(seconds, |w: u64| w.max(seconds)));
            }
        }
        Ok(wait)
    }
}

/// How a user is named in the audit log.
pub(crate) fn object(user: &User) -> String {
    format!("user:{}", user.email)
}

/// Checks `given` as a new password for `email` and hashes it, off the
/// async threads (a hash takes tens of milliseconds) and before any write
/// transaction, so no lock is held while it runs.
pub(crate) async fn new_hash(given: &str, email: &str) -> Result<String, AccountError> {
    let email = normalise_email(email)?;
    password::check(given, &email)?;
    let given = given.to_string();
    blocking(move || password::hash(&given)).await?
}

/// Runs CPU-heavy work (argon2) on tokio's blocking threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AccountError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AccountError::Internal(format!("password hashing stopped: {e}")))
}

/// Inserts a user whose password (if any) is hashed already.
pub(crate) async fn add_user(
    tx: &mut Tx,
    context: &Context,
    email: &str,
    name: &str,
    role: Role,
    hash: Option<String>,
) -> Result<User, AccountError> {
    let email = normalise_email(email)?;
    let name = check_name(name)?;
    let taken = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(AccountError::EmailTaken(email));
    }
    let now = rolebook_store::db::now();
    let row = sqlx::query(
        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&email)
    .bind(&name)
    .bind(role.as_str())
    .bind(hash.clone())
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    let user = User {
        id: row.try_get(0)?,
        email,
        name,
        role,
        disabled_at: None,
        created_at: now,
        has_password: hash.is_some(),
    };
    record(
        tx,
        context,
        "user-added",
        &object(&user),
        &format!("role {role}"),
    )
    .await?;
    Ok(user)
}

async fn user_in(tx: &mut Tx, email: &str) -> Result<User, AccountError> {
    let email = normalise_email(email)?;
    sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users u WHERE u.email = $1"
    ))
    .bind(&email)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| user_of(&row))
    .transpose()?
    .ok_or(AccountError::NoSuchUser(email))
}

/// Refuses when `user` is the only enabled admin.
async fn keep_an_admin(tx: &mut Tx, user: i64) -> Result<(), AccountError> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
    )
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    let others: i64 = row.try_get(0)?;
    if others == 0 {
        return Err(AccountError::LastAdmin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Ana@Example.ORG ").expect("valid"),
            "ana@example.org"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@localhost",
            "a b@example.org",
            "a@b@c.org",
            "ana@.org",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
