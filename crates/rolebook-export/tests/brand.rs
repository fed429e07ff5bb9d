//! The organisation's brand in documents: its name in every footer, its
//! logo in the HTML (as a data: URI), the PDF and (PNG) the DOCX header.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;

use common::fixture;
use rolebook_core::{Catalog, LogoKind, Sources, load};
use rolebook_export::{RoleFormat, export_kpi, export_role, export_skill};

/// The export fixture with `organisation.toml` naming Acme Software and
/// `logo` (kind, testdata file) as its logo.
fn branded(logo: Option<(LogoKind, &str)>) -> Catalog {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let sources = Sources::from_dir(&testdata.join("catalogs/valid/export"))
        .expect("the export fixture is readable");
    let organisation =
        rolebook_core::SourceFile::new("organisation.toml", "name = \"Acme Software\"\n");
    let mut files = sources.files().to_vec();
    files.push(organisation);
    let mut sources = Sources::new(files);
    if let Some((kind, file)) = logo {
        let bytes = std::fs::read(testdata.join(file)).expect("logo");
        sources = sources.with_logo(kind, bytes);
    }
    let loaded = load(sources);
    loaded
        .catalog
        .unwrap_or_else(|| panic!("valid: {:?}", loaded.diagnostics))
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8")
}

fn zip_names(package: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(Cursor::new(package)).expect("a ZIP package");
    archive
        .file_names()
        .filter(|n| !n.ends_with('/'))
        .map(str::to_string)
        .collect()
}

fn part(package: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).expect("a ZIP package");
    let mut file = archive.by_name(name).expect("part present");
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).expect("readable");
    bytes
}

#[test]
fn footers_name_the_organisation_when_it_has_a_name() {
    let catalog = branded(None);
    let role = &catalog.roles()[0];
    let html = text(export_role(&catalog, role, RoleFormat::Html).expect("html"));
    let expected = format!(
        "<footer>Acme Software · {} · last reviewed {}</footer>",
        role.title.as_str(),
        role.provenance.last_reviewed
    );
    assert!(html.contains(&expected), "{html}");
    assert!(!html.contains("rolebook blueprint"));
    let skill = &catalog.skills()[0];
    let html = text(export_skill(&catalog, skill, RoleFormat::Html).expect("html"));
    assert!(html.contains(&format!(
        "<footer>Acme Software · {} · skill</footer>",
        skill.name
    )));
    let kpi = &catalog.kpis()[0];
    let html = text(export_kpi(&catalog, kpi, RoleFormat::Html).expect("html"));
    assert!(html.contains("· KPI</footer>") && html.contains("<footer>Acme Software · "));

    // Without organisation.toml the footer is the framework's, as before.
    let plain = fixture();
    let html = text(export_role(&plain, &plain.roles()[0], RoleFormat::Html).expect("html"));
    assert!(
        html.contains("· rolebook blueprint, last reviewed"),
        "{html}"
    );
    assert!(!html.contains("class=\"logo\""));
}

#[test]
fn the_html_export_carries_the_logo_as_a_data_uri() {
    for (kind, file, prefix) in [
        (
            LogoKind::Png,
            "logos/acme.png",
            "data:image/png;base64,iVBORw0KGgo",
        ),
        (
            LogoKind::Svg,
            "logos/acme.svg",
            "data:image/svg+xml;base64,PHN2Zy",
        ),
    ] {
        let catalog = branded(Some((kind, file)));
        let html =
            text(export_role(&catalog, &catalog.roles()[0], RoleFormat::Html).expect("html"));
        assert!(
            html.contains(&format!("<img class=\"logo\" src=\"{prefix}")),
            "{kind:?}"
        );
    }
}

#[test]
fn a_png_logo_is_in_the_docx_header_and_the_bytes_stay_reproducible() {
    let catalog = branded(Some((LogoKind::Png, "logos/acme.png")));
    let role = &catalog.roles()[0];
    let docx = export_role(&catalog, role, RoleFormat::Docx).expect("docx");
    assert_eq!(
        docx,
        export_role(&catalog, role, RoleFormat::Docx).expect("docx")
    );
    let names = zip_names(&docx);
    let header = names
        .iter()
        .find(|n| n.starts_with("word/header"))
        .expect("a header part");
    let header = String::from_utf8(part(&docx, header)).expect("XML");
    assert!(header.contains("<pic:pic"), "{header}");
    let media: Vec<_> = names
        .iter()
        .filter(|n| n.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), 1, "{names:?}");
    let logo = catalog.logo().expect("logo").bytes();
    assert_eq!(part(&docx, media[0]), logo);

    // An SVG logo is left out of the DOCX; its footer still names the
    // organisation.
    let catalog = branded(Some((LogoKind::Svg, "logos/acme.svg")));
    let docx = export_role(&catalog, &catalog.roles()[0], RoleFormat::Docx).expect("docx");
    assert!(
        !zip_names(&docx)
            .iter()
            .any(|n| n.starts_with("word/media/"))
    );
}

#[cfg(feature = "pdf")]
#[test]
fn pdfs_typeset_with_either_logo() {
    let plain = branded(None);
    let without = export_role(&plain, &plain.roles()[0], RoleFormat::Pdf).expect("pdf");
    for (kind, file) in [
        (LogoKind::Png, "logos/acme.png"),
        (LogoKind::Svg, "logos/acme.svg"),
    ] {
        let catalog = branded(Some((kind, file)));
        let role = &catalog.roles()[0];
        let pdf = export_role(&catalog, role, RoleFormat::Pdf).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
        assert_ne!(pdf, without, "{kind:?}: the logo is drawn");
        let markup = rolebook_export::pdf::typst_markup(
            &rolebook_export::role_document(&catalog, role),
            "footer",
        );
        assert!(markup.contains("#image(bytes("), "{kind:?}");
    }
}
