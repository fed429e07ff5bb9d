//! The check written for people (text, Markdown), for programs (JSON) and
//! for spreadsheets (XLSX). Every format holds the same findings; text
//! and Markdown cap long lists, JSON and XLSX hold everything.

use std::fmt::Write as _;

use rolebook_core::text::thousands;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::Organisation;
use crate::check::{Check, Finding, LeaderFigures, Severity, Who};
use crate::people::RowProblem;
use crate::titles::TitleRole;

/// What is reported and how much of it is printed.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The file as the user named it.
    pub source: &'a str,
    pub org: &'a Organisation,
    pub check: &'a Check,
    /// How many rows of each list text and Markdown print; 0 for all.
    pub max: usize,
}

/// How many people a finding names before "and N more" in text.
const PEOPLE_SHOWN: usize = 6;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

impl Report<'_> {
    fn cap<T>(&self, items: &[T]) -> (usize, usize) {
        let shown = if self.max == 0 {
            items.len()
        } else {
            items.len().min(self.max)
        };
        (shown, items.len() - shown)
    }

    fn counts(&self) -> String {
        let mut parts = Vec::new();
        for (severity, one, many) in [
            (Severity::Error, "error", "errors"),
            (Severity::Warning, "warning", "warnings"),
            (Severity::Notice, "notice", "notices"),
        ] {
            let n = self
                .check
                .findings
                .iter()
                .filter(|f| f.severity == severity && f.suppressed.is_none())
                .count();
            parts.push(plural(n, one, many));
        }
        let suppressed = self
            .check
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count();
        if suppressed > 0 {
            parts.push(format!("{suppressed} suppressed"));
        }
        parts.join(", ")
    }

    fn summary_lines(&self) -> Vec<String> {
        let f = &self.check.figures;
        let export = &self.org.export;
        vec![
            format!(
                "Read as {}; columns: {}{}",
                export.kind.describe(),
                export
                    .columns
                    .preset
                    .map(|p| format!("preset {p}: "))
                    .unwrap_or_default(),
                export.columns.describe()
            ),
            format!(
                "{} in {}, {}; {} and {} ({:.2} direct reports per manager)",
                plural(f.people, "person", "people"),
                plural(f.trees, "tree", "trees"),
                plural(f.layers as usize, "layer", "layers"),
                plural(f.managers, "manager", "managers"),
                plural(
                    f.individual_contributors,
                    "individual contributor",
                    "individual contributors"
                ),
                f.average_span
            ),
            format!(
                "{} of {} distinct titles placed in catalog roles ({}); {} with one direct report, {} with one or two",
                thousands(f.titles_placed),
                thousands(f.titles),
                plural(f.people_placed, "person", "people"),
                plural(f.one_over_one, "manager", "managers"),
                thousands(f.micro_teams)
            ),
        ]
    }

    /// For a terminal.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Org design check of {}", self.source);
        for line in self.summary_lines() {
            let _ = writeln!(out, "  {line}");
        }
        let problems = &self.org.export.people.problems;
        if !problems.is_empty() {
            let _ = writeln!(
                out,
                "\n{} with problems:",
                plural(problems.len(), "row", "rows")
            );
            let (shown, more) = self.cap(problems);
            for p in &problems[..shown] {
                let _ = writeln!(out, "  {}", problem_line(p));
                let _ = writeln!(out, "    hint: {}", p.hint);
            }
            if more > 0 {
                let _ = writeln!(out, "  … and {more} more (--max 0 prints all)");
            }
        }
        let _ = writeln!(out, "\nFindings: {}", self.counts());
        for group in by_rule(&self.check.findings) {
            let (shown, more) = self.cap(group);
            for f in &group[..shown] {
                let _ = writeln!(out, "{}[{}] {}", f.severity.label(), f.id, f.message);
                let _ = writeln!(out, "  why: {}", f.why);
                if !f.people.is_empty() {
                    let _ = writeln!(out, "  people: {}", people_line(&f.people));
                }
                if !f.roles.is_empty() {
                    let _ = writeln!(out, "  roles: {}", f.roles.join(", "));
                }
                if let Some(reason) = &f.suppressed {
                    let _ = writeln!(out, "  suppressed: {reason}");
                }
            }
            if more > 0 {
                let _ = writeln!(
                    out,
                    "… and {more} more {} findings (--max 0 prints all; JSON and XLSX hold every one)",
                    group[0].rule.name()
                );
            }
        }
        for id in &self.check.unused_suppressions {
            let _ = writeln!(out, "note: the suppression of `{id}` matched no finding");
        }
        let figures = &self.check.figures;
        let _ = writeln!(out, "\nLayers:\n  layer   people  managers  avg span");
        for l in &figures.by_layer {
            let _ = writeln!(
                out,
                "  {:>5}  {:>7}  {:>8}  {:>8.2}",
                l.layer,
                thousands(l.people),
                thousands(l.managers),
                l.average_span
            );
        }
        let top: Vec<&LeaderFigures> = figures.leaders.iter().filter(|l| l.layer <= 2).collect();
        if !top.is_empty() {
            let _ = writeln!(
                out,
                "\nLeaders in the top two layers who lead managers (JSON and XLSX have every leader):"
            );
            for l in top {
                let _ = writeln!(
                    out,
                    "  {}: {} direct, {} in line over {}, {} managers averaging {:.2} reports",
                    l.leader.label(),
                    l.direct_reports,
                    thousands(l.line),
                    plural(l.layers_below as usize, "layer", "layers"),
                    thousands(l.managers_in_line),
                    l.average_span_in_line
                );
            }
        }
        if !figures.headcount.is_empty() {
            let _ = writeln!(out, "\nHeadcount in catalog roles, by family and level:");
            let family_width = figures
                .headcount
                .iter()
                .map(|h| h.family.chars().count())
                .max()
                .unwrap_or(0);
            let level_width = figures
                .headcount
                .iter()
                .map(|h| h.level.chars().count())
                .max()
                .unwrap_or(0);
            for h in &figures.headcount {
                let _ = writeln!(
                    out,
                    "  {:<family_width$}  {:<level_width$}  {:>6}",
                    h.family,
                    h.level,
                    thousands(h.people)
                );
            }
        }
        out
    }

    /// For a wiki page or a pull request.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Org design check of `{}`\n", md(self.source));
        for line in self.summary_lines() {
            let _ = writeln!(out, "- {}", md(&line));
        }
        let problems = &self.org.export.people.problems;
        if !problems.is_empty() {
            let _ = writeln!(out, "\n## Rows with problems ({})\n", problems.len());
            let _ = writeln!(
                out,
                "| Line | Column | Problem | Hint |\n|---:|---|---|---|"
            );
            let (shown, more) = self.cap(problems);
            for p in &problems[..shown] {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    p.line,
                    md(&p.column),
                    md(&p.message),
                    md(&p.hint)
                );
            }
            if more > 0 {
                let _ = writeln!(out, "\n… and {more} more.");
            }
        }
        let _ = writeln!(out, "\n## Findings: {}\n", self.counts());
        for group in by_rule(&self.check.findings) {
            let (shown, more) = self.cap(group);
            for f in &group[..shown] {
                let _ = writeln!(out, "### {} `{}`\n", f.severity.label(), f.id);
                let _ = writeln!(out, "{}\n", md(&f.message));
                let _ = writeln!(out, "- **Why:** {}", md(&f.why));
                if !f.people.is_empty() {
                    let _ = writeln!(out, "- **People:** {}", md(&people_line(&f.people)));
                }
                if !f.roles.is_empty() {
                    let _ = writeln!(
                        out,
                        "- **Roles:** {}",
                        f.roles
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                if let Some(reason) = &f.suppressed {
                    let _ = writeln!(out, "- **Suppressed:** {}", md(reason));
                }
                out.push('\n');
            }
            if more > 0 {
                let _ = writeln!(
                    out,
                    "… and {more} more `{}` findings.\n",
                    group[0].rule.name()
                );
            }
        }
        let figures = &self.check.figures;
        let _ = writeln!(
            out,
            "## Layers\n\n| Layer | People | Managers | Average span |\n|---:|---:|---:|---:|"
        );
        for l in &figures.by_layer {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.2} |",
                l.layer, l.people, l.managers, l.average_span
            );
        }
        let top: Vec<&LeaderFigures> = figures.leaders.iter().filter(|l| l.layer <= 2).collect();
        if !top.is_empty() {
            let _ = writeln!(
                out,
                "\n## Leaders in the top two layers\n\n| Leader | Direct reports | Line | Layers below | Managers in line | Average span in line |\n|---|---:|---:|---:|---:|---:|"
            );
            for l in top {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {:.2} |",
                    md(&l.leader.label()),
                    l.direct_reports,
                    l.line,
                    l.layers_below,
                    l.managers_in_line,
                    l.average_span_in_line
                );
            }
        }
        if !figures.headcount.is_empty() {
            let _ = writeln!(
                out,
                "\n## Headcount in catalog roles\n\n| Family | Level | People |\n|---|---|---:|"
            );
            for h in &figures.headcount {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    md(&h.family),
                    md(&h.level),
                    h.people
                );
            }
        }
        out
    }

    /// Everything, for programs.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            source: &'a str,
            read_as: String,
            columns: &'a crate::columns::Columns,
            problems: &'a [RowProblem],
            titles: &'a [TitleRole],
            #[serde(flatten)]
            check: &'a Check,
        }
        let json = Json {
            source: self.source,
            read_as: self.org.export.kind.describe(),
            columns: &self.org.export.columns,
            problems: &self.org.export.people.problems,
            titles: &self.org.titles.titles,
            check: self.check,
        };
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Everything, one sheet per list.
    pub fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let findings = book.add_worksheet().set_name("Findings")?;
        header(
            findings,
            &bold,
            &[
                "Severity",
                "Id",
                "Finding",
                "Why",
                "People",
                "Roles",
                "KPIs",
                "Suppressed because",
            ],
        )?;
        for (row, f) in (1u32..).zip(&self.check.findings) {
            findings.write_string(row, 0, f.severity.label())?;
            findings.write_string(row, 1, &f.id)?;
            findings.write_string(row, 2, &f.message)?;
            findings.write_string(row, 3, &f.why)?;
            findings.write_string(
                row,
                4,
                f.people
                    .iter()
                    .map(Who::label)
                    .collect::<Vec<_>>()
                    .join("; "),
            )?;
            findings.write_string(row, 5, f.roles.join(", "))?;
            findings.write_string(row, 6, f.kpis.join(", "))?;
            findings.write_string(row, 7, f.suppressed.as_deref().unwrap_or(""))?;
        }
        findings.autofilter(0, 0, self.check.findings.len() as u32, 7)?;
        findings.set_freeze_panes(1, 0)?;

        let problems = book.add_worksheet().set_name("Rows with problems")?;
        header(
            problems,
            &bold,
            &["Line", "Column", "Problem", "Hint", "Left out"],
        )?;
        for (row, p) in (1u32..).zip(&self.org.export.people.problems) {
            problems.write_number(row, 0, p.line as f64)?;
            problems.write_string(row, 1, &p.column)?;
            problems.write_string(row, 2, &p.message)?;
            problems.write_string(row, 3, &p.hint)?;
            problems.write_string(row, 4, if p.left_out { "yes" } else { "no" })?;
        }

        let titles = book.add_worksheet().set_name("Titles")?;
        header(
            titles,
            &bold,
            &["Title", "Head count", "Role", "Confidence", "Reason"],
        )?;
        for (row, t) in (1u32..).zip(&self.org.titles.titles) {
            titles.write_string(row, 0, &t.title)?;
            titles.write_number(row, 1, t.head_count as f64)?;
            titles.write_string(row, 2, t.role.as_deref().unwrap_or(""))?;
            titles.write_number(row, 3, f64::from(t.confidence))?;
            titles.write_string(row, 4, &t.reason)?;
        }

        let figures = &self.check.figures;
        let layers = book.add_worksheet().set_name("Layers")?;
        header(
            layers,
            &bold,
            &["Layer", "People", "Managers", "Average span"],
        )?;
        for (row, l) in (1u32..).zip(&figures.by_layer) {
            layers.write_number(row, 0, f64::from(l.layer))?;
            layers.write_number(row, 1, l.people as f64)?;
            layers.write_number(row, 2, l.managers as f64)?;
            layers.write_number(row, 3, l.average_span)?;
        }

        let leaders = book.add_worksheet().set_name("Leaders")?;
        header(
            leaders,
            &bold,
            &[
                "Leader",
                "Layer",
                "Role",
                "Direct reports",
                "Line",
                "Layers below",
                "Managers in line",
                "Average span in line",
            ],
        )?;
        for (row, l) in (1u32..).zip(&figures.leaders) {
            leaders.write_string(row, 0, l.leader.label())?;
            leaders.write_number(row, 1, f64::from(l.layer))?;
            leaders.write_string(row, 2, l.leader.role.as_deref().unwrap_or(""))?;
            leaders.write_number(row, 3, l.direct_reports as f64)?;
            leaders.write_number(row, 4, l.line as f64)?;
            leaders.write_number(row, 5, f64::from(l.layers_below))?;
            leaders.write_number(row, 6, l.managers_in_line as f64)?;
            leaders.write_number(row, 7, l.average_span_in_line)?;
        }

        let headcount = book.add_worksheet().set_name("Headcount")?;
        header(headcount, &bold, &["Family", "Level", "People"])?;
        for (row, h) in (1u32..).zip(&figures.headcount) {
            headcount.write_string(row, 0, &h.family)?;
            headcount.write_string(row, 1, &h.level)?;
            headcount.write_number(row, 2, h.people as f64)?;
        }
        book.save_to_buffer()
    }
}

