//! Review in the browser: change requests listed, opened, discussed,
//! moved between states and published; entities added to them (new or
//! copied) and edits dropped. The editor of one entity is `editor.rs`.
//!
//! Every form works without JavaScript and answers 303 to a page, or the
//! page again with what went wrong.
//!
//! What each may do is in `auth::access::RULES` and the policy; the
//! writes go through the same store calls and checks as the API's
//! (`crate::review`).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rolebook_accounts::Permission;
use rolebook_store::{
    ChangeRequest, Content, Key, Kind, State as CrState, Step, StoreError, Token,
};

use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::review::{four_eyes, permission_to_move, serve_published, workspace, writer};
use crate::routed::Routed;
use crate::state::AppState;
use crate::views::account::page;
use crate::views::changes::{
    ChangePage, ChangesPage, EditView, MoveView, ProblemView, RequestRow, StartPage, change_rows,
    comment_view, editor_link, entity_label, kind_label, timeline,
};

pub fn router() -> Routed {
    Routed::new()
        .route("/changes", get(list).post(open))
        .route("/changes/start", get(start))
        .route("/changes/awaiting", get(awaiting))
        .route("/changes/{id}", get(review))
        .route("/changes/{id}/state", post(move_to))
        .route("/changes/{id}/publish", post(publish))
        .route("/changes/{id}/comments", post(comment))
        .route("/changes/{id}/new", post(create))
        .route("/changes/{id}/edit", get(choose))
        .route("/changes/{id}/drop/{kind}/{entity}", post(drop_edit))
}

type Result<T, E = AppError> = std::result::Result<T, E>;

/// A form's fields, in order.
pub(super) fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub(super) fn field<'f>(fields: &'f [(String, String)], name: &str) -> &'f str {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(super) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub(super) fn csrf_of(caller: &Caller) -> String {
    caller.csrf_token().unwrap_or_default().to_string()
}

pub(super) fn number(text: &str) -> Result<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found(format!("there is no change request `{text}`")))
}

pub(super) fn key_of(kind: &str, id: &str) -> Result<Key> {
    let kind = Kind::parse(kind)
        .ok_or_else(|| AppError::not_found(format!("`{kind}` is not a kind of entity")))?;
    if kind.is_singleton() && id != kind.as_str() {
        return Err(AppError::not_found(format!(
            "there is one {kind}; its id is `{kind}`"
        )));
    }
    Ok(Key::new(kind, id))
}

/// A store error as the page's message and status; the store's own
/// failures are the error page (500, detail logged).
pub(super) fn shown(error: StoreError) -> Result<(StatusCode, String)> {
    if !error.is_client_error() {
        return Err(AppError::Internal(format!("workspace: {error}")));
    }
    Ok((crate::review::store_status(&error), error.to_string()))
}

pub(super) fn store(error: StoreError) -> AppError {
    match shown(error) {
        Ok((StatusCode::NOT_FOUND, message)) => AppError::not_found(message),
        Ok((status, message)) => AppError::Http { status, message },
        Err(error) => error,
    }
}

/// What the visitor may do, by the workspace's policy.
pub(super) struct May {
    pub edit: bool,
    pub review: bool,
    pub publish: bool,
    pub comment: bool,
}

pub(super) async fn may(state: &AppState, caller: &Caller) -> Result<May> {
    let policy = state.auth().policy(false).await?;
    let allows = |p| policy.allows(caller.principal, p);
    Ok(May {
        edit: allows(Permission::EditChangeRequests),
        review: allows(Permission::Review),
        publish: allows(Permission::Publish),
        comment: allows(Permission::EditChangeRequests) && caller.user.is_some(),
    })
}

pub(super) fn email(caller: &Caller) -> &str {
    caller.user.as_deref().map_or("", |u| u.email.as_str())
}

// ----------------------------------------------------------------- the list

/// Why a change request waits for `who`, if it does.
fn waiting(request: &ChangeRequest, who: &str, may: &May) -> Option<&'static str> {
    let mine = request.author == who;
    match request.state {
        CrState::InReview if may.review && !mine => Some("waits for a review"),
        CrState::Approved if may.publish => Some("approved, waits to be published"),
        CrState::Draft | CrState::Rejected if mine && may.edit => Some("yours, not yet submitted"),
        _ => None,
    }
}

async fn list_page(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
) -> Result<ChangesPage> {
    let ws = workspace(state)?;
    let may = may(state, caller).await?;
    let mut view = ChangesPage::new(&request.snap, csrf_of(caller), may.edit);
    let who = email(caller);
    for change in ws.change_requests(None).await.map_err(store)? {
        let waits = waiting(&change, who, &may);
        if waits.is_some() {
            view.awaiting.push(RequestRow::new(&change, waits));
        }
        if change.state.is_open() || change.state == CrState::Rejected {
            view.open.push(RequestRow::new(&change, waits));
        } else if view.closed.len() < 50 {
            view.closed.push(RequestRow::new(&change, None));
        }
    }
    Ok(view)
}

