//! End-to-end tests of `rolebook build`: the site appears whole in OUT, a
//! non-empty OUT is refused unless --force, --force swaps the new site in
//! and deletes the old one, a failure leaves nothing behind, and --roles
//! publishes the chosen roles (or says which names it does not know), and
//! the downloads are written (`--no-pdf`: all but PDFs; `--no-downloads`:
//! none), naming only the published roles.
//! Links and pages are checked in crates/rolebook-web/tests/site.rs.

mod common;

use std::fs;
use std::path::Path;

use common::{
    EXPORT_FIXTURE as FIXTURE, failure, names, ok_with_stderr, rolebook, run, unzip_text,
};

fn build(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--catalog",
        FIXTURE,
        "build",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn build_writes_the_site_and_reports_pages_per_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public").join("site");
    let output = build(&out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "people-facing progress goes to stderr"
    );
    assert!(stderr.contains("wrote "), "{stderr}");
    assert!(stderr.contains(" pages/s, "), "{stderr}");
    assert!(stderr.contains(" files/s)"), "{stderr}");
    assert!(stderr.contains(" downloads and "), "{stderr}");
    assert_eq!(
        names(&out),
        [
            "career",
            "compare",
            "downloads",
            "index.html",
            "kpis",
            "roles",
            "search",
            "skills",
            "static"
        ]
    );
    let role = fs::read_to_string(out.join("roles/sre-manager.html")).expect("role page");
    assert!(role.contains("<h1 id=\"role-title\">SRE Manager</h1>"));
    // Every format by default, PDF included.
    assert!(role.contains("href=\"../downloads/roles/sre-manager.pdf\" download"));
    let pdf = fs::read(out.join("downloads/roles/sre-manager.pdf")).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(role.contains("href=\"../static/app.css\""));
    // The footer names the catalog directory, not where it lives.
    assert!(
        role.contains("<span class=\"mono\">export</span>"),
        "{role}"
    );
    // Nothing is left beside the site.
    assert_eq!(names(&dir.path().join("public")), ["site"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o755, "a site is readable by a web server");
    }
}

