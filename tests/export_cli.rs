//! End-to-end tests of `rolebook export` and `rolebook jd`: what reaches
//! stdout and stderr, files written atomically, exit codes, and errors that
//! say what to do.

mod common;

use std::fs;

use common::{EXPORT_FIXTURE as FIXTURE, failure, names, ok, ok_with_stderr, run};
use serde_json::Value;

#[test]
fn export_prints_markdown_by_default() {
    let stdout = ok(&["--catalog", FIXTURE, "export", "SRE Team Lead"]);
    assert!(stdout.starts_with("# SRE Manager\n"));
    assert!(stdout.contains("| KPI | Target | Unit | Direction | Cadence |"));
}

#[test]
fn export_writes_each_format_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, magic) in [
        ("md", &b"# Chief Technology Officer"[..]),
        ("html", b"<!DOCTYPE html>"),
        ("json", b"{"),
        ("jsonld", b"{"),
        ("docx", b"PK"),
        ("pdf", b"%PDF-"),
    ] {
        if format == "pdf" && !cfg!(feature = "pdf") {
            continue;
        }
        let path = dir.path().join(format!("cto.{format}"));
        let target = path.to_str().expect("UTF-8 path");
        let (stdout, stderr) = ok_with_stderr(&["export", "CTO", "--format", format, "-o", target]);
        assert!(stdout.is_empty(), "{format}: the file, not stdout");
        assert!(stderr.contains("wrote "), "{format}: {stderr}");
        let bytes = fs::read(&path).expect("written");
        assert!(bytes.starts_with(magic), "{format}");
    }
    // Nothing but the files: no temporary left behind.
    let expected = if cfg!(feature = "pdf") { 6 } else { 5 };
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), expected);
}

/// `--skill` and `--kpi` export the same formats as a role, through the
/// same library functions the web app's downloads use.
#[test]
fn export_skills_and_kpis() {
    let md = ok(&["--catalog", FIXTURE, "export", "--skill", "slo-engineering"]);
    assert!(md.starts_with("# SLO & error-budget engineering\n"), "{md}");
    assert!(md.contains("## Proficiency levels"));
    assert!(md.contains("| SRE Manager | 4 Advanced | core |"), "{md}");
    // A name works as well as an id, in any case.
    let by_name = ok(&[
        "--catalog",
        FIXTURE,
        "export",
        "--kpi",
        "mean time TO restore",
    ]);
    assert!(by_name.starts_with("# Mean time to restore\n"), "{by_name}");
    assert!(by_name.contains("## Who owns it"));

    let json = ok(&[
        "--catalog",
        FIXTURE,
        "export",
        "--kpi",
        "mttr",
        "--format",
        "json",
    ]);
    let kpi: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(kpi["id"], "mttr");
    assert_eq!(kpi["owners"][0]["role"], "sre-manager");
    let jsonld = ok(&[
        "--catalog",
        FIXTURE,
        "export",
        "--skill",
        "slo-engineering",
        "--format",
        "jsonld",
    ]);
    let term: Value = serde_json::from_str(&jsonld).expect("JSON-LD");
    assert_eq!(term["@type"], "DefinedTerm");
    assert_eq!(term["inDefinedTermSet"]["@type"], "DefinedTermSet");

    let dir = tempfile::tempdir().expect("tempdir");
    for (args, magic) in [
        (
            ["--skill", "incident-management", "--format", "docx"],
            &b"PK"[..],
        ),
        (
            ["--kpi", "mean-time-to-restore", "--format", "html"],
            b"<!DOCTYPE html>",
        ),
    ] {
        let path = dir.path().join(format!("out.{}", args[3]));
        let target = path.to_str().expect("UTF-8 path");
        let mut all = vec!["export"];
        all.extend(args);
        all.extend(["-o", target]);
        let (stdout, stderr) = ok_with_stderr(&all);
        assert!(stdout.is_empty() && stderr.contains("wrote "), "{stderr}");
        assert!(fs::read(&path).expect("written").starts_with(magic));
    }

    let error = failure(&["export", "--skill", "incident-managment"]);
    assert!(
        error
            .contains("no skill matches `incident-managment`; did you mean `incident-management`?"),
        "{error}"
    );
    let error = failure(&["export", "--kpi", "zzz"]);
    assert!(error.contains("no KPI matches `zzz`"), "{error}");
    let error = failure(&["export", "--kpi", "mttr", "--format", "xlsx"]);
    assert!(error.contains("export --all --format csv"), "{error}");
    let error = failure(&["export", "cto", "--skill", "x"]);
    assert!(error.contains("cannot be used with"), "{error}");
}

