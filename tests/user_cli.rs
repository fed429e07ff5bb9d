//! `rolebook user …` and `rolebook audit` end to end on a SQLite
//! workspace: the first admin from the command line with the password on
//! standard input, roles, disabling, the last admin kept, and the audit
//! log as a table, CSV and JSON. Every person here is made up.

mod common;

use common::{failure, ok, ok_with_stderr, rolebook};

const ADMIN: &str = "ana.admin@example.org";
const EDITOR: &str = "bo.editor@example.org";

/// Runs `args` with `password` on standard input; the output.
fn with_password(args: &[&str], password: &str) -> std::process::Output {
    rolebook()
        .args(args)
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("runs")
}

#[test]
fn users_are_managed_from_the_command_line_and_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("workspace.db");
    let db = database.to_str().expect("utf-8");

    // A mistyped path is an error, not a new workspace.
    let missing = failure(&["--database", db, "user", "list"]);
    assert!(missing.contains("there is no workspace at"), "{missing}");
    assert!(!database.exists());
    ok(&["--database", db, "workspace", "init"]);
    let empty = ok(&["--database", db, "user", "list"]);
    assert!(empty.contains("no users yet"), "{empty}");
    let bad_time = failure(&["--database", db, "audit", "--since", "yesterday"]);
    assert!(bad_time.contains("--since takes a date"), "{bad_time}");

    // The first admin; the password comes on standard input, never as an
    // argument.
    let added = with_password(
        &[
            "--database",
            db,
            "user",
            "add",
            ADMIN,
            "--role",
            "admin",
            "--name",
            "Ana Admin",
        ],
        "a long enough passphrase",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        String::from_utf8_lossy(&added.stderr).contains("added ana.admin@example.org as admin")
    );
    let weak = with_password(&["--database", db, "user", "add", EDITOR], "short");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 12 characters"));
    let none = with_password(&["--database", db, "user", "add", EDITOR], "");
    assert!(String::from_utf8_lossy(&none.stderr).contains("no password on standard input"));

    let (_, said) = ok_with_stderr(&[
        "--database",
        db,
        "user",
        "add",
        EDITOR,
        "--role",
        "editor",
        "--no-password",
    ]);
    assert!(said.contains("as editor"), "{said}");
    let list = ok(&["--database", db, "user", "list"]);
    assert!(
        list.contains("ana.admin@example.org                admin     enabled   Ana Admin"),
        "{list}"
    );
    let users: serde_json::Value =
        serde_json::from_str(&ok(&["--database", db, "user", "list", "--format", "json"]))
            .expect("json");
    assert_eq!(users[1]["email"], EDITOR);
    assert_eq!(users[1]["has_password"], false);
    assert!(
        users[0].get("password_hash").is_none(),
        "no hash is ever printed"
    );

    // The last admin keeps the role; a bad role is named.
    let last = failure(&["--database", db, "user", "set-role", ADMIN, "viewer"]);
    assert!(last.contains("at least one enabled admin"), "{last}");
    let bad = failure(&["--database", db, "user", "set-role", EDITOR, "root"]);
    assert!(
        bad.contains("roles are viewer, editor, approver and admin"),
        "{bad}"
    );
    let unknown = failure(&["--database", db, "user", "disable", "nobody@example.org"]);
    assert!(unknown.contains("no user nobody@example.org"), "{unknown}");

    ok(&["--database", db, "user", "set-role", EDITOR, "approver"]);
    ok(&["--database", db, "user", "disable", EDITOR]);
    let list = ok(&["--database", db, "user", "list"]);
    assert!(list.contains("approver  disabled"), "{list}");
    let reset = with_password(
        &["--database", db, "user", "reset-password", ADMIN],
        "another long passphrase",
    );
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );

    // An API token: printed once on stdout, listed without its secret,
    // revoked by id.
    let secret = ok(&[
        "--database",
        db,
        "token",
        "create",
        ADMIN,
        "--name",
        "nightly import",
        "--scope",
        "write",
    ]);
    assert!(secret.trim().starts_with("rbt_"), "{secret}");
    let tokens = ok(&["--database", db, "token", "list"]);
    assert!(tokens.contains("write  never used"), "{tokens}");
    assert!(tokens.contains("nightly import"), "{tokens}");
    assert!(
        !tokens.contains(secret.trim()),
        "the secret is never listed"
    );
    let bad_scope = failure(&[
        "--database",
        db,
        "token",
        "create",
        ADMIN,
        "--name",
        "x",
        "--scope",
        "root",
    ]);
    assert!(
        bad_scope.contains("scopes are read, write and admin"),
        "{bad_scope}"
    );
    let (_, said) = ok_with_stderr(&["--database", db, "token", "revoke", "1"]);
    assert!(said.contains("revoked token 1"), "{said}");
    assert!(ok(&["--database", db, "token", "list"]).contains("revoked"));

    // Everything above is in the audit log, newest first.
    let table = ok(&["--database", db, "audit"]);
    let actions: Vec<&str> = table
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    assert_eq!(
        actions,
        [
            "token-revoked",
            "token-created",
            "password-set",
            "user-disabled",
            "user-role-changed",
            "user-added",
            "user-added",
            "workspace-initialised"
        ]
    );
    assert!(table.contains("cli:"), "the CLI names its system user");
    let csv = ok(&[
        "--database",
        db,
        "audit",
        "--format",
        "csv",
        "--action",
        "user-role-changed",
    ]);
    assert!(
        csv.starts_with("id,at,actor,action,object,request_id,address,detail\n"),
        "{csv}"
    );
    assert!(csv.contains("role editor → approver"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "--database",
        db,
        "audit",
        "--format",
        "json",
        "--object",
        "ana.admin",
    ]))
    .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
}
