//! Batch resolution of CSV files: columns passed through, resolution
//! appended, located errors, and nothing held in memory but one row.

mod common;

use std::io::{self, Read, Write};

use rolebook_search::TitleResolver;
use rolebook_search::batch::{
    BatchError, BatchFormat, BatchOptions, OUTPUT_COLUMNS, Progress, resolve_csv,
};

fn resolver() -> TitleResolver {
    TitleResolver::new(&common::builtin_catalog())
}

fn run(input: &str, options: &BatchOptions) -> Result<String, BatchError> {
    let mut out = Vec::new();
    resolve_csv(
        &resolver(),
        input.as_bytes(),
        &mut out,
        options,
        &mut |_| {},
    )?;
    Ok(String::from_utf8(out).expect("UTF-8 output"))
}

fn rows(output: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(output.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV out")
}

#[test]
fn appends_the_resolution_and_keeps_every_column() {
    let input = "id,title,notes\n1,\"Director, Site Reliability\",\"a \"\"quoted\"\" note\"\n2,CDO,\n3,Registered Nurse,x\n";
    let output = run(input, &BatchOptions::default()).expect("runs");
    let mut reader = csv::Reader::from_reader(output.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    // The column names themselves are pinned by the CLI snapshots
    // (tests/snapshots/search_cli__resolve-*-csv.snap at the root).
    let expected: Vec<&str> = ["id", "title", "notes"]
        .into_iter()
        .chain(OUTPUT_COLUMNS)
        .collect();
    assert_eq!(header, expected);
    let rows = rows(&output);
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][2], "a \"quoted\" note");
    assert_eq!(&rows[0][3], "sre-director");
    assert_eq!(&rows[0][6], "match");
    assert_eq!(&rows[1][3], "", "ambiguous: no pick");
    assert_eq!(&rows[1][6], "ambiguous");
    assert_eq!(&rows[1][7], "true");
    assert_eq!(&rows[1][8], "chief-data-officer|chief-digital-officer");
    assert_eq!(&rows[2][6], "none");
    assert!(rows[2][11].contains("Registered"));
}

#[test]
fn finds_the_title_column_by_name_number_or_default() {
    let input = "Employee,Job Title\nAda,CTO\n";
    let output = run(input, &BatchOptions::default()).expect("a 'job title' column is found");
    assert_eq!(&rows(&output)[0][2], "chief-technology-officer");
    let by_number = BatchOptions {
        column: Some("2".into()),
        ..BatchOptions::default()
    };
    assert_eq!(
        &rows(&run(input, &by_number).expect("runs"))[0][2],
        "chief-technology-officer"
    );
    let by_name = BatchOptions {
        column: Some("job title".into()),
        ..BatchOptions::default()
    };
    assert_eq!(
        &rows(&run(input, &by_name).expect("runs"))[0][2],
        "chief-technology-officer"
    );
}

#[test]
fn missing_or_unclear_columns_are_named_errors() {
    let error = run(
        "name,role\nAda,CTO\n",
        &BatchOptions {
            column: Some("title".into()),
            ..BatchOptions::default()
        },
    )
    .expect_err("no such column");
    assert_eq!(
        error.to_string(),
        "no column `title`; the columns are `name`, `role`"
    );
    let error = run("name,role\nAda,CTO\n", &BatchOptions::default()).expect_err("which one?");
    assert!(error.to_string().contains("--column"), "{error}");
    let error = run("", &BatchOptions::default()).expect_err("empty");
    assert!(matches!(error, BatchError::NoHeader), "{error}");
}

#[test]
fn a_malformed_row_stops_with_its_line() {
    let error = run("title,x\nCTO,1\nCIO,2,3\n", &BatchOptions::default()).expect_err("ragged");
    assert_eq!(error.to_string(), "line 3: 3 fields, but the header has 2");
}

#[test]
fn an_unclosed_quote_stops_at_its_line_instead_of_merging_rows() {
    let error = run(
        "title\n\"unterminated\nSRE Manager\n",
        &BatchOptions::default(),
    )
    .expect_err("unclosed");
    assert_eq!(
        error.to_string(),
        "line 2: a quote opened here is never closed"
    );
}

