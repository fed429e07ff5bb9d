//! Who is asking: the caller of every request, found once by
//! [`access::guard`] and handed to handlers as a [`Caller`] extension.
//!
//! A request is from, in this order:
//! 1. a script, with an API token (`Authorization: Bearer rbt_…`); a bad
//!    token is refused, never taken as anonymous;
//! 2. a browser, with a session cookie ([`SESSION_COOKIE`]);
//! 3. the trusted reverse proxy's header, when one is configured and the
//!    request comes from one of its addresses ([`ProxySignOn`]);
//! 4. nobody: anonymous.
//!
//! Sessions, people signed on by the proxy and the workspace's settings
//! are cached in memory for a few seconds ([`CACHE_FOR`]), so reading a page signed in costs no database
//! round trip. Writes never use the cache: a state-changing request checks
//! its session in the database, and every account change made through this
//! server empties the cache at once.
//!
//! In file mode (`--catalog DIR`) there are no accounts: everyone is
//! anonymous and may read.

pub mod access;

/// The engines the store's tests run on (SQLite, and PostgreSQL when
/// `ROLEBOOK_TEST_POSTGRES` is set), for the access matrix.
#[cfg(test)]
#[path = "../../../rolebook-store/tests/common/mod.rs"]
mod engines;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use rolebook_accounts::{Accounts, Context, Policy, Principal, Role, Scope, Session, User};

use crate::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rolebook_session";
/// The header a script or the browser's JavaScript sends the session's
/// CSRF token in; forms send it as the field `csrf`.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session or the settings are believed without asking the
/// database again, for reads.
pub const CACHE_FOR: Duration = Duration::from_secs(2);
/// Most sessions cached; past it, expired entries are dropped first, then
/// everything.
const CACHE_CAPACITY: usize = 10_000;

/// How the server authenticates, from `serve`'s flags.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    /// Cookies carry `Secure`: the server is reached over HTTPS through a
    /// proxy that terminates TLS (`--behind-https`).
    pub behind_https: bool,
    /// Single sign-on through a trusted reverse proxy.
    pub proxy: Option<ProxySignOn>,
    /// Reverse proxies whose `X-Forwarded-For` names the client, for the
    /// audit log and sign-in throttling (`--trusted-proxy`); the sign-on
    /// proxy's addresses count too.
    pub trusted_proxies: Vec<IpAddr>,
}

impl AuthConfig {
    /// The client a request is from: the connection's peer, or, when the
    /// peer is a trusted proxy, the last address in `X-Forwarded-For` (the
    /// one the proxy saw; any before it are whatever the client wrote).
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        let trusted = self.trusted_proxies.contains(&peer)
            || self.proxy.as_ref().is_some_and(|p| p.from.contains(&peer));
        if !trusted {
            return Some(peer);
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        Some(forwarded.map_or(peer, |ip| ip.to_canonical()))
    }
}

/// Sign-on through a reverse proxy that authenticates people (oauth2-proxy,
/// an identity-aware proxy) and names them in a header.
#[derive(Debug, Clone)]
pub struct ProxySignOn {
    /// The header holding the signed-on person's email.
    pub header: HeaderName,
    /// The proxy's addresses: the header is believed from these only.
    pub from: Vec<IpAddr>,
    /// The role of a person first seen through the proxy.
    pub default_role: Role,
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Nobody,
    /// A browser session; its CSRF token guards every write. Shared, so
    /// that a cached caller is cloned without copying them.
    Session {
        cookie: Arc<str>,
        csrf_token: Arc<str>,
    },
    /// An API token, by id.
    Token(i64),
    /// The trusted proxy's header.
    Proxy,
}

/// Who a request is from: put in its extensions by [`access::guard`].
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub user: Option<Arc<User>>,
    pub via: Via,
}

impl Caller {
    pub fn anonymous() -> Caller {
        Caller {
            principal: Principal::Anonymous,
            user: None,
            via: Via::Nobody,
        }
    }

    fn signed_in(user: User, via: Via) -> Caller {
        Caller {
            principal: Principal::User {
                id: user.id,
                role: user.role,
            },
            user: Some(Arc::new(user)),
            via,
        }
    }

    fn of_session(session: Session, cookie: &str) -> Caller {
        let via = Via::Session {
            cookie: cookie.into(),
            csrf_token: session.csrf_token.into(),
        };
        Caller::signed_in(session.user, via)
    }

    /// Who the audit log names: the user's email, or `anonymous`.
    pub fn actor(&self) -> &str {
        self.user.as_ref().map_or("anonymous", |u| u.email.as_str())
    }

    /// The token the request came with, for the audit log.
    pub fn token(&self) -> Option<i64> {
        match self.via {
            Via::Token(id) => Some(id),
            _ => None,
        }
    }

    /// The session's CSRF token, for the forms of a page.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf_token, .. } => Some(csrf_token.as_ref()),
            _ => None,
        }
    }

    /// Whether the caller may edit (an editor, approver or admin; with a
    /// token, one that writes): pages offer them to.
    pub fn may_edit(&self) -> bool {
        let editor = |role| matches!(role, Role::Editor | Role::Approver | Role::Admin);
        match self.principal {
            Principal::User { role, .. } => editor(role),
            Principal::Token { role, scope, .. } => editor(role) && scope != Scope::Read,
            Principal::Anonymous => false,
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(
            self.principal,
            Principal::User {
                role: Role::Admin,
                ..
            }
        )
    }
}

