//! Pages about people rather than the catalog: signing in and up, one's
//! own account and API tokens, and the admin's users, audit log and
//! settings. None is cached: each is about its visitor.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolebook_accounts::{ApiToken, AuditEntry, Policy, Role, Scope, User};

use super::{Layout, render};
use crate::error::AppError;
use crate::state::Snapshot;

/// Pages about one visitor are kept by no cache, private or shared.
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// `template` as a page with `status`, kept by no cache.
pub(crate) fn page(status: StatusCode, template: &impl Template) -> Result<Response, AppError> {
    let body = render(template)?;
    let mut response = (status, body.respond_to(None)).into_response();
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, NO_STORE);
    response.headers_mut().remove(header::ETAG);
    Ok(response)
}

#[derive(Template)]
#[template(path = "sign-in.html")]
pub(crate) struct SignInPage {
    pub layout: Layout,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
    /// Who is signed in already, if anyone.
    pub signed_in_as: Option<String>,
}

impl SignInPage {
    pub fn new(snap: &Snapshot) -> Self {
        SignInPage {
            layout: Layout::new(snap, "Sign in", "Sign in to the role framework.", ""),
            email: String::new(),
            next: "/".to_string(),
            error: None,
            signed_in_as: None,
        }
    }
}

/// Making an account from a link: the first admin's (setup) or an
/// invited person's.
#[derive(Template)]
#[template(path = "sign-up.html")]
pub(crate) struct SignUpPage {
    pub layout: Layout,
    /// The form's own address.
    pub action: String,
    /// The setup link asks for an email; an invitation was sent to one.
    pub setup: bool,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub error: Option<String>,
}

impl SignUpPage {
    pub fn new(snap: &Snapshot, action: String, setup: bool, email: String, role: Role) -> Self {
        let title = if setup {
            "Create the first admin"
        } else {
            "Join the role framework"
        };
        SignUpPage {
            layout: Layout::new(snap, title, title, ""),
            action,
            setup,
            email,
            name: String::new(),
            role,
            error: None,
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    pub layout: Layout,
    pub user: User,
    pub csrf: String,
    pub tokens: Vec<ApiToken>,
    /// A token just made: its name and its secret, shown this once.
    pub new_token: Option<(String, String)>,
    pub error: Option<String>,
    pub scopes: &'static [Scope],
    /// Signed on through the proxy: there is no session to end here.
    pub proxy: bool,
}

#[derive(Template)]
#[template(path = "admin-users.html")]
pub(crate) struct UsersPage {
    pub layout: Layout,
    pub me: i64,
    pub csrf: String,
    pub users: Vec<User>,
    /// Invitations not used yet.
    pub pending: Vec<rolebook_accounts::invitations::Invitation>,
    pub roles: &'static [Role],
    /// An invitation just made: its email and its link, shown this once.
    pub new_link: Option<(String, String)>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin-audit.html")]
pub(crate) struct AuditPage {
    pub layout: Layout,
    pub entries: Vec<AuditEntry>,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub since: String,
    pub until: String,
    pub limit: i64,
    /// The filter as a query string, for the downloads.
    pub query: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin-settings.html")]
pub(crate) struct SettingsPage {
    pub layout: Layout,
    pub csrf: String,
    pub policy: Policy,
    pub saved: bool,
}

/// How a stored time reads on a page: `2026-12-07 09:15 UTC`.
pub(crate) fn when(stored: &str) -> String {
    match (stored.get(..10), stored.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => stored.to_string(),
    }
}
