//! The workspace API (`/api/v1/workspace`) and the role history pages
//! against a real SQLite workspace: a change request from opening to
//! publishing, a stale save, who may write, and what a server of catalog
//! files answers.

mod common;

use axum::http::{StatusCode, header};
use common::{
    LOOPBACK, REMOTE, Reply, as_admin, from, get, get_from, json_from, send, workspace_state,
};
use rolebook_web::{AppState, app};

const ROLE: &str = "/api/v1/workspace/change-requests/1/entities/role/sre-manager";
const OLD: &str = "runs one site reliability engineering team";
const NEW: &str = "runs one small site reliability engineering team";

async fn post(router: &axum::Router, uri: &str, body: &str) -> Reply {
    send(router, json_from(LOOPBACK, "POST", uri, body)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_request_goes_from_draft_to_a_served_version() {
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, true).await;

    let info = get(&router, "/api/v1/workspace").await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    assert_eq!(info.json()["engine"], "sqlite");
    assert_eq!(info.json()["latest_version"], 1);
    assert_eq!(info.json()["served_version"], 1);
    let page = get(&router, "/roles/sre-manager").await;
    assert!(page.body.contains("Workspace version 1"), "{}", page.body);
    assert!(page.body.contains("href=\"/roles/sre-manager/history\""));

    // Open a change request and read the role as it sees it.
    let created = post(
        &router,
        "/api/v1/workspace/change-requests",
        r#"{"title": "A smaller SRE team", "description": "Scope"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["id"], 1);
    assert_eq!(created.json()["state"], "draft");
    assert_eq!(
        created.header(header::LOCATION),
        "/api/v1/workspace/change-requests/1"
    );
    let read = get(&router, ROLE).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let read = read.json();
    let content = read["content"].as_str().expect("content");
    let base = read["token"].as_str().expect("token").to_string();
    assert!(base.starts_with('r'), "{base}");
    assert!(content.contains(OLD));

    // Save an edit based on what was read.
    let edited = content.replace(OLD, NEW);
    let body = serde_json::json!({"content": edited, "base": base}).to_string();
    let saved = send(&router, json_from(LOOPBACK, "PUT", ROLE, &body)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let token = saved.json()["token"].as_str().expect("token").to_string();
    assert!(token.starts_with('e'), "{token}");

    // Saving again from the old base is a conflict showing both sides.
    let stale = serde_json::json!({"content": content, "base": base}).to_string();
    let conflict = send(&router, json_from(LOOPBACK, "PUT", ROLE, &stale)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    let error = &conflict.json()["error"];
    assert_eq!(error["status"], 409);
    assert_eq!(error["conflict"]["yours"], base.as_str());
    assert_eq!(error["conflict"]["current"], token.as_str());
    assert_eq!(error["conflict"]["content"], edited.as_str());
    assert_eq!(error["conflict"]["kind"], "role");

    // The edit's diff, as JSON and as Markdown.
    let diff = get(&router, &format!("{ROLE}/diff")).await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    assert_eq!(diff.json()["status"], "changed");
    let markdown = get(&router, &format!("{ROLE}/diff?format=markdown")).await;
    assert_eq!(
        markdown.header(header::CONTENT_TYPE),
        "text/markdown; charset=utf-8"
    );
    assert!(markdown.body.contains("small"), "{}", markdown.body);

    // Validate, review, approve, publish.
    let validation = post(&router, "/api/v1/workspace/change-requests/1/validate", "").await;
    assert_eq!(validation.status, StatusCode::OK, "{}", validation.body);
    assert_eq!(validation.json()["errors"], 0);
    let early = post(&router, "/api/v1/workspace/change-requests/1/publish", "{}").await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    for to in ["in-review", "approved"] {
        let moved = post(
            &router,
            "/api/v1/workspace/change-requests/1/transition",
            &format!(r#"{{"to": "{to}", "note": "fine"}}"#),
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(moved.json()["state"], to);
    }
    let request = get(&router, "/api/v1/workspace/change-requests/1").await;
    assert_eq!(request.json()["edits"][0]["action"], "update");
    assert_eq!(request.json()["validation"]["errors"], 0);
    let published = post(
        &router,
        "/api/v1/workspace/change-requests/1/publish",
        r#"{"message": "Smaller team"}"#,
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json()["number"], 2);

    // The next request sees version 2, without waiting for a watcher.
    assert_eq!(state.snapshot().version, Some(2));
    let page = get(&router, "/roles/sre-manager").await;
    assert!(page.body.contains(NEW), "the page shows the change");
    assert!(page.body.contains("Workspace version 2"));
    let versions = get(&router, "/api/v1/workspace/versions").await;
    assert_eq!(versions.json()["versions"][0]["number"], 2);
    assert_eq!(versions.json()["versions"][0]["message"], "Smaller team");
    let history = get(
        &router,
        "/api/v1/workspace/entities/role/sre-manager/history",
    )
    .await;
    assert_eq!(history.json()["entries"].as_array().map(Vec::len), Some(2));
    let diff = get(
        &router,
        "/api/v1/workspace/entities/role/sre-manager/diff?from=1&to=2&format=text",
    )
    .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    assert!(diff.body.contains("small"), "{}", diff.body);
    let entity = get(
        &router,
        "/api/v1/workspace/entities/role/sre-manager?version=1",
    )
    .await;
    assert!(
        entity.json()["content"]
            .as_str()
            .is_some_and(|c| c.contains(OLD))
    );

    // The history page lists both versions, newest first, with the change.
    let page = get(&router, "/roles/sre-manager/history").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (two, one) = (
        page.body.find("Version 2").expect("version 2"),
        page.body.find("Version 1").expect("version 1"),
    );
    assert!(two < one, "newest first");
    assert!(page.body.contains("Smaller team"));
    assert!(
        page.body.contains("<ins>small </ins>") || page.body.contains("<ins>small</ins>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("The role was created."));
    assert!(!page.body.contains("style="), "no inline style");
    assert!(
        page.body.contains("datetime=\"20"),
        "a machine-readable time"
    );
    assert_eq!(
        get(&router, "/roles/no-such-role/history").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_can_be_dropped_from_a_change_request() {
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, true).await;
    post(
        &router,
        "/api/v1/workspace/change-requests",
        r#"{"title": "Try"}"#,
    )
    .await;
    let read = get(&router, ROLE).await.json();
    let published = read["token"].as_str().expect("token").to_string();
    let content = read["content"].as_str().expect("content").replace(OLD, NEW);
    let body = serde_json::json!({"content": content, "base": published}).to_string();
    let saved = send(&router, json_from(LOOPBACK, "PUT", ROLE, &body)).await;
    let edit = saved.json()["token"].as_str().expect("token").to_string();
    let discard = |base: &str| {
        let uri = format!("/api/v1/workspace/change-requests/1/edits/role/sre-manager?base={base}");
        json_from(LOOPBACK, "DELETE", &uri, "")
    };

    // With a bad token, or from a stale base: refused, the edit kept.
    let remote = send(&router, unknown_token(from(REMOTE, discard(&edit)))).await;
    assert_eq!(remote.status, StatusCode::UNAUTHORIZED, "{}", remote.body);
    let stale = send(&router, discard(&published)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.json()["error"]["conflict"]["current"], edit.as_str());

    // From the edit's token: dropped, and the role reads as published.
    let dropped = send(&router, discard(&edit)).await;
    assert_eq!(dropped.status, StatusCode::OK, "{}", dropped.body);
    assert_eq!(dropped.json()["token"], published.as_str());
    let request = get(&router, "/api/v1/workspace/change-requests/1").await;
    assert_eq!(request.json()["edits"].as_array().map(Vec::len), Some(0));
    let again = get(&router, ROLE).await.json();
    assert!(again["content"].as_str().is_some_and(|c| c.contains(OLD)));

    // Nothing left to drop.
    let nothing = send(&router, discard(&published)).await;
    assert_eq!(
        nothing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        nothing.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_roll_back_opens_a_change_request_restoring_a_version() {
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, true).await;
    // Version 2 changes the SRE Manager.
    post(
        &router,
        "/api/v1/workspace/change-requests",
        r#"{"title": "Edit"}"#,
    )
    .await;
    let read = get(&router, ROLE).await.json();
    let content = read["content"].as_str().expect("content").replace(OLD, NEW);
    let body = serde_json::json!({"content": content, "base": read["token"]}).to_string();
    send(&router, json_from(LOOPBACK, "PUT", ROLE, &body)).await;
    for to in ["in-review", "approved"] {
        let body = format!(r#"{{"to": "{to}"}}"#);
        post(
            &router,
            "/api/v1/workspace/change-requests/1/transition",
            &body,
        )
        .await;
    }
    let published = post(&router, "/api/v1/workspace/change-requests/1/publish", "{}").await;
    assert_eq!(published.json()["number"], 2, "{}", published.body);

    let uri = "/api/v1/workspace/versions/1/rollback";
    let one = post(&router, uri, r#"{"kind": "role", "id": "sre-manager"}"#).await;
    assert_eq!(one.status, StatusCode::CREATED, "{}", one.body);
    assert_eq!(
        one.json()["title"],
        "Roll role/sre-manager back to version 1"
    );
    assert_eq!(one.json()["state"], "draft");
    assert_eq!(one.json()["edits"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        one.header(header::LOCATION),
        "/api/v1/workspace/change-requests/2"
    );
    let whole = post(&router, uri, "{}").await;
    assert_eq!(whole.status, StatusCode::CREATED, "{}", whole.body);
    assert_eq!(whole.json()["title"], "Roll the catalog back to version 1");

    let same = post(&router, "/api/v1/workspace/versions/2/rollback", "{}").await;
    assert_eq!(
        same.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        same.body
    );
    assert!(same.body.contains("nothing to roll back"), "{}", same.body);
    let half = post(&router, uri, r#"{"kind": "role"}"#).await;
    assert_eq!(half.status, StatusCode::BAD_REQUEST, "{}", half.body);
    let missing = post(&router, "/api/v1/workspace/versions/9/rollback", "{}").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    let remote = send(&router, unknown_token(json_from(REMOTE, "POST", uri, "{}"))).await;
    assert_eq!(remote.status, StatusCode::UNAUTHORIZED, "{}", remote.body);
}

/// `request` with an API token that does not exist.
fn unknown_token(
    request: axum::http::Request<axum::body::Body>,
) -> axum::http::Request<axum::body::Body> {
    bearer(request, "rbt_unknown")
}

/// `request` with `Authorization: Bearer secret`.
fn bearer(
    mut request: axum::http::Request<axum::body::Body>,
    secret: &str,
) -> axum::http::Request<axum::body::Body> {
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {secret}").parse().expect("value"),
    );
    request
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_write_from_anywhere_within_their_owners_role_and_scope() {
    use rolebook_accounts::{Accounts, AuditFilter, Context, Role, Scope};
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, false).await;
    let provider = state.provider();
    let ws = provider.workspace().cloned().expect("a workspace");
    let accounts = Accounts::new(ws.db().clone());
    let cli = Context::cli();
    let editor = accounts
        .add_user(&cli, "kofi.editor@example.org", "Kofi", Role::Editor, None)
        .await
        .expect("editor");
    let approver = accounts
        .add_user(
            &cli,
            "lea.approver@example.org",
            "Lea",
            Role::Approver,
            None,
        )
        .await
        .expect("approver");
    let token = |user: &rolebook_accounts::User, scope: Scope| {
        let accounts = accounts.clone();
        let user = user.clone();
        async move {
            accounts
                .create_token(&Context::cli(), &user, "test", scope)
                .await
                .expect("token")
        }
    };
    let (editing, editing_token) = token(&editor, Scope::Write).await;
    let (reading, _) = token(&editor, Scope::Read).await;
    let (approving, _) = token(&approver, Scope::Write).await;
    let create = |secret: &str| {
        bearer(
            json_from(
                REMOTE,
                "POST",
                "/api/v1/workspace/change-requests",
                r#"{"title": "From a script"}"#,
            ),
            secret,
        )
    };

    // Bad tokens are 401; a read-scope token may not write.
    for bad in ["rbt_made-up", ""] {
        let refused = send(&router, create(bad)).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    }
    let mut basic = create(&editing);
    basic.headers_mut().insert(
        header::AUTHORIZATION,
        "Basic a2ZvOnB3".parse().expect("value"),
    );
    assert_eq!(send(&router, basic).await.status, StatusCode::UNAUTHORIZED);
    let read_only = send(&router, create(&reading)).await;
    assert_eq!(
        read_only.status,
        StatusCode::FORBIDDEN,
        "{}",
        read_only.body
    );
    assert!(read_only.body.contains("scope write"), "{}", read_only.body);

    // An editor's write token, from another machine: opens and edits,
    // authored by its owner.
    let created = send(&router, create(&editing)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["author"], "kofi.editor@example.org");
    let read = get(&router, ROLE).await.json();
    let content = read["content"].as_str().expect("content").replace(OLD, NEW);
    let body = serde_json::json!({"content": content, "base": read["token"]}).to_string();
    let saved = send(
        &router,
        bearer(json_from(REMOTE, "PUT", ROLE, &body), &editing),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let move_to = |to: &str, secret: &str| {
        bearer(
            json_from(
                REMOTE,
                "POST",
                "/api/v1/workspace/change-requests/1/transition",
                &format!(r#"{{"to": "{to}"}}"#),
            ),
            secret,
        )
    };
    assert_eq!(
        send(&router, move_to("in-review", &editing)).await.status,
        StatusCode::OK
    );
    // An editor may not approve or publish.
    let approve = send(&router, move_to("approved", &editing)).await;
    assert_eq!(approve.status, StatusCode::FORBIDDEN, "{}", approve.body);

    // The approver approves someone else's change request.
    let approved = send(&router, move_to("approved", &approving)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

    // An edit after approval sends it back to draft: what was approved is
    // what publishes, or nothing does.
    let read = get(&router, ROLE).await.json();
    let sneaky = read["content"]
        .as_str()
        .expect("content")
        .replace(NEW, "a sneaky change");
    let body = serde_json::json!({"content": sneaky, "base": read["token"]}).to_string();
    let late = send(
        &router,
        bearer(json_from(REMOTE, "PUT", ROLE, &body), &editing),
    )
    .await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.body);
    let reopened = get(&router, "/api/v1/workspace/change-requests/1").await;
    assert_eq!(reopened.json()["state"], "draft");
    let early = bearer(
        json_from(
            REMOTE,
            "POST",
            "/api/v1/workspace/change-requests/1/publish",
            "{}",
        ),
        &approving,
    );
    assert_eq!(send(&router, early).await.status, StatusCode::CONFLICT);
    // Put back what was reviewed; an approver who edits may not approve.
    let read = get(&router, ROLE).await.json();
    let body = serde_json::json!({"content": content, "base": read["token"]}).to_string();
    let own_edit = send(
        &router,
        bearer(json_from(REMOTE, "PUT", ROLE, &body), &approving),
    )
    .await;
    assert_eq!(own_edit.status, StatusCode::OK, "{}", own_edit.body);
    assert_eq!(
        send(&router, move_to("in-review", &editing)).await.status,
        StatusCode::OK
    );
    let edited_own = send(&router, move_to("approved", &approving)).await;
    assert_eq!(
        edited_own.status,
        StatusCode::FORBIDDEN,
        "{}",
        edited_own.body
    );
    assert!(
        edited_own.body.contains("opened or edited"),
        "{}",
        edited_own.body
    );
    // A second approver, who did not touch it, approves.
    let second = accounts
        .add_user(&cli, "mo.approver@example.org", "Mo", Role::Approver, None)
        .await
        .expect("approver");
    let (other, _) = token(&second, Scope::Write).await;
    let approved = send(&router, move_to("approved", &other)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let approving = other;
    let publish = |secret: &str| {
        bearer(
            json_from(
                REMOTE,
                "POST",
                "/api/v1/workspace/change-requests/1/publish",
                "{}",
            ),
            secret,
        )
    };
    assert_eq!(
        send(&router, publish(&editing)).await.status,
        StatusCode::FORBIDDEN
    );
    let published = send(&router, publish(&approving)).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json()["author"], "mo.approver@example.org");

    // Four eyes: not one's own change request.
    let own = send(&router, create(&approving)).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let submit = bearer(
        json_from(
            REMOTE,
            "POST",
            "/api/v1/workspace/change-requests/2/transition",
            r#"{"to": "in-review"}"#,
        ),
        &approving,
    );
    assert_eq!(send(&router, submit).await.status, StatusCode::OK);
    let self_approve = bearer(
        json_from(
            REMOTE,
            "POST",
            "/api/v1/workspace/change-requests/2/transition",
            r#"{"to": "approved"}"#,
        ),
        &approving,
    );
    let refused = send(&router, self_approve).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("opened or edited"),
        "{}",
        refused.body
    );

    // Revoked: refused at once.
    accounts
        .revoke_token(&cli, editing_token.id)
        .await
        .expect("revoked");
    assert_eq!(
        send(&router, create(&editing)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Each write is in the audit log, with its author and token.
    let opened = accounts
        .audit(&AuditFilter {
            action: Some("change-request-opened".to_string()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    let first = opened.last().expect("an entry");
    assert_eq!(first.actor, "kofi.editor@example.org");
    assert_eq!(first.address, "192.0.2.10");
    assert!(
        first
            .detail
            .contains(&format!("(with token:{})", editing_token.id)),
        "{}",
        first.detail
    );
    let actions: Vec<String> = accounts
        .audit(&AuditFilter::default())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["entity-saved", "change-request-moved", "published"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_session_or_a_token_nobody_writes_or_reads_drafts() {
    let (state, _dir) = workspace_state().await;
    let router = app(state);
    let body = r#"{"title": "From nowhere"}"#;
    let uri = "/api/v1/workspace/change-requests";
    // Not even from the server's own machine: the loopback stopgap is gone.
    for peer in [LOOPBACK, REMOTE] {
        let refused = send(&router, json_from(peer, "POST", uri, body)).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
        assert_eq!(
            refused.header(header::WWW_AUTHENTICATE),
            "Bearer realm=\"rolebook\""
        );
        assert!(
            refused.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("sign in") && m.contains("API token")),
            "{}",
            refused.body
        );
        // Change requests are drafts; published versions are the catalog.
        let drafts = get_from(&router, uri, peer).await;
        assert_eq!(drafts.status, StatusCode::UNAUTHORIZED, "{}", drafts.body);
        let versions = get_from(&router, "/api/v1/workspace/versions", peer).await;
        assert_eq!(versions.status, StatusCode::OK, "{}", versions.body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_useful_4xx() {
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, true).await;
    let uri = "/api/v1/workspace/change-requests";
    let bad = send(&router, json_from(LOOPBACK, "POST", uri, "{\"title\": ")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("JSON")),
        "{}",
        bad.body
    );
    let unknown = send(
        &router,
        json_from(LOOPBACK, "POST", uri, r#"{"titel": "x"}"#),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
    let untitled = send(
        &router,
        json_from(LOOPBACK, "POST", uri, r#"{"title": " "}"#),
    )
    .await;
    assert_eq!(
        untitled.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        untitled.body
    );
    let plain = axum::http::Request::post(uri)
        .body(axum::body::Body::from(r#"{"title": "x"}"#))
        .expect("request");
    assert_eq!(
        send(&router, from(LOOPBACK, plain)).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    for (path, status) in [
        (
            "/api/v1/workspace/entities/team/sre",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/workspace/entities/role/nobody",
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/workspace/versions/x", StatusCode::BAD_REQUEST),
        ("/api/v1/workspace/versions/9", StatusCode::NOT_FOUND),
        ("/api/v1/workspace/change-requests/7", StatusCode::NOT_FOUND),
        (
            "/api/v1/workspace/change-requests?state=open",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/workspace/entities/role/sre-manager/diff?format=pdf",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = get(&router, path).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        assert!(reply.json()["error"]["message"].is_string(), "{path}");
    }
    let created = send(
        &router,
        json_from(LOOPBACK, "POST", uri, r#"{"title": "x"}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let put = send(
        &router,
        json_from(LOOPBACK, "PUT", ROLE, r#"{"content": "x", "base": "q7"}"#),
    )
    .await;
    assert_eq!(put.status, StatusCode::BAD_REQUEST, "{}", put.body);
    let delete = axum::http::Request::delete(ROLE)
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(
        send(&router, from(LOOPBACK, delete)).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_change_request_is_refused_with_its_diagnostics() {
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, true).await;
    post(
        &router,
        "/api/v1/workspace/change-requests",
        r#"{"title": "Broken"}"#,
    )
    .await;
    let read = get(&router, ROLE).await.json();
    let content = read["content"].as_str().expect("content");
    let broken = content.replace("title = \"SRE Manager\"", "title = 5");
    let body = serde_json::json!({"content": broken, "base": read["token"]}).to_string();
    let saved = send(&router, json_from(LOOPBACK, "PUT", ROLE, &body)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // Deleting needs the token now in force.
    for to in ["in-review", "approved"] {
        let moved = post(
            &router,
            "/api/v1/workspace/change-requests/1/transition",
            &format!(r#"{{"to": "{to}"}}"#),
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    }
    let refused = post(&router, "/api/v1/workspace/change-requests/1/publish", "{}").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let diagnostics = &refused.json()["error"]["diagnostics"];
    assert!(
        diagnostics.as_array().is_some_and(|d| d
            .iter()
            .any(|d| d["severity"] == "error" && d["id"] == "sre-manager")),
        "{}",
        refused.body
    );
    assert_eq!(state.snapshot().version, Some(1), "nothing was published");
}

#[tokio::test]
async fn a_server_of_catalog_files_has_no_workspace() {
    let router = app(AppState::builtin().expect("built-in catalog"));
    for path in [
        "/api/v1/workspace",
        "/api/v1/workspace/versions",
        "/api/v1/workspace/change-requests/1",
    ] {
        let reply = get(&router, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("serves catalog files, not a workspace")),
            "{}",
            reply.body
        );
    }
    let write = send(
        &router,
        json_from(
            LOOPBACK,
            "POST",
            "/api/v1/workspace/change-requests",
            r#"{"title": "x"}"#,
        ),
    )
    .await;
    assert_eq!(write.status, StatusCode::NOT_FOUND);
    let history = get(&router, "/roles/sre-manager/history").await;
    assert_eq!(history.status, StatusCode::NOT_FOUND);
    let page = get(&router, "/roles/sre-manager").await;
    assert!(!page.body.contains("/history"), "no history link");
    assert!(!page.body.contains("Workspace version"));
}

/// Found by a hostile probe: four eyes looked at the latest edits'
/// authors only, so an approver's edit saved over by an editor, or an
/// edit the approver dropped, let the approver approve their own work.
#[tokio::test(flavor = "multi_thread")]
async fn an_approver_who_had_a_hand_in_a_change_request_may_not_approve_it() {
    use rolebook_accounts::{Accounts, Context, Role, Scope};
    let (state, _dir) = workspace_state().await;
    let router = as_admin(&state, false).await;
    let provider = state.provider();
    let accounts = Accounts::new(provider.workspace().expect("a workspace").db().clone());
    let cli = Context::cli();
    let mut tokens = Vec::new();
    for (email, role) in [
        ("eli@example.org", Role::Editor),
        ("ana@example.org", Role::Approver),
    ] {
        let user = accounts
            .add_user(&cli, email, "x", role, None)
            .await
            .expect("user");
        let (secret, _) = accounts
            .create_token(&cli, &user, "t", Scope::Write)
            .await
            .expect("token");
        tokens.push(secret);
    }
    let (editor, approver) = (&tokens[0], &tokens[1]);
    let as_ = |secret: &str, method: &str, uri: &str, body: &str| {
        bearer(json_from(REMOTE, method, uri, body), secret)
    };
    let save = |secret: &str, line: &str| {
        let secret = secret.to_string();
        let line = line.to_string();
        let router = router.clone();
        async move {
            let read = send(&router, as_(&secret, "GET", ROLE, "")).await.json();
            let content = format!("{}\n# {line}\n", read["content"].as_str().expect("content"));
            let body = serde_json::json!({"content": content, "base": read["token"]}).to_string();
            send(&router, as_(&secret, "PUT", ROLE, &body)).await.status
        }
    };
    let transition = |secret: &str, to: &str| {
        as_(
            secret,
            "POST",
            "/api/v1/workspace/change-requests/1/transition",
            &format!(r#"{{"to": "{to}"}}"#),
        )
    };
    let created = send(
        &router,
        as_(
            editor,
            "POST",
            "/api/v1/workspace/change-requests",
            r#"{"title": "Innocent"}"#,
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    // The approver's text, then the editor's save over it.
    assert_eq!(save(approver, "the approver's line").await, StatusCode::OK);
    assert_eq!(save(editor, "an editor's tweak").await, StatusCode::OK);
    let read = get(&router, "/api/v1/workspace/change-requests/1")
        .await
        .json();
    assert_eq!(
        read["contributors"],
        serde_json::json!(["ana@example.org", "eli@example.org"])
    );
    assert_eq!(
        send(&router, transition(editor, "in-review")).await.status,
        StatusCode::OK
    );
    let laundered = send(&router, transition(approver, "approved")).await;
    assert_eq!(
        laundered.status,
        StatusCode::FORBIDDEN,
        "{}",
        laundered.body
    );
}

/// Found by a hostile probe: with anonymous reading off, a 404 page still
/// suggested catalog roles ("Did you mean …") to anyone.
#[tokio::test(flavor = "multi_thread")]
async fn with_anonymous_reading_off_nothing_of_the_catalog_shows() {
    use rolebook_accounts::{Accounts, Context};
    let (state, _dir) = workspace_state().await;
    let router = app(state.clone());
    let provider = state.provider();
    let accounts = Accounts::new(provider.workspace().expect("a workspace").db().clone());
    let open = get(&router, "/security").await;
    assert_eq!(open.status, StatusCode::NOT_FOUND);
    assert!(
        open.body
            .contains("/roles/chief-information-security-officer"),
        "{}",
        open.body
    );
    accounts
        .set_setting(&Context::cli(), "anonymous-read", false)
        .await
        .expect("setting");
    state.auth().forget();
    let closed = get(&router, "/security").await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    assert!(!closed.body.contains("/roles/"), "{}", closed.body);
    let page = get(&router, "/roles/sre-manager").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header(header::LOCATION),
        "/sign-in?next=%2Froles%2Fsre-manager"
    );
    let api = get(&router, "/api/v1/search?q=reliability").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn downloading_the_catalogs_tables_is_in_the_audit_log() {
    use rolebook_accounts::{Accounts, AuditFilter};
    let (state, _dir) = workspace_state().await;
    let signed = as_admin(&state, false).await;
    let anonymous = app(state.clone());
    let provider = state.provider();
    let accounts = Accounts::new(provider.workspace().expect("a workspace").db().clone());
    let file = "/downloads/catalog/kpi-ownership.csv";
    // Twice within a minute is one entry: a loop cannot fill the log.
    for _ in 0..2 {
        let table = get_from(&signed, file, REMOTE).await;
        assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    }
    // Anonymous readers of a catalog anyone may read are not recorded, nor
    // is a role's own document.
    assert_eq!(get(&anonymous, file).await.status, StatusCode::OK);
    assert_eq!(
        get(&signed, "/downloads/roles/sre-manager.md").await.status,
        StatusCode::OK
    );
    let filter = AuditFilter {
        action: Some("catalog-exported".into()),
        ..AuditFilter::default()
    };
    let entries = accounts.audit(&filter).await.expect("audit");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].actor, "admin@example.org");
    assert_eq!(entries[0].object, "version:1");
    assert_eq!(entries[0].detail, "downloaded catalog/kpi-ownership.csv");
    assert_eq!(entries[0].address, "192.0.2.10");
}
