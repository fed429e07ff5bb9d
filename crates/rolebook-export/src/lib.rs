//! rolebook-export: role blueprints, skills, KPIs and job postings as files
//! people and programs use (Markdown, self-contained HTML, JSON, schema.org
//! JSON-LD, DOCX, PDF), and the whole catalog as HR tables (CSV, XLSX,
//! JSON).
//!
//! A role, skill, KPI or posting is first walked into a format-neutral
//! [`document::Document`]; each writer ([`document::to_markdown`],
//! [`html`], [`docx`], [`pdf`]) only decides how its blocks look, so every
//! format shows the same sections. [`tables`] computes the catalog tables
//! once and writes them as CSV, XLSX or JSON.
//!
//! This is the only crate that knows DOCX, XLSX and PDF. It does no I/O:
//! every output is bytes or a `String`, and the caller writes the file
//! (atomically, in the CLI). PDF support (typst) is the `pdf` feature, on
//! by default.

pub mod document;
pub mod docx;
pub mod html;
pub mod jd;
pub mod jsonld;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod tables;

use rolebook_core::Catalog;
use rolebook_core::model::{Kpi, Role, Skill};

pub use document::{Document, kpi_document, role_document, skill_document};
pub use jd::{PostingOptions, lint_posting, posting_document, posting_jsonld};
pub use tables::CatalogTables;

/// Whether this build typesets PDF (the `pdf` feature).
pub const PDF_SUPPORTED: bool = cfg!(feature = "pdf");

/// Why an export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An option the user gave is not usable; the message says what to
    /// write instead.
    #[error("{0}")]
    Invalid(String),
    #[error("this rolebook was built without PDF support; rebuild with the `pdf` feature")]
    NoPdf,
    #[error("cannot write the DOCX file: {0}")]
    Docx(String),
    #[error("cannot typeset the PDF: {0}")]
    Pdf(String),
    #[error("cannot write the XLSX file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The formats a single role, skill or KPI (and a job posting) exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleFormat {
    Markdown,
    Html,
    Json,
    JsonLd,
    Docx,
    Pdf,
}

impl RoleFormat {
    /// Every format, documents for people first.
    pub const ALL: [RoleFormat; 6] = [
        RoleFormat::Docx,
        RoleFormat::Pdf,
        RoleFormat::Markdown,
        RoleFormat::Html,
        RoleFormat::Json,
        RoleFormat::JsonLd,
    ];

    /// The format whose [`RoleFormat::extension`] is `extension`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.extension() == extension)
    }

    /// The IANA media type of the file.
    pub fn media_type(self) -> &'static str {
        match self {
            RoleFormat::Markdown => "text/markdown; charset=utf-8",
            RoleFormat::Html => "text/html; charset=utf-8",
            RoleFormat::Json => "application/json",
            RoleFormat::JsonLd => "application/ld+json",
            RoleFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            RoleFormat::Pdf => "application/pdf",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            RoleFormat::Markdown => "md",
            RoleFormat::Html => "html",
            RoleFormat::Json => "json",
            RoleFormat::JsonLd => "jsonld",
            RoleFormat::Docx => "docx",
            RoleFormat::Pdf => "pdf",
        }
    }

    /// Whether the output is text that can go to a terminal.
    pub fn is_text(self) -> bool {
        !matches!(self, RoleFormat::Docx | RoleFormat::Pdf)
    }
}

/// The footer line of a role document.
fn role_footer(role: &Role) -> String {
    format!(
        "{} · rolebook blueprint, last reviewed {}",
        role.title.as_str(),
        role.provenance.last_reviewed
    )
}

fn pretty_json(value: &impl serde::Serialize) -> Result<Vec<u8>, ExportError> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text.into_bytes())
}

fn with_newline(mut text: String) -> Vec<u8> {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.into_bytes()
}

#[cfg(feature = "pdf")]
fn pdf_bytes(doc: &Document, footer: &str, ident: &str) -> Result<Vec<u8>, ExportError> {
    pdf::to_pdf(doc, footer, ident)
}

#[cfg(not(feature = "pdf"))]
fn pdf_bytes(_doc: &Document, _footer: &str, _ident: &str) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::NoPdf)
}

