//! Text formats of a role and a job posting: Markdown, HTML, JSON and
//! JSON-LD pinned by snapshots of the export fixture, structured data
//! checked property by property, and every built-in role exported in every
//! format.

mod common;

use common::{builtin_catalog, fixture, full_options};
use rolebook_export::jd::{Date, EmploymentType, PostingOptions};
use rolebook_export::{RoleFormat, export_posting, export_role, lint_posting, posting_document};
use serde_json::Value;

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("text formats are UTF-8")
}

fn role_text(format: RoleFormat) -> String {
    let catalog = fixture();
    let role = catalog.role("sre-manager").expect("fixture role");
    text(export_role(&catalog, role, format).expect("exports"))
}

fn posting_text(options: &PostingOptions, format: RoleFormat) -> String {
    let catalog = fixture();
    let role = catalog.role("sre-manager").expect("fixture role");
    text(export_posting(&catalog, role, options, format).expect("exports"))
}

#[test]
fn role_markdown() {
    insta::assert_snapshot!(role_text(RoleFormat::Markdown));
}

#[test]
fn role_html() {
    insta::assert_snapshot!(role_text(RoleFormat::Html));
}

#[test]
fn role_json() {
    insta::assert_snapshot!(role_text(RoleFormat::Json));
}

#[test]
fn role_jsonld() {
    insta::assert_snapshot!(role_text(RoleFormat::JsonLd));
}

#[test]
fn posting_markdown() {
    insta::assert_snapshot!(posting_text(&full_options(), RoleFormat::Markdown));
}

#[test]
fn posting_jsonld() {
    insta::assert_snapshot!(posting_text(&full_options(), RoleFormat::JsonLd));
}

#[test]
fn html_is_self_contained_and_escaped() {
    let html = role_text(RoleFormat::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"), "inline CSS");
    for external in ["<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "no external resource: {external}");
    }
    assert!(html.contains("Define SLOs with a &lt;99.9%&gt; target for every tier-1 service &amp; review them twice a year."));
    assert!(html.contains("<td>SLO &amp; error-budget engineering</td>"));
    // The structured data in the head is the Occupation.
    let start = html.find("application/ld+json\">").expect("JSON-LD") + 21;
    let end = html[start..].find("</script>").expect("closed") + start;
    let data: Value = serde_json::from_str(&html[start..end]).expect("valid JSON");
    assert_eq!(data["@type"], "Occupation");
}

#[test]
fn occupation_has_the_schema_org_properties() {
    let data: Value = serde_json::from_str(&role_text(RoleFormat::JsonLd)).expect("JSON");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "Occupation");
    assert_eq!(data["name"], "SRE Manager");
    assert_eq!(data["occupationalCategory"]["@type"], "CategoryCode");
    assert_eq!(data["occupationalCategory"]["codeValue"], "11-3021.00");
    assert_eq!(
        data["occupationalCategory"]["inCodeSet"]["name"],
        "O*NET-SOC"
    );
    let skills = data["skills"].as_array().expect("skills");
    assert_eq!(skills.len(), 3);
    assert_eq!(skills[0]["@type"], "DefinedTerm");
    assert_eq!(skills[0]["termCode"], "slo-engineering");
    assert_eq!(data["responsibilities"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        data["qualifications"][0]["@type"],
        "EducationalOccupationalCredential"
    );
    assert_eq!(
        data["sameAs"],
        "http://data.europa.eu/esco/occupation/example"
    );
}

/// Google's required JobPosting properties, and the recommended ones the
/// options fill.
#[test]
fn job_posting_has_every_property_google_requires() {
    let data: Value =
        serde_json::from_str(&posting_text(&full_options(), RoleFormat::JsonLd)).expect("JSON");
    assert_eq!(data["@type"], "JobPosting");
    for required in ["title", "description", "datePosted", "hiringOrganization"] {
        assert!(data.get(required).is_some(), "missing {required}");
    }
    assert_eq!(data["title"], "SRE Manager");
    assert_eq!(data["datePosted"], "2026-11-01");
    assert_eq!(data["validThrough"], "2026-12-31");
    assert_eq!(data["employmentType"], "FULL_TIME");
    assert_eq!(data["hiringOrganization"]["@type"], "Organization");
    assert_eq!(data["hiringOrganization"]["name"], "Acme & Sons");
    assert_eq!(data["hiringOrganization"]["sameAs"], "https://acme.example");
    let address = &data["jobLocation"]["address"];
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["addressLocality"], "Austin");
    assert_eq!(address["addressRegion"], "TX");
    assert_eq!(address["addressCountry"], "US");
    assert_eq!(data["jobLocationType"], "TELECOMMUTE");
    assert_eq!(data["applicantLocationRequirements"]["@type"], "Country");
    let salary = &data["baseSalary"];
    assert_eq!(salary["@type"], "MonetaryAmount");
    assert_eq!(salary["currency"], "USD");
    assert_eq!(salary["value"]["minValue"], 150_000);
    assert_eq!(salary["value"]["maxValue"], 190_000);
    assert_eq!(salary["value"]["unitText"], "YEAR");
    let description = data["description"].as_str().expect("description");
    for section in [
        "About the role",
        "What you will do",
        "What you bring",
        "How success is measured",
    ] {
        assert!(
            description.contains(&format!(">{section}</h2>")),
            "{section}"
        );
    }
    // The KPIs are how success is measured.
    assert!(
        description
            .contains("<td>Mean time to restore</td><td>&lt; 45 minutes for SEV1 &amp; SEV2</td>")
    );
}

