//! Measuring a resolver against a labelled set of titles: top-1 accuracy,
//! the share of out-of-catalog titles answered "no match", the remaining
//! confusions, and how well the confidence is calibrated.
//!
//! The set is a CSV file with the columns `title`, `expected` (a role id,
//! two or more ids joined by `|` for a title that is genuinely ambiguous,
//! or `NONE`) and `source`. An organisation can measure the resolver on its
//! own catalog with its own set the same way the built-in set is measured
//! (`testdata/titles/eval.csv`, held by the `eval` test of this crate).

use std::collections::BTreeSet;
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{MatchStatus, Resolution, TitleResolver};

/// One labelled title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalRow {
    pub title: String,
    pub expected: String,
    pub source: String,
}

impl EvalRow {
    /// The expected role ids; empty for `NONE`.
    pub fn expected_ids(&self) -> BTreeSet<&str> {
        if self.expected == "NONE" {
            return BTreeSet::new();
        }
        self.expected.split('|').map(str::trim).collect()
    }
}

/// Reads an evaluation set; errors name the line.
pub fn read_rows(reader: impl Read) -> Result<Vec<EvalRow>, csv::Error> {
    csv::Reader::from_reader(reader).deserialize().collect()
}

/// How one row came out.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub row: EvalRow,
    /// What the resolver answered: a role id, ids joined by `|` when it
    /// said ambiguous, or `NONE`.
    pub answer: String,
    pub correct: bool,
    /// Whether the top candidate (answered or not) is the expected role:
    /// what the confidence is calibrated against.
    pub top_correct: bool,
    pub score: f32,
    pub confidence: f32,
}

/// What the resolver answered, in the evaluation set's notation.
pub fn answer_of(resolution: &Resolution) -> String {
    match resolution.status {
        MatchStatus::None => "NONE".to_string(),
        MatchStatus::Ambiguous => {
            let ids: BTreeSet<&str> = resolution
                .candidates
                .iter()
                .map(|c| c.role_id.as_str())
                .collect();
            ids.into_iter().collect::<Vec<_>>().join("|")
        }
        _ => resolution
            .role
            .as_ref()
            .map_or_else(|| "NONE".to_string(), |c| c.role_id.clone()),
    }
}

/// Resolves one row and judges it.
pub fn judge(resolver: &TitleResolver, row: &EvalRow) -> Outcome {
    let resolution = resolver.resolve_title(&row.title);
    let expected = row.expected_ids();
    let answer = answer_of(&resolution);
    let answered: BTreeSet<&str> = if answer == "NONE" {
        BTreeSet::new()
    } else {
        answer.split('|').collect()
    };
    let top = resolution.candidates.first();
    let top_correct =
        expected.len() == 1 && top.is_some_and(|c| expected.contains(c.role_id.as_str()));
    Outcome {
        correct: answered == expected,
        top_correct,
        score: top.map_or(0.0, |c| c.score),
        confidence: top.map_or(0.0, |c| c.confidence),
        answer,
        row: row.clone(),
    }
}

/// The figures for a set of outcomes.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub rows: usize,
    pub correct: usize,
    /// Top-1 accuracy over all rows (ambiguous rows count as right only
    /// when exactly the expected roles come back flagged ambiguous).
    pub accuracy: f64,
    pub none_rows: usize,
    /// Share of `NONE` rows answered "no match".
    pub none_recall: f64,
    pub ambiguous_rows: usize,
    pub ambiguous_correct: usize,
    /// Share of "no match" answers that were right.
    pub none_precision: f64,
    /// Expected calibration error of the top candidate's confidence, over
    /// ten equal-width bins.
    pub calibration_error: f64,
    pub confusions: Vec<Outcome>,
}

pub fn report(outcomes: &[Outcome]) -> Report {
    let rows = outcomes.len();
    let correct = outcomes.iter().filter(|o| o.correct).count();
    let none: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.row.expected == "NONE")
        .collect();
    let answered_none: Vec<&Outcome> = outcomes.iter().filter(|o| o.answer == "NONE").collect();
    let ambiguous: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.row.expected.contains('|'))
        .collect();
    let share = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    Report {
        rows,
        correct,
        accuracy: share(correct, rows),
        none_rows: none.len(),
        none_recall: share(none.iter().filter(|o| o.correct).count(), none.len()),
        ambiguous_rows: ambiguous.len(),
        ambiguous_correct: ambiguous.iter().filter(|o| o.correct).count(),
        none_precision: share(
            answered_none.iter().filter(|o| o.correct).count(),
            answered_none.len(),
        ),
        calibration_error: calibration_error(outcomes),
        confusions: outcomes.iter().filter(|o| !o.correct).cloned().collect(),
    }
}