#[test]
fn build_fills_an_empty_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    // `--catalog .` still names the catalog by its directory.
    let output = rolebook()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .args([
            "--catalog",
            ".",
            "build",
            dir.path().to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let home = fs::read_to_string(dir.path().join("index.html")).expect("home page");
    assert!(
        home.contains("<span class=\"mono\">export</span>"),
        "{home}"
    );
}

#[test]
fn a_non_empty_directory_is_refused_without_force_and_replaced_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("notes.txt"), "keep me").expect("seed");

    let output = build(&out, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(names(&out), ["notes.txt"], "nothing was touched");
    assert_eq!(names(dir.path()), ["site"], "no staging directory is left");

    let output = build(&out, &["--force"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.join("index.html").is_file());
    assert!(!out.join("notes.txt").exists(), "the old contents are gone");
    assert_eq!(names(dir.path()), ["site"], "the old site is deleted");

    // Building again over a site works the same way.
    let output = build(&out, &["--force"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(names(dir.path()), ["site"]);
}

#[test]
fn force_never_deletes_the_catalog_or_the_current_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    fs::create_dir(&catalog).expect("mkdir");
    for file in ["framework.toml", "skills.toml", "kpis.toml"] {
        fs::copy(Path::new(FIXTURE).join(file), catalog.join(file)).expect("copy");
    }
    fs::create_dir(catalog.join("roles")).expect("mkdir");
    for file in ["sre-manager.toml", "sre-director.toml"] {
        fs::copy(
            Path::new(FIXTURE).join("roles").join(file),
            catalog.join("roles").join(file),
        )
        .expect("copy");
    }
    let output = run(&[
        "--catalog",
        catalog.to_str().expect("utf-8"),
        "build",
        dir.path().to_str().expect("utf-8"),
        "--force",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("holds the catalog being built"), "{stderr}");
    assert!(catalog.join("roles/sre-manager.toml").is_file());

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let output = rolebook()
        .current_dir(catalog.join("roles"))
        .args([
            "--catalog",
            fixture.to_str().expect("utf-8"),
            "build",
            "../..",
            "--force",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("holds the current directory"), "{stderr}");
    assert_eq!(names(dir.path()), ["catalog"]);
}

#[test]
fn bad_targets_and_invalid_catalogs_fail_before_writing_anything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("site.html");
    fs::write(&file, "x").expect("seed");
    let output = build(&file, &["--force"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a file"));

    let out = dir.path().join("site");
    let output = run(&[
        "--catalog",
        "testdata/catalogs/invalid/references",
        "build",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(names(dir.path()), ["site.html"]);
}

#[test]
fn roles_publishes_the_chosen_roles_and_unknown_names_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    let path = out.to_str().expect("utf-8");
    // Comma-separated and repeated, by id or title; the built-in catalog.
    let (_, stderr) = ok_with_stderr(&[
        "build",
        path,
        "--roles",
        "sre-manager,sre-director",
        "--roles",
        "Head of IT",
        "--no-pdf",
    ]);
    assert!(stderr.contains(" pages (3 of "), "{stderr}");
    assert_eq!(
        names(&out.join("roles")),
        [
            "head-of-it.html",
            "head-of-it.json",
            "sre-director.html",
            "sre-director.json",
            "sre-manager.html",
            "sre-manager.json"
        ]
    );
    let page = fs::read_to_string(out.join("roles/sre-director.html")).expect("page");
    // A move to a role left out is its title, not a link.
    assert!(page.contains("VP of Site Reliability Engineering"));
    assert!(!page.contains("vp-of-site-reliability-engineering.html"));

    // Unknown names: all of them, with the closest roles; exit 2 and
    // nothing written.
    let elsewhere = dir.path().join("other");
    let stderr = failure(&[
        "build",
        elsewhere.to_str().expect("utf-8"),
        "--roles",
        "sre-manger,head-of-it,payroll-clerk",
    ]);
    assert!(
        stderr.starts_with("error: 2 names match no role:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no role matches `sre-manger`; did you mean SRE Manager (sre-manager)?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no role matches `payroll-clerk`"),
        "{stderr}"
    );
    let stderr = failure(&[
        "build",
        elsewhere.to_str().expect("utf-8"),
        "--family",
        "enginering",
    ]);
    assert!(
        stderr.contains("unknown family `enginering`; known: "),
        "{stderr}"
    );
    assert_eq!(names(dir.path()), ["site"], "nothing else was written");
}

/// Issue 16: the site of a chosen role carries its documents and those of
/// the skills and KPIs it uses, naming no role left out; `--no-pdf` writes
/// and links no PDF, `--no-downloads` no download at all.
#[test]
fn downloads_name_only_published_roles_and_formats_left_out_are_not_linked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    let output = build(&out, &["--roles", "sre-manager", "--no-pdf"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(" (1 of 2 roles), "), "{stderr}");
    assert_eq!(
        names(&out.join("downloads/roles")),
        [
            "sre-manager.docx",
            "sre-manager.html",
            "sre-manager.json",
            "sre-manager.jsonld",
            "sre-manager.md"
        ]
    );
    // The skill both roles need lists only the published one, in Word
    // and in Markdown; the tables have no row of the other.
    let docx = unzip_text(
        &out.join("downloads/skills/slo-engineering.docx"),
        "word/document.xml",
    );
    assert!(docx.contains("SRE Manager"), "{docx}");
    assert!(!docx.contains("SRE Director"), "{docx}");
    let markdown =
        fs::read_to_string(out.join("downloads/skills/slo-engineering.md")).expect("markdown");
    assert!(!markdown.contains("SRE Director"), "{markdown}");
    let matrix =
        fs::read_to_string(out.join("downloads/catalog/skills-matrix.csv")).expect("table");
    assert!(matrix.contains("sre-manager"), "{matrix}");
    assert!(!matrix.contains("sre-director"), "{matrix}");
    for page in [
        "index.html",
        "roles/sre-manager.html",
        "skills/slo-engineering.html",
    ] {
        let html = fs::read_to_string(out.join(page)).expect(page);
        assert!(html.contains("downloads/"), "{page} offers downloads");
        assert!(!html.contains(".pdf\""), "{page} links a PDF");
    }

    let bare = dir.path().join("bare");
    let output = build(&bare, &["--no-downloads"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!bare.join("downloads").exists());
    let home = fs::read_to_string(bare.join("index.html")).expect("home");
    assert!(!home.contains("downloads/"), "{home}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(", 0 downloads and "), "{stderr}");

    let both = build(&dir.path().join("both"), &["--no-pdf", "--no-downloads"]);
    assert_eq!(both.status.code(), Some(2));
}
