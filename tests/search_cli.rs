//! End-to-end tests of `rolebook search` and `rolebook resolve` on the
//! built-in catalog: exact output pinned by insta snapshots, machine
//! formats checked for shape, batch files written atomically.

mod common;

use std::fs;
use std::process::Output;

use common::{failure, names, ok, run};
use serde_json::Value;

#[test]
fn search_text() {
    insta::assert_snapshot!(
        "search-error-budget",
        ok(&["search", "error", "budget", "--limit", "3"])
    );
    insta::assert_snapshot!(
        "search-typo-roles",
        ok(&["search", "reliabilty", "--kind", "role", "--limit", "2"])
    );
    insta::assert_snapshot!("search-no-results", ok(&["search", "zzzqqq"]));
}

#[test]
fn search_json() {
    let results: Value = serde_json::from_str(&ok(&[
        "search", "platf", "--format", "json", "--limit", "2",
    ]))
    .expect("valid JSON");
    assert_eq!(results["query"], "platf");
    assert_eq!(results["hits"][0]["id"], "vp-of-platform-engineering");
    assert_eq!(results["hits"].as_array().map(Vec::len), Some(2));
    assert!(results["total"].as_u64().unwrap_or(0) >= 2);
}

#[test]
fn resolve_text() {
    for (name, title) in [
        (
            "resolve-comma-senior-director",
            "Sr. Dir., Site Reliability",
        ),
        ("resolve-cdo", "CDO"),
        ("resolve-nearby", "Senior Director, Platform Engineering"),
        ("resolve-none", "Registered Nurse"),
        ("resolve-suffix", "SRE Manager, Payments"),
    ] {
        insta::assert_snapshot!(name, ok(&["resolve", title]));
    }
}

#[test]
fn resolve_json_and_csv() {
    let resolution: Value =
        serde_json::from_str(&ok(&["resolve", "VP - Infrastructure", "--format", "json"]))
            .expect("valid JSON");
    assert_eq!(resolution["status"], "match");
    assert_eq!(
        resolution["role"]["role"],
        "vp-of-infrastructure-engineering"
    );
    assert!(resolution["explanation"]["matched"].is_array());
    insta::assert_snapshot!(
        "resolve-one-csv",
        ok(&["resolve", "Head of \"Data\", AI", "--format", "csv"])
    );
}

#[test]
fn resolve_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("titles.csv");
    fs::write(
        &input,
        "employee,title\nA. Lovelace,CTO\nG. Hopper,\"Director, Site Reliability\"\nK. Johnson,CDO\nM. Hamilton,Registered Nurse\nL. Torvalds,\n",
    )
    .expect("written");
    let input = input.to_string_lossy().into_owned();
    insta::assert_snapshot!("resolve-file-csv", ok(&["resolve", "--csv", &input]));
    let lines = ok(&["resolve", "--csv", &input, "--format", "json"]);
    assert_eq!(lines.lines().count(), 5);
    for line in lines.lines() {
        let row: Value = serde_json::from_str(line).expect("one JSON object per line");
        assert!(row["fields"]["employee"].is_string());
    }

    // --output: the file appears whole; the summary goes to stderr.
    let target = dir.path().join("out").join("resolved.csv");
    fs::create_dir_all(target.parent().expect("a parent")).expect("created");
    let output = run(&["resolve", "--csv", &input, "-o", &target.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.starts_with("resolved 5 titles in ")
            && summary.contains(
                ": 2 to a role, 1 ambiguous, 2 with no confident match (1 empty); wrote "
            ),
        "{summary}"
    );
    assert_eq!(
        fs::read_to_string(&target).expect("written"),
        ok(&["resolve", "--csv", &input])
    );
}

#[test]
fn a_failed_batch_leaves_no_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("bad.csv");
    fs::write(&input, "title,n\nCTO,1\nCIO,2,extra\n").expect("written");
    let target = dir.path().join("resolved.csv");
    let stderr = failure(&[
        "resolve",
        "--csv",
        &input.to_string_lossy(),
        "--output",
        &target.to_string_lossy(),
    ]);
    assert!(
        stderr.contains("line 3: 3 fields, but the header has 2"),
        "{stderr}"
    );
    assert!(!target.exists());
    assert_eq!(names(dir.path()), ["bad.csv"], "only the input is left");
}

