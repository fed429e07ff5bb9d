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

pub use document::{
    Document, kpi_document, kpi_document_in, role_document, skill_document, skill_document_in,
};
pub use jd::{
    PostingInput, PostingOptions, Section, lint_posting, placed_findings, posting_document,
    posting_jsonld,
};
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

/// Which roles an export names. `rolebook export` and the server write
/// the whole catalog ([`Scope::Catalog`]); a static site that publishes
/// some roles ([`Scope::Roles`]) writes files that name only those: a
/// skill's or KPI's document lists only their holders and owners, and the
/// tables hold only their rows, the skills and KPIs they use, and the
/// career moves between two of them. A role's own document is the same in
/// every scope: it names other roles as plain text, as its page does.
#[derive(Clone, Copy, Default)]
pub enum Scope<'a> {
    #[default]
    Catalog,
    /// The roles whose id the function keeps.
    Roles(&'a (dyn Fn(&str) -> bool + Sync)),
}

impl Scope<'_> {
    /// Whether the role with this id may be named.
    pub fn has_role(&self, id: &str) -> bool {
        match self {
            Scope::Catalog => true,
            Scope::Roles(keep) => keep(id),
        }
    }

    /// Whether this is the whole catalog.
    pub fn is_catalog(&self) -> bool {
        matches!(self, Scope::Catalog)
    }
}

impl std::fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scope::Catalog => "Scope::Catalog",
            Scope::Roles(_) => "Scope::Roles(..)",
        })
    }
}

/// The footer line of a role document: the organisation's name when it
/// has one ("Acme Software · SRE Manager · last reviewed 2025-01-31"),
/// otherwise the framework's.
fn role_footer(catalog: &Catalog, role: &Role) -> String {
    match organisation_name(catalog) {
        Some(name) => format!(
            "{name} · {} · last reviewed {}",
            role.title.as_str(),
            role.provenance.last_reviewed
        ),
        None => format!(
            "{} · rolebook blueprint, last reviewed {}",
            role.title.as_str(),
            role.provenance.last_reviewed
        ),
    }
}

/// The footer line of a skill's or KPI's document (`what`: "skill",
/// "KPI"), with the organisation's name when it has one.
fn term_footer(catalog: &Catalog, name: &str, what: &str) -> String {
    match organisation_name(catalog) {
        Some(organisation) => format!("{organisation} · {name} · {what}"),
        None => format!("{name} · rolebook {what}"),
    }
}

fn organisation_name(catalog: &Catalog) -> Option<&str> {
    catalog
        .organisation()
        .name
        .as_deref()
        .filter(|name| !name.is_empty())
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
            &role_footer(catalog, role),
        )
        .into_bytes()),
        RoleFormat::Docx => {
            docx::to_docx(&role_document(catalog, role), &role_footer(catalog, role))
        }
        RoleFormat::Pdf => pdf_bytes(
            &role_document(catalog, role),
            &role_footer(catalog, role),
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
    export_skill_in(catalog, skill, format, Scope::Catalog)
}

/// One skill in one format, naming only the roles of `scope`.
pub fn export_skill_in(
    catalog: &Catalog,
    skill: &Skill,
    format: RoleFormat,
    scope: Scope<'_>,
) -> Result<Vec<u8>, ExportError> {
    let footer = term_footer(catalog, &skill.name, "skill");
    let document = || skill_document_in(catalog, skill, scope);
    match format {
        RoleFormat::Json => {
            let mut json = rolebook_wire::Skill::of(catalog, skill);
            json.roles.retain(|holder| scope.has_role(&holder.role));
            pretty_json(&json)
        }
        RoleFormat::JsonLd => pretty_json(&jsonld::skill_term(skill)),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&document()))),
        RoleFormat::Html => {
            Ok(html::to_html(&document(), Some(&jsonld::skill_term(skill)), &footer).into_bytes())
        }
        RoleFormat::Docx => docx::to_docx(&document(), &footer),
        RoleFormat::Pdf => pdf_bytes(
            &document(),
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
    export_kpi_in(catalog, kpi, format, Scope::Catalog)
}

/// One KPI in one format, naming only the owners of `scope`.
pub fn export_kpi_in(
    catalog: &Catalog,
    kpi: &Kpi,
    format: RoleFormat,
    scope: Scope<'_>,
) -> Result<Vec<u8>, ExportError> {
    let footer = term_footer(catalog, &kpi.name, "KPI");
    let document = || kpi_document_in(catalog, kpi, scope);
    match format {
        RoleFormat::Json => {
            let mut json = rolebook_wire::Kpi::of(catalog, kpi);
            json.owners.retain(|owner| scope.has_role(&owner.role));
            pretty_json(&json)
        }
        RoleFormat::JsonLd => pretty_json(&jsonld::kpi_term(kpi)),
        RoleFormat::Markdown => Ok(with_newline(document::to_markdown(&document()))),
        RoleFormat::Html => {
            Ok(html::to_html(&document(), Some(&jsonld::kpi_term(kpi)), &footer).into_bytes())
        }
        RoleFormat::Docx => docx::to_docx(&document(), &footer),
        RoleFormat::Pdf => pdf_bytes(
            &document(),
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
