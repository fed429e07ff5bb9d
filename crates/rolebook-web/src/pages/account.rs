//! Signing in and out, making an account from a setup or invitation link,
//! one's own account and tokens, and the admin pages: users, audit log,
//! settings. What each may do is in `auth::access::RULES`; the handlers
//! here act for the [`Caller`] the guard found.
//!
//! Forms post back here and answer 303 to a page (so that reloading does
//! not post again), except when they show a secret once (a new token or
//! link) or an error beside the form.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rolebook_accounts::{AccountError, Accounts, AuditFilter, Context, Role, Scope, User};

use crate::auth::{self, Caller, Via};
use crate::error::AppError;
use crate::request::RequestContext;
use crate::routed::Routed;
use crate::state::AppState;
use crate::views::account::{
    AccountPage, AuditPage, SettingsPage, SignInPage, SignUpPage, UsersPage, page,
};

pub fn router() -> Routed {
    Routed::new()
        .route("/sign-in", get(sign_in).post(sign_in_submit))
        .route("/sign-out", post(sign_out))
        .route("/sign-out/everywhere", post(sign_out_everywhere))
        .route("/setup/{secret}", get(setup).post(setup_submit))
        .route(
            "/invitations/{secret}",
            get(invitation).post(invitation_submit),
        )
        .route("/account", get(account))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/users", get(users))
        .route("/admin/invitations", post(invite))
        .route("/admin/users/{id}", post(change_user))
        .route("/admin/audit", get(audit))
        .route("/admin/audit.csv", get(audit_csv))
        .route("/admin/audit.json", get(audit_json))
        .route("/admin/settings", get(settings).post(settings_submit))
}

type Result<T, E = AppError> = std::result::Result<T, E>;

/// The workspace's accounts; a server of catalog files has none.
fn accounts(state: &AppState) -> Result<&Accounts> {
    state.auth().accounts().ok_or_else(|| {
        AppError::not_found(
            "this server serves catalog files and has no accounts; `rolebook serve` without `--catalog` serves a workspace with them",
        )
    })
}

/// Who is acting, for the audit log.
fn context(request: &RequestContext, caller: &Caller) -> Context {
    Context {
        actor: caller.actor().to_string(),
        request_id: request.request_id().to_string(),
        address: request.address(),
    }
}

