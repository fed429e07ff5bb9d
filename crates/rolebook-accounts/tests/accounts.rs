//! Accounts on every engine (SQLite, and PostgreSQL when
//! `ROLEBOOK_TEST_POSTGRES` is set): the first admin from the setup link,
//! invitations, sign-in with throttling, sessions, API tokens, the last
//! admin, settings and the append-only audit log. Every person here is
//! made up.

#[path = "../../rolebook-store/tests/common/mod.rs"]
mod common;

use common::engines;
use rolebook_accounts::audit::to_csv;
use rolebook_accounts::{
    AccountError, Accounts, AuditFilter, Context, Permission, Principal, Role, Scope,
};
use rolebook_store::Workspace;

const ADMIN: &str = "ines.admin@example.org";
const EDITOR: &str = "kofi.editor@example.org";
const PASSWORD: &str = "plenty of words here";

fn web(address: &str) -> Context {
    Context {
        actor: "anonymous".to_string(),
        request_id: "req-1".to_string(),
        address: address.to_string(),
    }
}

async fn accounts(scratch: &common::Scratch) -> Accounts {
    let workspace = Workspace::open(&scratch.location).await.expect("opens");
    Accounts::new(workspace.db().clone())
}

/// A workspace with its first admin, made through the setup link.
async fn with_admin(scratch: &common::Scratch) -> Accounts {
    let accounts = accounts(scratch).await;
    let link = accounts
        .setup_link(&Context::cli())
        .await
        .expect("setup link")
        .expect("no users yet");
    accounts
        .accept(&web("10.0.0.1"), &link, ADMIN, "Inês Admin", PASSWORD)
        .await
        .expect("first admin");
    accounts
}

/// The current time as the audit log writes it.
fn time_now() -> String {
    rolebook_store::db::now()
}