async fn list(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let view = list_page(&state, &request, &caller).await?;
    page(StatusCode::OK, &view)
}

/// How many change requests wait for the visitor, as JSON
/// (`{"awaiting": 2}`): the header's count next to "Changes", which pages
/// cached for every editor cannot hold.
async fn awaiting(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let may = may(&state, &caller).await?;
    let who = email(&caller);
    let count = ws
        .pending_change_requests()
        .await
        .map_err(store)?
        .iter()
        .filter(|c| waiting(c, who, &may).is_some())
        .count();
    let mut response = axum::Json(serde_json::json!({ "awaiting": count })).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// Opens a change request; with `edit` (`role/sre-manager`), goes on to
/// that entity's editor.
async fn open(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let form = fields(&body);
    let title = field(&form, "title");
    let description = field(&form, "description").replace("\r\n", "\n");
    match ws
        .create_change_request(title, description.trim(), &writer.actor)
        .await
    {
        Ok(opened) => {
            let to = match field(&form, "edit").split_once('/') {
                Some((kind, id)) if key_of(kind, id).is_ok() => editor_link(opened.id, kind, id),
                _ => format!("/changes/{}", opened.id),
            };
            Ok(see_other(&to))
        }
        Err(error) => {
            let (status, message) = shown(error)?;
            let mut view = list_page(&state, &request, &caller).await?;
            view.title = title.to_string();
            view.description = description;
            view.error = Some(message);
            page(status, &view)
        }
    }
}

/// Where the catalog pages' "Edit" leads (`?edit=role/sre-manager`): add
/// the entity to an open change request, or open a new one for it.
async fn start(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let query = fields(request.query().unwrap_or("").as_bytes());
    let (kind, id) = field(&query, "edit")
        .split_once('/')
        .ok_or_else(|| AppError::bad_request("say what to edit: `?edit=role/ID`"))?;
    let key = key_of(kind, id)?;
    let snap = &request.snap;
    let label = entity_label(snap, key.kind.as_str(), &key.id);
    let open = ws
        .change_requests(None)
        .await
        .map_err(store)?
        .into_iter()
        .filter(|c| c.state.is_open())
        .map(|c| {
            let link = editor_link(c.id, key.kind.as_str(), &key.id);
            (RequestRow::new(&c, None), link)
        })
        .collect();
    let view = StartPage {
        layout: crate::views::Layout::new(
            snap,
            format!("Edit {label}"),
            "Choose the change request to edit it in.",
            "changes",
        ),
        csrf: csrf_of(&caller),
        kind_label: kind_label(key.kind.as_str()),
        label,
        edit: key.to_string(),
        open,
    };
    page(StatusCode::OK, &view)
}

// ------------------------------------------------------------ one request

/// The moves the visitor may make from the change request's state, and
/// why approving is not among them when four eyes is the reason.
async fn moves_for(
    state: &AppState,
    caller: &Caller,
    change: &ChangeRequest,
    may: &May,
) -> Result<(Vec<MoveView>, Option<&'static str>)> {
    let mut moves = Vec::new();
    let mut four_eyes_note = None;
    for &to in change.state.next() {
        let allowed = match permission_to_move(to) {
            Permission::Review => may.review,
            _ => may.edit,
        };
        if !allowed {
            continue;
        }
        if to == CrState::Approved {
            let policy = state.auth().policy(false).await?;
            let had_a_hand = change.contributors.iter().any(|c| c == email(caller));
            if !policy.may_approve(caller.principal, had_a_hand) {
                four_eyes_note =
                    Some("You had a hand in this change request, so someone else approves it.");
                continue;
            }
        }
        moves.push(MoveView::of(to));
    }
    Ok((moves, four_eyes_note))
}

async fn review_page(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    id: i64,
) -> Result<ChangePage> {
    let ws = workspace(state)?;
    let snap = &request.snap;
    let change = ws.change_request(id).await.map_err(store)?;
    let may = may(state, caller).await?;
    let mut view = ChangePage::new(snap, &change, csrf_of(caller));
    let validation = match &change.validation {
        Some(validation) => Some(validation.clone()),
        None if change.state.is_open() && !change.edits.is_empty() => {
            Some(ws.validate(id).await.map_err(store)?)
        }
        None => None,
    };
    let steps = ws.timeline(id).await.map_err(store)?;
    let mut entity_comments: BTreeMap<(String, String), Vec<rolebook_store::Comment>> =
        BTreeMap::new();
    let mut general = Vec::new();
    for step in steps {
        match step {
            Step::Comment(comment) if comment.on.is_some() => {
                let target = comment.on.as_ref().expect("checked");
                entity_comments
                    .entry((target.kind.clone(), target.id.clone()))
                    .or_default()
                    .push(comment.clone());
                general.push(Step::Comment(comment));
            }
            other => general.push(other),
        }
    }
    for edit in &change.edits {
        let key = key_of(edit.kind, &edit.id)?;
        // A published change request is shown as it was published: its
        // version against the one before, not against itself.
        let diff = match change.published_version {
            Some(version) => ws.diff(&key, version - 1, version).await,
            None => ws.edit_diff(id, &key).await,
        };
        let (changes, note) = match diff {
            Ok(diff) => (
                diff.changes
                    .map(|c| change_rows(snap, &c.changes))
                    .unwrap_or_default(),
                None,
            ),
            Err(error) if error.is_client_error() => (
                Vec::new(),
                Some(format!("The changes cannot be shown: {error}")),
            ),
            Err(error) => return Err(store(error)),
        };
        let problems = validation
            .iter()
            .flat_map(|v| &v.diagnostics)
            .filter(|d| d.kind.as_deref() == Some(edit.kind) && d.id.as_deref() == Some(&edit.id))
            .map(ProblemView::new)
            .collect();
        let schema = rolebook_edit::schema::of_kind(edit.kind);
        view.edits.push(EditView {
            kind: edit.kind.to_string(),
            kind_label: kind_label(edit.kind),
            id: edit.id.clone(),
            label: entity_label(snap, edit.kind, &edit.id),
            action: edit.action,
            author: edit.author.clone(),
            token: edit.token.clone(),
            link: editor_link(id, edit.kind, &edit.id),
            changes,
            note,
            problems,
            comments: entity_comments
                .remove(&(edit.kind.to_string(), edit.id.clone()))
                .unwrap_or_default()
                .into_iter()
                .map(|c| comment_view(snap, id, c))
                .collect(),
            fields: schema
                .map(|s| s.fields().map(|f| (f.name, f.label)).collect())
                .unwrap_or_default(),
        });
    }
    if let Some(validation) = &validation {
        view.errors = validation.errors;
        view.warnings = validation.warnings;
        view.problems = validation
            .diagnostics
            .iter()
            .filter(|d| d.kind.is_none())
            .map(ProblemView::new)
            .collect();
    }
    view.timeline = timeline(snap, id, general);
    let open = change.state.is_open();
    view.may_edit = may.edit && open;
    view.may_comment = may.comment;
    view.may_publish = may.publish && change.state == CrState::Approved;
    (view.moves, view.four_eyes) = moves_for(state, caller, &change, &may).await?;
    if change.state == CrState::Published {
        view.notice = change
            .published_version
            .map(|v| format!("Published as version {v}."));
    }
    Ok(view)
}

async fn review(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = number(&id)?;
    let view = review_page(&state, &request, &caller, id).await?;
    page(StatusCode::OK, &view)
}

/// The review page again, with what went wrong.
async fn review_error(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    id: i64,
    error: StoreError,
) -> Result<Response> {
    let (status, message) = shown(error)?;
    let mut view = review_page(state, request, caller, id).await?;
    view.error = Some(message);
    page(status, &view)
}

async fn move_to(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id)?;
    let form = fields(&body);
    let to = CrState::parse(field(&form, "to"))
        .filter(|s| *s != CrState::Published)
        .ok_or_else(|| AppError::bad_request("`to` is not a state a change request moves to"))?;
    let writer = writer(&state, &request, &caller, permission_to_move(to)).await?;
    if to == CrState::Approved {
        let change = ws.change_request(id).await.map_err(store)?;
        four_eyes(&state, &change, &writer).await?;
    }
    let note = field(&form, "note").replace("\r\n", "\n");
    match ws.transition(id, to, &writer.actor, note.trim()).await {
        Ok(_) => Ok(see_other(&format!("/changes/{id}"))),
        Err(error) => review_error(&state, &request, &caller, id, error).await,
    }
}

