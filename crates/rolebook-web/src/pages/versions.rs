//! Published versions in the browser: the list, any version compared with
//! any other (every entity that differs, field by field), and rolling the
//! catalog back to a version through a new change request, which is then
//! reviewed and published like any other.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use rolebook_accounts::Permission;
use rolebook_store::{Key, diff_documents};

use super::changes::{csrf_of, field, fields, may, see_other, store};
use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::review::{workspace, writer};
use crate::routed::Routed;
use crate::state::AppState;
use crate::views::account::page;
use crate::views::changes::{change_rows, entity_label, kind_label};
use crate::views::versions::{CompareEntity, ComparePage, VersionRow, VersionsPage};

pub fn router() -> Routed {
    Routed::new()
        .route("/versions", get(list))
        .route("/versions/compare", get(compare))
        .route("/versions/{number}/rollback", post(roll_back))
}

type Result<T, E = AppError> = std::result::Result<T, E>;

async fn list(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let versions = ws.versions().await.map_err(store)?;
    let latest = versions.first().map_or(0, |v| v.number);
    let view = VersionsPage {
        layout: crate::views::Layout::new(
            &request.snap,
            "Versions",
            "Every published version of the role framework.",
            "changes",
        ),
        csrf: csrf_of(&caller),
        may_edit: may(&state, &caller).await?.edit,
        latest,
        versions: versions.iter().map(VersionRow::new).collect(),
    };
    page(StatusCode::OK, &view)
}

fn version_number(text: &str, what: &str) -> Result<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::bad_request(format!("`{text}` is not a version number ({what})")))
}

/// `?from=N&to=M`: what changed from version N to version M, entity by
/// entity and field by field (M defaults to the latest).
async fn compare(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let query = fields(request.query().unwrap_or("").as_bytes());
    let latest = ws
        .latest_version()
        .await
        .map_err(store)?
        .ok_or_else(|| AppError::not_found("the workspace has no version yet"))?;
    let from = version_number(field(&query, "from"), "from")?;
    let to = match field(&query, "to") {
        "" => latest,
        text => version_number(text, "to")?,
    };
    let (old, new) = (
        ws.documents(from).await.map_err(store)?,
        ws.documents(to).await.map_err(store)?,
    );
    let (from_version, to_version) = (
        ws.version(from).await.map_err(store)?,
        ws.version(to).await.map_err(store)?,
    );
    let old: BTreeMap<Key, _> = old.into_iter().map(|d| (d.key.clone(), d)).collect();
    let new: BTreeMap<Key, _> = new.into_iter().map(|d| (d.key.clone(), d)).collect();
    let keys: BTreeSet<&Key> = old.keys().chain(new.keys()).collect();
    let snap = &request.snap;
    let mut entities = Vec::new();
    for key in keys {
        let (before, after) = (old.get(key), new.get(key));
        if before.map(|d| &d.content) == after.map(|d| &d.content) {
            continue;
        }
        let kind = key.kind.as_str();
        let (status, changes, note) = match diff_documents(key, before, after) {
            Ok(diff) => (
                diff.status,
                diff.changes
                    .map(|c| change_rows(snap, &c.changes))
                    .unwrap_or_default(),
                None,
            ),
            Err(error) => ("changed", Vec::new(), Some(error.to_string())),
        };
        entities.push(CompareEntity {
            kind_label: kind_label(kind),
            label: entity_label(snap, kind, &key.id),
            status,
            changes,
            note,
        });
    }
    let view = ComparePage {
        layout: crate::views::Layout::new(
            snap,
            format!("Version {from} and version {to}"),
            "What changed between two published versions.",
            "changes",
        ),
        csrf: csrf_of(&caller),
        may_edit: may(&state, &caller).await?.edit,
        from: VersionRow::new(&from_version),
        to: VersionRow::new(&to_version),
        latest,
        entities,
    };
    page(StatusCode::OK, &view)
}

/// Opens a change request that makes the catalog what it was in a
/// version; it is reviewed and published like any other.
async fn roll_back(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
    _body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let number = version_number(&number, "the version to go back to")?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    match ws.roll_back(number, None, &writer.actor).await {
        Ok(imported) => Ok(see_other(&format!(
            "/changes/{}",
            imported.change_request.id
        ))),
        Err(error) => Err(store(error)),
    }
}
