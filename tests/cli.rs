//! End-to-end tests of the `rolebook` binary: real arguments, real output,
//! real exit codes.

mod common;

use std::path::Path;

use common::{names, rolebook, stderr, stdout, testdata};

#[test]
fn the_built_in_catalog_validates() {
    let output = rolebook().arg("validate").output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("built-in catalog is valid: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_built_in_catalog_passes_strict_lint() {
    let output = rolebook()
        .args(["lint", "--strict"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn show_finds_a_role_by_title_and_prints_every_section() {
    let output = rolebook()
        .args(["show", "sre manager"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for heading in [
        "SRE MANAGER",
        "SUMMARY",
        "SCOPE",
        "RESPONSIBILITIES",
        "DECISION RIGHTS",
        "SKILLS",
        "KPIS",
        "CAREER PATH",
        "QUALIFICATIONS",
        "WHAT SUCCESS LOOKS LIKE",
        "HIRING SIGNALS",
        "COMMON FAILURE MODES",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
}

#[test]
fn show_finds_a_role_by_alias_in_markdown_and_json() {
    let output = rolebook()
        .args([
            "show",
            "Site Reliability Engineering Manager",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("# SRE Manager\n"));

    let output = rolebook()
        .args(["show", "CTO", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["id"], "chief-technology-officer");
    assert!(json["kpis"].as_array().is_some_and(|k| k.len() >= 6));
}

#[test]
fn show_of_an_unknown_role_fails_with_suggestions() {
    let output = rolebook()
        .args(["show", "SRE Manger"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("no role matches `SRE Manger`; did you mean SRE Manager (sre-manager)"),
        "{err}"
    );
}

#[test]
fn list_filters_and_speaks_csv_and_json() {
    let output = rolebook()
        .args(["list", "--family", "reliability", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let csv = stdout(&output);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,title,family,level,rank");
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("vp-of-site-reliability-engineering,"),
        "most senior first: {csv}"
    );

    let output = rolebook()
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(29));

    let output = rolebook()
        .args(["list", "--level", "general"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown level `general`"));
}

#[test]
fn validate_reports_located_errors_and_exits_1() {
    let output = rolebook()
        .arg("validate")
        .arg(testdata("invalid/references"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error[unknown-skill]: unknown skill `slo-engineerng`"),
        "{err}"
    );
    assert!(err.contains("roles/sre-manager.toml:18:9"), "{err}");
    assert!(
        err.contains("hint: did you mean `slo-engineering`?"),
        "{err}"
    );
    assert!(err.contains("is invalid: 5 errors, 0 warnings"), "{err}");
    assert!(!err.contains('\u{1b}'), "no colour when not on a terminal");
}

#[test]
fn validate_json_is_machine_readable() {
    let output = rolebook()
        .args(["validate", "--format", "json"])
        .arg(testdata("invalid/keys-and-types"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let first = &json[0];
    assert_eq!(first["code"], "unknown-key");
    assert_eq!(first["location"]["file"], "kpis.toml");
    assert_eq!(first["location"]["line"], 9);
    assert_eq!(first["location"]["column"], 1);
    assert_eq!(first["location"]["snippet"], "owner = \"sre\"");
}

#[test]
fn colour_is_opt_in_and_no_color_wins_over_auto() {
    let output = rolebook()
        .args(["--color", "always", "validate"])
        .arg(testdata("invalid/references"))
        .output()
        .expect("runs");
    assert!(stderr(&output).contains('\u{1b}'), "--color always colours");

    let output = rolebook()
        .env("NO_COLOR", "1")
        .arg("validate")
        .arg(testdata("invalid/references"))
        .output()
        .expect("runs");
    assert!(!stderr(&output).contains('\u{1b}'));
}

#[test]
fn catalog_env_var_selects_the_catalog() {
    let output = rolebook()
        .env("ROLEBOOK_CATALOG", testdata("valid/minimal"))
        .args(["list", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 3);
}

#[test]
fn commands_needing_a_valid_catalog_refuse_an_invalid_one() {
    let output = rolebook()
        .arg("--catalog")
        .arg(testdata("invalid/scales"))
        .arg("list")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("has 6 errors; run `rolebook validate` for details"));
}

#[test]
fn missing_catalog_directory_is_an_error_not_a_panic() {
    let output = rolebook()
        .args(["validate", "/nonexistent/catalog"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("does not exist"));
}

#[test]
fn init_writes_a_catalog_that_validates_and_refuses_to_overwrite() {
    let temp = tempfile::tempdir().expect("temp dir");
    let target = temp.path().join("our-catalog");
    let output = rolebook().arg("init").arg(&target).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(target.join("framework.toml").is_file());
    assert!(target.join("roles/sre-manager.toml").is_file());

    let output = rolebook()
        .arg("validate")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let output = rolebook().arg("init").arg(&target).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already exists"));
    // Nothing is left behind by either run.
    let leftovers: Vec<String> = names(temp.path())
        .into_iter()
        .filter(|name| name.starts_with(".rolebook-init-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn schema_matches_the_committed_copy() {
    let output = rolebook().arg("schema").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let printed = stdout(&output);
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&committed_path, &printed).expect("writable docs");
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == printed,
        "docs/catalog.schema.json is out of date; run `UPDATE_SCHEMA=1 cargo test --test cli schema` and commit it"
    );
}

#[test]
fn completions_are_generated() {
    let output = rolebook()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("rolebook"));
}

#[test]
fn show_output_is_pinned_by_snapshots() {
    for (role, format) in [
        ("sre-manager", "text"),
        ("chief-technology-officer", "markdown"),
    ] {
        let output = rolebook()
            .args(["show", role, "--format", format])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        insta::assert_snapshot!(format!("show-{role}-{format}"), stdout(&output));
    }
}

#[test]
fn validate_output_is_pinned_by_a_snapshot() {
    let output = rolebook()
        .args(["validate", "testdata/catalogs/invalid/references"])
        .output()
        .expect("runs");
    insta::assert_snapshot!("validate-references", stderr(&output));
}
