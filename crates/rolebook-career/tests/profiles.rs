//! Every profile under testdata/profiles against the built-in catalog: the
//! example is valid, and each invalid one produces exactly the diagnostics
//! in its snapshot.

use std::fs;
use std::path::Path;

use rolebook_career::{Career, parse_profile};
use rolebook_core::{Catalog, builtin, diagnostic, load};

fn builtin_catalog() -> Catalog {
    load(builtin::sources())
        .catalog
        .expect("the built-in catalog is valid")
}

fn profiles_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/profiles")
}

#[test]
fn the_example_profile_is_valid_and_assessable() {
    let catalog = builtin_catalog();
    let text = fs::read_to_string(profiles_dir().join("example.toml")).expect("example exists");
    let parsed = parse_profile("example.toml", &text, &catalog);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let profile = parsed.profile.expect("valid");
    assert_eq!(profile.current_role.as_deref(), Some("sre-manager"));
    let career = Career::new(&catalog);
    let target = catalog.find_role("SRE Director").expect("role");
    let report = career.assess(&profile, target);
    assert!(report.readiness.score > 0.0 && report.readiness.score < 1.0);
    assert_eq!(
        report.gap,
        report
            .skills
            .iter()
            .map(|s| s.weighted_shortfall)
            .sum::<u32>()
    );
    // The profile round-trips through its own serialisation.
    let again = parse_profile("again.toml", &profile.to_toml(), &catalog);
    assert_eq!(again.profile.as_ref(), Some(&profile));
}

#[test]
fn invalid_profiles_report_located_diagnostics() {
    let catalog = builtin_catalog();
    let dir = profiles_dir().join("invalid");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("invalid profiles exist")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 4, "expected the invalid fixtures");
    for path in files {
        let name = path
            .file_stem()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let text = fs::read_to_string(&path).expect("readable");
        let shown = format!("invalid/{name}.toml");
        let parsed = parse_profile(&shown, &text, &catalog);
        assert!(parsed.profile.is_none(), "{name} should be rejected");
        for d in &parsed.diagnostics {
            assert!(d.file.is_some(), "{name}: unlocated {d:?}");
            assert!(d.hint.is_some(), "{name}: no hint in {d:?}");
        }
        let rendered = diagnostic::render(&parsed.sources, &parsed.diagnostics, false);
        insta::assert_snapshot!(name, rendered);
    }
}
