//! From a raw match score to a calibrated confidence.
//!
//! The raw score (0 to 1) is the weighted token overlap between a title and
//! the best of a role's names, times a factor for the distance between the
//! title's level and the role's. It ranks candidates well but is not a
//! probability. The confidence is: among titles that got this raw score,
//! how often was the top candidate the right answer?
//!
//! The table below was fitted by isotonic regression (pool adjacent
//! violators, each block smoothed by Laplace's rule) on the calibration
//! half of `testdata/titles/eval.csv` (the rows with an even line number),
//! where a row counts as right when the top candidate is its expected role
//! and as wrong when the expected answer is another role or no match
//! (ambiguous rows are left out). Each knot is a block's mean raw score and
//! its smoothed share of right answers. `cargo run -p
//! rolebook-search --example calibrate` refits it and prints the table and
//! the calibration error on both halves; the test `eval` checks the
//! held-out half stays calibrated.
//!
//! A title is answered only when its confidence reaches [`THRESHOLD`]: the
//! answer is then more likely right than wrong.

/// Confidence at which a title gets an answer rather than "no confident
/// match".
pub const THRESHOLD: f32 = 0.5;

/// (raw score, confidence) knots, increasing in both.
const KNOTS: &[(f32, f32)] = &[
    (0.000, 0.000),
    (0.081, 0.033),
    (0.580, 0.636),
    (0.776, 0.875),
    (0.984, 0.991),
    (1.000, 0.991),
];

/// The calibrated confidence of a raw score: linear between knots.
pub fn confidence(raw: f32) -> f32 {
    let raw = raw.clamp(0.0, 1.0);
    let mut previous = KNOTS[0];
    for &(x, y) in KNOTS {
        if raw <= x {
            if x <= previous.0 {
                return y;
            }
            let t = (raw - previous.0) / (x - previous.0);
            return previous.1 + t * (y - previous.1);
        }
        previous = (x, y);
    }
    previous.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_monotonic_and_bounded() {
        let mut last = -1.0;
        for i in 0..=100 {
            let c = confidence(i as f32 / 100.0);
            assert!((0.0..=1.0).contains(&c));
            assert!(c >= last);
            last = c;
        }
        assert_eq!(confidence(-1.0), confidence(0.0));
        assert_eq!(confidence(2.0), confidence(1.0));
    }
}
