//! Batch resolution throughput on a CSV file, against two baselines
//! measured in the same run on the same file:
//! - pass-through: read every row and write it back with nine empty
//!   columns (the CSV cost alone, the floor);
//! - exact lookup: `Catalog::find_role` on every title (id, title or alias,
//!   ignoring case: what a plain lookup table gives);
//! - resolve: `batch::resolve_csv`, the code `rolebook resolve --csv` runs.
//!
//! Output goes to a sink, so disk speed does not count. Prints titles per
//! second for each and the share of distinct titles in the file.
//!
//! Usage: cargo run --release -p rolebook-search --example resolve_throughput -- FILE.csv

mod common;

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::time::Instant;

use rolebook_search::TitleResolver;
use rolebook_search::batch::{self, BatchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: resolve_throughput FILE.csv")?;
    let catalog = common::builtin_catalog()?;
    let started = Instant::now();
    let resolver = TitleResolver::new(&catalog);
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;

    // Pass-through.
    let started = Instant::now();
    let mut reader = csv::Reader::from_reader(BufReader::new(File::open(&path)?));
    let mut writer = csv::Writer::from_writer(io::sink());
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut distinct = HashSet::new();
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        if rows <= 200_000 {
            distinct.insert(record.get(1).unwrap_or_default().to_vec());
        }
        for field in &record {
            writer.write_field(field)?;
        }
        for _ in 0..9 {
            writer.write_field("")?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()?;
    let passthrough = started.elapsed().as_secs_f64();

    // Exact lookup.
    let started = Instant::now();
    let mut reader = csv::Reader::from_reader(BufReader::new(File::open(&path)?));
    let mut writer = csv::Writer::from_writer(io::sink());
    let mut found = 0u64;
    while reader.read_byte_record(&mut record)? {
        let title = String::from_utf8_lossy(record.get(1).unwrap_or_default());
        let id = catalog.find_role(&title).map_or("", |r| r.id.as_str());
        found += u64::from(!id.is_empty());
        for field in &record {
            writer.write_field(field)?;
        }
        writer.write_field(id)?;
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()?;
    let exact = started.elapsed().as_secs_f64();

    // Full resolution.
    let started = Instant::now();
    let summary = batch::resolve_csv(
        &resolver,
        BufReader::new(File::open(&path)?),
        io::sink(),
        &BatchOptions::default(),
        &mut |_| {},
    )?;
    let resolve = started.elapsed().as_secs_f64();

    let per_second = |seconds: f64| (rows as f64 / seconds).round();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{rows} rows, {:.0}% distinct titles in the first 200,000; resolver built in {build_ms:.1} ms",
        100.0 * distinct.len() as f64 / rows.min(200_000) as f64
    )?;
    writeln!(
        out,
        "pass-through  {:>10} titles/s  ({passthrough:.2} s)",
        per_second(passthrough)
    )?;
    writeln!(
        out,
        "exact lookup  {:>10} titles/s  ({exact:.2} s; {:.1}% found)",
        per_second(exact),
        100.0 * found as f64 / rows as f64
    )?;
    writeln!(
        out,
        "resolve       {:>10} titles/s  ({resolve:.2} s; {:.1}% to a role, {:.1}% ambiguous, {:.1}% no match)",
        per_second(resolve),
        100.0 * summary.resolved as f64 / rows as f64,
        100.0 * summary.ambiguous as f64 / rows as f64,
        100.0 * summary.no_match as f64 / rows as f64
    )?;
    writeln!(
        out,
        "resolve costs {:.1}x the pass-through and {:.1}x the exact lookup",
        resolve / passthrough,
        resolve / exact
    )?;
    Ok(())
}