#[test]
fn blank_rows_keep_their_place_and_crlf_lines_are_counted_right() {
    let output = run(
        "title,x\r\nCTO,1\r\n\r\nCIO,2\r\n",
        &BatchOptions::default(),
    )
    .expect("runs");
    let rows = rows(&output);
    assert_eq!(rows.len(), 3, "{output}");
    assert_eq!(&rows[1][0], "");
    assert_eq!(&rows[1][1], "");
    assert_eq!(&rows[2][0], "CIO");
    let error =
        run("title,x\r\nCTO,1\r\nCIO\r\n", &BatchOptions::default()).expect_err("short row");
    assert_eq!(error.to_string(), "line 3: 1 field, but the header has 2");
}

#[test]
fn files_without_a_header() {
    let options = BatchOptions {
        no_header: true,
        ..BatchOptions::default()
    };
    let output = run("CTO\nVP Infra\n", &options).expect("runs");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2, "no header out either: {output}");
    assert!(lines[0].starts_with("CTO,chief-technology-officer,"));
    assert!(lines[1].starts_with("VP Infra,vp-of-infrastructure-engineering,"));
}

#[test]
fn empty_and_invalid_cells_lose_nothing() {
    let mut input = b"title,keep\n,1\n".to_vec();
    input.extend_from_slice(b"\xff\xfeCTO,2\n");
    let mut out = Vec::new();
    let summary = resolve_csv(
        &resolver(),
        input.as_slice(),
        &mut out,
        &BatchOptions::default(),
        &mut |_| {},
    )
    .expect("runs");
    assert_eq!(summary.rows, 2);
    assert_eq!(summary.empty, 1);
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains(",1,,,0.00,none,false,,,,empty title"),
        "{text}"
    );
    // The undecodable bytes are written back as they came.
    assert!(out.windows(5).any(|w| w == b"\xff\xfeCTO"));
}

#[test]
fn existing_output_column_names_are_not_reused() {
    let output = run("title,status\nCTO,employed\n", &BatchOptions::default()).expect("runs");
    let header = output.lines().next().expect("a header");
    assert!(
        header.starts_with("title,status,rolebook_role_id,"),
        "{header}"
    );
}

#[test]
fn json_lines_carry_the_row_and_the_resolution() {
    let options = BatchOptions {
        format: BatchFormat::JsonLines,
        ..BatchOptions::default()
    };
    let output = run("id,title\n7,Head of IT\n8,\n", &options).expect("runs");
    let lines: Vec<serde_json::Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["fields"]["id"], "7");
    assert_eq!(lines[0]["role"]["role_id"], "head-of-it");
    assert_eq!(lines[0]["status"], "exact");
    assert_eq!(lines[1]["skipped"], "empty title");
    for line in output.lines() {
        assert_eq!(top_level_keys(line, "title"), 1, "one title key: {line}");
    }
}

/// How often `key` is a key of the outermost object of a JSON text
/// (serde_json would keep the last of duplicate keys without a word).
fn top_level_keys(json: &str, key: &str) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    let mut count = 0;
    let needle = format!("\"{key}\":");
    for (i, c) in json.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            '"' => {
                if depth == 1 && json[i..].starts_with(&needle) {
                    count += 1;
                }
                in_string = true;
            }
            _ => {}
        }
    }
    count
}

/// A reader that makes rows as it is read, so the test never holds the
/// file; and a writer that only counts.
struct Rows {
    remaining: u64,
    buffer: Vec<u8>,
    at: usize,
}

impl Read for Rows {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.buffer.len() {
            if self.remaining == 0 {
                return Ok(0);
            }
            self.buffer.clear();
            self.at = 0;
            for i in 0..self.remaining.min(1000) {
                let title = ["SRE Manager, Payments", "CDO", "Nurse", "VP Infra"][(i % 4) as usize];
                writeln!(self.buffer, "\"{title}\"").expect("in memory");
            }
            self.remaining -= self.remaining.min(1000);
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn streams_with_progress() {
    let mut input = Rows {
        remaining: 10_000,
        buffer: b"title\n".to_vec(),
        at: 0,
    };
    input.remaining = 10_000;
    let mut out = Count(0);
    let mut reports: Vec<Progress> = Vec::new();
    let summary = resolve_csv(
        &resolver(),
        &mut input,
        &mut out,
        &BatchOptions::default(),
        &mut |p| reports.push(p),
    )
    .expect("runs");
    assert_eq!(summary.rows, 10_000);
    assert_eq!(summary.ambiguous, 2_500);
    assert_eq!(summary.no_match, 2_500);
    assert!(reports.len() >= 3, "{} progress reports", reports.len());
    assert!(reports.windows(2).all(|w| w[0].bytes <= w[1].bytes));
    assert_eq!(reports.last().map(|p| p.rows), Some(10_000));
    assert!(out.0 > 10_000 * 50);
}
