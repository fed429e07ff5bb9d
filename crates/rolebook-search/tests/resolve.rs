//! Title resolution on the cases the issue names, on an organisation's own
//! catalog, and on bad input.

mod common;

use rolebook_search::{MatchStatus, Resolution, ResolveError, TitleResolver};

fn resolver() -> TitleResolver {
    TitleResolver::new(&common::builtin_catalog())
}

fn answer(resolution: &Resolution) -> Option<&str> {
    resolution.role.as_ref().map(|c| c.role_id.as_str())
}

fn candidate_ids(resolution: &Resolution) -> Vec<&str> {
    resolution
        .candidates
        .iter()
        .map(|c| c.role_id.as_str())
        .collect()
}

#[test]
fn exact_titles_aliases_and_ids_resolve_exactly() {
    let resolver = resolver();
    for (title, id) in [
        ("SRE Manager", "sre-manager"),
        ("cto", "chief-technology-officer"),
        ("Director, IT Service Delivery", "director-of-it-operations"),
        ("vp-of-data-and-ai", "vp-of-data-and-ai"),
        ("VP, Data & AI", "vp-of-data-and-ai"),
    ] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(
            resolution.status,
            MatchStatus::Exact,
            "{title}: {resolution:#?}"
        );
        assert_eq!(answer(&resolution), Some(id), "{title}");
        assert!(resolution.confidence > 0.95, "{title}");
    }
}

#[test]
fn cdo_is_ambiguous_and_never_a_silent_pick() {
    let resolver = resolver();
    for title in ["CDO", "C.D.O.", "Group CDO", "CDO, EMEA"] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(resolution.status, MatchStatus::Ambiguous, "{title}");
        assert!(resolution.ambiguous);
        assert_eq!(resolution.role, None, "no pick for {title}");
        let mut ids = candidate_ids(&resolution);
        ids.sort_unstable();
        assert_eq!(ids, vec!["chief-data-officer", "chief-digital-officer"]);
        assert!(
            resolution
                .explanation
                .notes
                .iter()
                .any(|n| n.contains("2 readings")),
            "{:?}",
            resolution.explanation.notes
        );
    }
    // A qualifier that says which one settles it.
    let resolution = resolver.resolve_title("CDO (Digital)");
    assert_eq!(answer(&resolution), Some("chief-digital-officer"));
}

#[test]
fn abbreviations_punctuation_and_suffixes() {
    let resolver = resolver();
    for (title, id) in [
        ("Director, Site Reliability", "sre-director"),
        ("Site Reliability Engineering – Manager", "sre-manager"),
        ("VP – Infrastructure", "vp-of-infrastructure-engineering"),
        ("SRE Manager, Payments", "sre-manager"),
        ("Sr. Mgr, Product Security", "product-security-manager"),
        ("Engg Mgr", "software-engineering-manager"),
        ("VP Infra", "vp-of-infrastructure-engineering"),
        ("IT Ops Director", "director-of-it-operations"),
        ("CISO – EMEA", "chief-information-security-officer"),
        ("QA Manager", "qa-engineering-manager"),
        ("VP of DevOps", "vp-of-devops"),
    ] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(answer(&resolution), Some(id), "{title}: {resolution:#?}");
    }
    let payments = resolver.resolve_title("SRE Manager, Payments");
    assert_eq!(payments.explanation.ignored, vec!["Payments"]);
}

#[test]
fn svp_evp_avp_read_as_vice_presidents_with_a_note() {
    let resolver = resolver();
    for title in ["SVP Engineering", "EVP, Engineering"] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(answer(&resolution), Some("vp-of-engineering"), "{title}");
        assert!(
            resolution
                .explanation
                .notes
                .iter()
                .any(|n| n.contains("a vice president level")),
            "{title}: {:?}",
            resolution.explanation.notes
        );
    }
}