/// The accounts of the served workspace, with the caches in front of them.
#[derive(Debug, Default)]
pub struct Auth {
    accounts: Option<Accounts>,
    config: OnceLock<AuthConfig>,
    /// Callers with a session, by cookie.
    sessions: CallerCache,
    /// People signed on by the proxy, by the header's value.
    proxied: CallerCache,
    policy: RwLock<Option<(Instant, Policy)>>,
    /// When each user's download of each catalog file was last recorded.
    downloads: std::sync::Mutex<HashMap<(String, String), Instant>>,
}

impl Auth {
    pub fn new(accounts: Option<Accounts>) -> Auth {
        Auth {
            accounts,
            ..Auth::default()
        }
    }

    /// The workspace's accounts; `None` in file mode.
    pub fn accounts(&self) -> Option<&Accounts> {
        self.accounts.as_ref()
    }

    /// Set once, before serving.
    pub fn configure(&self, config: AuthConfig) {
        let _ = self.config.set(config);
    }

    pub fn config(&self) -> &AuthConfig {
        self.config.get_or_init(AuthConfig::default)
    }

    /// Forgets every cached session and the settings: called after every
    /// account change made through this server, so that it holds at once.
    pub fn forget(&self) {
        self.sessions.clear();
        self.proxied.clear();
        *write(&self.policy) = None;
    }

    /// Whether `email`'s download of `file` was not recorded within the
    /// last minute; it counts as recorded from now. A loop of downloads
    /// is then one audit entry a minute, not one per request.
    pub fn first_download_in_a_while(&self, email: &str, file: &str) -> bool {
        const AGAIN_AFTER: Duration = Duration::from_secs(60);
        let mut recorded = self
            .downloads
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if recorded.len() >= CACHE_CAPACITY {
            recorded.retain(|_, at| at.elapsed() < AGAIN_AFTER);
        }
        let key = (email.to_string(), file.to_string());
        if recorded
            .get(&key)
            .is_some_and(|at| at.elapsed() < AGAIN_AFTER)
        {
            return false;
        }
        recorded.insert(key, Instant::now());
        true
    }

    /// The workspace's settings; cached for reads ([`CACHE_FOR`]).
    pub async fn policy(&self, fresh: bool) -> Result<Policy, AppError> {
        let Some(accounts) = &self.accounts else {
            return Ok(Policy::default());
        };
        if !fresh
            && let Some((at, policy)) = *read(&self.policy)
            && at.elapsed() < CACHE_FOR
        {
            return Ok(policy);
        }
        let policy = accounts.policy().await.map_err(internal)?;
        *write(&self.policy) = Some((Instant::now(), policy));
        Ok(policy)
    }

    /// The caller of a request with these headers from `peer`. `fresh`
    /// skips the session cache (for writes).
    pub async fn caller(
        &self,
        headers: &HeaderMap,
        peer: Option<IpAddr>,
        fresh: bool,
    ) -> Result<Caller, AppError> {
        let Some(accounts) = &self.accounts else {
            return Ok(Caller::anonymous());
        };
        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            return token_caller(accounts, authorization).await;
        }
        if let Some(cookie) = session_cookie(headers)
            && let Some(caller) = self.session(accounts, cookie, fresh).await?
        {
            return Ok(caller);
        }
        if let Some(proxy) = &self.config().proxy
            && let Some(email) = headers.get(&proxy.header)
            && peer.is_some_and(|peer| proxy.from.contains(&peer))
        {
            return self.proxied(accounts, proxy, email, peer, fresh).await;
        }
        Ok(Caller::anonymous())
    }

    /// The person the proxy names, cached for reads like a session.
    async fn proxied(
        &self,
        accounts: &Accounts,
        proxy: &ProxySignOn,
        email: &HeaderValue,
        peer: Option<IpAddr>,
        fresh: bool,
    ) -> Result<Caller, AppError> {
        let key = email.to_str().unwrap_or_default();
        if !fresh && let Some(caller) = self.proxied.get(key) {
            return Ok(caller);
        }
        let user = proxy_user(accounts, proxy, email, peer).await?;
        let caller = Caller::signed_in(user, Via::Proxy);
        self.proxied.put(key, Some(&caller));
        Ok(caller)
    }

    async fn session(
        &self,
        accounts: &Accounts,
        cookie: &str,
        fresh: bool,
    ) -> Result<Option<Caller>, AppError> {
        if !fresh && let Some(caller) = self.sessions.get(cookie) {
            return Ok(Some(caller));
        }
        let found = accounts.session(cookie).await.map_err(internal)?;
        let caller = found.map(|session| Caller::of_session(session, cookie));
        self.sessions.put(cookie, caller.as_ref());
        Ok(caller)
    }
}

