//! DOCX, XLSX, CSV and PDF read back: the DOCX package unzipped and its
//! document.xml parsed, the workbook read with calamine, the PDF's text
//! extracted with pdftotext, and one DOCX and one XLSX converted by
//! LibreOffice to prove they open.

mod common;

use std::io::{Cursor, Read};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{builtin_catalog, fixture, run, tool};
use quick_xml::Reader as XmlReader;
use quick_xml::events::Event;
use rolebook_export::tables::{CatalogTables, sheets, to_xlsx};
use rolebook_export::{RoleFormat, export_kpi, export_role, export_skill};

fn part(package: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).expect("a ZIP package");
    let mut file = archive.by_name(name).expect("part present");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 XML");
    text
}

/// The paragraphs of a WordprocessingML part: (style, text of its runs,
/// field instructions), read with a real XML parser.
fn paragraphs(xml: &str) -> Vec<(String, String, String)> {
    let mut reader = XmlReader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    let (mut in_text, mut in_instr) = (false, false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"w:p" => {
                current = Some(Default::default());
            }
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                out.extend(current.take());
            }
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"w:pStyle" => {
                if let (Some(p), Some(attr)) = (
                    current.as_mut(),
                    e.try_get_attribute("w:val").expect("attribute"),
                ) {
                    p.0 = attr.unescape_value().expect("value").into_owned();
                }
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Start(e) if e.name().as_ref() == b"w:instrText" => in_instr = true,
            Event::End(e) if e.name().as_ref() == b"w:instrText" => in_instr = false,
            Event::Text(t) => {
                let text = t.decode().expect("text");
                let text = quick_xml::escape::unescape(&text).expect("entities");
                if let Some(p) = current.as_mut() {
                    if in_text {
                        p.1.push_str(&text);
                    } else if in_instr {
                        p.2.push_str(&text);
                    }
                }
            }
            Event::GeneralRef(r) => {
                // quick-xml reports entities apart from the text around them.
                let name = r.decode().expect("entity");
                let ch = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                if let (Some(p), true) = (current.as_mut(), in_text) {
                    p.1.push_str(ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn fixture_docx() -> Vec<u8> {
    let catalog = fixture();
    let role = catalog.role("sre-manager").expect("fixture role");
    export_role(&catalog, role, RoleFormat::Docx).expect("DOCX")
}

#[test]
fn docx_has_headings_tables_and_page_numbers() {
    let docx = fixture_docx();
    let document = part(&docx, "word/document.xml");
    let paras = paragraphs(&document);
    let styled = |style: &str| -> Vec<&str> {
        paras
            .iter()
            .filter(|p| p.0 == style)
            .map(|p| p.1.as_str())
            .collect()
    };
    assert_eq!(styled("Title"), ["SRE Manager"]);
    assert_eq!(
        styled("Subtitle"),
        ["Site reliability engineering · Manager"]
    );
    let sections = styled("Heading1");
    assert_eq!(
        sections,
        [
            "Summary",
            "Scope",
            "Responsibilities",
            "Decision rights",
            "Skills",
            "KPIs",
            "Career path",
            "Qualifications",
            "What success looks like",
            "Hiring signals",
            "Common failure modes",
            "Crosswalk and provenance",
        ]
    );
    assert!(styled("Heading2").contains(&"Reliability targets"));
    // Escaped characters come back as written.
    assert!(
        styled("ListParagraph")
            .contains(&"Publish a weekly report: \"SLO attainment\", budget left | incidents.")
    );
    // Skills and KPIs are tables: two tables, cells as written.
    assert_eq!(document.matches("<w:tbl>").count(), 2);
    let cells: Vec<&str> = paras.iter().map(|p| p.1.as_str()).collect();
    for cell in [
        "Skill",
        "SLO & error-budget engineering",
        "4 Advanced",
        "Sets SLO policy for a team: targets | windows | budgets.",
        "KPI",
        "< 45 minutes for SEV1 & SEV2",
    ] {
        assert!(cells.contains(&cell), "missing cell {cell:?}");
    }
    // Page numbers are fields in the footer, which the section uses.
    let footer = paragraphs(&part(&docx, "word/footer1.xml"));
    assert_eq!(footer.len(), 1);
    assert!(footer[0].1.starts_with("SRE Manager · rolebook blueprint"));
    assert_eq!(footer[0].2, "PAGENUMPAGES");
    assert!(document.contains("<w:footerReference"));
    // Styles are defined, so Word's navigation pane lists the headings.
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\""));
    assert!(styles.contains("<w:outlineLvl w:val=\"0\" />"));
}

#[test]
fn docx_output_is_reproducible() {
    assert_eq!(fixture_docx(), fixture_docx());
}

/// A skill and a KPI are the same kind of Word document as a role: a
/// Title, Heading styles for their sections, a table, their footer.
#[test]
fn skill_and_kpi_docx_have_their_sections() {
    let catalog = fixture();
    let skill = catalog.skill("slo-engineering").expect("fixture skill");
    let docx = export_skill(&catalog, skill, RoleFormat::Docx).expect("DOCX");
    let document = paragraphs(&part(&docx, "word/document.xml"));
    let styled = |style: &str, text: &str| document.iter().any(|(s, t, _)| s == style && t == text);
    assert!(
        styled("Title", "SLO & error-budget engineering"),
        "{document:?}"
    );
    assert!(styled("Heading1", "Proficiency levels"), "{document:?}");
    assert!(styled("Heading1", "Roles that require it"), "{document:?}");
    assert!(part(&docx, "word/document.xml").contains("<w:tbl>"));

    let kpi = catalog.kpi("mttr").expect("fixture KPI");
    let docx = export_kpi(&catalog, kpi, RoleFormat::Docx).expect("DOCX");
    let document = paragraphs(&part(&docx, "word/document.xml"));
    let styled = |style: &str, text: &str| document.iter().any(|(s, t, _)| s == style && t == text);
    for heading in ["Measurement", "Pitfalls", "Benchmarks", "Who owns it"] {
        assert!(styled("Heading1", heading), "{heading}: {document:?}");
    }
    assert_eq!(
        docx,
        export_kpi(&catalog, kpi, RoleFormat::Docx).expect("DOCX")
    );
}

#[test]
fn docx_opens_in_libreoffice() {
    let Some(libreoffice) = tool("libreoffice") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = builtin_catalog();
    let role = catalog.find_role("SRE Manager").expect("role");
    let docx = export_role(&catalog, role, RoleFormat::Docx).expect("DOCX");
    let input = dir.path().join("sre-manager.docx");
    std::fs::write(&input, docx).expect("write");
    convert(&libreoffice, &input, dir.path());
    let pdf = dir.path().join("sre-manager.pdf");
    assert!(pdf.is_file(), "LibreOffice converted the DOCX");
    if let Some(pdftotext) = tool("pdftotext") {
        let text = run(Command::new(pdftotext).arg(&pdf).arg("-"));
        assert!(text.contains("SRE Manager"));
        assert!(text.contains("Error-budget policy adherence"));
        assert!(text.contains("Page 1 of"), "page numbers render");
    }
}

fn convert(libreoffice: &std::path::Path, input: &std::path::Path, out: &std::path::Path) {
    // A private profile, so that a running LibreOffice or a previous crash
    // cannot block the conversion.
    let profile = out.join("lo-profile");
    run(Command::new(libreoffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .arg(input));
}

// ----------------------------------------------------------------- XLSX

fn fixture_xlsx() -> Vec<u8> {
    let catalog = fixture();
    let tables = CatalogTables::new(&catalog);
    to_xlsx(&catalog, &sheets(&catalog, &tables)).expect("XLSX")
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

/// The workbook is dated by the catalog's newest review, not the clock:
/// the same catalog gives the same bytes (the CLI's file and the web
/// app's download agree).
#[test]
fn xlsx_output_is_reproducible_and_dated_by_the_catalog() {
    let bytes = fixture_xlsx();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(bytes, fixture_xlsx());
    let core = part(&bytes, "docProps/core.xml");
    assert!(
        core.contains(">2026-11-26T00:00:00Z</dcterms:created>"),
        "{core}"
    );
}

#[test]
fn xlsx_has_a_sheet_per_table_with_headers_and_values() {
    let bytes = fixture_xlsx();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("XLSX");
    assert_eq!(
        workbook.sheet_names(),
        [
            "Skills matrix",
            "KPI ownership",
            "Responsibilities",
            "Career edges"
        ]
    );

    let skills = workbook.worksheet_range("Skills matrix").expect("sheet");
    let header: Vec<String> = (0..7).map(|c| cell(&skills, 0, c)).collect();
    // Skills by category (leadership, then technical), then name.
    assert_eq!(
        header,
        [
            "Role id",
            "Role",
            "Family",
            "Level",
            "People leadership",
            "Incident command",
            "SLO & error-budget engineering"
        ]
    );
    assert_eq!(skills.get_size(), (3, 7));
    // Roles are rows, sorted by id; cells are required levels.
    assert_eq!(cell(&skills, 1, 0), "sre-director");
    assert_eq!(cell(&skills, 1, 6), "5");
    assert_eq!(
        cell(&skills, 1, 5),
        "",
        "the director needs no incident command"
    );
    assert_eq!(cell(&skills, 2, 0), "sre-manager");
    assert_eq!(
        (
            cell(&skills, 2, 4),
            cell(&skills, 2, 5),
            cell(&skills, 2, 6)
        ),
        ("3".into(), "3".into(), "4".into())
    );

    let kpis = workbook.worksheet_range("KPI ownership").expect("sheet");
    assert_eq!(cell(&kpis, 0, 4), "Mean time to restore");
    assert_eq!(cell(&kpis, 2, 4), "< 45 minutes for SEV1 & SEV2");
    assert_eq!(cell(&kpis, 1, 4), "");
    assert_eq!(cell(&kpis, 1, 5), "98% of SLOs met");

    let responsibilities = workbook.worksheet_range("Responsibilities").expect("sheet");
    assert_eq!(responsibilities.get_size(), (6, 4));
    assert_eq!(cell(&responsibilities, 0, 3), "Responsibility");
    assert_eq!(cell(&responsibilities, 2, 2), "Reliability targets");

    let career = workbook.worksheet_range("Career edges").expect("sheet");
    assert_eq!(cell(&career, 0, 5), "Skill gap");
    assert_eq!(cell(&career, 1, 0), "sre-manager");
    assert_eq!(cell(&career, 1, 2), "sre-director");
    assert_eq!(cell(&career, 1, 4), "next");
    // One edge from both declarations, both as evidence.
    assert_eq!(career.get_size(), (2, 8));
    assert_eq!(
        cell(&career, 1, 6),
        "roles/sre-director.toml career.feeders; roles/sre-manager.toml career.next"
    );

    // Frozen header row (and id/title columns), a filter over every table,
    // and column widths: in the sheet XML, where calamine does not look.
    for (index, columns) in [(1, "G"), (2, "F"), (3, "D"), (4, "H")] {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{index}.xml"));
        assert!(
            xml.contains(r#"<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>"#),
            "sheet {index} freezes its header"
        );
        assert!(
            xml.contains(&format!("<autoFilter ref=\"A1:{columns}")),
            "sheet {index} has a filter"
        );
        assert!(
            xml.contains("customWidth=\"1\""),
            "sheet {index} sets widths"
        );
    }
}

/// Body cells take their column's format (top-aligned keys, wrapped text,
/// centred levels) from the column, not each its own: every one of them
/// still has a style with an alignment.
#[test]
fn xlsx_body_cells_keep_their_columns_alignment() {
    let bytes = fixture_xlsx();
    let styles = part(&bytes, "xl/styles.xml");
    let cell_xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|rest| rest.split("</cellXfs>").next())
        .expect("cellXfs");
    let xfs: Vec<&str> = cell_xfs.split("<xf ").skip(1).collect();
    let mut body_cells = 0;
    for sheet in 1..=4 {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
        for row in xml.split("<row ").skip(2) {
            for cell in row.split("<c ").skip(1) {
                let style: usize = cell
                    .split("s=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let xf = xfs.get(style).copied().unwrap_or("");
                assert!(
                    xf.contains("<alignment"),
                    "sheet {sheet}: {cell:.80} has style {xf:.120}"
                );
                body_cells += 1;
            }
        }
    }
    assert!(body_cells > 40, "{body_cells} body cells");
}

#[test]
fn xlsx_opens_in_libreoffice() {
    let Some(libreoffice) = tool("libreoffice") else {
        return;
    };
    let catalog = builtin_catalog();
    let tables = CatalogTables::new(&catalog);
    let bytes = to_xlsx(&catalog, &sheets(&catalog, &tables)).expect("XLSX");
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("catalog.xlsx");
    std::fs::write(&input, bytes).expect("write");
    convert(&libreoffice, &input, dir.path());
    let pdf = dir.path().join("catalog.pdf");
    assert!(pdf.is_file(), "LibreOffice converted the XLSX");
    if let Some(pdftotext) = tool("pdftotext") {
        let text = run(Command::new(pdftotext).arg(&pdf).arg("-"));
        assert!(text.contains("chief-technology-officer"));
    }
}

#[test]
fn csv_tables_quote_what_needs_quoting() {
    let catalog = fixture();
    let tables = CatalogTables::new(&catalog);
    let sheets = sheets(&catalog, &tables);
    let kpis = sheets[1].to_csv().expect("CSV");
    let mut reader = csv::Reader::from_reader(kpis.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[4], "Mean time to restore");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[1][5], "95% of SLOs met | 11 of 12 windows");
    let responsibilities = sheets[2].to_csv().expect("CSV");
    assert!(
        responsibilities.contains(
            "\"Publish a weekly report: \"\"SLO attainment\"\", budget left | incidents.\""
        )
    );
}

#[test]
fn tables_json_is_long_form() {
    let catalog = fixture();
    let value = serde_json::to_value(CatalogTables::new(&catalog)).expect("JSON");
    assert_eq!(value["format"], "rolebook-catalog-tables/1");
    assert_eq!(value["role_skills"].as_array().map(Vec::len), Some(5));
    assert_eq!(value["role_skills"][0]["importance"], "core");
    assert_eq!(value["kpi_ownership"].as_array().map(Vec::len), Some(3));
    assert_eq!(value["responsibilities"].as_array().map(Vec::len), Some(5));
    assert_eq!(value["career_edges"][0]["kind"], "next");
}

// ------------------------------------------------------------------ PDF

#[cfg(feature = "pdf")]
mod pdf {
    use super::*;
    use rolebook_export::document::{Block, Document, Table};

    fn pdf_text(pdf: &[u8]) -> Option<String> {
        let pdftotext = tool("pdftotext")?;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, pdf).expect("write");
        Some(run(Command::new(pdftotext)
            .arg("-layout")
            .arg(&path)
            .arg("-")))
    }

    #[test]
    fn role_pdf_has_its_sections_tables_and_page_numbers() {
        let catalog = fixture();
        let role = catalog.role("sre-manager").expect("fixture role");
        let pdf = export_role(&catalog, role, RoleFormat::Pdf).expect("PDF");
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(
            pdf,
            export_role(&catalog, role, RoleFormat::Pdf).expect("PDF"),
            "the same input gives the same bytes"
        );
        let Some(text) = pdf_text(&pdf) else { return };
        // Table cells wrap; compare with whitespace runs made single spaces.
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "SRE Manager Site reliability engineering · Manager",
            "Id sre-manager",
            "Responsibilities Reliability targets",
            "Define SLOs with a <99.9%> target for every tier-1 service & review them twice a year.",
            "Lead postmortems within 5 days; track #actions to *closure* with $owners and \\dates.",
            "Skill Level Importance What this level looks like",
            "SLO & error-budget",
            "KPI Target Unit Direction Cadence",
            "Mean time to restore",
            "< 45 minutes for SEV1 &",
        ] {
            assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
        }
        // Every page is numbered "Page N of M".
        let pages: Vec<&str> = text
            .lines()
            .filter_map(|line| line.trim().rsplit_once("Page ").map(|(_, n)| n))
            .collect();
        assert!(pages.len() >= 2, "{pages:?}");
        let total = pages.len();
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(*page, format!("{} of {total}", i + 1));
        }
    }

    #[test]
    fn skill_and_kpi_pdfs_have_their_sections() {
        let catalog = fixture();
        let skill = catalog.skill("slo-engineering").expect("fixture skill");
        let pdf = export_skill(&catalog, skill, RoleFormat::Pdf).expect("PDF");
        assert!(pdf.starts_with(b"%PDF-"));
        let kpi = catalog.kpi("mttr").expect("fixture KPI");
        let kpi_pdf = export_kpi(&catalog, kpi, RoleFormat::Pdf).expect("PDF");
        assert_eq!(
            kpi_pdf,
            export_kpi(&catalog, kpi, RoleFormat::Pdf).expect("PDF"),
            "the same input gives the same bytes"
        );
        let (Some(skill_text), Some(kpi_text)) = (pdf_text(&pdf), pdf_text(&kpi_pdf)) else {
            return;
        };
        let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let skill_text = flat(&skill_text);
        for expected in [
            "SLO & error-budget engineering Skill · Technical",
            "Proficiency levels",
            "4 Advanced Sets SLO policy for a team: targets | windows | budgets.",
            "Roles that require it",
            "SRE Manager 4 Advanced core",
            "rolebook skill",
        ] {
            assert!(
                skill_text.contains(expected),
                "missing {expected:?} in:\n{skill_text}"
            );
        }
        let kpi_text = flat(&kpi_text);
        for expected in [
            "Mean time to restore KPI · Reliability",
            "Formula median(restored_at - detected_at)",
            "Who owns it",
            "< 45 minutes for SEV1 & SEV2",
            "Page 1 of 1",
        ] {
            assert!(
                kpi_text.contains(expected),
                "missing {expected:?} in:\n{kpi_text}"
            );
        }
    }

    #[test]
    fn markup_characters_are_text_not_markup() {
        let nasty = r#"#set page(width: 1cm) *not bold* _not emph_ $x^2$ @ref <label> `raw` \ "quoted" ] } // not a comment /* nor this */ = not a heading"#;
        let doc = Document {
            title: nasty.to_string(),
            subtitle: Some(nasty.to_string()),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: nasty.to_string(),
                },
                Block::Paragraph(nasty.to_string()),
                Block::Fields(vec![(nasty.to_string(), nasty.to_string())]),
                Block::List(vec![nasty.to_string()]),
                Block::Table(Table {
                    header: vec![nasty.to_string()],
                    rows: vec![vec![nasty.to_string()]],
                    widths: vec![1],
                }),
            ],
            logo: None,
        };
        let pdf = rolebook_export::pdf::to_pdf(&doc, nasty, "nasty").expect("typesets");
        let Some(text) = pdf_text(&pdf) else { return };
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.matches("*not bold* _not emph_ $x^2$ @ref <label> `raw` \\ \"quoted\" ] }")
                .count()
                >= 5,
            "{flat}"
        );
    }

    #[test]
    fn every_builtin_role_typesets() {
        let catalog = builtin_catalog();
        for role in catalog.roles() {
            let pdf = export_role(&catalog, role, RoleFormat::Pdf).expect("PDF");
            assert!(pdf.starts_with(b"%PDF-"), "{}", role.id);
        }
    }
}