/// A form's fields; the last value of a repeated name wins.
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).into_owned().collect())
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Where to go after signing in: a path on this site only, never another
/// site (`//host`) nor a scheme.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if local { next } else { "/" }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The status an account error answers with.
fn status_of(error: &AccountError) -> StatusCode {
    match error {
        AccountError::BadCredentials => StatusCode::UNAUTHORIZED,
        AccountError::Disabled => StatusCode::FORBIDDEN,
        AccountError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AccountError::BadLink | AccountError::NoSuchUser(_) | AccountError::NoSuchToken(_) => {
            StatusCode::NOT_FOUND
        }
        AccountError::EmailTaken(_) | AccountError::LastAdmin => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A client error's message for the page; a server error as the error
/// page.
fn shown(error: AccountError) -> Result<(StatusCode, String)> {
    if error.is_client_error() {
        Ok((status_of(&error), error.to_string()))
    } else {
        Err(auth::internal(error))
    }
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The signed-in user of a page the guard let through as `SignedIn` or
/// by permission.
fn user_of(caller: &Caller) -> Result<&User> {
    caller
        .user
        .as_deref()
        .ok_or_else(|| AppError::unauthorized("sign in first"))
}

fn csrf_of(caller: &Caller) -> String {
    caller.csrf_token().unwrap_or_default().to_string()
}

// ----------------------------------------------------------------- sign-in

async fn sign_in(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    accounts(&state)?;
    let mut form = SignInPage::new(&request.snap);
    let query = Form::parse(request.query().unwrap_or("").as_bytes());
    form.next = safe_next(query.get("next")).to_string();
    form.signed_in_as = caller.user.as_ref().map(|u| u.email.clone());
    page(StatusCode::OK, &form)
}

async fn sign_in_submit(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let fields = Form::parse(&body);
    let next = safe_next(fields.get("next")).to_string();
    let context = context(&request, &Caller::anonymous());
    match accounts
        .authenticate(&context, fields.get("email"), fields.get("password"))
        .await
    {
        Ok(user) => {
            // A session held before is ended: one id per sign-in.
            if let Via::Session { cookie, .. } = &caller.via {
                accounts
                    .end_session(&context.as_actor(caller.actor()), cookie)
                    .await
                    .map_err(auth::internal)?;
                state.auth().forget();
            }
            let new = accounts
                .start_session(&context, &user)
                .await
                .map_err(auth::internal)?;
            let cookie = auth::session_set_cookie(&new.cookie, state.auth().config().behind_https);
            Ok(with_cookie(see_other(&next), &cookie))
        }
        Err(error) => {
            let retry_after = match error {
                AccountError::Throttled { retry_after } => Some(retry_after),
                _ => None,
            };
            let (status, message) = shown(error)?;
            let mut form = SignInPage::new(&request.snap);
            form.email = fields.get("email").to_string();
            form.next = next;
            form.error = Some(message);
            let mut response = page(status, &form)?;
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            Ok(response)
        }
    }
}

async fn sign_out(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    if let Via::Session { cookie, .. } = &caller.via {
        accounts
            .end_session(&context(&request, &caller), cookie)
            .await
            .map_err(auth::internal)?;
        state.auth().forget();
    }
    let clear = auth::session_clear_cookie(state.auth().config().behind_https);
    Ok(with_cookie(see_other("/"), &clear))
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let user = user_of(&caller)?;
    accounts
        .end_sessions(&context(&request, &caller), user)
        .await
        .map_err(auth::internal)?;
    state.auth().forget();
    let clear = auth::session_clear_cookie(state.auth().config().behind_https);
    Ok(with_cookie(see_other("/"), &clear))
}

// ----------------------------------------------------------------- sign-up

/// The setup link's page: the first admin's account.
async fn setup(
    State(state): State<AppState>,
    request: RequestContext,
    Path(secret): Path<String>,
) -> Result<Response> {
    sign_up_form(&state, &request, &secret, true).await
}

async fn invitation(
    State(state): State<AppState>,
    request: RequestContext,
    Path(secret): Path<String>,
) -> Result<Response> {
    sign_up_form(&state, &request, &secret, false).await
}

async fn sign_up_form(
    state: &AppState,
    request: &RequestContext,
    secret: &str,
    setup: bool,
) -> Result<Response> {
    let accounts = accounts(state)?;
    let invitation = accounts
        .invitation(secret)
        .await
        .map_err(auth::internal)?
        .filter(|found| found.setup == setup)
        .ok_or_else(|| AppError::not_found(AccountError::BadLink.to_string()))?;
    let action = sign_up_action(secret, setup);
    let form = SignUpPage::new(
        &request.snap,
        action,
        setup,
        invitation.email,
        invitation.role,
    );
    page(StatusCode::OK, &form)
}

fn sign_up_action(secret: &str, setup: bool) -> String {
    let secret: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    if setup {
        format!("/setup/{secret}")
    } else {
        format!("/invitations/{secret}")
    }
}

async fn setup_submit(
    State(state): State<AppState>,
    request: RequestContext,
    Path(secret): Path<String>,
    body: Bytes,
) -> Result<Response> {
    sign_up(&state, &request, &secret, true, &body).await
}

async fn invitation_submit(
    State(state): State<AppState>,
    request: RequestContext,
    Path(secret): Path<String>,
    body: Bytes,
) -> Result<Response> {
    sign_up(&state, &request, &secret, false, &body).await
}

/// Makes the account a link is for and signs its owner in.
async fn sign_up(
    state: &AppState,
    request: &RequestContext,
    secret: &str,
    setup: bool,
    body: &[u8],
) -> Result<Response> {
    let accounts = accounts(state)?;
    let fields = Form::parse(body);
    let invitation = accounts
        .invitation(secret)
        .await
        .map_err(auth::internal)?
        .filter(|found| found.setup == setup)
        .ok_or_else(|| AppError::not_found(AccountError::BadLink.to_string()))?;
    let context = context(request, &Caller::anonymous());
    let outcome = if fields.get("password") == fields.get("confirm") {
        accounts
            .accept(
                &context,
                secret,
                fields.get("email"),
                fields.get("name").trim(),
                fields.get("password"),
            )
            .await
            .map_err(shown)
    } else {
        Err(Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "the two passwords differ".to_string(),
        )))
    };
    match outcome {
        Ok(user) => {
            let new = accounts
                .start_session(&context, &user)
                .await
                .map_err(auth::internal)?;
            let cookie = auth::session_set_cookie(&new.cookie, state.auth().config().behind_https);
            let next = if setup { "/admin/users" } else { "/account" };
            Ok(with_cookie(see_other(next), &cookie))
        }
        Err(failed) => {
            let (status, message) = failed?;
            let email = if setup {
                fields.get("email").to_string()
            } else {
                invitation.email
            };
            let mut form = SignUpPage::new(
                &request.snap,
                sign_up_action(secret, setup),
                setup,
                email,
                invitation.role,
            );
            form.name = fields.get("name").to_string();
            form.error = Some(message);
            page(status, &form)
        }
    }
}

// ----------------------------------------------------------------- account

async fn account(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    account_page(&state, &request, &caller, None, None, StatusCode::OK).await
}

async fn account_page(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    new_token: Option<(String, String)>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let accounts = accounts(state)?;
    let user = user_of(caller)?;
    let tokens = accounts.tokens(Some(user)).await.map_err(auth::internal)?;
    let title = "Your account";
    page(
        status,
        &AccountPage {
            layout: crate::views::Layout::new(&request.snap, title, title, ""),
            user: user.clone(),
            csrf: csrf_of(caller),
            tokens,
            new_token,
            error,
            scopes: &Scope::ALL,
            proxy: caller.via == Via::Proxy,
        },
    )
}

async fn create_token(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let user = user_of(&caller)?;
    let fields = Form::parse(&body);
    let scope = match fields.get("scope").parse::<Scope>() {
        Ok(scope) => scope,
        Err(message) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return account_page(&state, &request, &caller, None, Some(message), status).await;
        }
    };
    match accounts
        .create_token(&context(&request, &caller), user, fields.get("name"), scope)
        .await
    {
        Ok((secret, token)) => {
            let shown = Some((token.name, secret));
            account_page(&state, &request, &caller, shown, None, StatusCode::OK).await
        }
        Err(error) => {
            let (status, message) = shown(error)?;
            account_page(&state, &request, &caller, None, Some(message), status).await
        }
    }
}

