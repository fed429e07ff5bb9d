//! rolebook-accounts: who may do what in a workspace, and the record of
//! what they did.
//!
//! Layering: beside the workspace store, below the web layer and the CLI.
//! Its tables live in the workspace database (the store's migrations
//! create them); this crate reads and writes them and knows nothing of
//! HTTP. Every write records its audit entry in the same transaction.
//!
//! - [`policy`]: roles, token scopes, permissions and the one table that
//!   decides;
//! - [`password`]: argon2id hashing and password rules;
//! - [`users`], [`sessions`], [`tokens`], [`invitations`]: the accounts;
//! - [`audit`]: the append-only audit log;
//! - [`settings`]: the workspace settings the policy reads.

/// The columns `users::user_of` reads, for `concat!` into literal SQL
/// (sqlx takes no SQL built at run time without an audit).
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.role, u.disabled_at, u.created_at, u.password_hash"
    };
}

/// The columns `tokens::token_of` reads.
macro_rules! token_columns {
    () => {
        "t.id, t.user_id, t.name, t.scope, t.created_at, t.last_used_at, t.revoked_at"
    };
}

pub mod audit;
mod error;
pub mod invitations;
pub mod password;
pub mod policy;
mod secret;
pub mod sessions;
pub mod settings;
pub mod tokens;
pub mod users;

use rolebook_store::Db;

pub use audit::{AuditEntry, AuditFilter};
pub use error::AccountError;
pub use policy::{Permission, Policy, Principal, Role, Scope};
pub use sessions::Session;
pub use tokens::ApiToken;
pub use users::User;

/// The accounts of one workspace database.
#[derive(Debug, Clone)]
pub struct Accounts {
    db: Db,
}

/// Who is acting and from where, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The user's email, `cli` for the command line, `anonymous`, or
    /// `token:ID` for a script.
    pub actor: String,
    pub request_id: String,
    pub address: String,
}

impl Context {
    /// The command line on the workspace's machine: whoever may open the
    /// database file (or has the PostgreSQL credentials) acts as admin.
    pub fn cli() -> Context {
        Context {
            actor: "cli".to_string(),
            request_id: String::new(),
            address: "local".to_string(),
        }
    }

    /// The same request, acting as `actor`.
    pub fn as_actor(&self, actor: &str) -> Context {
        Context {
            actor: actor.to_string(),
            ..self.clone()
        }
    }
}

impl Accounts {
    /// The accounts in `db`, whose migrations made their tables.
    pub fn new(db: Db) -> Accounts {
        Accounts { db }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}