#[test]
fn nearby_levels_land_on_the_nearest_role_and_say_so() {
    let resolver = resolver();
    let resolution = resolver.resolve_title("Senior Director, Platform Engineering");
    assert_eq!(resolution.status, MatchStatus::Nearby);
    assert_eq!(answer(&resolution), Some("vp-of-platform-engineering"));
    assert!(
        resolution.confidence < 0.95,
        "not exact: {}",
        resolution.confidence
    );
    assert!(resolution.confidence >= 0.5);
    assert_eq!(
        resolution.explanation.level.as_deref(),
        Some("senior director (6.5)")
    );
    assert!(
        resolution
            .explanation
            .notes
            .iter()
            .any(|n| n.starts_with("level differs")),
        "{:?}",
        resolution.explanation.notes
    );
    let head = resolver.resolve_title("Head of Engineering");
    assert_eq!(head.status, MatchStatus::Nearby);
    assert_eq!(answer(&head), Some("vp-of-engineering"));
}

#[test]
fn titles_outside_the_catalog_get_no_confident_match() {
    let resolver = resolver();
    for title in [
        "Registered Nurse",
        "Sales Director",
        "Mechanical Engineering Manager",
        "Security Guard",
        "Software Engineer",
        "Senior Product Manager",
        "Chief Financial Officer",
        "Chief Diversity Officer (CDO)",
        "Executive Assistant to the CTO",
    ] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(
            resolution.status,
            MatchStatus::None,
            "{title}: {resolution:#?}"
        );
        assert_eq!(resolution.role, None);
        assert!(resolution.confidence < 0.5, "{title}");
    }
}

#[test]
fn titles_that_work_for_a_role_are_not_that_role() {
    let resolver = resolver();
    // Issue 15: someone who assists, recruits for, reports to, supports or
    // sits in the office of a role is not that role.
    for (title, serves) in [
        ("Executive Assistant to the CTO", "CTO"),
        ("Assistant to the CISO", "CISO"),
        ("Recruiter for the VP of Engineering", "VP Engineering"),
        ("Chief of Staff, Office of the CTO", "CTO"),
        ("Office of the CTO", "CTO"),
        ("Reports to the CTO", "CTO"),
        ("Technical Recruiter (CISO org)", "CISO"),
        ("EA to CTO", "CTO"),
        ("Executive Assistant, CTO", "CTO"),
        ("CTO, Executive Assistant", "CTO"),
        ("Chief of Staff to the CTO", "CTO"),
        ("Chief of Staff, CTO", "CTO"),
        ("CTO Office", "CTO"),
        ("VP Engineering Recruiter", "VP Engineering"),
        ("Program Manager for the CTO", "CTO"),
        ("Supporting the CISO", "CISO"),
        ("Secretary to the CIO at Acme", "CIO"),
    ] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(
            resolution.status,
            MatchStatus::None,
            "{title}: {resolution:#?}"
        );
        assert!(resolution.confidence < 0.5, "{title}");
        let note = format!("works for {serves}, not as {serves}");
        assert!(
            resolution.explanation.notes.contains(&note),
            "{title}: {:?}",
            resolution.explanation.notes
        );
    }
    // Real titles of the role keep matching it, "Deputy" and "Assistant"
    // as a rank below it.
    for (title, id, status) in [
        ("CTO", "chief-technology-officer", MatchStatus::Exact),
        (
            "Chief Technology Officer",
            "chief-technology-officer",
            MatchStatus::Exact,
        ),
        (
            "Deputy CTO",
            "chief-technology-officer",
            MatchStatus::Nearby,
        ),
        (
            "Assistant CTO",
            "chief-technology-officer",
            MatchStatus::Nearby,
        ),
        (
            "CTO at Acme",
            "chief-technology-officer",
            MatchStatus::Match,
        ),
        (
            "Vice President for Information Technology",
            "vp-of-it",
            MatchStatus::Match,
        ),
        (
            "Software Engineering Manager, Office of the CTO",
            "software-engineering-manager",
            MatchStatus::Match,
        ),
    ] {
        let resolution = resolver.resolve_title(title);
        assert_eq!(answer(&resolution), Some(id), "{title}: {resolution:#?}");
        assert_eq!(resolution.status, status, "{title}");
    }
}

