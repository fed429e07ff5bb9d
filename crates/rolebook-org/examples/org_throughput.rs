//! Times the org design check on a generated organisation against a CSV
//! pass-through that reads every field of the same file, in the same run:
//! `cargo run --release -p rolebook-org --example org_throughput -- [PEOPLE]`
//! (100,000 by default). Also: the same people as an XLSX workbook, and
//! 10,000 distinct titles. `bench/org.sh` runs it with the CLI's peak
//! memory.

use std::time::{Duration, Instant};

use rolebook_org::sample::{SampleOptions, generate};
use rolebook_org::titles::Corrections;
use rolebook_org::{Organisation, ReadOptions, read};
use rolebook_search::TitleResolver;

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Reads every field of every record: what any CSV consumer must pay.
fn pass_through(bytes: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut total = 0;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        total += record.iter().map(<[u8]>::len).sum::<usize>();
    }
    total
}

fn check(bytes: &[u8], catalog: &rolebook_core::Catalog) -> usize {
    let export = read(bytes, &ReadOptions::default()).expect("the sample reads");
    let resolver = TitleResolver::new(catalog);
    let org = Organisation::new(export, &resolver, &Corrections::default());
    org.check(catalog).findings.len()
}

fn workbook(csv: &[u8]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv);
    for (row, record) in (0u32..).zip(reader.records()) {
        let record = record.expect("the sample is valid CSV");
        for (col, cell) in (0u16..).zip(record.iter()) {
            sheet.write_string(row, col, cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

fn main() {
    let people: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let catalog = rolebook_core::load(rolebook_core::builtin::sources())
        .catalog
        .expect("the built-in catalog is valid");
    let sample = generate(
        &catalog,
        &SampleOptions {
            people,
            seed: 1,
            defects: true,
            ..SampleOptions::default()
        },
    );
    let csv = sample.csv.into_bytes();
    let rows = csv.iter().filter(|&&b| b == b'\n').count() - 1;
    println!("{rows} people, {:.1} MB of CSV", csv.len() as f64 / 1e6);

    let baseline = best_of(5, || {
        std::hint::black_box(pass_through(&csv));
    });
    let mut findings = 0;
    let full = best_of(5, || findings = check(&csv, &catalog));
    println!(
        "CSV pass-through (every field): {:>8.1} ms   (baseline)",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "read + map + check:             {:>8.1} ms   {:.1}x the pass-through, {findings} findings",
        full.as_secs_f64() * 1e3,
        full.as_secs_f64() / baseline.as_secs_f64()
    );

    // Every holder's title made distinct with a team, as many exports do.
    let mut distinct = String::with_capacity(csv.len() + rows * 12);
    let mut titles = 0;
    for (i, line) in String::from_utf8_lossy(&csv).lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        if i > 0 && titles < 10_000 && cells.len() > 3 && !cells[3].is_empty() {
            cells[3] = format!("{}, Team {i}", cells[3]);
            titles += 1;
        }
        distinct.push_str(&cells.join(","));
        distinct.push('\n');
    }
    let distinct_time = best_of(3, || {
        std::hint::black_box(check(distinct.as_bytes(), &catalog));
    });
    println!(
        "with {titles} more distinct titles:  {:>8.1} ms   {:.1}x the pass-through",
        distinct_time.as_secs_f64() * 1e3,
        distinct_time.as_secs_f64() / baseline.as_secs_f64()
    );

    let xlsx = workbook(&csv);
    let xlsx_time = best_of(3, || {
        std::hint::black_box(check(&xlsx, &catalog));
    });
    println!(
        "the same people as XLSX:        {:>8.1} ms   {:.1}x the CSV pass-through ({:.1} MB)",
        xlsx_time.as_secs_f64() * 1e3,
        xlsx_time.as_secs_f64() / baseline.as_secs_f64(),
        xlsx.len() as f64 / 1e6
    );
}
