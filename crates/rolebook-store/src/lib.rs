//! rolebook-store: the workspace, an organisation's own catalog kept as
//! versioned entities in a database (SQLite by default, PostgreSQL for
//! teams running several servers).
//!
//! Layering: this crate sits below the web layer and beside the CLI, and
//! above the core. It reads and writes the database and nothing else; the
//! core validates and loads what it stores, and knows nothing of SQL.
//!
//! - [`db`]: the connection and what differs per engine;
//! - [`entity`]: how catalog files map to entities and back;
//! - [`workspace`]: versions, change requests, edits, validation and
//!   publishing;
//! - [`diff`]: what changed in one entity, field by field;
//! - [`audit`]: the audit log's one way in, used in the transaction of
//!   every change;
//! - [`backup`]: consistent copies of a live SQLite workspace, and
//!   restoring one.

pub mod audit;
pub mod backup;
pub mod db;
pub mod diff;
pub mod entity;
mod error;
pub mod review;
pub mod workspace;

pub use audit::Actor;
pub use db::{Db, Engine, Location};
pub use diff::{EntityDiff, diff_documents};
pub use entity::{Content, Document, Key, Kind};
pub use error::StoreError;
pub use review::{Comment, CommentTarget, Moved, Step};
pub use workspace::{
    ChangeRequest, Edit, Entity, EntityDiagnostic, HistoryEntry, Imported, State, Token,
    Validation, Version, Workspace,
};
