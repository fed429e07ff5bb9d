//! End-to-end tests of the career commands (diff, next, path, graph, gap,
//! fit) on the built-in catalog: exact output pinned by insta snapshots,
//! JSON checked for shape and consistency, files written atomically.

mod common;

use std::fs;

use common::{failure, json, names, ok, run};
use serde_json::Value;

const EXAMPLE: &str = "testdata/profiles/example.toml";

#[test]
fn diff_text_and_markdown() {
    insta::assert_snapshot!(
        "diff-sre-manager-sre-director-text",
        ok(&["diff", "SRE Manager", "sre-director"])
    );
    insta::assert_snapshot!(
        "diff-software-engineering-manager-cto-markdown",
        ok(&[
            "diff",
            "software-engineering-manager",
            "CTO",
            "--format",
            "markdown"
        ])
    );
}

#[test]
fn diff_json_agrees_with_itself() {
    let diff = json(&["diff", "sre-manager", "sre-director", "--format", "json"]);
    assert_eq!(diff["from"], "sre-manager");
    assert_eq!(diff["level"]["to"], "Director");
    assert_eq!(diff["level"]["rank_change"], 2);
    let gained = diff["skills_gained"].as_array().expect("array");
    let gap_skills = diff["gap"]["skills"].as_array().expect("array");
    // Every gained skill is part of the gap at its full weighted level.
    for skill in gained {
        let line = gap_skills
            .iter()
            .find(|l| l["skill"] == skill["skill"])
            .expect("gained skills are in the gap");
        assert_eq!(line["current"], 0);
    }
    let total: u64 = gap_skills
        .iter()
        .map(|l| l["weighted_shortfall"].as_u64().expect("number"))
        .sum();
    assert_eq!(diff["gap"]["total"].as_u64(), Some(total));
    // The reverse move gains what this one loses.
    let back = json(&["diff", "sre-director", "sre-manager", "--format", "json"]);
    assert_eq!(back["skills_gained"], diff["skills_lost"]);
    assert_eq!(back["kpis_lost"], diff["kpis_gained"]);
}

