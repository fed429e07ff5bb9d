//! Exports as they arrive in real life: each gives the right answer or a
//! clear, located error; never a panic, a hang or a silently dropped row.

mod common;

use proptest::prelude::*;
use rolebook_org::table::{TableError, TableOptions};
use rolebook_org::{ReadError, ReadOptions, read};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn error_of(bytes: &[u8], options: &ReadOptions) -> String {
    read(bytes, options)
        .expect_err("the export is refused")
        .to_string()
}

#[test]
fn empty_and_header_only_files_say_so() {
    let options = ReadOptions::default();
    assert_eq!(error_of(b"", &options), "the file is empty");
    assert_eq!(error_of(b"\r\n\r\n", &options), "the file is empty");
    assert_eq!(
        error_of(b"id,title,manager\r\n", &options),
        "the file has a header and no rows: there are no people in it"
    );
}

#[test]
fn a_bom_crlf_semicolon_export_reads_like_any_other() {
    let catalog = common::catalog();
    let csv = "\u{feff}id;name;title;manager\r\n1;Ann;CTO;\r\n2;Bo;\"VP of Engineering\";1\r\n3;Cy;;2\r\n";
    let (org, _) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let people = &org.export.people.people;
    assert_eq!(people.len(), 3);
    assert_eq!(
        people[0].id, "1",
        "the BOM is not part of the first column's name"
    );
    assert_eq!(people[2].line, 4);
    let problem = &org.export.people.problems[0];
    assert_eq!(
        (problem.line, problem.column.as_str()),
        (4, "C (\"title\")")
    );
    assert_eq!(org.titles.role_of(1), Some("vp-eng"));
}

#[test]
fn quoted_line_breaks_keep_rows_and_lines() {
    let catalog = common::catalog();
    let csv = "id,title,manager,notes\n1,CTO,,\"two\nlines\"\n2,VP of Engineering,1,\n3,,1,\n";
    let (org, _) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    assert_eq!(org.export.people.people.len(), 3);
    assert_eq!(org.export.people.problems[0].line, 5);
}

#[test]
fn a_short_row_is_reported_not_dropped() {
    let catalog = common::catalog();
    let csv = "id,title,manager\n1,CTO,\n2,VP of Engineering\n3,VP of Engineering,1\n";
    let (org, _) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let problem = &org.export.people.problems[0];
    assert_eq!(problem.line, 3);
    assert!(problem.left_out);
    assert!(problem.message.contains("2 fields"), "{problem:?}");
}

#[test]
fn binary_and_non_utf8_files_are_refused_with_where() {
    let options = ReadOptions::default();
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 2 >>\nstream\n\x00\x01\nendstream";
    let error = error_of(pdf, &options);
    assert!(error.starts_with("the file is not text"), "{error}");
    let latin1 = b"id,name,title,manager\n1,Jos\xe9,CTO,\n";
    let error = error_of(latin1, &options);
    assert!(
        error.contains("not UTF-8") && error.contains("line 2"),
        "{error}"
    );
    let error = error_of(b"PK\x03\x04not really a workbook", &options);
    assert!(error.starts_with("the workbook cannot be read"), "{error}");
}

fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let summary = book.add_worksheet().set_name("Summary").expect("name");
    summary
        .write_string(0, 0, "Headcount report")
        .expect("write");
    summary
        .write_string(1, 0, "Generated for tests")
        .expect("write");
    let people = book.add_worksheet().set_name("People").expect("name");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, name) in [
        "Employee ID",
        "Business Title",
        "Manager Employee ID",
        "Hire Date",
    ]
    .iter()
    .enumerate()
    {
        people.write_string(0, col as u16, *name).expect("write");
    }
    let rows: [(f64, &str, Option<f64>); 3] = [
        (1042.0, "CTO", None),
        (1043.0, "VP of Engineering", Some(1042.0)),
        (1044.0, "Director of Engineering", Some(1043.0)),
    ];
    for (row, (id, title, manager)) in (1u32..).zip(rows) {
        people.write_number(row, 0, id).expect("write");
        people.write_string(row, 1, title).expect("write");
        if let Some(manager) = manager {
            people.write_number(row, 2, manager).expect("write");
        }
        let hired = ExcelDateTime::from_ymd(2020, 2, 29).expect("date");
        people
            .write_datetime_with_format(row, 3, &hired, &date)
            .expect("write");
    }
    book.save_to_buffer().expect("saved")
}

#[test]
fn a_workbook_with_several_sheets_reads_the_one_named() {
    let bytes = workbook();
    // The first sheet has no people columns: the columns found are named.
    let error = error_of(&bytes, &ReadOptions::default());
    assert!(error.contains("\"Headcount report\""), "{error}");
    let error = error_of(
        &bytes,
        &ReadOptions {
            table: TableOptions {
                sheet: Some("Staff".into()),
            },
            ..ReadOptions::default()
        },
    );
    assert_eq!(
        error,
        "the workbook has no sheet named \"Staff\"; its sheets are: Summary, People"
    );
    let options = ReadOptions {
        table: TableOptions {
            sheet: Some("people".into()),
        },
        ..ReadOptions::default()
    };
    let catalog = common::catalog();
    let (org, _) = common::run(&catalog, &bytes, &options);
    let people = &org.export.people.people;
    assert_eq!(org.export.columns.preset, Some("workday"));
    assert_eq!(people.len(), 3);
    assert_eq!(
        (people[1].id.as_str(), people[1].manager.as_str()),
        ("1043", "1042")
    );
    assert_eq!(people[2].start_date.as_deref(), Some("2020-02-29"));
    assert_eq!(people[2].line, 4);
    assert!(
        org.export.people.problems.is_empty(),
        "{:?}",
        org.export.people.problems
    );
}