async fn actions(accounts: &Accounts) -> Vec<String> {
    let entries = accounts
        .audit(&AuditFilter::default())
        .await
        .expect("audit");
    entries.into_iter().rev().map(|e| e.action).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_admin_comes_from_a_one_time_setup_link() {
    for scratch in engines().await {
        let accounts = accounts(&scratch).await;
        assert_eq!(accounts.user_count().await.expect("count"), 0);
        let first = accounts
            .setup_link(&Context::cli())
            .await
            .expect("link")
            .expect("some");
        // A server started again prints a new link; the old one is void.
        let link = accounts
            .setup_link(&Context::cli())
            .await
            .expect("link")
            .expect("some");
        assert!(accounts.invitation(&first).await.expect("read").is_none());
        let setup = accounts
            .invitation(&link)
            .await
            .expect("read")
            .expect("valid");
        assert!(setup.setup);
        assert_eq!(setup.role, Role::Admin);

        let weak = accounts
            .accept(&web("10.0.0.1"), &link, ADMIN, "Inês", "short")
            .await;
        assert!(
            matches!(weak, Err(AccountError::WeakPassword(_))),
            "{weak:?}"
        );
        let admin = accounts
            .accept(
                &web("10.0.0.1"),
                &link,
                " Ines.Admin@Example.org ",
                "Inês Admin",
                PASSWORD,
            )
            .await
            .expect("accepted");
        assert_eq!(admin.email, ADMIN);
        assert_eq!(admin.role, Role::Admin);
        assert!(admin.has_password);

        // Used once; and no new link once someone exists.
        let again = accounts
            .accept(&web("10.0.0.1"), &link, "x@example.org", "X", PASSWORD)
            .await;
        assert!(matches!(again, Err(AccountError::BadLink)), "{again:?}");
        assert!(
            accounts
                .setup_link(&Context::cli())
                .await
                .expect("link")
                .is_none()
        );
        assert_eq!(
            actions(&accounts).await,
            [
                "setup-link-created",
                "setup-link-created",
                "user-added",
                "setup-completed"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_makes_one_account_with_its_role() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let admin = accounts.user_by_email(ADMIN).await.expect("admin");
        let (link, invitation) = accounts
            .invite(&Context::cli(), &admin, EDITOR, Role::Editor)
            .await
            .expect("invited");
        assert_eq!(invitation.email, EDITOR);
        assert!(!invitation.setup);
        let taken = accounts
            .invite(&Context::cli(), &admin, ADMIN, Role::Viewer)
            .await;
        assert!(
            matches!(taken, Err(AccountError::EmailTaken(_))),
            "{taken:?}"
        );

        // The email is the invitation's, whatever is typed.
        let editor = accounts
            .accept(
                &web("10.0.0.2"),
                &link,
                "someone.else@example.org",
                "Kofi",
                PASSWORD,
            )
            .await
            .expect("accepted");
        assert_eq!(editor.email, EDITOR);
        assert_eq!(editor.role, Role::Editor);
        let twice = accounts
            .accept(&web("10.0.0.2"), &link, EDITOR, "Kofi", PASSWORD)
            .await;
        assert!(matches!(twice, Err(AccountError::BadLink)), "{twice:?}");
        assert!(matches!(
            accounts
                .accept(&web("10.0.0.2"), "made-up", EDITOR, "Kofi", PASSWORD)
                .await,
            Err(AccountError::BadLink)
        ));
        let users = accounts.users().await.expect("users");
        let emails: Vec<&str> = users.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(emails, [ADMIN, EDITOR]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_checks_the_password_and_throttles_guessing() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let from = web("192.0.2.7");
        let user = accounts
            .authenticate(&from, ADMIN, PASSWORD)
            .await
            .expect("signs in");
        assert_eq!(user.email, ADMIN);
        // Case and spaces in the email do not matter; the password does.
        assert!(
            accounts
                .authenticate(&from, " INES.ADMIN@example.org", PASSWORD)
                .await
                .is_ok()
        );
        for wrong in ["plenty of words Here", ""] {
            let refused = accounts.authenticate(&from, ADMIN, wrong).await;
            assert!(
                matches!(refused, Err(AccountError::BadCredentials)),
                "{refused:?}"
            );
        }
        // An unknown email gets the same answer as a wrong password.
        let unknown = accounts
            .authenticate(&from, "nobody@example.org", PASSWORD)
            .await;
        assert!(
            matches!(unknown, Err(AccountError::BadCredentials)),
            "{unknown:?}"
        );

        // Five failures lock the account, even for the right password.
        for _ in 0..3 {
            let _ = accounts
                .authenticate(&from, ADMIN, "guess guess guess")
                .await;
        }
        let locked = accounts.authenticate(&from, ADMIN, PASSWORD).await;
        match locked {
            Err(AccountError::Throttled { retry_after }) => {
                assert!((1..=900).contains(&retry_after), "{retry_after}");
            }
            other => panic!("expected a throttle, got {other:?}"),
        }
        let throttled = accounts
            .audit(&AuditFilter {
                action: Some("sign-in-throttled".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(throttled.len(), 1);
        assert_eq!(throttled[0].address, "192.0.2.7");
        assert_eq!(throttled[0].object, format!("user:{ADMIN}"));
        let failed = accounts
            .audit(&AuditFilter {
                action: Some("sign-in-failed".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(failed.len(), 6);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_address_guessing_across_accounts_is_throttled() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let from = web("198.51.100.4");
        for n in 0..20 {
            let email = format!("made.up.{n}@example.org");
            let _ = accounts
                .authenticate(&from, &email, "guess guess guess")
                .await;
        }
        let next = accounts.authenticate(&from, ADMIN, PASSWORD).await;
        assert!(
            matches!(next, Err(AccountError::Throttled { .. })),
            "{next:?}"
        );
        // Another address is not held back by this one.
        assert!(
            accounts
                .authenticate(&web("198.51.100.5"), ADMIN, PASSWORD)
                .await
                .is_ok()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_end_on_sign_out_disable_and_password_change() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let admin = accounts.user_by_email(ADMIN).await.expect("admin");
        let editor = accounts
            .add_user(
                &Context::cli(),
                EDITOR,
                "Kofi Editor",
                Role::Editor,
                Some(PASSWORD),
            )
            .await
            .expect("added");
        let from = web("10.0.0.3");

        let first = accounts
            .start_session(&from, &editor)
            .await
            .expect("session");
        let second = accounts
            .start_session(&from, &editor)
            .await
            .expect("session");
        assert_ne!(first.cookie, second.cookie, "a new id every sign-in");
        assert_ne!(first.session.csrf_token, second.session.csrf_token);
        let live = accounts
            .session(&first.cookie)
            .await
            .expect("read")
            .expect("live");
        assert_eq!(live.user.email, EDITOR);
        assert_eq!(live.csrf_token, first.session.csrf_token);
        assert!(
            accounts
                .session("not-a-session")
                .await
                .expect("read")
                .is_none()
        );

        // Signing out here ends this session only.
        accounts
            .end_session(&from.as_actor(EDITOR), &first.cookie)
            .await
            .expect("out");
        assert!(
            accounts
                .session(&first.cookie)
                .await
                .expect("read")
                .is_none()
        );
        assert!(
            accounts
                .session(&second.cookie)
                .await
                .expect("read")
                .is_some()
        );

        // Disabling ends every session at once, and sign-in is refused.
        accounts
            .set_enabled(&Context::cli(), EDITOR, false)
            .await
            .expect("disabled");
        assert!(
            accounts
                .session(&second.cookie)
                .await
                .expect("read")
                .is_none()
        );
        let refused = accounts.authenticate(&from, EDITOR, PASSWORD).await;
        assert!(
            matches!(refused, Err(AccountError::Disabled)),
            "{refused:?}"
        );
        accounts
            .set_enabled(&Context::cli(), EDITOR, true)
            .await
            .expect("enabled");

        // A new password ends sessions too; everywhere ends them all.
        let third = accounts
            .start_session(&from, &editor)
            .await
            .expect("session");
        accounts
            .set_password(&Context::cli(), EDITOR, "an entirely new one")
            .await
            .expect("password");
        assert!(
            accounts
                .session(&third.cookie)
                .await
                .expect("read")
                .is_none()
        );
        assert!(
            accounts
                .authenticate(&from, EDITOR, "an entirely new one")
                .await
                .is_ok()
        );
        let a = accounts
            .start_session(&from, &admin)
            .await
            .expect("session");
        let b = accounts
            .start_session(&from, &admin)
            .await
            .expect("session");
        let ended = accounts
            .end_sessions(&from.as_actor(ADMIN), &admin)
            .await
            .expect("everywhere");
        assert_eq!(ended, 2);
        assert!(accounts.session(&a.cookie).await.expect("read").is_none());
        assert!(accounts.session(&b.cookie).await.expect("read").is_none());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_are_shown_once_scoped_and_revocable() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let editor = accounts
            .add_user(
                &Context::cli(),
                EDITOR,
                "Kofi Editor",
                Role::Editor,
                Some(PASSWORD),
            )
            .await
            .expect("added");
        let (secret, token) = accounts
            .create_token(&Context::cli(), &editor, "nightly import", Scope::Write)
            .await
            .expect("token");
        assert!(secret.starts_with("rbt_"), "{secret}");
        assert_eq!(token.scope, Scope::Write);
        assert!(token.last_used_at.is_none());

        let (used, owner) = accounts
            .use_token(&secret)
            .await
            .expect("read")
            .expect("live");
        assert_eq!(used.id, token.id);
        assert_eq!(owner.email, EDITOR);
        let principal = Principal::Token {
            user_id: owner.id,
            role: owner.role,
            scope: used.scope,
        };
        let policy = accounts.policy().await.expect("policy");
        assert!(policy.allows(principal, Permission::EditChangeRequests));
        assert!(
            !policy.allows(principal, Permission::Publish),
            "an editor's token"
        );
        let listed = accounts.tokens(Some(&editor)).await.expect("tokens");
        assert!(listed[0].last_used_at.is_some());
        assert!(
            accounts
                .use_token("rbt_made-up")
                .await
                .expect("read")
                .is_none()
        );

        // A disabled owner's token stops working, and works again after.
        accounts
            .set_enabled(&Context::cli(), EDITOR, false)
            .await
            .expect("disabled");
        assert!(accounts.use_token(&secret).await.expect("read").is_none());
        accounts
            .set_enabled(&Context::cli(), EDITOR, true)
            .await
            .expect("enabled");
        assert!(accounts.use_token(&secret).await.expect("read").is_some());

        // Revoked: at once, for good.
        let revoked = accounts
            .revoke_token(&Context::cli(), token.id)
            .await
            .expect("revoked");
        assert!(revoked.revoked_at.is_some());
        assert!(accounts.use_token(&secret).await.expect("read").is_none());
        assert!(matches!(
            accounts.revoke_token(&Context::cli(), 999).await,
            Err(AccountError::NoSuchToken(999))
        ));
        let audit = actions(&accounts).await;
        assert!(audit.contains(&"token-created".to_string()));
        assert!(audit.contains(&"token-revoked".to_string()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_enabled_admin_stays_an_admin() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let demote = accounts
            .set_role(&Context::cli(), ADMIN, Role::Viewer)
            .await;
        assert!(matches!(demote, Err(AccountError::LastAdmin)), "{demote:?}");
        let disable = accounts.set_enabled(&Context::cli(), ADMIN, false).await;
        assert!(
            matches!(disable, Err(AccountError::LastAdmin)),
            "{disable:?}"
        );
        accounts
            .add_user(
                &Context::cli(),
                "second.admin@example.org",
                "Second",
                Role::Admin,
                None,
            )
            .await
            .expect("added");
        let viewer = accounts
            .set_role(&Context::cli(), ADMIN, Role::Viewer)
            .await
            .expect("demoted");
        assert_eq!(viewer.role, Role::Viewer);
        let entry = &accounts
            .audit(&AuditFilter {
                action: Some("user-role-changed".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit")[0];
        assert_eq!(entry.detail, "role admin → viewer");
        assert_eq!(entry.actor, "cli");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_the_policy() {
    for scratch in engines().await {
        let accounts = accounts(&scratch).await;
        let policy = accounts.policy().await.expect("policy");
        assert!(policy.anonymous_read && !policy.self_approval);
        let closed = accounts
            .set_setting(&Context::cli(), "anonymous-read", false)
            .await
            .expect("set");
        assert!(!closed.allows(Principal::Anonymous, Permission::ReadCatalog));
        let open = accounts
            .set_setting(&Context::cli(), "anonymous-read", true)
            .await
            .expect("set");
        assert!(open.anonymous_read);
        let unknown = accounts
            .set_setting(&Context::cli(), "root-for-all", true)
            .await;
        assert!(
            matches!(unknown, Err(AccountError::BadValue(_))),
            "{unknown:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_append_only_filterable_and_exports_safely() {
    for scratch in engines().await {
        let accounts = with_admin(&scratch).await;
        let context = Context {
            actor: ADMIN.to_string(),
            request_id: "req-9".to_string(),
            address: "10.0.0.9".to_string(),
        };
        accounts
            .record(
                &context,
                "catalog-exported",
                "export:xlsx",
                "=HYPERLINK(\"x\")",
            )
            .await
            .expect("recorded");

        // The database itself refuses to change or remove entries.
        let pool = accounts.db().pool();
        let update = sqlx::query("UPDATE audit_log SET actor = 'someone'")
            .execute(pool)
            .await;
        assert!(update.is_err(), "an update went through");
        let delete = sqlx::query("DELETE FROM audit_log").execute(pool).await;
        assert!(delete.is_err(), "a delete went through");
        assert!(
            accounts
                .audit(&AuditFilter::default())
                .await
                .expect("audit")
                .len()
                >= 4
        );

        let exported = accounts
            .audit(&AuditFilter {
                actor: Some(ADMIN.to_string()),
                object: Some("export:".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(exported.len(), 1);
        assert_eq!(exported[0].request_id, "req-9");
        // `%` is a character, not a pattern.
        let none = accounts
            .audit(&AuditFilter {
                object: Some("%".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert!(none.is_empty());
        // Times compare as times, whatever their offset or precision.
        let now = time_now();
        let since = |text: &str| AuditFilter {
            since: Some(text.to_string()),
            ..AuditFilter::default()
        };
        let all = accounts
            .audit(&AuditFilter::default())
            .await
            .expect("audit")
            .len();
        let this_minute = format!("{}Z", &now[..16]);
        assert_eq!(
            accounts
                .audit(&since(&format!("{}:00", this_minute.trim_end_matches('Z'))))
                .await
                .map_err(|e| e.to_string())
                .err(),
            Some(format!(
                "--since takes a date (2026-12-01) or a time (2026-12-01T09:30:00Z, or with an offset such as +01:00), not `{}:00`",
                &now[..16]
            ))
        );
        let minute_start = format!("{}:00Z", &now[..16]);
        assert!(
            !accounts
                .audit(&since(&minute_start))
                .await
                .expect("audit")
                .is_empty()
        );
        let an_hour_ahead_offset = format!("{}:00+01:00", &now[..16]);
        assert_eq!(
            accounts
                .audit(&since(&an_hour_ahead_offset))
                .await
                .expect("audit")
                .len(),
            all
        );
        assert!(matches!(
            accounts.audit(&since("2026-13-45")).await,
            Err(AccountError::BadValue(_))
        ));
        let none = AuditFilter {
            limit: Some(0),
            ..AuditFilter::default()
        };
        assert!(accounts.audit(&none).await.expect("audit").is_empty());
        let future = accounts
            .audit(&AuditFilter {
                since: Some("2999-01-01".to_string()),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert!(future.is_empty());

        let csv = to_csv(&exported).expect("csv");
        assert!(
            csv.starts_with("id,at,actor,action,object,request_id,address,detail\n"),
            "{csv}"
        );
        assert!(csv.contains("'=HYPERLINK"), "a formula is defused: {csv}");
    }
}