#[test]
fn next_ranks_moves_by_kind_then_gap() {
    insta::assert_snapshot!("next-sre-manager-text", ok(&["next", "sre-manager"]));
    insta::assert_snapshot!(
        "next-head-of-it-markdown",
        ok(&["next", "Head of IT", "--format", "markdown"])
    );
    let next = json(&["next", "sre-manager", "--format", "json"]);
    let rank = |kind: &str| {
        ["next", "lateral", "implied"]
            .iter()
            .position(|k| *k == kind)
    };
    let order: Vec<(usize, u64)> = next["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .map(|m| {
            let kind = m["kind"].as_str().and_then(rank).expect("a kind");
            (kind, m["gap"]["total"].as_u64().expect("gap"))
        })
        .collect();
    assert!(order.len() > 2);
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    // A feeder at the same level is a sideways move, not a step up: the
    // Privacy Engineering Manager names the Software Engineering Manager.
    let moves = json(&["next", "software-engineering-manager", "--format", "json"]);
    let privacy = moves["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .find(|m| m["to"] == "privacy-engineering-manager")
        .expect("a move to the Privacy Engineering Manager");
    assert_eq!(privacy["kind"], "lateral");
    // next and feeders declarations of the same move are one edge.
    let director = next["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .find(|m| m["to"] == "sre-director")
        .expect("sre-director is a next move");
    let fields: Vec<&str> = director["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["career.feeders", "career.next"]);
}

#[test]
fn path_finds_the_smallest_total_gaps() {
    insta::assert_snapshot!(
        "path-sre-manager-cto-text",
        ok(&["path", "sre-manager", "chief-technology-officer"])
    );
    let report = json(&[
        "path",
        "sre-manager",
        "chief-technology-officer",
        "--k",
        "5",
        "--format",
        "json",
    ]);
    let paths = report["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 5);
    let totals: Vec<u64> = paths
        .iter()
        .map(|p| p["total_gap"].as_u64().expect("total"))
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    for path in paths {
        let steps = path["steps"].as_array().expect("steps");
        let sum: u64 = steps
            .iter()
            .map(|s| s["gap"]["total"].as_u64().expect("gap"))
            .sum();
        assert_eq!(path["total_gap"].as_u64(), Some(sum));
        assert_eq!(steps[0]["from"], "sre-manager");
        assert_eq!(steps[steps.len() - 1]["to"], "chief-technology-officer");
        for pair in steps.windows(2) {
            assert_eq!(pair[0]["to"], pair[1]["from"], "steps connect");
        }
    }
    insta::assert_snapshot!(
        "path-same-role",
        failure(&["path", "sre-manager", "SRE Manager"])
    );
}

#[test]
fn path_starts_from_a_persons_own_ratings() {
    let profile = "testdata/profiles/example.toml";
    // FROM is the profile's current role (SRE Manager) unless given.
    let text = ok(&[
        "path",
        "--profile",
        profile,
        "VP of Site Reliability Engineering",
    ]);
    insta::assert_snapshot!("path-profile-vp-sre-text", text);
    assert_eq!(
        text,
        ok(&[
            "path",
            "--profile",
            profile,
            "sre-manager",
            "VP of Site Reliability Engineering"
        ])
    );
    let person = json(&[
        "path",
        "--profile",
        profile,
        "vp-of-site-reliability-engineering",
        "--format",
        "json",
    ]);
    assert_eq!(person["person"]["name"], "Alex Example");
    let role = json(&[
        "path",
        "sre-manager",
        "vp-of-site-reliability-engineering",
        "--format",
        "json",
    ]);
    assert!(role.get("person").is_none());
    for report in [&person, &role] {
        for path in report["paths"].as_array().expect("paths") {
            let steps = path["steps"].as_array().expect("steps");
            let sum: u64 = steps
                .iter()
                .map(|s| s["gap"]["total"].as_u64().expect("gap"))
                .sum();
            assert_eq!(path["total_gap"].as_u64(), Some(sum));
            let levels: u64 = steps
                .iter()
                .flat_map(|s| s["gap"]["skills"].as_array().expect("skills"))
                .map(|l| {
                    let level = |key: &str| l[key].as_u64().expect("level");
                    level("required").saturating_sub(level("current"))
                })
                .sum();
            assert_eq!(path["levels_to_gain"].as_u64(), Some(levels));
        }
    }
    // What the command needs, said plainly.
    insta::assert_snapshot!(
        "path-one-role-no-profile",
        failure(&["path", "vp-of-site-reliability-engineering"])
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let nameless = dir.path().join("no-role.toml");
    std::fs::write(
        &nameless,
        "[[skills]]\nskill = \"slo-engineering\"\nlevel = 4\n",
    )
    .expect("write");
    let error = failure(&[
        "path",
        "--profile",
        nameless.to_str().expect("utf-8"),
        "vp-of-site-reliability-engineering",
    ]);
    assert!(
        error.contains("the profile names no current_role to start from"),
        "{error}"
    );
}

#[test]
fn graph_as_dot_mermaid_and_svg() {
    insta::assert_snapshot!(
        "graph-sre-director-depth-1-dot",
        ok(&["graph", "sre-director", "--depth", "1"])
    );
    insta::assert_snapshot!(
        "graph-sre-director-depth-1-mermaid",
        ok(&[
            "graph",
            "sre-director",
            "--depth",
            "1",
            "--format",
            "mermaid"
        ])
    );
    let whole = ok(&["graph", "--format", "dot"]);
    assert_eq!(
        whole.matches(", fillcolor=").count(),
        29,
        "one box per role"
    );
    assert!(whole.matches(" -> ").count() > 29, "moves between them");
    assert!(whole.contains("style=dotted"), "implied moves are drawn");

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("graph.svg");
    let file_arg = file.to_str().expect("utf-8 path");
    let output = run(&["graph", "--format", "svg", "-o", file_arg]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty(), "-o writes the file, not stdout");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("wrote the career graph (29 roles) to {file_arg}\n")
    );
    let svg = fs::read_to_string(&file).expect("written");
    assert!(svg.contains("<svg width=\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("Chief Technology Officer"));
    assert_eq!(
        names(dir.path()),
        ["graph.svg"],
        "no temporary file left behind"
    );
    // The layout is deterministic.
    assert_eq!(ok(&["graph", "--format", "svg"]), svg);
}

#[test]
fn gap_reports_readiness_a_plan_and_a_radar_chart() {
    insta::assert_snapshot!(
        "gap-example-sre-director-text",
        ok(&["gap", EXAMPLE, "--target", "SRE Director"])
    );
    insta::assert_snapshot!(
        "gap-example-vp-sre-markdown",
        ok(&[
            "gap",
            EXAMPLE,
            "--target",
            "vp-of-site-reliability-engineering",
            "--format",
            "markdown"
        ])
    );
    let report = json(&[
        "gap",
        EXAMPLE,
        "--target",
        "sre-director",
        "--format",
        "json",
    ]);
    let met = report["readiness"]["met"].as_f64().expect("met");
    let required = report["readiness"]["required"].as_f64().expect("required");
    assert_eq!(report["readiness"]["score"].as_f64(), Some(met / required));
    assert!(
        report["readiness"]["formula"]
            .as_str()
            .expect("formula")
            .starts_with("readiness = ")
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let radar = dir.path().join("radar.svg");
    let output = run(&[
        "gap",
        EXAMPLE,
        "--target",
        "sre-director",
        "--radar",
        radar.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(
        "radar-example-sre-director",
        fs::read_to_string(&radar).expect("radar written")
    );
}

#[test]
fn fit_ranks_every_role() {
    insta::assert_snapshot!(
        "fit-example-top-5-text",
        ok(&["fit", EXAMPLE, "--top", "5"])
    );
    let fit = json(&["fit", EXAMPLE, "--format", "json"]);
    let roles = fit["roles"].as_array().expect("roles");
    assert_eq!(roles.len(), 29);
    assert_eq!(fit["total_roles"], 29);
    let scores: Vec<f64> = roles
        .iter()
        .map(|r| r["readiness"]["score"].as_f64().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let current: Vec<&Value> = roles.iter().filter(|r| r["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["role"]["id"], "sre-manager");
}

#[test]
fn bad_profiles_are_located_and_stop_the_command() {
    insta::assert_snapshot!(
        "gap-invalid-profile",
        failure(&[
            "gap",
            "testdata/profiles/invalid/level-off-scale.toml",
            "--target",
            "sre-director"
        ])
    );
    insta::assert_snapshot!(
        "fit-invalid-profile",
        failure(&["fit", "testdata/profiles/invalid/unknown-skill.toml"])
    );
    let err = failure(&["fit", "testdata/profiles/missing.toml"]);
    assert!(
        err.starts_with("error: cannot read profile testdata/profiles/missing.toml"),
        "{err}"
    );
    // No radar is written when the profile is rejected.
    let dir = tempfile::tempdir().expect("tempdir");
    let radar = dir.path().join("radar.svg");
    failure(&[
        "gap",
        "testdata/profiles/invalid/toml-syntax.toml",
        "--target",
        "sre-director",
        "--radar",
        radar.to_str().expect("utf-8 path"),
    ]);
    assert!(!radar.exists());
}

#[test]
fn unknown_roles_and_bad_arguments_exit_2() {
    insta::assert_snapshot!(
        "unknown-role",
        failure(&["diff", "SRE Manger", "sre-director"])
    );
    let err = failure(&["gap", EXAMPLE, "--target", "Chief Everything Officer"]);
    assert!(
        err.contains("no role matches `Chief Everything Officer`"),
        "{err}"
    );
    let err = failure(&["graph", "--depth", "2"]);
    assert!(err.contains("--depth"), "{err}");
    let err = failure(&["path", "sre-manager", "cto", "--k", "0"]);
    assert!(err.contains("--k"), "{err}");
}