/// Revokes one of the caller's own tokens (an admin revokes anyone's with
/// `rolebook token revoke`).
async fn revoke_token(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let user = user_of(&caller)?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad_request(format!("`{id}` is not a token id")))?;
    let own = accounts
        .tokens(Some(user))
        .await
        .map_err(auth::internal)?
        .iter()
        .any(|token| token.id == id);
    if !own {
        return Err(AppError::not_found(format!("you have no API token {id}")));
    }
    match accounts.revoke_token(&context(&request, &caller), id).await {
        Ok(_) => Ok(see_other("/account")),
        Err(error) => {
            let (status, message) = shown(error)?;
            account_page(&state, &request, &caller, None, Some(message), status).await
        }
    }
}

// ------------------------------------------------------------------- users

async fn users(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let query = Form::parse(request.query().unwrap_or("").as_bytes());
    let notice = match query.get("done") {
        "role" => Some("The role is changed; it applies to the user's next request."),
        "disable" => Some("The user is disabled: their sessions and tokens stopped working."),
        "enable" => Some("The user is enabled again."),
        "password" => Some("The password is set, and the user's sessions are ended."),
        _ => None,
    };
    users_page(
        &state,
        &request,
        &caller,
        UsersNews {
            notice: notice.map(str::to_string),
            ..UsersNews::default()
        },
        StatusCode::OK,
    )
    .await
}

