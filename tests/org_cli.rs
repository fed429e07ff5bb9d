//! End-to-end tests of `rolebook org`: a generated export checked, its
//! title mapping written, corrected and given back, accepted findings
//! suppressed, and bad input refused with where and why. Generated people
//! only.

mod common;

use std::fs;

use common::{failure, json, names, ok, rolebook, stderr};

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn a_sample_is_checked_and_strict_fails_on_its_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = path(&dir, "people.csv");
    ok(&[
        "org",
        "sample",
        "--people",
        "300",
        "--defects",
        "--preset",
        "bamboohr",
        "-o",
        &people,
    ]);
    let before = names(dir.path());
    let text = ok(&["org", "check", &people]);
    assert!(text.contains("columns: preset bamboohr"), "{text}");
    assert!(text.contains("error[cycle:"), "{text}");
    // Nothing is written unless an output file is named.
    assert_eq!(names(dir.path()), before);
    let output = rolebook()
        .args(["org", "check", &people, "--strict"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));

    let report = json(&["org", "check", &people, "--format", "json"]);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(
        ids.iter().any(|id| id.starts_with("missing-layer:")),
        "{ids:?}"
    );
    assert_eq!(report["columns"]["preset"], "bamboohr");

    let workbook = path(&dir, "check.xlsx");
    ok(&["org", "check", &people, "--format", "xlsx", "-o", &workbook]);
    assert!(
        fs::read(&workbook)
            .expect("written")
            .starts_with(b"PK\x03\x04")
    );
}

#[test]
fn a_corrected_mapping_wins_over_the_resolver() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = path(&dir, "people.csv");
    fs::write(
        &people,
        "Emp No;Role Title;Boss\n1;CTO;\n2;Head of Reliability Eng;1\n3;SRE Manager;2\n4;SRE Manager;2\n",
    )
    .expect("write");
    // No preset fits: the columns found are listed with an example map.
    let error = failure(&["org", "map", &people]);
    assert!(
        error.contains("columns found: \"Emp No\", \"Role Title\", \"Boss\""),
        "{error}"
    );
    assert!(
        error.contains("--map id=\"Emp No\",title=\"Role Title\",manager=\"Boss\""),
        "{error}"
    );

    let map = "id=Emp No,title=Role Title,manager=Boss";
    let mapping = path(&dir, "mapping.csv");
    ok(&["org", "map", &people, "--map", map, "-o", &mapping]);
    let written = fs::read_to_string(&mapping).expect("mapping");
    assert!(
        written.starts_with("title,head_count,role,confidence,reason\n"),
        "{written}"
    );
    assert!(written.contains("SRE Manager,2,sre-manager,"), "{written}");

    // The user places the unmatched title and overrides a matched one.
    let corrected = "title,head_count,role\nHead of Reliability Eng,1,SRE Director\nsre manager,2,sre-manager\n";
    fs::write(&mapping, corrected).expect("write");
    let report = json(&[
        "org",
        "check",
        &people,
        "--map",
        map,
        "--mapping",
        &mapping,
        "--format",
        "json",
    ]);
    let titles = report["titles"].as_array().expect("titles");
    let head = titles
        .iter()
        .find(|t| t["title"] == "Head of Reliability Eng")
        .expect("title");
    assert_eq!(head["role"], "sre-director");
    assert_eq!(head["source"], "mapping");

    // A role the catalog does not have is refused with its line.
    fs::write(&mapping, "title,role\nSRE Manager,sre-managr\n").expect("write");
    let error = failure(&["org", "check", &people, "--map", map, "--mapping", &mapping]);
    assert!(error.contains("line 2: role \"sre-managr\""), "{error}");
    assert!(error.contains("did you mean `sre-manager`"), "{error}");
}

#[test]
fn suppressed_findings_keep_their_reason_and_strict_ignores_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = path(&dir, "people.csv");
    fs::write(&people, "id,title,manager\n1,CTO,\n2,VP of Engineering,1\n").expect("write");
    let report = json(&["org", "check", &people, "--format", "json"]);
    let ids: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect();
    assert!(!ids.is_empty());
    let mut accepted = String::new();
    for id in &ids {
        accepted.push_str(&format!(
            "[[suppress]]\nid = \"{id}\"\nreason = \"A two-person pilot\"\n\n"
        ));
    }
    let suppress = path(&dir, "accepted.toml");
    fs::write(&suppress, accepted).expect("write");
    let text = ok(&["org", "check", &people, "--suppress", &suppress, "--strict"]);
    assert!(text.contains("suppressed: A two-person pilot"), "{text}");
    fs::write(&suppress, "[[suppress]]\nid = \"x\"\n").expect("write");
    let error = failure(&["org", "check", &people, "--suppress", &suppress]);
    assert!(error.contains("missing field `reason`"), "{error}");
}

#[test]
fn bad_files_are_refused_with_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let binary = path(&dir, "people.csv");
    fs::write(&binary, b"\x7fELF\x02\x01\x01\x00\x00\x00").expect("write");
    let error = failure(&["org", "check", &binary]);
    assert!(
        error.contains("people.csv: the file is not text"),
        "{error}"
    );
    let missing = path(&dir, "nope.csv");
    let error = failure(&["org", "check", &missing]);
    assert!(error.contains("cannot read"), "{error}");
    let empty = path(&dir, "empty.csv");
    fs::write(&empty, "").expect("write");
    assert!(failure(&["org", "check", &empty]).contains("the file is empty"));
    let output = rolebook()
        .args(["org", "check", &binary, "--sheet", "People"])
        .output()
        .expect("runs");
    assert!(stderr(&output).contains("--sheet is for XLSX workbooks"));
}

#[test]
fn the_export_is_never_overwritten_and_strict_counts_bad_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = path(&dir, "people.csv");
    let export = "id,title,manager\n1,CTO,\n1,CTO,\n";
    fs::write(&people, export).expect("write");
    let error = failure(&["org", "check", &people, "-o", &people]);
    assert!(error.contains("is the export itself"), "{error}");
    let error = failure(&["org", "map", &people, "-o", &people]);
    assert!(error.contains("is the export itself"), "{error}");
    assert_eq!(fs::read_to_string(&people).expect("read"), export);
    // A duplicate row is the only problem: strict fails on it.
    let accepted = path(&dir, "accepted.toml");
    let report = json(&["org", "check", &people, "--format", "json"]);
    let mut text = String::new();
    for finding in report["findings"].as_array().expect("findings") {
        text.push_str(&format!(
            "[[suppress]]\nid = {}\nreason = \"ok\"\n",
            finding["id"]
        ));
    }
    fs::write(&accepted, text).expect("write");
    let output = rolebook()
        .args(["org", "check", &people, "--suppress", &accepted, "--strict"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
}
