//! The command line against careless and hostile input: every reproduction
//! of the hardening issue that reaches the CLI, replayed so none comes
//! back. Odd files (FIFOs, links, device nodes) are made in temporary
//! directories, never at the machine's own paths.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::{names, rolebook, stderr, stdout};

/// The binary as a plain std command, for tests that need the child
/// process itself (closing its pipe, signalling it).
fn rolebook_std() -> StdCommand {
    let mut command = StdCommand::new(env!("CARGO_BIN_EXE_rolebook"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ROLEBOOK_CATALOG")
        .env_remove("NO_COLOR");
    command
}

fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A copy of the built-in catalog in `dir/c`.
fn catalog_in(dir: &Path) -> std::path::PathBuf {
    let catalog = dir.join("c");
    let output = rolebook().arg("init").arg(&catalog).output().expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    catalog
}

fn validate(catalog: &Path) -> std::process::Output {
    rolebook()
        .arg("--catalog")
        .arg(catalog)
        .arg("validate")
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs")
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    for args in [
        &["show", "cto", "--format", "markdown"][..],
        &["show", "cto", "--format", "json"],
        &["schema"],
        &["completions", "zsh"],
        &["list"],
        &["search", "error", "budget"],
        &["next", "sre-manager"],
        &["export", "--all", "--format", "csv", "--table", "skills"],
    ] {
        let mut child = rolebook_std()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        // Close the reading end before the command writes anything.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("waits");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    let output = rolebook_std()
        .args(["show", "cto"])
        .stdout(fs::File::create("/dev/full").expect("/dev/full"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("No space left on device"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn special_files_in_a_catalog_are_located_errors_not_hangs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_in(dir.path());
    mkfifo(&catalog.join("roles/waiting.toml"));
    symlink("/dev/zero", catalog.join("kpis/endless.toml")).expect("link");
    let output = validate(&catalog);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("error[not-a-file]: `kpis/endless.toml` is a device"),
        "{message}"
    );
    assert!(
        message.contains("error[not-a-file]: `roles/waiting.toml` is a named pipe (FIFO)"),
        "{message}"
    );
    assert!(message.contains("c/roles/waiting.toml:1:1"), "{message}");
}

#[test]
fn symlinked_directories_load_and_editor_files_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_in(dir.path());
    fs::rename(catalog.join("roles"), dir.path().join("shared-roles")).expect("move");
    symlink("../shared-roles", catalog.join("roles")).expect("link");
    // An editor's lock file is a dangling link; swap files and backups
    // hold anything.
    symlink(
        "someone@host.42:1700000000",
        catalog.join("roles/.#cto.toml"),
    )
    .expect("lock");
    fs::write(catalog.join("roles/.cto.toml.swp"), "\0\0 not toml [").expect("swap");
    fs::write(catalog.join("roles/cto.toml~"), "garbage = [").expect("backup");
    fs::write(catalog.join(".draft.toml"), "id = \"hidden\"").expect("hidden");
    let output = validate(&catalog);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is valid: 29 roles"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_dangling_catalog_file_and_bad_utf8_are_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_in(dir.path());
    symlink("gone.toml", catalog.join("roles/lost.toml")).expect("link");
    let role = catalog.join("roles/chief-technology-officer.toml");
    let mut bytes = fs::read(&role).expect("read");
    let at = bytes
        .windows(9)
        .position(|w| w == b"summary =")
        .expect("summary")
        + 11;
    bytes.insert(at, 0xff);
    fs::write(&role, bytes).expect("write");
    let message = stderr(&validate(&catalog));
    assert!(
        message.contains(
            "error[dangling-link]: `roles/lost.toml` is a link to a file that does not exist"
        ),
        "{message}"
    );
    assert!(
        message
            .contains("error[not-utf8]: `roles/chief-technology-officer.toml` is not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let output = rolebook()
        .args(["show", "\u{1b}]0;owned\u{7}\u{1b}[2J"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains('\u{1b}'), "{:?}", stderr(&output));
    let output = rolebook()
        .args(["resolve", "\u{1b}]0;owned\u{7} CTO"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(!stdout(&output).contains('\u{1b}'), "{:?}", stdout(&output));

    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalog_in(dir.path());
    let kpis = catalog.join("kpis/common.toml");
    let mut text = fs::read_to_string(&kpis).expect("read");
    text.push_str("# raw escape in a comment: \u{1b}[2J\n");
    fs::write(&kpis, text).expect("write");
    let output = validate(&catalog);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stderr(&output).contains('\u{1b}'), "{:?}", stderr(&output));
}

#[test]
fn profiles_are_bounded_and_checked_for_control_characters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = dir.path().join("hostile.toml");
    fs::write(
        &hostile,
        "name = \"Ada\\u001b]0;owned\\u0007\"\n[[skills]]\nskill = \"slo-engineering\"\nlevel = 3\n",
    )
    .expect("write");
    let output = rolebook()
        .arg("gap")
        .arg(&hostile)
        .args(["--target", "sre-director"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error[invalid-text]"),
        "{}",
        stderr(&output)
    );

    let many = dir.path().join("many.toml");
    let mut text = String::from("name = \"x\"\n");
    for i in 0..20_000 {
        text.push_str(&format!("[[skills]]\nskill = \"unknown-{i}\"\nlevel = 3\n"));
    }
    fs::write(&many, text).expect("write");
    let output = rolebook()
        .arg("gap")
        .arg(&many)
        .args(["--target", "cto"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.len() < 30_000, "{} bytes of errors", message.len());
    assert!(message.contains("too-many-errors"), "{message}");

    let endless = dir.path().join("endless.toml");
    symlink("/dev/zero", &endless).expect("link");
    let output = rolebook()
        .arg("gap")
        .arg(&endless)
        .args(["--target", "cto"])
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("larger than 1024 KiB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn output_files_are_written_through_links_and_special_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.csv");
    fs::write(&real, "old").expect("seed");
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.path().join("link.csv");
    symlink("real.csv", &link).expect("link");
    let output = rolebook()
        .args(["resolve", "--csv", "-", "-o"])
        .arg(&link)
        .write_stdin("title\nCTO\n")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&real)
            .expect("real")
            .contains("chief-technology-officer")
    );
    let mode = fs::metadata(&real).expect("real").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "permissions kept");
    assert_eq!(names(dir.path()), ["link.csv", "real.csv"]);

    // A FIFO's reader gets the output; the FIFO stays a FIFO.
    let fifo = dir.path().join("pipe.md");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).expect("read fifo"))
    };
    let output = rolebook()
        .args(["export", "cto", "--format", "md", "-o"])
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        reader
            .join()
            .expect("reader")
            .contains("Chief Technology Officer")
    );
    assert!(fs::metadata(&fifo).expect("fifo").file_type().is_fifo());

    // A device node (a copy of /dev/null, made here) is written to, not
    // replaced. Making one needs root; CI runs as root.
    let device = dir.path().join("null");
    let made = StdCommand::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let output = rolebook()
            .args(["graph", "sre-manager", "-o"])
            .arg(&device)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            fs::metadata(&device)
                .expect("device")
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn resolve_writes_a_single_title_to_the_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.txt");
    let output = rolebook()
        .args(["resolve", "SRE Manager", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert!(
        fs::read_to_string(&out)
            .expect("written")
            .contains("sre-manager")
    );
}

#[test]
fn an_interrupted_build_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let mut child = rolebook_std()
        .arg("build")
        .arg(&site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    // Wait until the staging directory holds part of a site.
    let deadline = Instant::now() + Duration::from_secs(30);
    let staging = loop {
        let staged = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".rolebook-build-"))
            });
        if let Some(staged) =
            staged.filter(|p| fs::read_dir(p).is_ok_and(|mut d| d.next().is_some()))
        {
            break staged;
        }
        assert!(
            child.try_wait().expect("status").is_none(),
            "build finished before it could be interrupted"
        );
        assert!(Instant::now() < deadline, "no staging directory appeared");
        std::thread::sleep(Duration::from_millis(2));
    };
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let status = child.wait().expect("waits");
    assert_eq!(status.code(), Some(130));
    assert!(!staging.exists(), "{} left behind", staging.display());
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn hostile_text_stays_text_in_markdown_and_spreadsheets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("me.toml");
    fs::write(
        &profile,
        "name = \"Eve\\n# Injected ![t](http://evil.example/t.png) <img src=x>\"\ncurrent_role = \"sre-manager\"\n[[skills]]\nskill = \"slo-engineering\"\nlevel = 3\n",
    )
    .expect("write");
    let output = rolebook()
        .arg("gap")
        .arg(&profile)
        .args(["--target", "sre-director", "--format", "markdown"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("Eve # Injected !\\[t\\](http://evil.example/t.png) \\<img src=x\\>"),
        "{report}"
    );
    assert!(
        !report.lines().any(|l| l.starts_with("# Injected")),
        "{report}"
    );

    let catalog = catalog_in(dir.path());
    let role = catalog.join("roles/sre-manager.toml");
    let text = fs::read_to_string(&role).expect("read");
    let text = text.replacen(
        "items = [\n",
        "items = [\n  \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Click\\\")\",\n",
        1,
    );
    fs::write(&role, text).expect("write");
    let output = rolebook()
        .arg("--catalog")
        .arg(&catalog)
        .args([
            "export",
            "--all",
            "--format",
            "csv",
            "--table",
            "responsibilities",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = stdout(&output);
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK(") && !csv.contains(",\"=HYPERLINK("),
        "{csv}"
    );
}

#[test]
fn csv_input_never_loses_or_merges_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("resolved.csv");
    let output = rolebook()
        .args(["resolve", "--csv", "-", "-o"])
        .arg(&out)
        .write_stdin("title\n\"unterminated\nSRE Manager\n")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("line 2: a quote opened here is never closed"),
        "{}",
        stderr(&output)
    );
    assert!(names(dir.path()).is_empty(), "no half-written file");

    let output = rolebook()
        .args(["resolve", "--csv", "-"])
        .write_stdin("title\nCTO\n\nCISO\n")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4, "header and three rows, the blank one kept");
    assert!(rows[2].starts_with(",,"), "{}", rows[2]);
}

#[test]
fn resolve_json_has_the_api_shape() {
    let output = rolebook()
        .args(["resolve", "Chief Technology Officer", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["role"]["role"], "chief-technology-officer");
    assert_eq!(json["role"]["href"], "/roles/chief-technology-officer");
    assert!(!stdout(&output).contains("role_id"));
}
