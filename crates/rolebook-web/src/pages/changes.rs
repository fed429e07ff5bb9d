//! Editing and review in the browser: change requests listed, opened and
//! reviewed, and an entity edited as a form (roles, skills, KPIs) or as
//! TOML, over the workspace's change requests.
//!
//! Every form works without JavaScript: a save posts the form and answers
//! 303 back to the editor, which shows what was saved with the
//! validation's problems beside their fields; a list's buttons (add,
//! remove, move) post the form and show it again, changed and not yet
//! saved. Nothing typed is lost: a draft is saved even when it is invalid
//! (publishing is what refuses errors), and a save that collides with
//! someone else's shows the typed version beside theirs, unsaved.
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
use rolebook_edit::Schema;
use rolebook_store::{
    ChangeRequest, Content, Document, Key, Kind, State as CrState, Step, StoreError, Token,
    Workspace, diff_documents,
};

use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::review::{four_eyes, permission_to_move, serve_published, workspace, writer};
use crate::routed::Routed;
use crate::state::{AppState, Snapshot};
use crate::views::account::page;
use crate::views::changes::{
    ChangePage, ChangesPage, ChoiceLists, ConflictView, EditView, EditorPage, JumpView, MoveView,
    ProblemView, RequestRow, StartPage, change_rows, comment_view, editor_link, entity_label,
    kind_label, sections, state_label, timeline,
};

pub fn router() -> Routed {
    Routed::new()
        .route("/changes", get(list).post(open))
        .route("/changes/start", get(start))
        .route("/changes/{id}", get(review))
        .route("/changes/{id}/state", post(move_to))
        .route("/changes/{id}/publish", post(publish))
        .route("/changes/{id}/comments", post(comment))
        .route("/changes/{id}/new", post(create))
        .route("/changes/{id}/edit", get(choose))
        .route("/changes/{id}/edit/{kind}/{entity}", get(editor).post(save))
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

fn number(text: &str) -> Result<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found(format!("there is no change request `{text}`")))
}

