//! The profile parser (a person's assessed skills) on arbitrary text
//! against a small valid catalog.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rolebook_career::parse_profile;
use rolebook_core::{Catalog, SourceFile, Sources, diagnostic, load};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let sources = Sources::new([
        SourceFile::new(
            "framework.toml",
            include_str!("../../testdata/catalogs/valid/minimal/framework.toml"),
        ),
        SourceFile::new(
            "skills.toml",
            include_str!("../../testdata/catalogs/valid/minimal/skills.toml"),
        ),
        SourceFile::new(
            "kpis.toml",
            include_str!("../../testdata/catalogs/valid/minimal/kpis.toml"),
        ),
        SourceFile::new(
            "roles/sre-director.toml",
            include_str!("../../testdata/catalogs/valid/minimal/roles/sre-director.toml"),
        ),
        SourceFile::new(
            "roles/sre-manager.toml",
            include_str!("../../testdata/catalogs/valid/minimal/roles/sre-manager.toml"),
        ),
    ]);
    load(sources).catalog.expect("the minimal catalog is valid")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_profile("profile.toml", text, &CATALOG);
    assert!(
        parsed.error_count() <= diagnostic::MAX_REPORTED,
        "checking must stop at the cap"
    );
    let plain = diagnostic::render(&parsed.sources, &parsed.diagnostics, false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    if let Some(profile) = parsed.profile {
        // What was accepted can be written back and read again.
        let again = parse_profile("again.toml", &profile.to_toml(), &CATALOG);
        assert!(again.profile.is_some(), "{:?}", again.diagnostics);
    }
});