fn header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    bold: &Format,
    names: &[&str],
) -> Result<(), XlsxError> {
    for (col, name) in (0u16..).zip(names) {
        sheet.write_string_with_format(0, col, *name, bold)?;
        sheet.set_column_width(col, if col < 2 { 16 } else { 28 })?;
    }
    Ok(())
}

/// Findings in runs of one rule (they arrive sorted by severity, then
/// id, which starts with the rule).
fn by_rule(findings: &[Finding]) -> Vec<&[Finding]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=findings.len() {
        if i == findings.len() || findings[i].rule != findings[start].rule {
            if start < i {
                out.push(&findings[start..i]);
            }
            start = i;
        }
    }
    out
}

fn problem_line(p: &RowProblem) -> String {
    let at = if p.column.is_empty() {
        format!("line {}", p.line)
    } else {
        format!("line {}, column {}", p.line, p.column)
    };
    let left_out = if p.left_out { " (row left out)" } else { "" };
    format!("{at}: {}{left_out}", p.message)
}

fn people_line(people: &[Who]) -> String {
    let mut parts: Vec<String> = people
        .iter()
        .take(PEOPLE_SHOWN)
        .map(|w| format!("{} (line {})", w.label(), w.line))
        .collect();
    if people.len() > PEOPLE_SHOWN {
        parts.push(format!("and {} more", people.len() - PEOPLE_SHOWN));
    }
    parts.join("; ")
}

/// Markdown-safe text: table pipes and emphasis characters escaped.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
