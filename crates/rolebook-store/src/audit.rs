//! The audit log's one way in. The log's table is the store's (migration
//! 0002); accounts read it and write their own entries through [`insert`],
//! and every change the store makes records its entry here, in the
//! change's own transaction: a change is in the log exactly when it is in
//! the workspace.

use crate::db::now;

/// A write transaction, as [`crate::Db::begin_write`] opens it.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Who changes the workspace and from where: the author the store records
/// on change requests, edits, transitions and versions, and what the
/// audit log says of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The author: a user's email, the CLI user's name.
    pub name: String,
    /// Who the audit log names: the author, or `cli:NAME` for the command
    /// line.
    pub audit_as: String,
    /// The request's id, for finding it in the server's log.
    pub request_id: String,
    /// Where the request came from (`local` for the command line).
    pub address: String,
    /// The API token the change was made with.
    pub token: Option<i64>,
}

impl Actor {
    /// Someone on the workspace's own machine.
    pub fn local(name: &str) -> Actor {
        Actor {
            name: name.to_string(),
            audit_as: name.to_string(),
            request_id: String::new(),
            address: "local".to_string(),
            token: None,
        }
    }
}

impl From<&str> for Actor {
    fn from(name: &str) -> Actor {
        Actor::local(name)
    }
}

impl From<&String> for Actor {
    fn from(name: &String) -> Actor {
        Actor::local(name)
    }
}

impl From<&Actor> for Actor {
    fn from(actor: &Actor) -> Actor {
        actor.clone()
    }
}

/// Adds one entry inside `tx`.
pub async fn insert(
    tx: &mut Tx,
    actor: &str,
    request_id: &str,
    address: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, object, request_id, address, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now())
    .bind(actor)
    .bind(action)
    .bind(object)
    .bind(request_id)
    .bind(address)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what `actor` did, inside the change's transaction; the token
/// written with, if any, is named in the detail.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let detail = match actor.token {
        Some(id) => format!("{detail} (with token:{id})"),
        None => detail.to_string(),
    };
    insert(
        tx,
        &actor.audit_as,
        &actor.request_id,
        &actor.address,
        action,
        object,
        detail.trim(),
    )
    .await
}