/// One role in one format.
pub fn export_role(
    catalog: &Catalog,
    role: &Role,
    format: RoleFormat,
) -> Result<Vec<u8>, ExportError> {
    match format {
        RoleFormat::Json => pretty_json(&rolebook_wire::Role::of(catalog, role)),
        RoleFormat::JsonLd => pretty_json(&jsonld::occupation(catalog, role)),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&role_document(
            catalog, role,
        )))),
        RoleFormat::Html => Ok(html::to_html(
            &role_document(catalog, role),
            Some(&jsonld::occupation(catalog, role)),
            &role_footer(role),
        )
        .into_bytes()),
        RoleFormat::Docx => docx::to_docx(&role_document(catalog, role), &role_footer(role)),
        RoleFormat::Pdf => pdf_bytes(
            &role_document(catalog, role),
            &role_footer(role),
            &format!("rolebook-role-{}", role.id.as_str()),
        ),
    }
}

/// One skill in one format: JSON is `rolebook_wire::Skill` (the API's
/// document), JSON-LD a schema.org `DefinedTerm`.
pub fn export_skill(
    catalog: &Catalog,
    skill: &Skill,
    format: RoleFormat,
) -> Result<Vec<u8>, ExportError> {
    let footer = format!("{} · rolebook skill", skill.name);
    match format {
        RoleFormat::Json => pretty_json(&rolebook_wire::Skill::of(catalog, skill)),
        RoleFormat::JsonLd => pretty_json(&jsonld::skill_term(skill)),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&skill_document(
            catalog, skill,
        )))),
        RoleFormat::Html => Ok(html::to_html(
            &skill_document(catalog, skill),
            Some(&jsonld::skill_term(skill)),
            &footer,
        )
        .into_bytes()),
        RoleFormat::Docx => docx::to_docx(&skill_document(catalog, skill), &footer),
        RoleFormat::Pdf => pdf_bytes(
            &skill_document(catalog, skill),
            &footer,
            &format!("rolebook-skill-{}", skill.id.as_str()),
        ),
    }
}

/// One KPI in one format: JSON is `rolebook_wire::Kpi` (the API's
/// document), JSON-LD a schema.org `DefinedTerm`.
pub fn export_kpi(
    catalog: &Catalog,
    kpi: &Kpi,
    format: RoleFormat,
) -> Result<Vec<u8>, ExportError> {
    let footer = format!("{} · rolebook KPI", kpi.name);
    match format {
        RoleFormat::Json => pretty_json(&rolebook_wire::Kpi::of(catalog, kpi)),
        RoleFormat::JsonLd => pretty_json(&jsonld::kpi_term(kpi)),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&kpi_document(
            catalog, kpi,
        )))),
        RoleFormat::Html => Ok(html::to_html(
            &kpi_document(catalog, kpi),
            Some(&jsonld::kpi_term(kpi)),
            &footer,
        )
        .into_bytes()),
        RoleFormat::Docx => docx::to_docx(&kpi_document(catalog, kpi), &footer),
        RoleFormat::Pdf => pdf_bytes(
            &kpi_document(catalog, kpi),
            &footer,
            &format!("rolebook-kpi-{}", kpi.id.as_str()),
        ),
    }
}

/// One job posting in one format. JSON-LD needs a company and a place of
/// work (Google requires them); the other formats show what is given.
pub fn export_posting(
    catalog: &Catalog,
    role: &Role,
    options: &PostingOptions,
    format: RoleFormat,
) -> Result<Vec<u8>, ExportError> {
    options.check()?;
    let doc = posting_document(catalog, role, options);
    let footer = match &options.company {
        Some(company) => format!("{company} · {}", role.title.as_str()),
        None => role.title.to_string(),
    };
    match format {
        RoleFormat::JsonLd => pretty_json(&posting_jsonld(catalog, role, options)?),
        RoleFormat::Json => Err(ExportError::Invalid(
            "a job posting's JSON form is JSON-LD: use --format jsonld".to_string(),
        )),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&doc))),
        RoleFormat::Html => {
            // The page carries its own structured data when it has what
            // Google requires.
            let json_ld = posting_jsonld(catalog, role, options).ok();
            Ok(html::to_html(&doc, json_ld.as_ref(), &footer).into_bytes())
        }
        RoleFormat::Docx => docx::to_docx(&doc, &footer),
        RoleFormat::Pdf => pdf_bytes(
            &doc,
            &footer,
            &format!("rolebook-posting-{}", role.id.as_str()),
        ),
    }
}
