use rolebook_store::StoreError;

/// Why an account operation did not happen. Every write is one
/// transaction, its audit entry included: nothing is half-applied.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("`{0}` is not an email address")]
    BadEmail(String),
    #[error("a name is needed, at most 200 characters")]
    BadName,
    #[error("{0}")]
    WeakPassword(String),
    #[error("{0}")]
    BadValue(String),
    #[error("there is already a user with the email {0}")]
    EmailTaken(String),
    #[error("there is no user {0}")]
    NoSuchUser(String),
    #[error("there is no API token {0}")]
    NoSuchToken(i64),
    /// Deliberately vague: which of the two was wrong is not said.
    #[error("the email or the password is wrong")]
    BadCredentials,
    #[error("this account is disabled; an admin can enable it")]
    Disabled,
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    Throttled { retry_after: u64 },
    #[error("this link is unknown, used or expired; ask an admin for a new one")]
    BadLink,
    #[error("the workspace needs at least one enabled admin")]
    LastAdmin,
    #[error("{0}")]
    Internal(String),
}

impl AccountError {
    /// Whether the caller asked for something impossible (4xx), as
    /// opposed to the database failing (5xx).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            AccountError::Store(_) | AccountError::Database(_) | AccountError::Internal(_)
        )
    }
}
