//! A radar chart of a person's current levels against a role's required
//! levels, as a standalone SVG.
//!
//! The chart is plain geometry (one axis per skill, rings for levels 1 to
//! 5, two polygons), so it is built as a string here rather than through a
//! plotting library.

use std::f64::consts::PI;
use std::fmt::Write;

use rolebook_core::model::Importance;

use crate::assess::Assessment;
use rolebook_core::escape::xml as escape;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 720.0;
const CX: f64 = WIDTH / 2.0;
const CY: f64 = 390.0;
const RADIUS: f64 = 220.0;
const LABEL_GAP: f64 = 14.0;
const MAX_LABEL: usize = 34;
const REQUIRED: &str = "#d1495b";
const CURRENT: &str = "#00798c";

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        text.to_string()
    } else {
        let kept: String = text.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// The point at `level` (0 to 5) on axis `i` of `n`.
fn point(i: usize, n: usize, level: f64) -> (f64, f64) {
    let angle = -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64;
    let r = RADIUS * level / 5.0;
    (CX + r * angle.cos(), CY + r * angle.sin())
}

fn polygon(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The assessment's skills as a radar chart: the required levels as an
/// outline, the current levels as a filled shape.
pub fn radar_svg(report: &Assessment) -> String {
    let skills = &report.skills;
    let n = skills.len();
    let who = report.person.as_deref().unwrap_or("Current");
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" role="img">"#
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        escape(&format!(
            "{who}: current against required skill levels for {}",
            report.target.title
        ))
    );
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{CX}" y="34" text-anchor="middle" font-size="20" font-weight="bold">{}</text>"#,
        escape(&format!("{who} → {}", report.target.title))
    );
    let _ = writeln!(
        out,
        r##"<text x="{CX}" y="58" text-anchor="middle" font-size="14" fill="#444">{}</text>"##,
        escape(&format!(
            "Readiness {} · skill gap {} · core skills in bold",
            report.readiness.percent(),
            report.gap
        ))
    );
    // Legend.
    for (row, (colour, label, dashed)) in [
        (
            REQUIRED,
            format!("Required by {}", report.target.title),
            true,
        ),
        (CURRENT, format!("{who} (self-assessed)"), false),
    ]
    .iter()
    .enumerate()
    {
        let y = 84.0 + 22.0 * row as f64;
        let dash = if *dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="3"{dash}/><text x="{tx}" y="{ty}" font-size="13">{}</text>"#,
            escape(label),
            x1 = CX - 150.0,
            x2 = CX - 120.0,
            tx = CX - 110.0,
            ty = y + 4.0,
        );
    }
    // Rings for levels 1 to 5, with their numbers on the first axis.
    for level in 1..=5 {
        let ring = polygon((0..n.max(3)).map(|i| point(i, n.max(3), f64::from(level))));
        let _ = writeln!(
            out,
            r##"<polygon points="{ring}" fill="none" stroke="#cccccc" stroke-width="1"/>"##
        );
        let (x, y) = point(0, n.max(1), f64::from(level));
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#888">{level}</text>"##,
            x + 4.0,
            y + 4.0
        );
    }
    for (i, line) in skills.iter().enumerate() {
        let (x, y) = point(i, n, 5.0);
        let _ = writeln!(
            out,
            r##"<line x1="{CX}" y1="{CY}" x2="{x:.1}" y2="{y:.1}" stroke="#cccccc" stroke-width="1"/>"##
        );
        let (lx, ly) = point(i, n, 5.0 + 5.0 * LABEL_GAP / RADIUS);
        let anchor = if (lx - CX).abs() < 1.0 {
            "middle"
        } else if lx > CX {
            "start"
        } else {
            "end"
        };
        let dy = if ly < CY - RADIUS * 0.9 {
            -2.0
        } else if ly > CY + RADIUS * 0.9 {
            12.0
        } else {
            4.0
        };
        let weight = if line.importance == Importance::Core {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" font-size="12"{weight}><title>{}</title>{} ({}/{})</text>"#,
            ly + dy,
            escape(&format!(
                "{}: {} {} held, {} {} required",
                line.name, line.current, line.current_name, line.required, line.required_name
            )),
            escape(&shorten(&line.name)),
            line.current,
            line.required
        );
    }
    if n > 0 {
        let required = polygon(
            skills
                .iter()
                .enumerate()
                .map(|(i, l)| point(i, n, f64::from(l.required))),
        );
        let current = polygon(
            skills
                .iter()
                .enumerate()
                .map(|(i, l)| point(i, n, f64::from(l.current))),
        );
        let _ = writeln!(
            out,
            r#"<polygon points="{current}" fill="{CURRENT}" fill-opacity="0.3" stroke="{CURRENT}" stroke-width="2"/>"#
        );
        let _ = writeln!(
            out,
            r#"<polygon points="{required}" fill="none" stroke="{REQUIRED}" stroke-width="2.5" stroke-dasharray="6 4"/>"#
        );
        for (i, l) in skills.iter().enumerate() {
            let (x, y) = point(i, n, f64::from(l.current));
            let _ = writeln!(
                out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{CURRENT}"/>"#
            );
        }
    } else {
        let _ = writeln!(
            out,
            r#"<text x="{CX}" y="{CY}" text-anchor="middle" font-size="14">This role requires no skills.</text>"#
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::Career;
    use crate::profile::{AssessedSkill, Profile};
    use crate::testing::catalog;

    #[test]
    fn the_chart_has_one_axis_per_skill_and_escapes_text() {
        let catalog = catalog(&[(
            "target",
            "fam",
            "director",
            &[
                ("a", 4, true),
                ("b", 3, false),
                ("c", 2, false),
                ("d", 5, true),
            ],
        )]);
        let career = Career::new(&catalog);
        let profile = Profile {
            name: Some("Ada <Lovelace> & Co".to_string()),
            current_role: None,
            skills: vec![AssessedSkill {
                skill: "a".to_string(),
                level: 5,
                manager_level: None,
                evidence: None,
            }],
        };
        let report = career.assess(&profile, catalog.role("target").expect("target"));
        let svg = radar_svg(&report);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert!(svg.contains("Ada &lt;Lovelace&gt; &amp; Co → Role target"));
        assert!(!svg.contains("<Lovelace>"));
        // Four axes, five rings, two shapes.
        assert_eq!(svg.matches("<line x1=\"480\"").count(), 4);
        assert_eq!(
            svg.matches("stroke=\"#cccccc\" stroke-width=\"1\"/>")
                .count(),
            5 + 4
        );
        // Axis 0 points straight up: "a" is held at 5, required at 4.
        assert!(
            svg.contains(&format!("{:.1},{:.1}", CX, CY - RADIUS)),
            "current a=5 at the top"
        );
        assert!(svg.contains("Skill a (5/4)"));
        assert!(svg.contains("Skill d (0/5)"));
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("short"), "short");
        let long = "a".repeat(50);
        assert_eq!(shorten(&long).chars().count(), MAX_LABEL);
        assert!(shorten(&long).ends_with('…'));
    }
}