#[test]
fn export_all_tables() {
    let stdout = ok(&["--catalog", FIXTURE, "export", "--all"]);
    let tables: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(tables["format"], "rolebook-catalog-tables/1");

    let skills = ok(&[
        "--catalog",
        FIXTURE,
        "export",
        "--all",
        "--format",
        "csv",
        "--table",
        "skills",
    ]);
    assert_eq!(
        skills.lines().next(),
        Some(
            "Role id,Role,Family,Level,People leadership,Incident command,SLO & error-budget engineering"
        )
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("tables");
    let target = out.to_str().expect("UTF-8 path");
    let csv_to_dir = [
        "--catalog",
        FIXTURE,
        "export",
        "--all",
        "--format",
        "csv",
        "-o",
        target,
    ];
    ok(&csv_to_dir);
    assert_eq!(
        names(&out),
        [
            "career-edges.csv",
            "kpi-ownership.csv",
            "responsibilities.csv",
            "skills-matrix.csv"
        ]
    );
    // Again into the existing directory: files replaced, nothing else added.
    ok(&csv_to_dir);
    assert_eq!(fs::read_dir(&out).expect("list").count(), 4);
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);

    let xlsx = dir.path().join("catalog.xlsx");
    ok(&[
        "export",
        "--all",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().expect("path"),
    ]);
    assert!(fs::read(&xlsx).expect("written").starts_with(b"PK"));
}

#[test]
fn export_errors_say_what_to_do() {
    let error = failure(&["export", "CTO", "--format", "xlsx"]);
    assert!(error.contains("export --all --format csv"), "{error}");
    let error = failure(&["export", "--all", "--format", "pdf"]);
    assert!(error.contains("csv, xlsx or json"), "{error}");
    let error = failure(&["export", "--all", "--format", "csv"]);
    assert!(error.contains("-o DIR"), "{error}");
    let error = failure(&["export", "ctoo"]);
    assert!(error.contains("did you mean"), "{error}");
    let dir = tempfile::tempdir().expect("tempdir");
    let error = failure(&[
        "export",
        "CTO",
        "-o",
        dir.path().join("missing/cto.md").to_str().expect("path"),
    ]);
    assert!(error.contains("cannot write in"), "{error}");
    let error = failure(&["export", "CTO", "-o", dir.path().to_str().expect("path")]);
    assert!(error.contains("is a directory"), "{error}");
}

#[test]
fn jd_writes_the_posting_and_reports_its_wording() {
    let (stdout, stderr) = ok_with_stderr(&[
        "--catalog",
        FIXTURE,
        "jd",
        "sre-manager",
        "--company",
        "Acme",
        "--location",
        "Berlin, DE",
        "--salary",
        "90k-110k",
        "EUR",
        "--date-posted",
        "2026-11-01",
        "--format",
        "jsonld",
    ]);
    let posting: Value = serde_json::from_str(&stdout).expect("JSON-LD");
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["validThrough"], "2026-12-31");
    assert_eq!(posting["baseSalary"]["value"]["minValue"], 90_000);
    assert!(
        stderr.contains("job posting wording: no inclusive-language findings"),
        "{stderr}"
    );
    let md = ok(&["jd", "CTO"]);
    assert!(md.contains("## How success is measured"));
}

#[test]
fn jd_flags_wording_and_fails_with_strict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    ok(&["init", catalog.to_str().expect("path")]);
    let role = catalog.join("roles/sre-manager.toml");
    let text = fs::read_to_string(&role).expect("role file");
    fs::write(
        &role,
        text.replacen(
            "runs one site reliability",
            "is a rockstar who runs one site reliability",
            1,
        ),
    )
    .expect("edit");
    let posting = dir.path().join("posting.md");
    let args = [
        "--catalog",
        catalog.to_str().expect("path"),
        "jd",
        "sre-manager",
        "-o",
        posting.to_str().expect("path"),
    ];
    let (_, stderr) = ok_with_stderr(&args);
    assert!(
        stderr.contains("warning[inclusive-language]: `rockstar`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("posting.md:7:"),
        "located in the written file: {stderr}"
    );
    assert!(stderr.contains("1 inclusive-language finding"), "{stderr}");
    let mut strict = args.to_vec();
    strict.push("--strict");
    let output = run(&strict);
    assert_eq!(output.status.code(), Some(1), "findings fail with --strict");
    assert!(posting.is_file(), "the posting is written all the same");
}

