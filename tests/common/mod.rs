//! Shared set-up for the CLI integration tests: the `rolebook` binary in a
//! known environment, and helpers that run it and check its exit code.

// Every test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A small valid catalog with every section filled in, for the export and
/// build tests (relative to the workspace root).
pub const EXPORT_FIXTURE: &str = "testdata/catalogs/valid/export";

/// The `rolebook` binary, run from the workspace root so that relative
/// `testdata/` paths work, with neither a catalog nor NO_COLOR inherited
/// from the environment running the tests.
pub fn rolebook() -> Command {
    let mut command = Command::cargo_bin("rolebook").expect("binary built");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ROLEBOOK_CATALOG")
        .env_remove("DATABASE_URL")
        .env_remove("NO_COLOR");
    command
}

/// A catalog under `testdata/catalogs`, as an absolute path.
pub fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/catalogs")
        .join(path)
}

pub fn run(args: &[&str]) -> Output {
    rolebook().args(args).output().expect("runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must succeed; returns its stdout and stderr.
pub fn ok_with_stderr(args: &[&str]) -> (String, String) {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    (stdout(&output), stderr(&output))
}

/// Runs a command that must succeed; returns its stdout.
pub fn ok(args: &[&str]) -> String {
    ok_with_stderr(args).0
}

/// Runs a command that must succeed and print JSON; returns it parsed.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

/// Runs a command that must fail with status 2 and print nothing on
/// stdout; returns its stderr.
pub fn failure(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(2), "{args:?} should fail with 2");
    assert!(output.stdout.is_empty(), "nothing on stdout when failing");
    stderr(&output)
}

/// The names in a directory, sorted: what a command left behind.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// One text entry of a ZIP package (a DOCX's `word/document.xml`).
pub fn unzip_text(path: &Path, entry: &str) -> String {
    use std::io::Read;
    let file = fs::File::open(path).expect("archive");
    let mut archive = zip::ZipArchive::new(file).expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name(entry)
        .expect("entry")
        .read_to_string(&mut text)
        .expect("utf-8 entry");
    text
}
