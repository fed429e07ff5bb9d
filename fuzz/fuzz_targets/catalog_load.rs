//! The catalog loader on arbitrary bytes as a role file beside a small
//! valid catalog: reading (UTF-8, the text rule), TOML parsing with
//! recovery, validation and rendering of every diagnostic must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook_core::{SourceFile, Sources, diagnostic, load, read};

const FRAMEWORK: &str = include_str!("../../testdata/catalogs/valid/minimal/framework.toml");
const SKILLS: &str = include_str!("../../testdata/catalogs/valid/minimal/skills.toml");
const KPIS: &str = include_str!("../../testdata/catalogs/valid/minimal/kpis.toml");
const DIRECTOR: &str =
    include_str!("../../testdata/catalogs/valid/minimal/roles/sre-director.toml");

fuzz_target!(|data: &[u8]| {
    let role = read::source_from_bytes("roles/sre-manager.toml".to_string(), data.to_vec());
    let sources = Sources::new([
        SourceFile::new("framework.toml", FRAMEWORK),
        SourceFile::new("skills.toml", SKILLS),
        SourceFile::new("kpis.toml", KPIS),
        SourceFile::new("roles/sre-director.toml", DIRECTOR),
        role,
    ]);
    let loaded = load(sources);
    // Whatever the file held, no control character reaches a terminal.
    let plain = diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    for d in &loaded.diagnostics {
        let _ = d.to_report(&loaded.sources);
    }
});
