//! Who may do what: the one authorization table. Every route of the web
//! layer names the [`Permission`] it needs, and [`allows`] decides, so the
//! rules can be read in one place and tested as a matrix.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A user's role in the workspace, from least to most trusted; each role
/// may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the published catalog.
    Viewer,
    /// Also opens and edits change requests.
    Editor,
    /// Also reviews, approves and publishes them.
    Approver,
    /// Also manages users, settings and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Approver, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| {
                format!("`{text}` is not a role; roles are viewer, editor, approver and admin")
            })
    }
}

/// What an API token may be used for, at most: its owner's role bounds it
/// too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Reads only.
    Read,
    /// Reads and writes the catalog and change requests.
    Write,
    /// Everything its owner may do, administration included.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
            .ok_or_else(|| {
                format!("`{text}` is not a token scope; scopes are read, write and admin")
            })
    }
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    /// A signed-in user (a session, or the trusted proxy's header).
    User {
        id: i64,
        role: Role,
    },
    /// A script with an API token of `scope`, owned by a user of `role`.
    Token {
        user_id: i64,
        role: Role,
        scope: Scope,
    },
}

impl Principal {
    /// The user behind the request, if any.
    pub fn user_id(self) -> Option<i64> {
        match self {
            Principal::Anonymous => None,
            Principal::User { id, .. } => Some(id),
            Principal::Token { user_id, .. } => Some(user_id),
        }
    }
}

/// Something a request may need to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// The published catalog: pages, API, exports.
    ReadCatalog,
    /// Change requests, their edits, validation and diffs.
    ReadChangeRequests,
    /// Open change requests, save and drop edits, validate, withdraw.
    EditChangeRequests,
    /// Approve or reject a change request in review.
    Review,
    /// Publish an approved change request.
    Publish,
    /// Users, invitations and every user's tokens.
    ManageUsers,
    /// Workspace settings.
    ManageSettings,
    /// The audit log.
    ReadAudit,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::ReadCatalog,
        Permission::ReadChangeRequests,
        Permission::EditChangeRequests,
        Permission::Review,
        Permission::Publish,
        Permission::ManageUsers,
        Permission::ManageSettings,
        Permission::ReadAudit,
    ];

    /// The least role that has it, and the least token scope that may
    /// use it.
    pub fn needs(self) -> (Role, Scope) {
        match self {
            Permission::ReadCatalog => (Role::Viewer, Scope::Read),
            Permission::ReadChangeRequests => (Role::Editor, Scope::Read),
            Permission::EditChangeRequests => (Role::Editor, Scope::Write),
            Permission::Review | Permission::Publish => (Role::Approver, Scope::Write),
            Permission::ManageUsers | Permission::ManageSettings | Permission::ReadAudit => {
                (Role::Admin, Scope::Admin)
            }
        }
    }
}

/// The workspace settings that change who may do what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Whether visitors who have not signed in may read the published
    /// catalog (default yes: `serve` on a fresh clone shows it).
    pub anonymous_read: bool,
    /// Whether an approver may approve a change request they authored
    /// (default no: four eyes).
    pub self_approval: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            anonymous_read: true,
            self_approval: false,
        }
    }
}

impl Policy {
    /// Whether `principal` has `permission`.
    pub fn allows(&self, principal: Principal, permission: Permission) -> bool {
        let (role, scope) = permission.needs();
        match principal {
            Principal::Anonymous => permission == Permission::ReadCatalog && self.anonymous_read,
            Principal::User { role: held, .. } => held >= role,
            Principal::Token {
                role: held,
                scope: granted,
                ..
            } => held >= role && granted >= scope,
        }
    }

    /// Whether `principal` may approve a change request, given whether
    /// they had a hand in it (opened it, or saved or dropped one of its
    /// edits): [`Permission::Review`], and four eyes unless the workspace
    /// allows self-approval.
    pub fn may_approve(&self, principal: Principal, had_a_hand: bool) -> bool {
        self.allows(principal, Permission::Review) && (self.self_approval || !had_a_hand)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, spelled out: a change to a rule shows here.
    #[test]
    fn the_table() {
        let policy = Policy::default();
        let user = |role| Principal::User { id: 1, role };
        let token = |role, scope| Principal::Token {
            user_id: 1,
            role,
            scope,
        };
        let rows: Vec<(Principal, &str)> = vec![
            (Principal::Anonymous, "r......."),
            (user(Role::Viewer), "r......."),
            (user(Role::Editor), "rce....."),
            (user(Role::Approver), "rcevp..."),
            (user(Role::Admin), "rcevpusa"),
            (token(Role::Admin, Scope::Read), "rc......"),
            (token(Role::Admin, Scope::Write), "rcevp..."),
            (token(Role::Admin, Scope::Admin), "rcevpusa"),
            (token(Role::Editor, Scope::Admin), "rce....."),
            (token(Role::Viewer, Scope::Write), "r......."),
        ];
        let letters = ['r', 'c', 'e', 'v', 'p', 'u', 's', 'a'];
        for (principal, expected) in rows {
            let got: String = Permission::ALL
                .iter()
                .zip(letters)
                .map(|(p, letter)| {
                    if policy.allows(principal, *p) {
                        letter
                    } else {
                        '.'
                    }
                })
                .collect();
            assert_eq!(got, expected, "{principal:?}");
        }
        let closed = Policy {
            anonymous_read: false,
            ..Policy::default()
        };
        assert!(!closed.allows(Principal::Anonymous, Permission::ReadCatalog));
        assert!(closed.allows(user(Role::Viewer), Permission::ReadCatalog));
    }

    #[test]
    fn approvers_do_not_approve_their_own_change_requests_unless_allowed() {
        let me = Principal::User {
            id: 7,
            role: Role::Approver,
        };
        let policy = Policy::default();
        assert!(!policy.may_approve(me, true));
        assert!(policy.may_approve(me, false));
        let relaxed = Policy {
            self_approval: true,
            ..policy
        };
        assert!(relaxed.may_approve(me, true));
        let editor = Principal::User {
            id: 7,
            role: Role::Editor,
        };
        assert!(!relaxed.may_approve(editor, false));
    }

    #[test]
    fn roles_and_scopes_read_back() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
