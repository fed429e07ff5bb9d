//! Checks the built-in catalog once, at build time, and writes its snapshot
//! (`rolebook_core::snapshot`) for the binary to embed: a command that needs
//! the built-in catalog then reads it without parsing or checking the TOML
//! again. A built-in catalog with any diagnostic fails the build.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let sources = rolebook_core::builtin::sources();
    let snapshot = match rolebook_core::snapshot::write(&sources) {
        Ok(bytes) => bytes,
        Err(problem) => {
            let loaded = rolebook_core::load(sources);
            let mut report = String::new();
            for diagnostic in &loaded.diagnostics {
                report.push_str(&format!("\n  {diagnostic:?}"));
            }
            panic!("the built-in catalog (catalog/) is not clean: {problem}{report}");
        }
    };
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("builtin.snapshot"), snapshot).expect("OUT_DIR is writable");
}
