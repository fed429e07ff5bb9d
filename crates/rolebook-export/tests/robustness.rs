//! Exports against hostile and extreme catalog text, the reproductions of
//! the hardening issue that reach this crate: formulas in spreadsheet
//! cells, the longest text validation accepts, markup in Markdown.

mod common;

use std::path::Path;

use rolebook_core::text::MAX_TEXT_CHARS;
use rolebook_core::{Catalog, SourceFile, Sources, load};
use rolebook_export::tables::{CatalogTables, sheets, to_xlsx};
use rolebook_export::{RoleFormat, export_role};

/// The export fixture with `edit` applied to its SRE Manager file.
fn fixture_with(edit: impl Fn(&str) -> String) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/catalogs/valid/export");
    let sources = Sources::from_dir(&dir).expect("readable");
    let files = sources.files().iter().map(|file| {
        if file.path == "roles/sre-manager.toml" {
            SourceFile::new(file.path.clone(), edit(&file.text))
        } else {
            file.clone()
        }
    });
    let loaded = load(Sources::new(files));
    loaded.catalog.unwrap_or_else(|| {
        panic!("still valid: {:?}", loaded.diagnostics);
    })
}

#[test]
fn spreadsheet_cells_never_become_formulas() {
    let catalog = fixture_with(|text| {
        text.replacen(
            "items = [\n",
            "items = [\n  \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Click\\\")\",\n  \"@SUM(A1:A9)\",\n",
            1,
        )
    });
    let tables = CatalogTables::new(&catalog);
    let csv: String = sheets(&catalog, &tables)
        .iter()
        .map(|sheet| sheet.to_csv().expect("csv"))
        .collect();
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'@SUM(A1:A9)"), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '@']), "{line}");
        }
    }
}

#[test]
fn the_longest_text_validation_accepts_exports_to_every_format() {
    let long = "SLO ".repeat(MAX_TEXT_CHARS / 4);
    assert!(long.chars().count() <= MAX_TEXT_CHARS);
    let catalog = fixture_with(|text| {
        let start = text.find("summary = \"").expect("summary") + "summary = \"".len();
        let end = start + text[start..].find('"').expect("closing quote");
        format!("{}{long}{}", &text[..start], &text[end..])
    });
    let tables = CatalogTables::new(&catalog);
    to_xlsx(&catalog, &sheets(&catalog, &tables)).expect("a workbook");
    let role = catalog.role("sre-manager").expect("role");
    for format in [RoleFormat::Markdown, RoleFormat::Html, RoleFormat::Docx] {
        let bytes = export_role(&catalog, role, format).expect("exports");
        assert!(bytes.len() > MAX_TEXT_CHARS, "{format:?}");
    }
}

#[test]
fn markup_in_catalog_text_stays_text_in_markdown() {
    let catalog = fixture_with(|text| {
        text.replacen(
            "items = [\n",
            "items = [\n  \"# Heading ![pixel](http://evil.example/p.png) <script>x</script>\",\n",
            1,
        )
    });
    let role = catalog.role("sre-manager").expect("role");
    let markdown =
        String::from_utf8(export_role(&catalog, role, RoleFormat::Markdown).expect("md"))
            .expect("utf-8");
    assert!(
        markdown.contains("\\# Heading !\\[pixel\\](http://evil.example/p.png) \\<script\\>"),
        "{markdown}"
    );
    assert!(!markdown.contains("<script>"));
}
