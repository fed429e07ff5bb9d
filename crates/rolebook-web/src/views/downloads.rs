//! The files pages offer, and their addresses: a role, skill or KPI in
//! every document format, and the catalog's tables on the home page.
//!
//! Every download lives under `/downloads/`, named as the file it is
//! (`/downloads/roles/sre-manager.docx`, `/downloads/catalog.xlsx`,
//! `/downloads/catalog/skills-matrix.csv`): the last segment is the file
//! name a browser saves, and a static site can write the same tree beside
//! its pages. `pages::downloads` answers these addresses with the bytes of
//! `rolebook-export`, the code behind `rolebook export`.

use rolebook_export::RoleFormat;
use rolebook_export::tables::SHEETS;

pub use crate::publication::Downloads;

/// What a document download is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Role,
    Skill,
    Kpi,
}

impl Kind {
    /// The directory of its downloads, as of its pages.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Role => "roles",
            Kind::Skill => "skills",
            Kind::Kpi => "kpis",
        }
    }

    /// What to call it in a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Skill => "skill",
            Kind::Kpi => "KPI",
        }
    }
}

/// The whole catalog's tables as one workbook, a sheet per table.
pub const CATALOG_XLSX: &str = "/downloads/catalog.xlsx";
/// The whole catalog's tables in long form, for programs.
pub const CATALOG_JSON: &str = "/downloads/catalog.json";

/// One link of a download list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadLink {
    /// Site path; templates write it through the layout's link helper.
    pub href: String,
    pub label: String,
}

/// The formats this build offers, in the order pages list them: PDF only
/// when the `pdf` feature typesets it.
pub fn formats() -> impl Iterator<Item = RoleFormat> {
    Downloads::All.formats()
}

/// How a format is named on a link.
pub fn format_label(format: RoleFormat) -> &'static str {
    match format {
        RoleFormat::Docx => "Word (DOCX)",
        RoleFormat::Pdf => "PDF",
        RoleFormat::Markdown => "Markdown",
        RoleFormat::Html => "HTML",
        RoleFormat::Json => "JSON",
        RoleFormat::JsonLd => "JSON-LD",
    }
}

/// The address of one document: `/downloads/roles/sre-manager.pdf`.
pub fn document_path(kind: Kind, id: &str, format: RoleFormat) -> String {
    format!("/downloads/{}/{id}.{}", kind.section(), format.extension())
}

/// A download link per offered format for one role, skill or KPI.
pub fn document_links(offer: Downloads, kind: Kind, id: &str) -> Vec<DownloadLink> {
    offer
        .formats()
        .map(|format| DownloadLink {
            href: document_path(kind, id, format),
            label: format_label(format).to_string(),
        })
        .collect()
}

/// The address of one table as CSV: `/downloads/catalog/skills-matrix.csv`
/// (the file names of `rolebook export --all --format csv -o DIR`).
pub fn table_path(file: &str) -> String {
    format!("/downloads/catalog/{file}")
}

/// The catalog's downloads: the workbook, each table as CSV, and JSON;
/// none when nothing is offered.
pub fn catalog_links(offer: Downloads) -> Vec<DownloadLink> {
    if !offer.any() {
        return Vec::new();
    }
    let mut links = vec![DownloadLink {
        href: CATALOG_XLSX.to_string(),
        label: "Excel workbook (XLSX)".to_string(),
    }];
    links.extend(SHEETS.iter().map(|(name, file)| DownloadLink {
        href: table_path(file),
        label: format!("{name} (CSV)"),
    }));
    links.push(DownloadLink {
        href: CATALOG_JSON.to_string(),
        label: "JSON".to_string(),
    });
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_address_named_as_its_file() {
        let links = document_links(Downloads::All, Kind::Skill, "incident-management");
        assert_eq!(links.len(), formats().count());
        let no_pdf = document_links(Downloads::NoPdf, Kind::Skill, "incident-management");
        assert!(
            no_pdf.iter().all(|l| !l.href.ends_with(".pdf")),
            "{no_pdf:?}"
        );
        assert_eq!(no_pdf.len(), RoleFormat::ALL.len() - 1);
        assert!(document_links(Downloads::None, Kind::Role, "cto").is_empty());
        assert!(
            links
                .iter()
                .any(|l| l.href == "/downloads/skills/incident-management.docx")
        );
        for link in &links {
            let (_, extension) = link.href.rsplit_once('.').expect("an extension");
            assert!(RoleFormat::from_extension(extension).is_some(), "{link:?}");
        }
    }

    #[test]
    fn the_catalog_offers_every_table() {
        assert!(catalog_links(Downloads::None).is_empty());
        let links = catalog_links(Downloads::NoPdf);
        assert_eq!(links.len(), SHEETS.len() + 2);
        assert!(links.iter().any(|l| l.label == "Skills matrix (CSV)"));
        assert!(
            links
                .iter()
                .any(|l| l.href == "/downloads/catalog/career-edges.csv")
        );
    }
}
