//! Checks the built-in catalog once, at build time, and writes its snapshot
//! (`rolebook_core::snapshot`) for the binary to embed: a command that needs
//! the built-in catalog then reads it without parsing or checking the TOML
//! again.
//!
//! A built-in catalog with diagnostics gets no snapshot (an empty file) and
//! a build warning that shows them: the binary still builds, loads the
//! catalog in full on every run, and `rolebook validate` reports the same
//! problems. A test fails while the snapshot is missing.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let sources = rolebook_core::builtin::sources();
    let snapshot = rolebook_core::snapshot::write(&sources).unwrap_or_else(|problem| {
        println!("cargo:warning=the built-in catalog (catalog/) is not clean, so it is not snapshotted: {problem}");
        let loaded = rolebook_core::load(sources);
        let report = rolebook_core::diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
        for line in report.lines() {
            println!("cargo:warning={line}");
        }
        Vec::new()
    });
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("builtin.snapshot"), snapshot).expect("OUT_DIR is writable");
}
