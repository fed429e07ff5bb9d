//! The check as people read it, on a small organisation with one of most
//! kinds of finding (snapshots), and the workbook read back.

mod common;

use rolebook_org::ReadOptions;
use rolebook_org::report::Report;
use rolebook_org::suppress::Suppressions;

/// A CTO with one VP; the VP leads four engineering managers directly
/// (no director between), one of whom leads eleven engineers; an SRE
/// manager reports to an engineering manager; a loop and an orphan.
const ORG: &str = "\
id,name,title,manager,department
1,Ann Example,CTO,,Engineering
2,Bo Example,VP of Engineering,1,Engineering
3,Cy Example,Engineering Manager,2,Engineering
4,Di Example,Engineering Manager,2,Engineering
5,Ed Example,Engineering Manager,2,Engineering
6,Fa Example,Software Development Manager,2,Engineering
7,Gil Example,SRE Manager,3,Reliability
8,Hal Example,Software Engineer,7,Reliability
9,Io Example,Software Engineer,99,Engineering
10,Jo Example,Software Engineer,11,Engineering
11,Ka Example,Software Engineer,10,Engineering
12,Lu Example,Chief Financial Officer,1,Finance
13,Mo Example,General Counsel,1,Legal
";

fn with_team(mut csv: String, manager: u32, first_id: u32, size: u32) -> String {
    for id in first_id..first_id + size {
        csv.push_str(&format!(
            "{id},Person {id},Software Engineer,{manager},Engineering\n"
        ));
    }
    csv
}

fn organisation() -> String {
    let csv = with_team(ORG.to_owned(), 3, 20, 11);
    let csv = with_team(csv, 4, 40, 5);
    let csv = with_team(csv, 5, 50, 5);
    with_team(csv, 6, 60, 5)
}

#[test]
fn text_and_markdown() {
    let catalog = common::catalog();
    let csv = organisation();
    let (org, mut check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let suppressions = Suppressions::parse(
        "[[suppress]]\nid = \"one-over-one:7\"\nreason = \"Hiring two SREs this quarter\"\n\n[[suppress]]\nid = \"span-over:42\"\nreason = \"Long gone\"\n",
    )
    .expect("valid");
    suppressions.apply(&mut check);
    let report = Report {
        source: "people.csv",
        org: &org,
        check: &check,
        max: 3,
    };
    insta::assert_snapshot!("text", report.text());
    insta::assert_snapshot!("markdown", report.markdown());
    let json: serde_json::Value = serde_json::from_str(&report.json()).expect("JSON");
    assert_eq!(json["unused_suppressions"][0], "span-over:42");
    assert_eq!(
        json["findings"].as_array().map(Vec::len),
        Some(check.findings.len())
    );
}

#[test]
fn the_workbook_holds_every_finding() {
    use calamine::{Reader, Xlsx};
    let catalog = common::catalog();
    let csv = organisation();
    let (org, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let report = Report {
        source: "people.csv",
        org: &org,
        check: &check,
        max: 1,
    };
    let bytes = report.xlsx().expect("workbook");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
    assert_eq!(
        book.sheet_names(),
        [
            "Findings",
            "Rows with problems",
            "Titles",
            "Layers",
            "Leaders",
            "Headcount"
        ]
    );
    let findings = book.worksheet_range("Findings").expect("sheet");
    assert_eq!(findings.height(), check.findings.len() + 1);
    let ids: Vec<String> = findings
        .rows()
        .skip(1)
        .map(|row| row[1].to_string())
        .collect();
    let expected: Vec<&str> = check.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn four_role_holders_under_a_manager_outside_the_catalog_imply_the_missing_layer() {
    let catalog = common::catalog();
    let mut csv = String::from("id,title,manager\n1,CTO,\n2,Head of Platform Operations,1\n");
    for id in 3..7 {
        csv.push_str(&format!("{id},SRE Manager,2\n"));
    }
    let (_, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let finding = check
        .findings
        .iter()
        .find(|f| f.id == "missing-layer:2:eng-director")
        .unwrap_or_else(|| panic!("{:#?}", check.findings));
    assert_eq!(finding.people.len(), 5);
    assert!(
        finding
            .message
            .contains("no Director of Engineering is above them"),
        "{}",
        finding.message
    );

    // With the layer there (under any of its titles), nothing is implied.
    let csv = csv.replace("Head of Platform Operations", "Engineering Director");
    let (_, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    assert!(
        check
            .findings
            .iter()
            .all(|f| f.rule != rolebook_org::check::Rule::MissingLayer),
        "{:#?}",
        check.findings
    );
}

#[test]
fn overlaps_narrow_spans_and_micro_teams() {
    let catalog = common::catalog();
    // Manager 3 leads manager 4 (same level, same KPI) and three more;
    // manager 4 leads two engineers.
    let csv = "id,title,manager\n\
               1,Director of Engineering,\n\
               2,Engineer,1\n\
               9,Engineer,1\n\
               3,Engineering Manager,1\n\
               4,Engineering Manager,3\n\
               5,Engineer,3\n\
               6,Engineer,3\n\
               7,Engineer,4\n\
               8,Engineer,4\n";
    let (_, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let ids: Vec<&str> = check.findings.iter().map(|f| f.id.as_str()).collect();
    for id in ["kpi-overlap:3:4", "span-under:3", "micro-team:4"] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let overlap = check
        .findings
        .iter()
        .find(|f| f.id == "kpi-overlap:3:4")
        .expect("found");
    assert_eq!(overlap.kpis, ["team-kpi"]);
    assert_eq!(check.figures.layers, 4);
    assert_eq!(check.figures.managers, 3);
    assert_eq!(check.figures.by_layer[1].average_span, 3.0);
}
