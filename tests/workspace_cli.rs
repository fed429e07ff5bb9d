//! `rolebook workspace …` end to end: the built-in catalog goes into a
//! workspace and comes back out byte for byte, a directory imports as a
//! change request that publishes only when valid, and `serve` on a fresh
//! directory creates its workspace there.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{failure, ok, ok_with_stderr, run, stderr};

/// Every file under `dir`, by path relative to it (with `/`).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                let name = relative.to_string_lossy().replace('\\', "/");
                out.insert(name, fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_built_in_catalog_round_trips_through_a_workspace_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("data/workspace.db");
    let database = database.to_str().expect("utf-8");
    let (_, said) = ok_with_stderr(&["--database", database, "workspace", "init"]);
    assert!(
        said.contains("version 1 from the built-in catalog"),
        "{said}"
    );
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8");
    ok(&["--database", database, "workspace", "export", out_arg]);
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    assert_eq!(files(&out), files(&catalog));
    let validated = ok_with_stderr(&["validate", out_arg]).1;
    assert!(validated.contains("is valid"), "{validated}");
    // A second init is refused: a workspace is seeded once.
    let again = failure(&["--database", database, "workspace", "init"]);
    assert!(again.contains("initialised once"), "{again}");
}

#[test]
fn an_imported_directory_publishes_only_when_it_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("workspace.db");
    let database = database.to_str().expect("utf-8");
    ok(&["--database", database, "workspace", "init", "-m", "Seed"]);
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8");
    ok(&["--database", database, "workspace", "export", out_arg]);

    // A retitled role publishes as version 2.
    let role = out.join("roles/sre-manager.toml");
    let text = fs::read_to_string(&role).expect("read");
    let retitled = text.replacen(
        "title = \"SRE Manager\"",
        "title = \"Reliability Team Lead\"",
        1,
    );
    assert_ne!(text, retitled);
    fs::write(&role, &retitled).expect("write");
    let (_, said) = ok_with_stderr(&[
        "--database",
        database,
        "workspace",
        "import",
        out_arg,
        "-m",
        "Retitle",
        "--publish",
    ]);
    assert!(said.contains("0 created, 1 updated, 0 deleted"), "{said}");
    assert!(said.contains("published version 2"), "{said}");
    let log = ok(&["--database", database, "workspace", "log"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("Retitle (change request #1)"), "{log}");
    assert!(lines[1].contains("Seed"), "{log}");

    // The role's history and what changed, as people read it and as JSON.
    let history = ok(&[
        "--database",
        database,
        "workspace",
        "history",
        "sre-manager",
    ]);
    assert_eq!(history.lines().count(), 2, "{history}");
    let diff = ok(&[
        "--database",
        database,
        "workspace",
        "diff",
        "role/sre-manager",
    ]);
    assert!(
        diff.contains("version 1 → 2")
            && diff.contains("Title changed: \"SRE Manager\" → \"Reliability Team Lead\""),
        "{diff}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "--database",
        database,
        "workspace",
        "diff",
        "sre-manager",
        "1",
        "2",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert_eq!(json["status"], "changed");
    assert_eq!(json["changes"]["changes"][0]["change"], "value");
    let unknown = failure(&["--database", database, "workspace", "diff", "widget/x"]);
    assert!(unknown.contains("not an entity kind"), "{unknown}");

    // A backup of the live workspace restores over an empty place.
    let backup = dir.path().join("backup.db");
    let backup_arg = backup.to_str().expect("utf-8");
    ok(&["--database", database, "workspace", "backup", backup_arg]);
    let elsewhere = dir.path().join("elsewhere.db");
    let elsewhere_arg = elsewhere.to_str().expect("utf-8");
    ok(&[
        "--database",
        elsewhere_arg,
        "workspace",
        "restore",
        backup_arg,
    ]);
    let restored = ok(&["--database", elsewhere_arg, "workspace", "status"]);
    assert!(restored.contains("latest version: 2"), "{restored}");

    // A broken reference: the change request stays a draft, with the
    // problem shown at its line.
    let broken = retitled.replacen(
        "skill = \"slo-engineering\"",
        "skill = \"slo-enginering\"",
        1,
    );
    fs::write(&role, &broken).expect("write");
    let output = run(&[
        "--database",
        database,
        "workspace",
        "import",
        out_arg,
        "-m",
        "Broken",
        "--publish",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains("roles/sre-manager.toml:"), "{said}");
    assert!(
        said.contains("slo-engineering"),
        "the hint names the skill: {said}"
    );
    assert!(said.contains("it stays a draft"), "{said}");
    let status = ok(&["--database", database, "workspace", "status"]);
    assert!(status.contains("latest version: 2"), "{status}");
    assert!(status.contains("#2 Broken [draft]"), "{status}");

    // Given --database, the read commands read the latest version; a
    // DATABASE_URL alone does not change what they print.
    let shown = ok(&["--database", database, "show", "sre-manager"]);
    assert!(shown.starts_with("RELIABILITY TEAM LEAD"), "{shown}");
    let output = common::rolebook()
        .env("DATABASE_URL", database)
        .args(["show", "sre-manager"])
        .output()
        .expect("runs");
    assert!(common::stdout(&output).starts_with("SRE MANAGER"));
    let site = dir.path().join("site");
    ok(&[
        "--database",
        database,
        "build",
        site.to_str().expect("utf-8"),
        "--roles",
        "sre-manager",
        "--no-downloads",
    ]);
    let page = fs::read_to_string(site.join("roles/sre-manager.html")).expect("page");
    assert!(page.contains("Reliability Team Lead"));
    assert!(page.contains("catalog: <span class=\"mono\">workspace</span>"));
    let missing = failure(&["--database", "no/such/workspace.db", "show", "cto"]);
    assert!(missing.contains("there is no workspace at"), "{missing}");

    // The latest version exports as it was published.
    let second = dir.path().join("second");
    ok(&[
        "--database",
        database,
        "workspace",
        "export",
        second.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        fs::read_to_string(second.join("roles/sre-manager.toml")).expect("read"),
        retitled
    );
}

#[test]
fn a_roll_back_restores_an_old_version_through_a_change_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("workspace.db");
    let db = database.to_str().expect("utf-8");
    ok(&["--database", db, "workspace", "init"]);
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8");
    ok(&["--database", db, "workspace", "export", out_arg]);
    let role = out.join("roles/sre-manager.toml");
    let original = fs::read_to_string(&role).expect("read");
    let retitled = original.replacen(
        "title = \"SRE Manager\"",
        "title = \"Reliability Team Lead\"",
        1,
    );
    fs::write(&role, &retitled).expect("write");
    ok(&[
        "--database",
        db,
        "workspace",
        "import",
        out_arg,
        "-m",
        "Retitle",
        "--publish",
    ]);

    // Back to version 1: a change request, published here at once.
    let (_, said) = ok_with_stderr(&[
        "--database",
        db,
        "workspace",
        "rollback",
        "1",
        "sre-manager",
        "--publish",
    ]);
    assert!(said.contains("0 created, 1 updated, 0 deleted"), "{said}");
    assert!(said.contains("published version 3"), "{said}");
    let log = ok(&["--database", db, "workspace", "log"]);
    assert!(
        log.contains("Roll role/sre-manager back to version 1"),
        "{log}"
    );
    let back = dir.path().join("back");
    ok(&[
        "--database",
        db,
        "workspace",
        "export",
        back.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        fs::read_to_string(back.join("roles/sre-manager.toml")).expect("read"),
        original
    );
    // Each change made from the command line is in the audit log.
    let audit = ok(&["--database", db, "audit", "--format", "csv"]);
    for action in [
        "workspace-initialised",
        "catalog-exported",
        "change-request-opened",
        "published",
    ] {
        assert!(audit.contains(action), "{action} in {audit}");
    }

    // An empty (or mistyped) directory is not a catalog to import, and a
    // change request needs a title.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    let empty_arg = empty.to_str().expect("utf-8");
    let refused = failure(&[
        "--database",
        db,
        "workspace",
        "import",
        empty_arg,
        "-m",
        "x",
    ]);
    assert!(refused.contains("holds no catalog"), "{refused}");
    let untitled = failure(&["--database", db, "workspace", "import", out_arg, "-m", " "]);
    assert!(untitled.contains("title"), "{untitled}");

    // Nothing left to roll back.
    let nothing = failure(&["--database", db, "workspace", "rollback", "1"]);
    assert!(nothing.contains("nothing to roll back"), "{nothing}");
}

#[test]
fn serve_creates_its_workspace_where_it_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = common::Served::start(&[], dir.path()).startup.clone();
    assert!(
        log.contains("created a workspace at rolebook-data/workspace.db from the built-in catalog"),
        "{log}"
    );
    assert!(
        log.contains("catalog=workspace (SQLite: rolebook-data/workspace.db)"),
        "{log}"
    );
    assert!(dir.path().join("rolebook-data/workspace.db").is_file());
}
