//! What the workspace API and the editor's pages share about writing to
//! the workspace: who is writing ([`writer`]), moving a change request
//! with four eyes ([`four_eyes`]), and publishing a version and serving it
//! at once ([`serve_published`]). Both call these, so a browser and a
//! script are held to the same rules.

use axum::http::StatusCode;
use rolebook_accounts::{Permission, Principal};
use rolebook_store::{ChangeRequest, StoreError, Version, Workspace};

use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::state::{AppState, ReloadOutcome};

/// The workspace behind the server; 404 on a server of catalog files.
pub(crate) fn workspace(state: &AppState) -> Result<Workspace, AppError> {
    state.provider().workspace().cloned().ok_or_else(|| {
        AppError::not_found(
            "this server serves catalog files, not a workspace; change requests need `rolebook serve` without `--catalog`",
        )
    })
}

/// The status a caller's mistake in the workspace answers with, in the
/// API and on the pages alike (the store's own failures are a 500).
pub(crate) fn store_status(error: &StoreError) -> StatusCode {
    match error {
        StoreError::NoSuchVersion(_)
        | StoreError::NoSuchChangeRequest(_)
        | StoreError::NoSuchEntity(_) => StatusCode::NOT_FOUND,
        StoreError::WrongState { .. }
        | StoreError::Conflict { .. }
        | StoreError::Stale(_)
        | StoreError::PublishAgain(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Who is writing: a signed-in user or an API token's owner (the guard,
/// `auth::access`, let no one else through), and from where. The store
/// records it as the author and, in the same transaction, in the audit
/// log.
#[derive(Debug)]
pub(crate) struct Writer {
    pub actor: rolebook_store::Actor,
    /// Who the policy sees.
    pub principal: Principal,
}

/// The writer of a request that needs `permission`; the guard checked
/// what the route needs, this checks what the write itself does (an
/// approval needs more than a withdrawal). 403 names what is missing.
pub(crate) async fn writer(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    permission: Permission,
) -> Result<Writer, AppError> {
    let user = caller
        .user
        .as_ref()
        .ok_or_else(|| AppError::unauthorized("sign in first, or send an API token"))?;
    let policy = state.auth().policy(true).await?;
    if !policy.allows(caller.principal, permission) {
        let (role, scope) = permission.needs();
        let message = match caller.principal {
            Principal::Token { scope: held, .. } => format!(
                "this needs the role {role} (or above) and a token of scope {scope} (or above); this token's scope is {held} and its owner's role {}",
                user.role
            ),
            _ => format!(
                "this needs the role {role} (or above); yours is {}",
                user.role
            ),
        };
        return Err(AppError::forbidden(message));
    }
    Ok(Writer {
        actor: rolebook_store::Actor {
            name: user.email.clone(),
            audit_as: user.email.clone(),
            request_id: request.request_id().to_string(),
            address: request.address(),
            token: caller.token(),
        },
        principal: caller.principal,
    })
}

/// Four eyes: an approver may not approve a change request they had a
/// hand in (everyone who ever did, not only the latest edits' authors: a
/// later save over one's edit does not launder it), unless the workspace
/// allows it.
pub(crate) async fn four_eyes(
    state: &AppState,
    request: &ChangeRequest,
    writer: &Writer,
) -> Result<(), AppError> {
    let policy = state.auth().policy(true).await?;
    let had_a_hand = request.contributors.contains(&writer.actor.name);
    if policy.may_approve(writer.principal, had_a_hand) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "an approver may not approve a change request they opened or edited (the workspace setting `self-approval` is off)",
        ))
    }
}

/// The permission a move to `to` needs.
pub(crate) fn permission_to_move(to: rolebook_store::State) -> Permission {
    use rolebook_store::State;
    match to {
        State::Approved | State::Rejected => Permission::Review,
        State::Published => Permission::Publish,
        _ => Permission::EditChangeRequests,
    }
}

/// Serves a version just published now rather than at the watcher's
/// next tick.
pub(crate) async fn serve_published(state: &AppState, version: &Version) {
    let reloading = state.clone();
    match tokio::task::spawn_blocking(move || reloading.reload()).await {
        Ok(ReloadOutcome::Loaded { roles, warnings }) => {
            tracing::info!(
                version = version.number,
                roles,
                warnings,
                "published and reloaded"
            );
        }
        Ok(ReloadOutcome::Kept { errors }) => {
            tracing::warn!(
                version = version.number,
                errors,
                "published, but the reload kept the last version"
            );
        }
        Err(error) => tracing::error!(%error, "reload after publishing failed"),
    }
}