#[test]
fn a_remote_posting_needs_no_job_location() {
    let options = PostingOptions {
        locations: Vec::new(),
        salary: None,
        employment_type: EmploymentType::Contractor,
        ..full_options()
    };
    let data: Value =
        serde_json::from_str(&posting_text(&options, RoleFormat::JsonLd)).expect("JSON");
    assert!(data.get("jobLocation").is_none());
    assert!(data.get("baseSalary").is_none());
    assert_eq!(data["jobLocationType"], "TELECOMMUTE");
    assert_eq!(
        data["applicantLocationRequirements"]["name"],
        "United States"
    );
    assert_eq!(data["employmentType"], "CONTRACTOR");
}

#[test]
fn json_ld_refuses_a_posting_google_would_reject() {
    let catalog = fixture();
    let role = catalog.role("sre-manager").expect("fixture role");
    let no_company = PostingOptions {
        company: None,
        ..full_options()
    };
    let error = export_posting(&catalog, role, &no_company, RoleFormat::JsonLd)
        .expect_err("no hiring organisation");
    assert!(error.to_string().contains("--company"), "{error}");
    let nowhere = PostingOptions {
        locations: Vec::new(),
        remote: Vec::new(),
        ..full_options()
    };
    let error =
        export_posting(&catalog, role, &nowhere, RoleFormat::JsonLd).expect_err("no place of work");
    assert!(error.to_string().contains("--location"), "{error}");
    // Markdown still works without them, and says nothing it does not know.
    let md = text(export_posting(&catalog, role, &nowhere, RoleFormat::Markdown).expect("md"));
    assert!(!md.contains("**Where:**"));
    let backwards = PostingOptions {
        valid_through: Date::parse("2026-10-01").expect("date"),
        ..full_options()
    };
    let error = export_posting(&catalog, role, &backwards, RoleFormat::Markdown)
        .expect_err("closes before it opens");
    assert!(error.to_string().contains("before it is posted"), "{error}");
}

#[test]
fn the_posting_lint_finds_and_suppresses_wording() {
    let catalog_dir = tempfile_copy_of_fixture();
    let role_file = catalog_dir.path().join("roles/sre-manager.toml");
    let original = std::fs::read_to_string(&role_file).expect("read");
    let flagged = original.replace(
        "Leads an SRE team",
        "Leads an SRE team of ninjas with a sanity check",
    );
    std::fs::write(&role_file, &flagged).expect("write");
    let catalog = load_dir(catalog_dir.path());
    let role = catalog.role("sre-manager").expect("role");
    let doc = posting_document(&catalog, role, &full_options());
    let report = lint_posting(role, &doc, "posting.md");
    let found: Vec<&str> = report
        .findings
        .iter()
        .map(|d| &report.sources.files()[0].text[d.span.clone()])
        .collect();
    assert_eq!(found, ["ninjas", "sanity check"]);
    let rendered = rolebook_core::diagnostic::render(&report.sources, &report.findings, false);
    assert!(rendered.contains("posting.md:7:"), "{rendered}");

    // The role's own suppression applies to its posting too.
    let suppressed = format!(
        "{flagged}\n[[lint.allow]]\nrule = \"inclusive-language\"\ntext = \"sanity check\"\nreason = \"quoted from the incident policy\"\n"
    );
    std::fs::write(&role_file, suppressed).expect("write");
    let catalog = load_dir(catalog_dir.path());
    let role = catalog.role("sre-manager").expect("role");
    let doc = posting_document(&catalog, role, &full_options());
    let report = lint_posting(role, &doc, "posting.md");
    assert_eq!(report.findings.len(), 1);
}

#[test]
fn every_builtin_role_exports_in_every_format_but_pdf() {
    let catalog = builtin_catalog();
    let options = full_options();
    for role in catalog.roles() {
        for format in [
            RoleFormat::Markdown,
            RoleFormat::Html,
            RoleFormat::Json,
            RoleFormat::JsonLd,
        ] {
            let out = text(export_role(&catalog, role, format).expect("role exports"));
            assert!(out.contains(role.title.as_str()), "{} {format:?}", role.id);
            if matches!(format, RoleFormat::Json | RoleFormat::JsonLd) {
                serde_json::from_str::<Value>(&out).expect("valid JSON");
            }
        }
        let docx = export_role(&catalog, role, RoleFormat::Docx).expect("DOCX");
        assert!(docx.starts_with(b"PK"), "{}", role.id);
        for format in [
            RoleFormat::Markdown,
            RoleFormat::Html,
            RoleFormat::JsonLd,
            RoleFormat::Docx,
        ] {
            export_posting(&catalog, role, &options, format).expect("posting exports");
        }
        // The built-in catalog's wording passes its own lint.
        let doc = posting_document(&catalog, role, &options);
        let report = lint_posting(role, &doc, "posting.md");
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            role.id,
            report.findings
        );
    }
}

// ------------------------------------------------------------- helpers

/// A private copy of the fixture catalog to edit.
fn tempfile_copy_of_fixture() -> tempfile::TempDir {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/catalogs/valid/export");
    let target = tempfile::tempdir().expect("tempdir");
    for entry in walk(&source) {
        let relative = entry.strip_prefix(&source).expect("inside");
        let destination = target.path().join(relative);
        std::fs::create_dir_all(destination.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &destination).expect("copy");
    }
    target
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn load_dir(dir: &std::path::Path) -> rolebook_core::Catalog {
    let loaded = rolebook_core::load(rolebook_core::Sources::from_dir(dir).expect("readable"));
    loaded.catalog.expect("valid catalog")
}
