//! Text that follows the catalog: references resolve to the current titles,
//! names and targets; lint finds prose that would go stale.

use std::fs;
use std::path::Path;

use rolebook_core::{Catalog, SourceFile, Sources, load};

/// The minimal valid catalog, with `edit` applied to each file's text.
fn minimal(edit: impl Fn(&str, String) -> String) -> Sources {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/catalogs/valid/minimal");
    let mut files = Vec::new();
    for path in [
        "framework.toml",
        "skills.toml",
        "kpis.toml",
        "roles/sre-manager.toml",
        "roles/sre-director.toml",
    ] {
        let text = fs::read_to_string(root.join(path)).expect("fixture readable");
        files.push(SourceFile::new(path, edit(path, text)));
    }
    Sources::new(files)
}

fn with_references(path: &str, text: String) -> String {
    match path {
        "roles/sre-manager.toml" => text
            .replace(
                "summary = \"Leads an SRE team.\"",
                "summary = \"The {role} leads an SRE team and reports to the {role:sre-director}.\"",
            )
            .replace(
                "purpose = \"Keeps services reliable.\"",
                "purpose = \"Keeps {kpi:slo-attainment} at {target:slo-attainment} ({{literal}).\"",
            ),
        "kpis.toml" => text.replacen("definition = \"", "definition = \"Set by the {role:sre-director}. ", 1),
        _ => text,
    }
}

fn catalog(sources: Sources) -> (Catalog, Sources) {
    let loaded = load(sources);
    let rendered = rolebook_core::diagnostic::render(&loaded.sources, &loaded.diagnostics, false);
    (
        loaded
            .catalog
            .unwrap_or_else(|| panic!("valid:\n{rendered}")),
        loaded.sources,
    )
}

#[test]
fn references_resolve_and_the_written_text_is_kept() {
    let (catalog, _) = catalog(minimal(with_references));
    let role = catalog.role("sre-manager").expect("role");
    assert_eq!(
        role.summary,
        "The SRE Manager leads an SRE team and reports to the SRE Director."
    );
    assert_eq!(
        role.purpose,
        "Keeps SLO attainment at 95% of SLOs met ({literal})."
    );
    assert!(
        catalog
            .kpi("slo-attainment")
            .expect("kpi")
            .definition
            .starts_with("Set by the SRE Director. ")
    );
    let written = &catalog.written_roles()[1];
    assert_eq!(written.id.as_str(), "sre-manager");
    assert!(written.summary.starts_with("The {role} leads"));
}

#[test]
fn a_retitle_and_a_new_target_reach_every_mention() {
    let (catalog, _) = catalog(minimal(|path, text| {
        with_references(path, text)
            .replace(
                "title = \"SRE Director\"",
                "title = \"Head of Reliability\"",
            )
            .replace("title = \"SRE Manager\"", "title = \"Reliability Lead\"")
            .replace(
                "target = \"95% of SLOs met\"",
                "target = \"97% of SLOs met\"",
            )
    }));
    let role = catalog.role("sre-manager").expect("role");
    assert_eq!(
        role.summary,
        "The Reliability Lead leads an SRE team and reports to the Head of Reliability."
    );
    assert!(role.purpose.contains("97% of SLOs met"), "{}", role.purpose);
    let json = serde_json::to_string(&catalog.roles()).expect("serialises");
    for stale in ["SRE Director", "SRE Manager", "95% of SLOs"] {
        assert!(!json.contains(stale), "`{stale}` is still shown");
    }
}

#[test]
fn a_catalog_without_references_is_not_held_twice() {
    let (catalog, _) = catalog(minimal(|_, text| text));
    assert!(std::ptr::eq(catalog.roles(), catalog.written_roles()));
}

#[test]
fn lint_finds_spelled_titles_and_restated_targets() {
    let (catalog, sources) = catalog(minimal(|path, text| {
        match path {
        "roles/sre-manager.toml" => text.replace(
            "purpose = \"Keeps services reliable.\"",
            "purpose = \"Works with the SRE Director so that 95% of SLOs are met; SRE Directors are not matched; reports to a {role:sre-director}.\"",
        ),
        _ => text,
    }
    }));
    let findings = rolebook_core::lint::lint(&catalog, &sources);
    let found: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                "spelled-title" | "restated-target" | "reference-article"
            )
        })
        .map(|f| {
            (
                f.code,
                &sources.file(f.file.expect("located")).text[f.span.clone()],
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("spelled-title", "SRE Director"),
            ("restated-target", "95%"),
            ("reference-article", "a {role:sre-director}"),
        ]
    );
    let hint = findings
        .iter()
        .find(|f| f.code == "spelled-title")
        .and_then(|f| f.hint.clone());
    assert!(hint.is_some_and(|h| h.contains("{role:sre-director}")));
}