async fn publish(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id)?;
    let writer = writer(&state, &request, &caller, Permission::Publish).await?;
    let form = fields(&body);
    match ws
        .publish(id, &writer.actor, field(&form, "message").trim())
        .await
    {
        Ok(version) => {
            serve_published(&state, &version).await;
            Ok(see_other(&format!("/changes/{id}")))
        }
        Err(error) => review_error(&state, &request, &caller, id, error).await,
    }
}

async fn comment(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let form = fields(&body);
    let kind = field(&form, "kind");
    let key = if kind.is_empty() {
        None
    } else {
        Some(key_of(kind, field(&form, "entity"))?)
    };
    let on = key.as_ref().map(|k| (k, field(&form, "field")));
    let text = field(&form, "body").replace("\r\n", "\n");
    match ws.comment(id, on, &text, &writer.actor).await {
        Ok(_) => {
            let back = match field(&form, "back") {
                "editor" => key.map_or_else(
                    || format!("/changes/{id}#comments"),
                    |k| editor_link(id, k.kind.as_str(), &k.id),
                ),
                _ => format!("/changes/{id}#comments"),
            };
            Ok(see_other(&back))
        }
        Err(error) => {
            let (status, message) = shown(error)?;
            let mut view = review_page(&state, &request, &caller, id).await?;
            view.error = Some(message);
            view.comment = text;
            page(status, &view)
        }
    }
}