#[test]
fn an_organisations_own_support_roles_are_found() {
    let catalog = common::builtin_with(vec![common::role_file(
        "technical-recruiter",
        "Technical Recruiter",
        r#""Engineering Recruiter""#,
        "engineering",
        "manager",
        "Hires engineers.",
    )]);
    let resolver = TitleResolver::new(&catalog);
    // The catalog's word wins over the support-job table: "Recruiter" is a
    // topic here, matched like any other.
    let resolution = resolver.resolve_title("Technical Recruiter – EMEA");
    assert_eq!(resolution.candidates[0].role_id, "technical-recruiter");
    assert_eq!(
        resolution.explanation.matched,
        vec!["Technical", "Recruiter"]
    );
    let resolution = resolver.resolve_title("Engineering Recruiter Manager");
    assert_eq!(
        answer(&resolution),
        Some("technical-recruiter"),
        "{resolution:#?}"
    );
}

#[test]
fn explanations_name_tokens_family_and_level() {
    let resolution = resolver().resolve_title("Sr. Dirctor, Site Reliablity");
    assert_eq!(answer(&resolution), Some("sre-director"));
    let explanation = &resolution.explanation;
    assert_eq!(explanation.family.as_deref(), Some("reliability"));
    assert_eq!(explanation.level.as_deref(), Some("senior director (6.5)"));
    assert_eq!(explanation.matched, vec!["Site Reliablity"]);
    assert!(
        explanation
            .notes
            .iter()
            .any(|n| n.contains("'Dirctor' as 'director'")),
        "{:?}",
        explanation.notes
    );
    let summary = explanation.summary();
    assert!(summary.contains("family reliability"), "{summary}");
}

#[test]
fn candidates_are_ranked_and_the_runner_up_is_another_role() {
    let resolution = resolver().resolve_title("SRE Manager");
    let runner_up = resolution.runner_up.expect("a runner-up");
    assert_ne!(runner_up.role_id, "sre-manager");
    assert!(runner_up.confidence <= resolution.confidence);
    let scores: Vec<f32> = resolution.candidates.iter().map(|c| c.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let resolver = resolver();
    assert_eq!(resolver.resolve("   "), Err(ResolveError::Empty));
    assert_eq!(resolver.resolve(" ,;– "), Err(ResolveError::Empty));
    let long = "Director ".repeat(40);
    assert!(matches!(
        resolver.resolve(&long),
        Err(ResolveError::TooLong { .. })
    ));
    // Anything else resolves to something, whatever it holds.
    for title in [
        "🙂",
        "\u{0}",
        "a",
        "Ünïcödé Dïrëctör",
        "@@@ at at to",
        "((((",
        "-",
    ] {
        let _ = resolver.resolve_title(title);
    }
}

#[test]
fn an_organisations_own_catalog_is_its_own_vocabulary() {
    let resolver = TitleResolver::new(&common::sales_catalog());
    // "Sales" is a foreign field for the built-in catalog, but this
    // catalog has a sales family.
    let resolution = resolver.resolve_title("Sales Dir., EMEA");
    assert_eq!(
        answer(&resolution),
        Some("sales-director"),
        "{resolution:#?}"
    );
    // Acronyms come from the catalog's own "Chief … Officer" titles.
    let cro = resolver.resolve_title("CRO");
    assert_eq!(answer(&cro), Some("chief-revenue-officer"), "{cro:#?}");
    let head = resolver.resolve_title("Field Engineering Director");
    assert_eq!(
        answer(&head),
        Some("head-of-field-engineering"),
        "{head:#?}"
    );
    assert_eq!(head.status, MatchStatus::Nearby);
    // Roles the organisation does not have are not invented.
    let none = resolver.resolve_title("SRE Manager");
    assert_eq!(none.status, MatchStatus::None, "{none:#?}");
}

#[test]
fn the_resolver_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TitleResolver>();
    assert_send_sync::<rolebook_search::Engine>();
}
