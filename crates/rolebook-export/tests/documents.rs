//! Text formats of a role, a skill, a KPI and a job posting: Markdown,
//! HTML, JSON and JSON-LD pinned by snapshots of the export fixture,
//! structured data checked property by property, and every built-in role,
//! skill and KPI exported in every format.

mod common;

use common::{builtin_catalog, fixture, full_options};
use rolebook_export::jd::{Date, EmploymentType, PostingOptions, Section};
use rolebook_export::{
    RoleFormat, export_kpi, export_posting, export_role, export_skill, lint_posting,
    placed_findings, posting_document,
};
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

fn skill_text(format: RoleFormat) -> String {
    let catalog = fixture();
    let skill = catalog.skill("slo-engineering").expect("fixture skill");
    text(export_skill(&catalog, skill, format).expect("exports"))
}

fn kpi_text(format: RoleFormat) -> String {
    let catalog = fixture();
    let kpi = catalog.kpi("mttr").expect("fixture KPI");
    text(export_kpi(&catalog, kpi, format).expect("exports"))
}

#[test]
fn skill_markdown() {
    insta::assert_snapshot!(skill_text(RoleFormat::Markdown));
}

#[test]
fn kpi_markdown() {
    insta::assert_snapshot!(kpi_text(RoleFormat::Markdown));
}

/// A skill or KPI no role uses says so, rather than showing an empty
/// section.
#[test]
fn unused_skills_and_kpis_say_no_role_uses_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/catalogs/valid/export");
    let sources = rolebook_core::Sources::from_dir(&dir).expect("readable");
    let files = sources.files().iter().map(|file| {
        let extra = match file.path.as_str() {
            "skills.toml" => "\n[[skills]]\nid = \"unused-skill\"\nname = \"Unused\"\ncategory = \"domain\"\ndescription = \"Nobody needs it.\"\nlevels = { 1 = \"Has heard of it.\" }\n",
            "kpis.toml" => "\n[[kpis]]\nid = \"unused-kpi\"\nname = \"Unused\"\ncategory = \"risk\"\ndefinition = \"Nobody owns it.\"\nformula = \"x\"\nunit = \"%\"\ndirection = \"within-band\"\ncadence = \"yearly\"\ndata_sources = []\npitfalls = []\n",
            _ => "",
        };
        rolebook_core::SourceFile::new(file.path.clone(), format!("{}{extra}", file.text))
    });
    let loaded = rolebook_core::load(rolebook_core::Sources::new(files));
    let catalog = loaded
        .catalog
        .unwrap_or_else(|| panic!("valid: {:?}", loaded.diagnostics));
    let skill = catalog.skill("unused-skill").expect("added");
    let md = text(export_skill(&catalog, skill, RoleFormat::Markdown).expect("md"));
    assert!(
        md.ends_with("## Roles that require it\n\nNo role in this catalog requires this skill.\n"),
        "{md}"
    );
    let kpi = catalog.kpi("unused-kpi").expect("added");
    let md = text(export_kpi(&catalog, kpi, RoleFormat::Markdown).expect("md"));
    assert!(
        md.ends_with("## Who owns it\n\nNo role in this catalog owns this KPI.\n"),
        "{md}"
    );
    assert!(!md.contains("Pitfalls"), "no empty section: {md}");
    assert!(!md.contains("Benchmarks"), "no empty section: {md}");
}

/// schema.org: a skill and a KPI are `DefinedTerm`s of their
/// `DefinedTermSet`, cited by the same `termCode` as a role's `skills`.
#[test]
fn skills_and_kpis_are_defined_terms() {
    let skill: Value = serde_json::from_str(&skill_text(RoleFormat::JsonLd)).expect("JSON");
    assert_eq!(skill["@context"], "https://schema.org");
    assert_eq!(skill["@type"], "DefinedTerm");
    assert_eq!(skill["termCode"], "slo-engineering");
    assert_eq!(skill["name"], "SLO & error-budget engineering");
    assert_eq!(skill["inDefinedTermSet"]["@type"], "DefinedTermSet");
    assert_eq!(skill["inDefinedTermSet"]["name"], "Skill taxonomy");
    assert_eq!(skill["identifier"]["@type"], "PropertyValue");
    assert_eq!(skill["identifier"]["propertyID"], "SFIA");
    assert_eq!(skill["identifier"]["value"], "AVMT");
    let role: Value = serde_json::from_str(&role_text(RoleFormat::JsonLd)).expect("JSON");
    assert!(
        role["skills"]
            .as_array()
            .expect("skills")
            .iter()
            .any(|s| s["termCode"] == skill["termCode"])
    );

    let kpi: Value = serde_json::from_str(&kpi_text(RoleFormat::JsonLd)).expect("JSON");
    assert_eq!(kpi["@type"], "DefinedTerm");
    assert_eq!(kpi["termCode"], "mttr");
    assert_eq!(
        kpi["description"],
        "Median time from detection to restored service."
    );
    assert_eq!(kpi["inDefinedTermSet"]["name"], "KPI catalog");
    assert!(kpi.get("identifier").is_none());

    // The HTML file carries the same structured data in its head.
    let html = kpi_text(RoleFormat::Html);
    let start = html.find("application/ld+json\">").expect("JSON-LD") + 21;
    let end = html[start..].find("</script>").expect("closed") + start;
    let data: Value = serde_json::from_str(&html[start..end]).expect("valid JSON");
    assert_eq!(data, kpi);
}