#[test]
fn a_sheet_with_only_a_header_names_itself_and_the_others() {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Export")
        .expect("name")
        .write_string(0, 0, "id")
        .expect("write");
    book.add_worksheet().set_name("People").expect("name");
    let bytes = book.save_to_buffer().expect("saved");
    let error = error_of(&bytes, &ReadOptions::default());
    assert_eq!(
        error,
        "sheet \"Export\" has a header and no rows: there are no people in it; the workbook's other sheets are People: choose one with --sheet"
    );
}

#[test]
fn a_csv_is_refused_a_sheet() {
    let options = ReadOptions {
        table: TableOptions {
            sheet: Some("People".into()),
        },
        ..ReadOptions::default()
    };
    assert!(matches!(
        read(b"id,title,manager\n1,CTO,\n", &options),
        Err(ReadError::Table(TableError::SheetOnCsv))
    ));
}

#[test]
fn a_hundred_megabyte_export_reads_every_row() {
    // A notes column nobody mapped makes the file large; its cells are
    // parsed past, never copied.
    let notes = "x".repeat(1_000);
    let mut csv = String::with_capacity(101 << 20);
    csv.push_str("id,title,manager,notes\n1,CTO,,\n");
    let mut rows = 1;
    while csv.len() < 100 << 20 {
        rows += 1;
        csv.push_str(&format!("{rows},Engineer,1,\"{notes}\"\n"));
    }
    let export = read(csv.as_bytes(), &ReadOptions::default()).expect("reads");
    assert_eq!(export.people.people.len(), rows);
    assert!(export.people.problems.is_empty());
    assert_eq!(export.people.people[rows - 1].line, rows as u64 + 1);
}

#[test]
fn control_characters_are_a_cell_problem_not_the_files() {
    let catalog = common::catalog();
    let csv = "id,name,title,manager\n1,\"Ann\rOver\",\u{1b}[31mCTO\u{1b}[0m,\n2,\u{202e}Bo,VP of Engineering,1\n";
    let (org, _) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let people = &org.export.people.people;
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].title, "\u{fffd}[31mCTO\u{fffd}[0m");
    assert_eq!(
        people[0].name, "Ann Over",
        "a line break in a cell is a space"
    );
    assert_eq!(people[1].name, "\u{fffd}Bo");
    let problems: Vec<(u64, &str)> = org
        .export
        .people
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_str()))
        .collect();
    assert_eq!(problems, [(2, "C (\"title\")"), (3, "B (\"name\")")]);
}

#[test]
fn a_row_short_of_an_optional_column_is_kept_and_a_left_out_manager_is_named() {
    let catalog = common::catalog();
    let csv = "id,title,manager,department\n1,CTO,,Eng\n2,VP of Engineering,1\n3,Director of Engineering\n4,Engineering Manager,3,Eng\n";
    let (org, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let ids: Vec<&str> = org
        .export
        .people
        .people
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["1", "2", "4"]);
    let problems = &org.export.people.problems;
    assert!(
        !problems[0].left_out && problems[0].line == 3,
        "{problems:?}"
    );
    assert!(
        problems[1].left_out && problems[1].line == 4,
        "{problems:?}"
    );
    assert!(
        problems[2]
            .message
            .contains("is on line 4, which was left out"),
        "{problems:?}"
    );
    let orphan = check
        .findings
        .iter()
        .find(|f| f.id == "orphan:4")
        .expect("orphan");
    assert!(
        orphan.message.contains("a row left out"),
        "{}",
        orphan.message
    );
}

#[test]
fn a_deep_chain_costs_a_finding_a_link_not_a_pair() {
    let catalog = common::catalog();
    let depth = 20_000;
    let mut csv = String::from("id,title,manager\n1,Engineering Manager,\n");
    for id in 2..=depth {
        csv.push_str(&format!("{id},Engineering Manager,{}\n", id - 1));
    }
    let (_, check) = common::run(&catalog, csv.as_bytes(), &ReadOptions::default());
    let overlaps = check
        .findings
        .iter()
        .filter(|f| f.rule == rolebook_org::check::Rule::KpiOverlap)
        .count();
    assert_eq!(overlaps, depth - 1);
    assert_eq!(check.figures.layers, depth as u32);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes: an answer or an error, never a panic.
    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(&bytes, &ReadOptions::default());
    }

    /// Any text under a valid header goes through the whole check.
    #[test]
    fn any_rows_go_through_the_check(rows in proptest::collection::vec(("[0-9]{1,2}", "[A-Za-z ]{0,12}", "[0-9]{0,2}"), 1..40)) {
        let catalog = common::catalog();
        let mut csv = String::from("id,title,manager\n");
        for (id, title, manager) in &rows {
            csv.push_str(&format!("{id},{title},{manager}\n"));
        }
        if let Ok(export) = read(csv.as_bytes(), &ReadOptions::default()) {
            let resolver = rolebook_search::TitleResolver::new(&catalog);
            let org = rolebook_org::Organisation::new(export, &resolver, &Default::default());
            let check = org.check(&catalog);
            // Every row is a person or a problem.
            let kept = org.export.people.people.len();
            let left_out = org.export.people.problems.iter().filter(|p| p.left_out).count();
            prop_assert_eq!(kept + left_out, rows.len());
            prop_assert_eq!(check.figures.people, kept);
        }
    }
}
