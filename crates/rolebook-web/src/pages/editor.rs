//! The editor of one entity in a change request: a form per kind from
//! `rolebook-edit` (roles, skills, KPIs, the framework) or the raw TOML
//! (every kind), with the validation's problems beside their fields.
//!
//! A save posts the whole form and answers 303 back to the editor, which
//! shows what was saved; a draft is saved even when it is invalid
//! (publishing is what refuses errors), so nothing typed is lost. A list's
//! buttons (add, remove, move) post the form and show it again, changed
//! and not yet saved. A save on a stale base shows the typed version
//! beside theirs, unsaved (409).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use rolebook_accounts::Permission;
use rolebook_edit::Schema;
use rolebook_store::{
    ChangeRequest, Content, Document, Key, Kind, Step, StoreError, Token, Workspace, diff_documents,
};

use super::changes::{csrf_of, field, fields, key_of, may, number, see_other, shown, store};
use crate::auth::Caller;
use crate::error::AppError;
use crate::request::RequestContext;
use crate::review::{workspace, writer};
use crate::routed::Routed;
use crate::state::{AppState, Snapshot};
use crate::views::account::page;
use crate::views::changes::{
    ChoiceLists, ConflictView, EditorPage, JumpView, ProblemView, change_rows, comment_view,
    editor_link, entity_label, kind_label, sections, state_label,
};

pub fn router() -> Routed {
    Routed::new().route("/changes/{id}/edit/{kind}/{entity}", get(editor).post(save))
}

type Result<T, E = AppError> = std::result::Result<T, E>;

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
        choices: ChoiceLists::of(&snap.catalog),
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