fn key_of(kind: &str, id: &str) -> Result<Key> {
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
    let status = match &error {
        StoreError::NoSuchVersion(_)
        | StoreError::NoSuchChangeRequest(_)
        | StoreError::NoSuchEntity(_) => StatusCode::NOT_FOUND,
        StoreError::WrongState { .. }
        | StoreError::Conflict { .. }
        | StoreError::Stale(_)
        | StoreError::PublishAgain(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, error.to_string()))
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

fn email(caller: &Caller) -> &str {
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

// ------------------------------------------------------------- the editor

/// What the editor shows besides the entity: who may do what, and what
/// happened.
struct Shown {
    mode: &'static str,
    notice: Option<String>,
    error: Option<String>,
    conflict: Option<ConflictView>,
    focus: String,
    /// Whether the form shows the saved text (so the validation's places
    /// are the form's).
    saved: bool,
}

/// The editor page for `key` in change request `change`, showing `values`
/// (typed, or read from `text`) or `text` in the TOML tab.
#[allow(clippy::too_many_arguments)]
async fn editor_page(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    ws: &Workspace,
    change: &ChangeRequest,
    key: &Key,
    text: &str,
    typed: Option<rolebook_edit::Values>,
    base: &Token,
    shown: Shown,
) -> Result<EditorPage> {
    let snap = &request.snap;
    let may = may(state, caller).await?;
    let kind = key.kind.as_str();
    let schema: Option<&'static Schema> = rolebook_edit::schema::of_kind(kind);
    let validation = match &change.validation {
        Some(validation) => Some(validation.clone()),
        None if change.state.is_open() => Some(ws.validate(change.id).await.map_err(store)?),
        None => None,
    };
    let mine = validation
        .iter()
        .flat_map(|v| &v.diagnostics)
        .filter(|d| d.kind.as_deref() == Some(kind) && d.id.as_deref() == Some(&key.id));
    let comments: Vec<_> = ws
        .timeline(change.id)
        .await
        .map_err(store)?
        .into_iter()
        .filter_map(|step| match step {
            Step::Comment(c)
                if c.on
                    .as_ref()
                    .is_some_and(|t| t.kind == kind && t.id == key.id) =>
            {
                Some(comment_view(snap, change.id, c))
            }
            _ => None,
        })
        .collect();
    let read = schema.map(|schema| rolebook_edit::read(schema, text));
    let mode = match (&read, shown.mode) {
        (Some(Ok(_)), mode) => mode,
        _ => "toml",
    };
    let mut by_field: BTreeMap<String, Vec<ProblemView>> = BTreeMap::new();
    let mut top = Vec::new();
    let mut jumps = Vec::new();
    if let Some(Err(error)) = &read {
        top.push(ProblemView {
            severity: "error".into(),
            code: "toml".into(),
            message: format!(
                "The text is not TOML, so the form cannot show it: {}",
                error.message
            ),
            hint: Some("Fix it here in the TOML tab; the form comes back once it reads.".into()),
            place: Some(format!("line {}, column {}", error.line, error.column)),
        });
    }
    for diagnostic in mine {
        let problem = ProblemView::new(diagnostic);
        let place = match (
            schema,
            mode,
            shown.saved,
            diagnostic.line,
            diagnostic.column,
        ) {
            (Some(schema), "form", true, Some(line), Some(column)) => {
                rolebook_edit::locate(schema, text, line, column)
                    .and_then(|path| rolebook_edit::nearest_field(schema, &path))
            }
            _ => None,
        };
        match place {
            Some(name) => {
                jumps.push(JumpView {
                    severity: problem.severity.clone(),
                    label: schema.map_or_else(|| name.clone(), |s| control_label(s, &name)),
                    message: problem.message.clone(),
                    anchor: format!("field-{name}"),
                });
                by_field.entry(name).or_default().push(problem);
            }
            None => top.push(problem),
        }
    }
    let mut leftover_comments = comments;
    let sections = match (schema, &read, mode) {
        (Some(schema), Some(Ok(read_values)), "form") => {
            let values = typed.as_ref().unwrap_or(read_values);
            sections(snap, schema, values, &mut by_field, &mut leftover_comments)
        }
        _ => Vec::new(),
    };
    // Problems at a place the form has no control for are shown on top.
    top.extend(by_field.into_values().flatten());
    let catalog = &snap.catalog;
    Ok(EditorPage {
        layout: crate::views::Layout::new(
            snap,
            format!("Edit {}", entity_label(snap, kind, &key.id)),
            "Editing an entity of the role framework in a change request.",
            "changes",
        ),
        csrf: csrf_of(caller),
        change_request: change.id,
        request_title: change.title.clone(),
        request_state: state_label(change.state),
        kind: kind.to_string(),
        kind_label: kind_label(kind),
        id: key.id.clone(),
        label: entity_label(snap, kind, &key.id),
        action: editor_link(change.id, kind, &key.id),
        base: base.to_string(),
        mode,
        has_form: matches!(read, Some(Ok(_))),
        sections,
        toml: text.to_string(),
        problems: top,
        jumps,
        notice: shown.notice,
        error: shown.error,
        conflict: shown.conflict,
        may_edit: may.edit && change.state.is_open(),
        edited: change
            .edits
            .iter()
            .any(|e| e.kind == kind && e.id == key.id),
        focus: shown.focus,
        unsaved: !shown.saved,
        choices: ChoiceLists {
            roles: catalog
                .roles()
                .iter()
                .map(|r| (r.id.to_string(), r.title.to_string()))
                .collect(),
            skills: catalog
                .skills()
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect(),
            kpis: catalog
                .kpis()
                .iter()
                .map(|k| (k.id.to_string(), k.name.clone()))
                .collect(),
        },
        comments: leftover_comments,
    })
}

/// A form control's name as people read it: `KPIs owned › 7 › KPI` for
/// `kpis.6.kpi`.
fn control_label(schema: &Schema, name: &str) -> String {
    let Some(field) = schema
        .fields()
        .filter(|f| name == f.name || name.starts_with(&format!("{}.", f.name)))
        .max_by_key(|f| f.name.len())
    else {
        return name.to_string();
    };
    let mut label = field.label.to_string();
    let rest = name[field.name.len()..].trim_start_matches('.');
    if let (rolebook_edit::Shape::Records { columns, .. }, Some((index, column))) =
        (&field.shape, rest.split_once('.').or(Some((rest, ""))))
        && let Ok(index) = index.parse::<usize>()
    {
        label.push_str(&format!(" › {}", index + 1));
        if let Some(column) = columns.iter().find(|c| c.name == column) {
            label.push_str(&format!(" › {}", column.label));
        }
    }
    label
}

/// The entity's text as the change request sees it, and the token to
/// save against; 404 when it exists nowhere, 422 for the logo (a file,
/// not text).
async fn current(
    ws: &Workspace,
    change_request: i64,
    key: &Key,
) -> Result<(Option<Document>, Token)> {
    if key.kind == Kind::Logo {
        return Err(AppError::Http {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "the logo is a file: replace it with `rolebook workspace` or the API".into(),
        });
    }
    let (document, token) = ws.entity_in(change_request, key).await.map_err(store)?;
    if document.is_none() && token == Token::Absent {
        return Err(AppError::not_found(format!(
            "there is no {} `{}`; the change request's page can create one",
            key.kind, key.id
        )));
    }
    Ok((document, token))
}

async fn editor(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path((id, kind, entity)): Path<(String, String, String)>,
) -> Result<Response> {
    let ws = workspace(&state)?;
    let id = number(&id)?;
    let key = key_of(&kind, &entity)?;
    let change = ws.change_request(id).await.map_err(store)?;
    let (document, token) = current(&ws, id, &key).await?;
    let query = fields(request.query().unwrap_or("").as_bytes());
    let text = document
        .as_ref()
        .and_then(|d| d.content.text())
        .unwrap_or_default()
        .to_string();
    let shown = Shown {
        mode: if field(&query, "as") == "toml" {
            "toml"
        } else {
            "form"
        },
        notice: match (field(&query, "saved"), document.is_none()) {
            (_, true) => Some("This change request deletes it. Drop the edit to keep it.".into()),
            ("1", _) => Some("Saved in the change request.".into()),
            _ => None,
        },
        error: None,
        conflict: None,
        focus: String::new(),
        saved: true,
    };
    let view = editor_page(
        &state, &request, &caller, &ws, &change, &key, &text, None, &token, shown,
    )
    .await?;
    page(StatusCode::OK, &view)
}

async fn save(
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
    let change = ws.change_request(id).await.map_err(store)?;
    let form = fields(&body);
    let base: Token = field(&form, "base")
        .parse()
        .map_err(|e: StoreError| AppError::bad_request(e.to_string()))?;
    let (document, token) = current(&ws, id, &key).await?;
    let theirs = document
        .as_ref()
        .and_then(|d| d.content.text())
        .unwrap_or_default()
        .to_string();
    let schema = rolebook_edit::schema::of_kind(key.kind.as_str());
    let as_text = field(&form, "mode") == "toml" || schema.is_none();

    // What the visitor typed: the TOML text, or the form's values (with a
    // list operation to show, not save).
    let (typed_values, mine) = if as_text {
        (None, field(&form, "toml").replace("\r\n", "\n"))
    } else {
        let schema = schema.expect("a form has a schema");
        let (typed, op) = rolebook_edit::from_form(schema, &form);
        // What the form left out stays as it is.
        let mut values = rolebook_edit::read(schema, &theirs).unwrap_or_default();
        values.overlay(typed);
        if let Some(op) = op {
            let focus = op.apply(&mut values);
            let shown = Shown {
                mode: "form",
                notice: Some("Not saved yet: save when the form is ready.".into()),
                error: None,
                conflict: None,
                focus,
                saved: false,
            };
            let view = editor_page(
                &state,
                &request,
                &caller,
                &ws,
                &change,
                &key,
                &theirs,
                Some(values),
                &base,
                shown,
            )
            .await?;
            return page(StatusCode::OK, &view);
        }
        // Written into the text the form was read from: theirs, when the
        // base is still current; a conflict otherwise.
        let mine =
            rolebook_edit::write(schema, &theirs, &values).unwrap_or_else(|_| theirs.clone());
        (Some(values), mine)
    };
    if token != base {
        return conflict(
            &state,
            &request,
            &caller,
            &ws,
            &change,
            &key,
            document,
            token,
            typed_values,
            mine,
        )
        .await;
    }
    match ws
        .save(
            id,
            &key,
            Some(Content::Text(mine.clone())),
            &base,
            &writer.actor,
        )
        .await
    {
        Ok(_) => {
            ws.validate(id).await.map_err(store)?;
            let mode = if as_text && schema.is_some() {
                "?as=toml&saved=1"
            } else {
                "?saved=1"
            };
            Ok(see_other(&format!(
                "{}{mode}",
                editor_link(id, &kind, &entity)
            )))
        }
        Err(StoreError::Conflict { .. }) => {
            let (document, token) = current(&ws, id, &key).await?;
            conflict(
                &state,
                &request,
                &caller,
                &ws,
                &change,
                &key,
                document,
                token,
                typed_values,
                mine,
            )
            .await
        }
        Err(error) => {
            let (status, message) = shown(error)?;
            let shown = Shown {
                mode: if as_text { "toml" } else { "form" },
                notice: None,
                error: Some(format!("Not saved: {message}")),
                conflict: None,
                focus: String::new(),
                saved: false,
            };
            let text = if as_text { &mine } else { &theirs };
            let view = editor_page(
                &state,
                &request,
                &caller,
                &ws,
                &change,
                &key,
                text,
                typed_values,
                &base,
                shown,
            )
            .await?;
            page(status, &view)
        }
    }
}

/// 409: someone saved the entity since the visitor read it. The visitor's
/// version is shown unsaved, beside what saving it over theirs would
/// change, with their token as the new base: saving again is a choice,
/// never a silent overwrite.
#[allow(clippy::too_many_arguments)]
async fn conflict(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    ws: &Workspace,
    change: &ChangeRequest,
    key: &Key,
    theirs: Option<Document>,
    token: Token,
    typed: Option<rolebook_edit::Values>,
    mine: String,
) -> Result<Response> {
    let their_text = theirs
        .as_ref()
        .and_then(|d| d.content.text())
        .unwrap_or_default()
        .to_string();
    let snap: &Snapshot = &request.snap;
    let (changes, note) = match &theirs {
        Some(document) => {
            let yours = Document {
                content: Content::Text(mine.clone()),
                ..document.clone()
            };
            match diff_documents(key, Some(document), Some(&yours)) {
                Ok(diff) => (
                    diff.changes
                        .map(|c| change_rows(snap, &c.changes))
                        .unwrap_or_default(),
                    None,
                ),
                Err(error) => (
                    Vec::new(),
                    Some(format!("The two cannot be compared: {error}")),
                ),
            }
        }
        None => (
            Vec::new(),
            Some("They deleted it in this change request.".into()),
        ),
    };
    let shown = Shown {
        mode: if typed.is_some() { "form" } else { "toml" },
        notice: None,
        error: None,
        conflict: Some(ConflictView {
            theirs: their_text.clone(),
            changes,
            note,
        }),
        focus: String::new(),
        saved: false,
    };
    // The form shows the typed values over their text; the TOML tab the
    // typed text.
    let text = if typed.is_some() { their_text } else { mine };
    let change = ws.change_request(change.id).await.map_err(store)?;
    let view = editor_page(
        state, request, caller, ws, &change, key, &text, typed, &token, shown,
    )
    .await?;
    page(StatusCode::CONFLICT, &view)
}