#[derive(Default)]
struct UsersNews {
    new_link: Option<(String, String)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn users_page(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    news: UsersNews,
    status: StatusCode,
) -> Result<Response> {
    let accounts = accounts(state)?;
    let me = user_of(caller)?.id;
    let users = accounts.users().await.map_err(auth::internal)?;
    let pending = accounts
        .pending_invitations()
        .await
        .map_err(auth::internal)?;
    page(
        status,
        &UsersPage {
            layout: crate::views::Layout::new(&request.snap, "Users", "Users and invitations", ""),
            me,
            csrf: csrf_of(caller),
            users,
            pending,
            roles: &Role::ALL,
            new_link: news.new_link,
            notice: news.notice,
            error: news.error,
        },
    )
}

/// This server's address as the browser reached it, for links to send.
fn site(state: &AppState, headers: &HeaderMap) -> String {
    let scheme = if state.auth().config().behind_https {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

async fn invite(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let by = user_of(&caller)?;
    let fields = Form::parse(&body);
    let outcome = match fields.get("role").parse::<Role>() {
        Ok(role) => accounts
            .invite(&context(&request, &caller), by, fields.get("email"), role)
            .await
            .map_err(shown),
        Err(message) => Err(Ok((StatusCode::UNPROCESSABLE_ENTITY, message))),
    };
    match outcome {
        Ok((secret, invitation)) => {
            let link = format!(
                "{}{}",
                site(&state, &headers),
                sign_up_action(&secret, false)
            );
            let news = UsersNews {
                new_link: Some((invitation.email, link)),
                ..UsersNews::default()
            };
            users_page(&state, &request, &caller, news, StatusCode::OK).await
        }
        Err(failed) => {
            let (status, message) = failed?;
            let news = UsersNews {
                error: Some(message),
                ..UsersNews::default()
            };
            users_page(&state, &request, &caller, news, status).await
        }
    }
}

/// One change to a user: `action` is `role`, `disable`, `enable` or
/// `password`.
async fn change_user(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad_request(format!("`{id}` is not a user id")))?;
    let fields = Form::parse(&body);
    let context = context(&request, &caller);
    let user = match accounts.user(id).await {
        Ok(user) => user,
        Err(error) => return Err(AppError::not_found(shown(error)?.1)),
    };
    let action = fields.get("action");
    let done = match action {
        "role" => match fields.get("role").parse::<Role>() {
            Ok(role) => accounts.set_role(&context, &user.email, role).await,
            Err(message) => Err(AccountError::BadValue(message)),
        },
        "disable" | "enable" => {
            accounts
                .set_enabled(&context, &user.email, action == "enable")
                .await
        }
        "password" => {
            accounts
                .set_password(&context, &user.email, fields.get("password"))
                .await
        }
        other => Err(AccountError::BadValue(format!(
            "`{other}` is not something to do to a user; actions are role, disable, enable and password"
        ))),
    };
    // Whatever changed holds from the next request on, here at once.
    state.auth().forget();
    match done {
        Ok(_) => Ok(see_other(&format!("/admin/users?done={action}"))),
        Err(error) => {
            let (status, message) = shown(error)?;
            let news = UsersNews {
                error: Some(message),
                ..UsersNews::default()
            };
            users_page(&state, &request, &caller, news, status).await
        }
    }
}

// ------------------------------------------------------------------- audit

/// The audit filter of a query string, and the fields as typed.
fn audit_filter(request: &RequestContext) -> (AuditFilter, Form) {
    let query = Form::parse(request.query().unwrap_or("").as_bytes());
    let given = |name: &str| Some(query.get(name).trim().to_string()).filter(|v| !v.is_empty());
    let filter = AuditFilter {
        actor: given("actor"),
        action: given("action"),
        object: given("object"),
        since: given("since"),
        until: given("until"),
        limit: Some(query.get("limit").trim().parse().unwrap_or(200)),
    };
    (filter, query)
}

async fn audit(State(state): State<AppState>, request: RequestContext) -> Result<Response> {
    let accounts = accounts(&state)?;
    let (filter, query) = audit_filter(&request);
    let (entries, error, status) = match accounts.audit(&filter).await {
        Ok(entries) => (entries, None, StatusCode::OK),
        Err(error) => {
            let (status, message) = shown(error)?;
            (Vec::new(), Some(message), status)
        }
    };
    let raw = request.query().unwrap_or("");
    page(
        status,
        &AuditPage {
            layout: crate::views::Layout::new(&request.snap, "Audit log", "The audit log", ""),
            entries,
            actor: query.get("actor").to_string(),
            action: query.get("action").to_string(),
            object: query.get("object").to_string(),
            since: query.get("since").to_string(),
            until: query.get("until").to_string(),
            limit: filter.limit.unwrap_or(200),
            query: if raw.is_empty() {
                String::new()
            } else {
                format!("?{raw}")
            },
            error,
        },
    )
}

async fn audit_csv(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    audit_download(&state, &request, &caller, "csv").await
}

async fn audit_json(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    audit_download(&state, &request, &caller, "json").await
}

/// The filtered log as a file; the export is itself recorded.
async fn audit_download(
    state: &AppState,
    request: &RequestContext,
    caller: &Caller,
    format: &str,
) -> Result<Response> {
    let accounts = accounts(state)?;
    let (filter, _) = audit_filter(request);
    let entries = match accounts.audit(&filter).await {
        Ok(entries) => entries,
        Err(error) => return Err(AppError::bad_request(shown(error)?.1)),
    };
    let (body, content_type) = if format == "csv" {
        let csv = rolebook_accounts::audit::to_csv(&entries).map_err(auth::internal)?;
        (csv, "text/csv; charset=utf-8")
    } else {
        let json = serde_json::to_string_pretty(&entries)
            .map_err(|e| AppError::Internal(format!("json: {e}")))?;
        (json, "application/json")
    };
    accounts
        .record(
            &context(request, caller),
            "audit-exported",
            "audit-log",
            &format!("{} entries as {format}", entries.len()),
        )
        .await
        .map_err(auth::internal)?;
    let disposition = format!("attachment; filename=\"rolebook-audit.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------- settings

async fn settings(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
) -> Result<Response> {
    let policy = state.auth().policy(true).await?;
    let saved = request.query() == Some("saved");
    page(
        StatusCode::OK,
        &SettingsPage {
            layout: crate::views::Layout::new(&request.snap, "Settings", "Workspace settings", ""),
            csrf: csrf_of(&caller),
            policy,
            saved,
        },
    )
}

async fn settings_submit(
    State(state): State<AppState>,
    request: RequestContext,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response> {
    let accounts = accounts(&state)?;
    let fields = Form::parse(&body);
    // An unticked box is an absent field: only the whole form may turn
    // a setting off.
    if fields.get("form") != "settings" {
        return Err(AppError::Http {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message:
                "send the settings form whole (with `form=settings`); an absent setting means off"
                    .to_string(),
        });
    }
    let current = state.auth().policy(true).await?;
    let context = context(&request, &caller);
    let wanted = [
        ("anonymous-read", current.anonymous_read),
        ("self-approval", current.self_approval),
    ];
    for (name, now) in wanted {
        let on = fields.get(name) == "on";
        if on != now {
            accounts
                .set_setting(&context, name, on)
                .await
                .map_err(auth::internal)?;
        }
    }
    state.auth().forget();
    Ok(see_other("/admin/settings?saved"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/roles/cto?x=1"), "/roles/cto?x=1");
        for foreign in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "roles",
        ] {
            assert_eq!(safe_next(foreign), "/", "{foreign}");
        }
    }
}