#[test]
fn a_role_suppresses_a_spelled_title_in_its_own_file_only() {
    let spelled = "purpose = \"Works with the SRE Director every week.\"";
    let (catalog, sources) = catalog(minimal(|path, text| match path {
        "roles/sre-manager.toml" => {
            text.replace("purpose = \"Keeps services reliable.\"", spelled)
                + "\n[[lint.allow]]\nrule = \"spelled-title\"\ntext = \"SRE Director\"\nreason = \"Named as a person here.\"\n"
                + "\n[[lint.allow]]\nrule = \"spelled-title\"\ntext = \"SRE Manager\"\nreason = \"Allowed here, not in other files.\"\n"
        }
        "roles/sre-director.toml" => text.replace(
            "purpose = \"Keeps the portfolio reliable.\"",
            "purpose = \"Coaches every SRE Manager of the portfolio.\"",
        ),
        _ => text,
    }));
    let spelled_in: Vec<&str> = rolebook_core::lint::lint(&catalog, &sources)
        .iter()
        .filter(|f| f.code == "spelled-title")
        .map(|f| sources.file(f.file.expect("located")).path.as_str())
        .collect();
    assert_eq!(spelled_in, ["roles/sre-director.toml"]);
}

#[test]
fn the_organisation_renames_levels_and_families_and_its_text_follows_the_catalog() {
    let mut sources = minimal(|_, text| text);
    let organisation = r#"
name = "Acme Software"
website = "https://acme.example"
intro = "From the {role:sre-manager} to the {role:sre-director}."
[levels]
director = "Director (M3)"
[families]
reliability = "Reliability Engineering"
[posting]
about = "Acme builds billing software."
benefits = ["Thirty days of leave"]
"#;
    let mut files = sources.files().to_vec();
    files.push(SourceFile::new("organisation.toml", organisation));
    sources = Sources::new(files);
    let (catalog, _) = catalog(sources);
    let organisation = catalog.organisation();
    assert_eq!(organisation.name.as_deref(), Some("Acme Software"));
    assert_eq!(
        organisation.intro.as_deref(),
        Some("From the SRE Manager to the SRE Director.")
    );
    assert_eq!(organisation.posting.benefits, ["Thirty days of leave"]);
    assert_eq!(
        catalog.level("director").expect("level").name,
        "Director (M3)"
    );
    assert_eq!(
        catalog.family("reliability").expect("family").name,
        "Reliability Engineering"
    );
}

#[test]
fn a_kpi_that_only_has_contributors_has_no_owner() {
    let contributes =
        |text: String| text.replacen("why = \"", "accountability = \"contributes\"\nwhy = \"", 1);
    // The manager contributes to a number the director answers for: fine.
    let (one, sources) = catalog(minimal(|path, text| match path {
        "roles/sre-manager.toml" => contributes(text),
        _ => text,
    }));
    let manager = one.role("sre-manager").expect("role");
    assert_eq!(
        manager.kpis[0].accountability,
        rolebook_core::model::Accountability::Contributes
    );
    let findings = rolebook_core::lint::lint(&one, &sources);
    assert!(!findings.iter().any(|f| f.code == "unowned-kpi"));
    // Both only contribute: the number has no owner, said at each.
    let (both, sources) = catalog(minimal(|path, text| match path {
        "roles/sre-manager.toml" | "roles/sre-director.toml" => contributes(text),
        _ => text,
    }));
    let findings = rolebook_core::lint::lint(&both, &sources);
    let unowned: Vec<(String, &str)> = findings
        .iter()
        .filter(|f| f.code == "unowned-kpi")
        .map(|f| {
            let file = sources.file(f.file.expect("located"));
            (file.path.to_string(), &file.text[f.span.clone()])
        })
        .collect();
    assert_eq!(
        unowned,
        [
            ("roles/sre-director.toml".to_string(), "\"slo-attainment\""),
            ("roles/sre-manager.toml".to_string(), "\"slo-attainment\"")
        ]
    );
}