#[test]
fn bad_input_fails_with_a_message() {
    insta::assert_snapshot!("resolve-empty-title", failure(&["resolve", "  "]));
    insta::assert_snapshot!("search-empty-query", failure(&["search", "\"\""]));
    insta::assert_snapshot!(
        "resolve-missing-file",
        failure(&["resolve", "--csv", "no/such/file.csv"])
    );
    insta::assert_snapshot!(
        "resolve-text-for-a-file",
        failure(&[
            "resolve",
            "--csv",
            "testdata/titles/eval.csv",
            "--format",
            "text"
        ])
    );
    insta::assert_snapshot!(
        "resolve-missing-column",
        failure(&[
            "resolve",
            "--csv",
            "testdata/titles/eval.csv",
            "--column",
            "job"
        ])
    );
}

/// `rolebook search` with its cache in `cache`.
fn search_with_cache(cache: &std::path::Path, extra: &[(&str, &str)]) -> Output {
    let mut command = common::rolebook();
    command
        .env("XDG_CACHE_HOME", cache)
        .args(["search", "--format", "json", "error budget"]);
    for (name, value) in extra {
        command.env(name, value);
    }
    command.output().expect("runs")
}

fn kept_indexes(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache.join("rolebook")) else {
        return Vec::new();
    };
    entries.flatten().map(|e| e.path()).collect()
}

#[test]
fn the_builtin_index_is_kept_and_answers_the_same() {
    let cache = tempfile::tempdir().expect("temporary directory");
    let first = search_with_cache(cache.path(), &[]);
    assert!(first.status.success(), "{first:?}");
    let kept = kept_indexes(cache.path());
    assert_eq!(kept.len(), 1, "one index kept: {kept:?}");
    let written = std::fs::read(&kept[0]).expect("readable");

    let second = search_with_cache(cache.path(), &[]);
    assert_eq!(second.stdout, first.stdout);

    // A damaged index is not read: it is built again and replaced.
    let mut damaged = written.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    std::fs::write(&kept[0], &damaged).expect("writable");
    let third = search_with_cache(cache.path(), &[]);
    assert_eq!(third.stdout, first.stdout);
    let replaced = std::fs::read(&kept[0]).expect("readable");
    // Built again: another index with the same answers (segment ids are
    // random, so not the same bytes).
    assert!(replaced != damaged, "the damaged index was kept");
    assert_eq!(replaced.len(), written.len());

    // A cut one too.
    std::fs::write(&kept[0], &written[..middle]).expect("writable");
    let fourth = search_with_cache(cache.path(), &[]);
    assert_eq!(fourth.stdout, first.stdout);
    assert_eq!(kept_indexes(cache.path()).len(), 1);
}

#[test]
fn nothing_is_kept_when_asked_not_to_or_for_a_catalog_of_ones_own() {
    let cache = tempfile::tempdir().expect("temporary directory");
    let off = search_with_cache(cache.path(), &[("ROLEBOOK_NO_CACHE", "1")]);
    assert!(off.status.success());
    assert!(kept_indexes(cache.path()).is_empty());

    let own = common::rolebook()
        .env("XDG_CACHE_HOME", cache.path())
        .args([
            "--catalog",
            "catalog",
            "search",
            "--format",
            "json",
            "error budget",
        ])
        .output()
        .expect("runs");
    assert!(own.status.success());
    assert!(kept_indexes(cache.path()).is_empty());
    assert_eq!(own.stdout, off.stdout);
}

#[test]
fn a_cache_that_cannot_be_written_does_not_stop_a_search() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // A file where the cache directory would be.
    let blocked = dir.path().join("not-a-directory");
    std::fs::write(&blocked, "x").expect("writable");
    let output = search_with_cache(&blocked, &[]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let relative = search_with_cache(std::path::Path::new("relative/cache"), &[]);
    assert!(relative.status.success());
    assert!(
        !std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("relative")
            .exists()
    );
    assert_eq!(relative.stdout, output.stdout);
}
