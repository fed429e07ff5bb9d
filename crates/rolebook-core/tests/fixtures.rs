//! Every catalog under testdata/catalogs: valid ones load with no error,
//! invalid ones produce exactly the diagnostics in their snapshot.

use std::fs;
use std::path::{Path, PathBuf};

use rolebook_core::{Sources, diagnostic, load};

fn catalogs(kind: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/catalogs")
        .join(kind);
    let mut dirs: Vec<(String, PathBuf)> = fs::read_dir(&root)
        .expect("testdata/catalogs exists")
        .map(|entry| {
            let path = entry.expect("readable testdata").path();
            let name = path
                .file_name()
                .expect("named")
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .collect();
    dirs.sort();
    dirs
}

fn sources(kind: &str, name: &str, dir: &Path) -> Sources {
    let mut sources = Sources::from_dir(dir).expect("fixture readable");
    // Show paths relative to testdata so snapshots do not depend on the checkout.
    sources.root = Some(PathBuf::from(format!("{kind}/{name}")));
    sources
}

#[test]
fn valid_catalogs_have_no_errors() {
    for (name, dir) in catalogs("valid") {
        let loaded = load(sources("valid", &name, &dir));
        let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
        assert!(
            loaded.catalog.is_some(),
            "{name} should be valid:\n{rendered}"
        );
        assert_eq!(loaded.error_count(), 0, "{name}:\n{rendered}");
    }
}

#[test]
fn invalid_catalogs_report_located_diagnostics() {
    let cases = catalogs("invalid");
    assert!(
        cases.len() >= 7,
        "expected the invalid fixtures, found {}",
        cases.len()
    );
    for (name, dir) in cases {
        let loaded = load(sources("invalid", &name, &dir));
        assert!(loaded.catalog.is_none(), "{name} should be invalid");
        assert!(loaded.error_count() > 0, "{name} should have errors");
        // Every diagnostic except catalog-wide ones points into a file, and
        // every error says how to fix it.
        for d in &loaded.diagnostics {
            assert!(
                d.file.is_some() || d.code == "missing-file",
                "{name}: unlocated {d:?}"
            );
            assert!(
                !d.is_error() || d.hint.is_some(),
                "{name}: error without a hint {d:?}"
            );
        }
        let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
        insta::assert_snapshot!(name, rendered);
    }
}

#[test]
fn lint_findings_are_located_explained_and_suppressible() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/lint/findings");
    let mut sources = Sources::from_dir(&dir).expect("fixture readable");
    sources.root = Some(PathBuf::from("lint/findings"));
    let loaded = load(sources);
    let catalog = loaded
        .catalog
        .as_ref()
        .expect("the lint fixture is a valid catalog");
    let findings = rolebook_core::lint::lint(catalog, &loaded.sources);
    let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    for expected in [
        "completeness",
        "responsibility-verb",
        "repeated-sentence",
        "inclusive-language",
    ] {
        assert!(
            codes.contains(&expected),
            "no {expected} finding in {codes:?}"
        );
    }
    // The allowed "master node" is suppressed; nothing else is.
    assert!(!findings.iter().any(|f| f.message.contains("master node")));
    insta::assert_snapshot!(
        "lint-findings",
        diagnostic::render(&loaded.sources, &findings, false)
    );
}
