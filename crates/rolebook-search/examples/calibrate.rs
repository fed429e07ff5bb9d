//! Measures title resolution on an evaluation set and refits the
//! confidence calibration.
//!
//! Usage: cargo run -p rolebook-search --example calibrate -- [EVAL.csv] [--all]
//!
//! Prints accuracy, the share of "no match" answered right, every
//! confusion (or every row with --all), and the calibration knots fitted
//! on the calibration half (even lines), to paste into
//! src/resolve/calibration.rs, with the calibration error of the current
//! table on both halves.

mod common;

use std::fs::File;

use rolebook_search::TitleResolver;
use rolebook_search::resolve::eval::{self, Outcome};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "testdata/titles/eval.csv".to_string());
    let catalog = common::builtin_catalog()?;
    let resolver = TitleResolver::new(&catalog);
    let rows = eval::read_rows(File::open(&path)?)?;
    let outcomes: Vec<Outcome> = rows.iter().map(|r| eval::judge(&resolver, r)).collect();
    let report = eval::report(&outcomes);
    for outcome in &outcomes {
        if all || !outcome.correct {
            println!(
                "{} {:50} expected {:55} got {:55} score {:.3} conf {:.2}",
                if outcome.correct { " " } else { "✗" },
                outcome.row.title,
                outcome.row.expected,
                outcome.answer,
                outcome.score,
                outcome.confidence
            );
        }
    }
    println!(
        "\n{} rows: accuracy {:.3} ({}/{}); NONE answered right {:.3} of {} rows; \
         'no match' answers right {:.3}; ambiguous right {}/{}; calibration error {:.3}",
        report.rows,
        report.accuracy,
        report.correct,
        report.rows,
        report.none_recall,
        report.none_rows,
        report.none_precision,
        report.ambiguous_correct,
        report.ambiguous_rows,
        report.calibration_error
    );
    let calibration_rows = eval::half(&rows, true);
    let held_out_rows = eval::half(&rows, false);
    let judge_all = |rows: &[eval::EvalRow]| -> Vec<Outcome> {
        rows.iter().map(|r| eval::judge(&resolver, r)).collect()
    };
    let calibration_outcomes = judge_all(&calibration_rows);
    let held_out = judge_all(&held_out_rows);
    println!(
        "calibration error of the current table: calibration half {:.3}, held-out half {:.3}; \
         held-out accuracy {:.3}",
        eval::calibration_error(&calibration_outcomes),
        eval::calibration_error(&held_out),
        eval::report(&held_out).accuracy
    );
    let knots = eval::fit_knots(&calibration_outcomes, 8);
    println!("\nknots fitted on the calibration half:");
    println!(
        "const KNOTS: &[(f32, f32)] = &[{}];",
        knots
            .iter()
            .map(|(x, y)| format!("({x:.3}, {y:.3})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