#[test]
fn jd_errors_say_what_to_do() {
    let error = failure(&["jd", "CTO", "--format", "jsonld"]);
    assert!(error.contains("--company"), "{error}");
    let error = failure(&["jd", "CTO", "--company", "A", "--format", "jsonld"]);
    assert!(error.contains("--location"), "{error}");
    let error = failure(&["jd", "CTO", "--location", "Berlin"]);
    assert!(error.contains("City, Country"), "{error}");
    let error = failure(&["jd", "CTO", "--salary", "lots", "EUR"]);
    assert!(error.contains("MIN-MAX"), "{error}");
    let error = failure(&["jd", "CTO", "--salary", "1-2", "euro"]);
    assert!(error.contains("ISO 4217"), "{error}");
    let error = failure(&["jd", "CTO", "--date-posted", "2026-02-30"]);
    assert!(error.contains("YYYY-MM-DD"), "{error}");
}

/// The export fixture with an organisation.toml, in a temporary directory.
fn catalog_with_organisation() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = std::path::Path::new(FIXTURE);
    fs::create_dir_all(dir.path().join("roles")).expect("mkdir");
    for file in [
        "framework.toml",
        "skills.toml",
        "kpis.toml",
        "roles/sre-manager.toml",
        "roles/sre-director.toml",
    ] {
        fs::copy(fixture.join(file), dir.path().join(file)).expect("copy");
    }
    fs::write(
        dir.path().join("organisation.toml"),
        "name = \"Acme Tools\"\nwebsite = \"https://acme.example\"\n\n[posting]\nabout = \"Acme Tools makes tools for builders.\"\nbenefits = [\"30 days of leave\"]\nequal_opportunity = \"We welcome every applicant.\"\nhow_to_apply = \"Apply at https://acme.example/jobs.\"\n",
    )
    .expect("write");
    dir
}

#[test]
fn jd_takes_the_organisations_posting_text_and_flags_override_it() {
    let dir = catalog_with_organisation();
    let catalog = dir.path().to_str().expect("path");
    let md = ok(&[
        "--catalog",
        catalog,
        "jd",
        "sre-manager",
        "--date-posted",
        "2026-11-01",
    ]);
    assert!(
        md.contains("## About Acme Tools\n\nAcme Tools makes tools for builders."),
        "{md}"
    );
    assert!(md.contains("- 30 days of leave"), "{md}");
    assert!(md.contains("We welcome every applicant."), "{md}");
    assert!(md.contains("Apply at https://acme.example/jobs."), "{md}");
    let json = ok(&[
        "--catalog",
        catalog,
        "jd",
        "sre-manager",
        "--remote",
        "Germany",
        "--format",
        "jsonld",
    ]);
    let posting: Value = serde_json::from_str(&json).expect("JSON-LD");
    assert_eq!(posting["hiringOrganization"]["name"], "Acme Tools");
    assert_eq!(
        posting["hiringOrganization"]["sameAs"],
        "https://acme.example"
    );
    assert_eq!(posting["jobBenefits"], "30 days of leave");

    let md = ok(&[
        "--catalog",
        catalog,
        "jd",
        "sre-manager",
        "--about",
        "We are Globex.",
        "--benefit",
        "Free lunch",
        "--benefit",
        "Bikes",
        "--working-model",
        "Remote first",
        "--equal-opportunity",
        "",
        "--how-to-apply",
        "Write to jobs@globex.example.",
        "--sections",
        "about,benefits,equal-opportunity,how-to-apply",
    ]);
    assert!(md.contains("We are Globex."), "{md}");
    assert!(md.contains("- Free lunch\n- Bikes"), "{md}");
    assert!(!md.contains("30 days of leave"), "{md}");
    assert!(md.contains("**Working model:** Remote first"), "{md}");
    assert!(
        !md.contains("## Equal opportunity"),
        "given as nothing: {md}"
    );
    assert!(md.contains("Write to jobs@globex.example."), "{md}");
    assert!(!md.contains("## What you will do"), "{md}");
    assert!(!md.contains("## About the role"), "{md}");

    let error = failure(&[
        "--catalog",
        catalog,
        "jd",
        "sre-manager",
        "--sections",
        "about,perks",
    ]);
    assert!(error.contains("no section `perks`"), "{error}");
    let error = failure(&["jd", "CTO", "--company-url", "http://acme.example"]);
    assert!(error.contains("https://"), "{error}");
}
