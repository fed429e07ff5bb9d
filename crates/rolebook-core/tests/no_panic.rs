//! The loader never panics, whatever bytes a catalog file holds: arbitrary
//! text, and valid files with bytes cut, repeated or replaced.

use proptest::prelude::*;
use rolebook_core::{SourceFile, Sources, builtin, diagnostic, lint, load};

/// The smallest real catalog to mutate: the framework and one role.
fn base_files() -> Vec<(String, String)> {
    let sources = builtin::sources();
    sources
        .files()
        .iter()
        .filter(|f| {
            f.path == "framework.toml"
                || f.path == "skills/common.toml"
                || f.path == "kpis/common.toml"
        })
        .map(|f| (f.path.clone(), f.text.to_string()))
        .collect()
}

fn check(files: Vec<(String, String)>) {
    let loaded = load(Sources::new(
        files.into_iter().map(|(p, t)| SourceFile::new(p, t)),
    ));
    // Rendering and locating must not panic either.
    let _ = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
    for d in &loaded.diagnostics {
        let _ = d.to_report(&loaded.sources);
    }
    if let Some(catalog) = &loaded.catalog {
        let _ = lint::lint(catalog, &loaded.sources);
    }
}

const ROLE: &str = include_str!("../../../testdata/catalogs/valid/minimal/roles/sre-manager.toml");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text_as_a_role_file(text in "\\PC*") {
        let mut files = base_files();
        files.push(("roles/x.toml".into(), text));
        check(files);
    }

    #[test]
    fn toml_like_text_as_a_role_file(text in "([a-z_]{1,8} = (\"[^\"\n]{0,12}\"|[0-9]{1,3}|\\[[0-9, \"a-z]{0,10}\\]|\\{ ?[a-z]+ = \"[a-z-]*\" ?\\})\n|\\[\\[?[a-z.]{1,12}\\]\\]?\n){0,30}") {
        let mut files = base_files();
        files.push(("roles/x.toml".into(), text));
        check(files);
    }

    #[test]
    fn mutated_valid_role(cut in 0usize..2000, len in 0usize..40, insert in "\\PC{0,8}") {
        let mut text = ROLE.to_string();
        let mut start = cut.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        text.replace_range(start..end, &insert);
        let mut files = base_files();
        files.push(("roles/sre-manager.toml".into(), text));
        check(files);
    }

    #[test]
    fn mutated_framework(cut in 0usize..8000, len in 0usize..60, insert in "\\PC{0,8}") {
        let mut files = base_files();
        let framework = &mut files[0].1;
        let mut start = cut.min(framework.len());
        while !framework.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(framework.len());
        while !framework.is_char_boundary(end) { end -= 1; }
        framework.replace_range(start..end, &insert);
        files.push(("roles/sre-manager.toml".into(), ROLE.to_string()));
        check(files);
    }
}