/// Expected calibration error: the average gap between confidence and
/// observed accuracy, per bin, weighted by the rows in the bin. Ambiguous
/// rows are left out: no single top candidate can be right there.
pub fn calibration_error(outcomes: &[Outcome]) -> f64 {
    let mut bins = [(0usize, 0.0f64, 0usize); 10];
    let mut total = 0;
    for outcome in outcomes.iter().filter(|o| !o.row.expected.contains('|')) {
        let bin = ((outcome.confidence * 10.0) as usize).min(9);
        bins[bin].0 += 1;
        bins[bin].1 += f64::from(outcome.confidence);
        bins[bin].2 += usize::from(outcome.top_correct);
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    bins.iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, confidence, right)| {
            let n_f = *n as f64;
            (n_f / total as f64) * (confidence / n_f - *right as f64 / n_f).abs()
        })
        .sum()
}

/// Fits calibration knots by isotonic regression (pool adjacent
/// violators) of "top candidate right" on the raw score, smooths each
/// block towards one half by Laplace's rule, then thins the knots to at
/// most `max_knots` points. Used by the `calibrate` example to
/// produce the table in [`calibration`].
pub fn fit_knots(outcomes: &[Outcome], max_knots: usize) -> Vec<(f32, f32)> {
    let mut points: Vec<(f32, f64)> = outcomes
        .iter()
        .filter(|o| !o.row.expected.contains('|'))
        .map(|o| (o.score, if o.top_correct { 1.0 } else { 0.0 }))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Blocks of (mean score, mean outcome, weight).
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    for (x, y) in points {
        blocks.push((f64::from(x), y, 1.0));
        while blocks.len() > 1 {
            let n = blocks.len();
            if blocks[n - 2].1 <= blocks[n - 1].1 {
                break;
            }
            let b = blocks.pop().unwrap_or_default();
            let a = blocks.pop().unwrap_or_default();
            let w = a.2 + b.2;
            blocks.push(((a.0 * a.2 + b.0 * b.2) / w, (a.1 * a.2 + b.1 * b.2) / w, w));
        }
    }
    // Runs of blocks with the same rate are one block.
    let mut merged: Vec<(f64, f64, f64)> = Vec::new();
    for block in blocks {
        match merged.last_mut() {
            Some(last) if (last.1 - block.1).abs() < 1e-9 => {
                let w = last.2 + block.2;
                *last = ((last.0 * last.2 + block.0 * block.2) / w, last.1, w);
            }
            _ => merged.push(block),
        }
    }
    let blocks = merged;
    // Laplace smoothing: a block of n rows that were all right says "at
    // most (n+1)/(n+2)", not "certainly"; keep the curve increasing.
    let mut knots: Vec<(f32, f32)> = vec![(0.0, 0.0)];
    let mut floor = 0.0f32;
    for (x, y, w) in &blocks {
        let smoothed = ((y * w + 1.0) / (w + 2.0)) as f32;
        floor = floor.max(smoothed);
        knots.push((*x as f32, floor));
    }
    knots.push((1.0, floor.max(knots.last().map_or(0.0, |k| k.1))));
    knots.dedup_by(|b, a| (a.0 - b.0).abs() < 1e-4);
    while knots.len() > max_knots {
        // Drop the interior knot whose removal changes the curve least.
        let (i, _) = (1..knots.len() - 1)
            .map(|i| {
                let (a, b, c) = (knots[i - 1], knots[i], knots[i + 1]);
                let t = if c.0 > a.0 {
                    (b.0 - a.0) / (c.0 - a.0)
                } else {
                    0.0
                };
                (i, (a.1 + t * (c.1 - a.1) - b.1).abs())
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((1, 0.0));
        knots.remove(i);
    }
    knots
}

/// The rows of the calibration half (even line numbers in the file, the
/// header being line 1) or the held-out half.
pub fn half(rows: &[EvalRow], calibration_half: bool) -> Vec<EvalRow> {
    rows.iter()
        .enumerate()
        .filter(|(i, _)| ((i + 2) % 2 == 0) == calibration_half)
        .map(|(_, r)| r.clone())
        .collect()
}