/// The JSON export is the API's document of the skill and the KPI.
#[test]
fn skill_and_kpi_json_is_the_wire_shape() {
    let catalog = fixture();
    let skill = catalog.skill("slo-engineering").expect("fixture skill");
    let wire = serde_json::to_value(rolebook_wire::Skill::of(&catalog, skill)).expect("JSON");
    let exported: Value = serde_json::from_str(&skill_text(RoleFormat::Json)).expect("JSON");
    assert_eq!(exported, wire);
    let kpi = catalog.kpi("mttr").expect("fixture KPI");
    let wire = serde_json::to_value(rolebook_wire::Kpi::of(&catalog, kpi)).expect("JSON");
    let exported: Value = serde_json::from_str(&kpi_text(RoleFormat::Json)).expect("JSON");
    assert_eq!(exported, wire);
}

#[test]
fn formats_are_named_by_their_extension() {
    for format in RoleFormat::ALL {
        assert_eq!(RoleFormat::from_extension(format.extension()), Some(format));
        assert!(!format.media_type().is_empty());
    }
    assert_eq!(RoleFormat::from_extension("exe"), None);
    assert_eq!(
        RoleFormat::Docx.media_type(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
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
    // The about-us (six lines) comes before the role's summary.
    assert!(rendered.contains("posting.md:13:"), "{rendered}");
    // Placed piece by piece, the same findings point into their paragraph.
    let placed = placed_findings(role, &doc);
    let texts: Vec<&str> = placed
        .iter()
        .map(|f| match &doc.blocks[f.block] {
            rolebook_export::document::Block::Paragraph(text) => &text[f.span.clone()],
            other => panic!("not a paragraph: {other:?}"),
        })
        .collect();
    assert_eq!(texts, ["ninjas", "sanity check"]);
    assert!(placed.iter().all(|f| f.block == placed[0].block));

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

#[test]
fn every_builtin_skill_and_kpi_exports_in_every_format_but_pdf() {
    let catalog = builtin_catalog();
    let formats = [
        RoleFormat::Markdown,
        RoleFormat::Html,
        RoleFormat::Json,
        RoleFormat::JsonLd,
    ];
    for skill in catalog.skills() {
        for format in formats {
            let out = text(export_skill(&catalog, skill, format).expect("skill exports"));
            assert!(out.contains(skill.id.as_str()), "{} {format:?}", skill.id);
        }
        let docx = export_skill(&catalog, skill, RoleFormat::Docx).expect("DOCX");
        assert!(docx.starts_with(b"PK"), "{}", skill.id);
    }
    for kpi in catalog.kpis() {
        for format in formats {
            let out = text(export_kpi(&catalog, kpi, format).expect("KPI exports"));
            assert!(out.contains(kpi.id.as_str()), "{} {format:?}", kpi.id);
        }
        let docx = export_kpi(&catalog, kpi, RoleFormat::Docx).expect("DOCX");
        assert!(docx.starts_with(b"PK"), "{}", kpi.id);
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

#[test]
fn a_posting_shows_only_the_sections_chosen_and_opens_with_the_company() {
    let options = full_options();
    let md = posting_text(&options, RoleFormat::Markdown);
    let about = md.find("## About Acme & Sons").expect("about us");
    let role = md.find("## About the role").expect("the role");
    assert!(about < role, "{md}");
    assert!(
        md.find("\n## ").is_some_and(|first| first == about - 1),
        "opens with about us: {md}"
    );
    for text in [
        "## What we offer",
        "- Thirty days of leave",
        "**Working model:** Hybrid",
        "## Equal opportunity",
        "## How to apply",
    ] {
        assert!(md.contains(text), "{text}: {md}");
    }
    let few = PostingOptions {
        sections: vec![Section::Summary, Section::Benefits],
        ..full_options()
    };
    let md = posting_text(&few, RoleFormat::Markdown);
    for gone in [
        "About Acme",
        "What you will do",
        "What you bring",
        "How success",
        "Equal opportunity",
        "How to apply",
    ] {
        assert!(!md.contains(gone), "{gone}: {md}");
    }
    assert!(
        md.contains("## What we offer") && md.contains("## The details"),
        "{md}"
    );
}

#[test]
fn job_posting_json_ld_carries_the_company_text() {
    let data: Value =
        serde_json::from_str(&posting_text(&full_options(), RoleFormat::JsonLd)).expect("JSON");
    assert_eq!(data["hiringOrganization"]["name"], "Acme & Sons");
    assert_eq!(data["hiringOrganization"]["sameAs"], "https://acme.example");
    assert_eq!(
        data["jobBenefits"],
        "Thirty days of leave; A learning budget of USD 2,000"
    );
    assert_eq!(data["jobLocationType"], "TELECOMMUTE");
    assert!(data.get("directApply").is_none());
    let description = data["description"].as_str().expect("description");
    for part in [
        "<h2>About Acme &amp; Sons</h2>",
        "<h2>What we offer</h2>",
        "<h2>Equal opportunity</h2>",
        "<h2>How to apply</h2>",
        "<dt>Working model</dt>",
    ] {
        assert!(description.contains(part), "{part}");
    }
    let http = PostingOptions {
        company_url: Some("http://acme.example".to_string()),
        ..full_options()
    };
    let catalog = fixture();
    let role = catalog.role("sre-manager").expect("fixture role");
    let error = export_posting(&catalog, role, &http, RoleFormat::Docx).expect_err("not https");
    assert!(error.to_string().contains("https://"), "{error}");
}
