//! Text that follows the catalog, end to end: in a copy of the built-in
//! catalog, "Head of IT" is retitled and the SRE Manager's toil target
//! moves from 35% to 25%; no surface (show, every export format, the job
//! posting, the catalog tables, search, the static site) still shows the
//! old title or the old figure.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{ok, unzip_text};

const OLD_TITLE: &str = "Head of IT";
const NEW_TITLE: &str = "Director, IT Services";
/// The SRE Manager's old toil ceiling, as its target and the prose that
/// used to restate it wrote it. Other roles have 35% in targets of their
/// own ("portfolio median at or below 35%") and a DORA benchmark has "35%
/// medium", so the figure is looked for with its words, and only where the
/// SRE Manager's own text is.
const OLD_TOIL: &str = "toil at or below 35%";
const OLD_TOIL_RESTATED: &str = "toil is at or below 35%";
const NEW_TOIL: &str = "at or below 25%";

/// A tailored copy of the built-in catalog.
fn tailored(dir: &Path) -> PathBuf {
    let catalog = dir.join("catalog");
    ok(&["init", catalog.to_str().expect("utf-8 path")]);
    let head_of_it = catalog.join("roles/head-of-it.toml");
    let text = fs::read_to_string(&head_of_it).expect("head-of-it.toml");
    let old_title = format!("title = \"{OLD_TITLE}\"");
    assert!(text.contains(&old_title), "the built-in title changed");
    // A retitle: the new title, and the old one no longer an alias.
    let text = text
        .replace(&old_title, &format!("title = \"{NEW_TITLE}\""))
        .replace(&format!("\"{OLD_TITLE}\", "), "")
        .replace(&format!(", \"{OLD_TITLE}\""), "");
    fs::write(&head_of_it, text).expect("write");

    let sre_manager = catalog.join("roles/sre-manager.toml");
    let text = fs::read_to_string(&sre_manager).expect("sre-manager.toml");
    let old_target = "target = \"Team toil at or below 35%";
    assert!(
        text.contains(old_target),
        "the built-in toil target changed"
    );
    let text = text.replace(old_target, "target = \"Team toil at or below 25%");
    fs::write(&sre_manager, text).expect("write");
    catalog
}

/// Every place the old title (and, on the SRE Manager's own surfaces, the
/// old figure) still shows, as "what: context".
fn stale(what: &str, text: &str, sre_manager: bool) -> Vec<String> {
    let mut found = Vec::new();
    let lowercase = text.to_lowercase();
    for needle in [OLD_TITLE, OLD_TOIL, OLD_TOIL_RESTATED] {
        if needle != OLD_TITLE && !sre_manager {
            continue;
        }
        // Lowercasing keeps byte offsets here: the needles are ASCII and
        // the offsets are only used to cut out context.
        let haystack = if needle == OLD_TITLE {
            text
        } else {
            &lowercase
        };
        for (at, _) in haystack.match_indices(needle) {
            let Some(before) = text.get(..at) else {
                continue;
            };
            let context: String = before
                .chars()
                .rev()
                .take(60)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .chain(text[at..].chars().take(needle.len() + 60))
                .collect();
            found.push(format!("{what}: …{context}…"));
        }
    }
    found
}

#[test]
fn a_retitled_role_and_a_changed_target_show_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = tailored(dir.path());
    let catalog_arg = catalog.to_str().expect("utf-8 path");
    let with = |args: &[&str]| {
        let mut all = vec!["--catalog", catalog_arg];
        all.extend_from_slice(args);
        ok(&all)
    };
    let out = dir.path().join("out");
    fs::create_dir(&out).expect("out");
    let file = |name: &str| out.join(name).to_str().expect("utf-8 path").to_string();
    let mut problems = Vec::new();

    with(&["validate"]);
    for role in [
        "head-of-it",
        "sre-manager",
        "director-of-it-operations",
        "vp-of-it",
    ] {
        let own = role == "sre-manager";
        problems.extend(stale(&format!("show {role}"), &with(&["show", role]), own));
        for format in ["md", "html", "json", "jsonld"] {
            let text = with(&["export", role, "--format", format]);
            problems.extend(stale(&format!("export {role} {format}"), &text, own));
        }
        let docx = file(&format!("{role}.docx"));
        with(&["export", role, "--format", "docx", "-o", &docx]);
        let xml = unzip_text(Path::new(&docx), "word/document.xml");
        problems.extend(stale(&format!("export {role} docx"), &xml, own));
        let posting = with(&["jd", role, "--format", "md"]);
        problems.extend(stale(&format!("jd {role}"), &posting, own));
    }
    let head_of_it = with(&["show", "head-of-it"]);
    assert!(head_of_it.contains(NEW_TITLE), "{head_of_it}");
    let sre_manager = with(&["export", "sre-manager", "--format", "md"]);
    assert!(sre_manager.contains(NEW_TOIL), "the new target is shown");

    // PDF text, where poppler's pdftotext is installed (CI installs it).
    let pdf = file("head-of-it.pdf");
    with(&["export", "head-of-it", "--format", "pdf", "-o", &pdf]);
    if let Ok(output) = std::process::Command::new("pdftotext")
        .args([&pdf, "-"])
        .output()
    {
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("Director, IT"),
            "pdftotext read the PDF: {text}"
        );
        problems.extend(stale(
            "export head-of-it pdf",
            &text.replace('\n', " "),
            false,
        ));
    }

    // The catalog tables and search.
    let tables = file("tables");
    with(&["export", "--all", "--format", "csv", "-o", &tables]);
    for entry in fs::read_dir(&tables).expect("tables") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("csv");
        problems.extend(stale(&path.display().to_string(), &text, false));
    }
    let found = with(&["search", "IT services service desk", "--format", "json"]);
    problems.extend(stale("search", &found, false));

    // The static site: every page, index and search file.
    let site = file("site");
    with(&["build", &site]);
    let mut pending = vec![PathBuf::from(&site)];
    let mut pages = 0;
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(
                fs::read_dir(&path)
                    .expect("dir")
                    .map(|e| e.expect("entry").path()),
            );
            continue;
        }
        if let Ok(text) = fs::read_to_string(&path) {
            pages += 1;
            let own = path.ends_with("roles/sre-manager.html");
            problems.extend(stale(&path.display().to_string(), &text, own));
        }
    }
    assert!(pages > 40, "the site was written ({pages} text files)");

    assert!(
        problems.is_empty(),
        "{} stale mentions:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
