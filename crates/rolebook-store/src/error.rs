use std::path::PathBuf;

use crate::db::Location;
use crate::entity::Key;
use crate::workspace::State;

/// Why a workspace operation did not happen. Nothing is half-applied: every
/// write is one transaction.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Location(String),
    #[error("cannot open the workspace at {location}: {message}")]
    Connect { location: String, message: String },
    #[error("cannot migrate the workspace database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the catalog cannot be split into entities:\n  {}", .0.join("\n  "))]
    Split(Vec<String>),
    #[error("the workspace is empty: run `rolebook workspace init` first")]
    NotInitialised,
    #[error("the workspace already holds version {0}; it is initialised once")]
    AlreadyInitialised(i64),
    #[error("there is no version {0}")]
    NoSuchVersion(i64),
    #[error("there is no change request {0}")]
    NoSuchChangeRequest(i64),
    #[error("there is no {0} in this version")]
    NoSuchEntity(Key),
    #[error("change request {id} is {state}; {action} needs it {needed}")]
    WrongState {
        id: i64,
        state: State,
        action: &'static str,
        needed: &'static str,
    },
    /// A save from a stale base: someone saved `key` since the caller read
    /// it. Both sides are named so the caller can compare them.
    #[error(
        "{key} changed since you read it (you had {yours}, it is now {current}); reload it, compare, and save again"
    )]
    Conflict {
        key: Key,
        yours: String,
        current: String,
    },
    /// Publishing would overwrite entities published since the change
    /// request's edits were based.
    #[error("published versions changed {} since this change request's edits were made: {}; update those edits first", if .0.len() == 1 { "an entity" } else { "entities" }, .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    Stale(Vec<Key>),
    /// Something moved while a publish was under way (a save to the
    /// change request, or another publish); nothing was written, and
    /// publishing again is the answer.
    #[error("{0}; publish again")]
    PublishAgain(&'static str),
    #[error("the change request has {0} validation error(s); fix them before publishing")]
    Invalid(usize),
    #[error("{0}")]
    BadEdit(String),
}

impl StoreError {
    pub(crate) fn connect(location: &Location, error: impl std::fmt::Display) -> Self {
        StoreError::Connect {
            location: location.label(),
            message: error.to_string(),
        }
    }

    /// Whether the caller's input is at fault (a 4xx), not the store.
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            StoreError::NoSuchVersion(_)
                | StoreError::NoSuchChangeRequest(_)
                | StoreError::NoSuchEntity(_)
                | StoreError::WrongState { .. }
                | StoreError::Conflict { .. }
                | StoreError::Stale(_)
                | StoreError::PublishAgain(_)
                | StoreError::Invalid(_)
                | StoreError::BadEdit(_)
                | StoreError::Split(_)
        )
    }
}