/// Callers believed for [`CACHE_FOR`] without asking the database, for
/// reads; at most [`CACHE_CAPACITY`], expired ones dropped first.
#[derive(Debug, Default)]
struct CallerCache(RwLock<HashMap<String, (Instant, Caller)>>);

impl CallerCache {
    fn get(&self, key: &str) -> Option<Caller> {
        read(&self.0)
            .get(key)
            .filter(|(at, _)| at.elapsed() < CACHE_FOR)
            .map(|(_, caller)| caller.clone())
    }

    /// Remembers `key`'s caller now, or forgets it when there is none.
    fn put(&self, key: &str, caller: Option<&Caller>) {
        let mut cache = write(&self.0);
        let Some(caller) = caller else {
            cache.remove(key);
            return;
        };
        if cache.len() >= CACHE_CAPACITY {
            cache.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
        }
        cache.insert(key.to_string(), (Instant::now(), caller.clone()));
    }

    fn clear(&self) {
        write(&self.0).clear();
    }
}

async fn token_caller(
    accounts: &Accounts,
    authorization: &HeaderValue,
) -> Result<Caller, AppError> {
    let secret = authorization
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            AppError::unauthorized("send an API token as `Authorization: Bearer rbt_…`")
        })?;
    let (token, owner) = accounts
        .use_token(secret)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            AppError::unauthorized("this API token is unknown or revoked, or its owner is disabled")
        })?;
    Ok(Caller {
        principal: Principal::Token {
            user_id: owner.id,
            role: owner.role,
            scope: token.scope,
        },
        user: Some(Arc::new(owner)),
        via: Via::Token(token.id),
    })
}

/// The person the proxy names: an existing, enabled user, or a new one
/// with the configured role.
async fn proxy_user(
    accounts: &Accounts,
    proxy: &ProxySignOn,
    email: &HeaderValue,
    peer: Option<IpAddr>,
) -> Result<User, AppError> {
    let email = email
        .to_str()
        .ok()
        .and_then(|e| rolebook_accounts::users::normalise_email(e).ok())
        .ok_or_else(|| {
            AppError::unauthorized(format!(
                "the sign-on proxy's `{}` header does not hold an email address",
                proxy.header
            ))
        })?;
    let user = match accounts.user_by_email(&email).await {
        Ok(user) => user,
        Err(rolebook_accounts::AccountError::NoSuchUser(_)) => {
            let context = Context {
                actor: format!("proxy:{email}"),
                request_id: String::new(),
                address: peer.map_or_else(String::new, |p| p.to_string()),
            };
            let name = email.split('@').next().unwrap_or(&email).to_string();
            match accounts
                .add_user(&context, &email, &name, proxy.default_role, None)
                .await
            {
                Ok(user) => user,
                // Another request made them first.
                Err(rolebook_accounts::AccountError::EmailTaken(_)) => {
                    accounts.user_by_email(&email).await.map_err(internal)?
                }
                Err(error) => return Err(internal(error)),
            }
        }
        Err(error) => return Err(internal(error)),
    };
    if !user.is_enabled() {
        return Err(AppError::Http {
            status: axum::http::StatusCode::FORBIDDEN,
            message: "this account is disabled; an admin can enable it".to_string(),
        });
    }
    Ok(user)
}

/// The value of the session cookie, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` that starts a session: HttpOnly, SameSite=Lax, for
/// the whole site, gone when the session would end anyway; Secure behind
/// HTTPS.
pub fn session_set_cookie(cookie: &str, secure: bool) -> String {
    let max_age = rolebook_accounts::sessions::LIFETIME.whole_seconds();
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` that removes the session cookie.
pub fn session_clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

pub fn internal(error: rolebook_accounts::AccountError) -> AppError {
    AppError::Internal(error.to_string())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; rolebook_session=abc ; b=2"),
        );
        assert_eq!(session_cookie(&headers), Some("abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("rolebook_session="),
        );
        assert_eq!(session_cookie(&headers), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("xrolebook_session=1"),
        );
        assert_eq!(session_cookie(&headers), None);
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let client: IpAddr = "203.0.113.7".parse().expect("ip");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.1, 203.0.113.7"),
        );
        let trusting = AuthConfig {
            trusted_proxies: vec![proxy],
            ..AuthConfig::default()
        };
        assert_eq!(trusting.client_address(Some(proxy), &headers), Some(client));
        // From anyone else the header is the client's own words.
        let stranger: IpAddr = "192.0.2.9".parse().expect("ip");
        assert_eq!(
            trusting.client_address(Some(stranger), &headers),
            Some(stranger)
        );
        assert_eq!(
            AuthConfig::default().client_address(Some(proxy), &headers),
            Some(proxy)
        );
        // A proxy that sent no usable header is the client.
        headers.insert("x-forwarded-for", HeaderValue::from_static("unknown"));
        assert_eq!(trusting.client_address(Some(proxy), &headers), Some(proxy));
    }

    #[test]
    fn cookies_carry_their_flags() {
        let set = session_set_cookie("s3cret", false);
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"));
        assert!(!set.contains("Secure"));
        assert!(session_set_cookie("s3cret", true).ends_with("; Secure"));
        assert!(session_clear_cookie(true).contains("Max-Age=0"));
    }
}