/// The review page's "edit" chooser: `?entity=role/sre-manager`.
async fn choose(request: RequestContext, Path(id): Path<String>) -> Result<Response> {
    let id = number(&id)?;
    let query = request.query().unwrap_or("");
    let pairs = fields(query.as_bytes());
    let (kind, entity) = field(&pairs, "entity")
        .split_once('/')
        .ok_or_else(|| AppError::bad_request("choose what to edit: `?entity=role/ID`"))?;
    let key = key_of(kind, entity)?;
    Ok(see_other(&editor_link(id, key.kind.as_str(), &key.id)))
}

/// A new role, skill or KPI in the change request: from nothing but its
/// id, or a copy of another of its kind.
async fn create(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let change_request = number(&id)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let form = fields(&body);
    let kind = field(&form, "kind");
    let schema = rolebook_edit::schema::of_kind(kind)
        .ok_or_else(|| AppError::bad_request("a new entity is a role, a skill or a KPI"))?;
    let new_id = field(&form, "id").trim();
    let key = key_of(kind, new_id)?;
    let copy = field(&form, "copy").trim();
    let (source, copied_title) = if copy.is_empty() {
        (String::new(), None)
    } else {
        let from = key_of(kind, copy)?;
        match ws.entity_in(change_request, &from).await.map_err(store)? {
            (Some(document), _) => (
                document.content.text().unwrap_or_default().to_string(),
                Some(entity_label(&request.snap, kind, copy)),
            ),
            (None, _) => {
                let error = StoreError::NoSuchEntity(from);
                return review_error(&state, &request, &caller, change_request, error).await;
            }
        }
    };
    let mut text = match rolebook_edit::with_id(schema, &source, &key.id) {
        Ok(text) => text,
        Err(error) => {
            let error = StoreError::BadEdit(format!("`{copy}` cannot be copied: {error}"));
            return review_error(&state, &request, &caller, change_request, error).await;
        }
    };
    if let Some(title) = copied_title {
        // A copy is told apart from its original until it is renamed.
        let name = if kind == "role" { "title" } else { "name" };
        if let Ok(mut values) = rolebook_edit::read(schema, &text) {
            values.set(name, rolebook_edit::Value::Text(format!("{title} (copy)")));
            if let Ok(renamed) = rolebook_edit::write(schema, &text, &values) {
                text = renamed;
            }
        }
    }
    match ws
        .save(
            change_request,
            &key,
            Some(Content::Text(text)),
            &Token::Absent,
            &writer.actor,
        )
        .await
    {
        Ok(_) => {
            ws.validate(change_request).await.map_err(store)?;
            Ok(see_other(&editor_link(change_request, kind, &key.id)))
        }
        Err(StoreError::Conflict { .. }) => {
            let error = StoreError::BadEdit(format!(
                "there is a {} with the id `{}` already; choose another id, or edit that one",
                kind_label(kind).to_lowercase(),
                key.id
            ));
            review_error(&state, &request, &caller, change_request, error).await
        }
        Err(error) => review_error(&state, &request, &caller, change_request, error).await,
    }
}

async fn drop_edit(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path((id, kind, entity)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id)?;
    let key = key_of(&kind, &entity)?;
    let writer = writer(&state, &request, &caller, Permission::EditChangeRequests).await?;
    let form = fields(&body);
    let base: Token = field(&form, "base")
        .parse()
        .map_err(|e: StoreError| AppError::bad_request(e.to_string()))?;
    match ws.discard(id, &key, &base, &writer.actor).await {
        Ok(()) => {
            ws.validate(id).await.map_err(store)?;
            Ok(see_other(&format!("/changes/{id}")))
        }
        Err(error) => review_error(&state, &request, &caller, id, error).await,
    }
}
