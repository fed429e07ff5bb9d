//! The skill-gap page: the rating form for a target role and, once rated,
//! the gap per skill, readiness with its formula, the development plan and
//! the radar chart. Built from a parsed form or profile; see
//! [`crate::pages`] for how ratings arrive and leave.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolebook_career::assess::Assessment;
use rolebook_career::radar::radar_svg;
use rolebook_career::{Profile, READINESS_FORMULA, SkillLine, parse_profile};
use rolebook_core::model::{Importance, Role};
use rolebook_core::{Diagnostic, diagnostic};

use super::career::{PathRow, path_rows};
use super::compare::{OptionGroup, role_options};
use super::{Layout, family_name, level_name, typographic_quotes};
use crate::error::AppError;
use crate::state::Snapshot;

/// Longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest evidence note accepted per skill, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 500;
/// Most problems of an uploaded profile shown; the rest are counted. The
/// cap the CLI uses too: a broken file can have thousands, each a few
/// hundred bytes of page.
pub const MAX_PROBLEMS_SHOWN: usize = rolebook_core::diagnostic::MAX_REPORTED;
/// Longest message, hint or source line shown for a problem, in
/// characters: one line of a file can be the whole file.
pub const MAX_PROBLEM_CHARS: usize = 200;

/// What the rating form sends, checked against the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapForm {
    /// The target role's id.
    pub target: Option<String>,
    pub profile: Profile,
    /// Whether the form carried ratings (as opposed to only a target).
    pub rated: bool,
}

/// The career crate's gap formula (`rolebook_career::GAP_FORMULA`) for a
/// person rather than a role, worded like its readiness formula.
pub const PERSON_GAP_FORMULA: &str = "gap = Σ w(s) × max(0, required(s) − current(s)), over the target's required skills, where current(s) is 0 for skills not assessed and w(s) is 2 for core skills, 1 for supporting";

pub(crate) const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// One level a person can pick for a skill.
#[derive(Debug)]
pub struct LevelOption {
    pub level: u8,
    pub name: String,
    pub descriptor: String,
    pub checked: bool,
    /// The level the target role requires.
    pub required: bool,
}

/// One skill of the target on the rating form.
#[derive(Debug)]
pub struct RateRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub core: bool,
    pub required: u8,
    pub required_name: String,
    pub evidence: String,
    pub options: Vec<LevelOption>,
    /// The manager's rating, 0 for none.
    pub manager: u8,
}

/// A skill in the profile that the target does not require: carried in
/// hidden fields so that the downloaded profile keeps it.
#[derive(Debug)]
pub struct KeptSkill {
    pub id: String,
    pub name: String,
    pub level: u8,
    pub manager: u8,
    pub evidence: String,
}

/// What to develop in one skill.
#[derive(Debug)]
pub struct PlanRow {
    pub id: String,
    pub name: String,
    pub core: bool,
    pub current: u8,
    pub required: u8,
    pub steps: Vec<StepRow>,
}

/// One level to reach in a skill, described by the skill.
#[derive(Debug)]
pub struct StepRow {
    pub level: u8,
    pub name: String,
    pub descriptor: String,
    /// The scale's general descriptor stands in for the skill's own.
    pub generic: bool,
}

/// One skill of the gap table.
#[derive(Debug)]
pub struct GapRow {
    pub line: SkillLine,
    /// The manager's rating, or "–".
    pub manager: String,
    /// The two ratings are two or more levels apart: worth a conversation.
    pub apart: bool,
}

/// The assessment, ready to show.
#[derive(Debug)]
pub struct Outcome {
    pub person: String,
    pub readiness: String,
    pub met: u32,
    pub required: u32,
    pub gap: u32,
    /// Proficiency levels to gain, unweighted.
    pub levels: u32,
    pub lines: Vec<GapRow>,
    /// Whether any skill has a manager's rating: the table shows the
    /// column only then.
    pub has_manager: bool,
    pub plan: Vec<PlanRow>,
    /// The radar chart, SVG from `rolebook-career` (every text in it is
    /// escaped there).
    pub radar: String,
    /// Skills of the profile the target does not require: (name, level,
    /// level name).
    pub other: Vec<(String, u8, String)>,
}

/// A problem found in an uploaded profile.
#[derive(Debug)]
pub struct ProblemRow {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    /// `file:line:column`, when located.
    pub location: String,
    pub line: String,
    pub hint: String,
}

#[derive(Template)]
#[template(path = "gap.html")]
struct GapPage {
    layout: Layout,
    groups: Vec<OptionGroup>,
    target: String,
    target_title: String,
    target_meta: String,
    name: String,
    current: String,
    rows: Vec<RateRow>,
    kept: Vec<KeptSkill>,
    /// The levels (0 to 5) and their names, for the manager's rating.
    scale: Vec<(u8, String)>,
    /// The role whose required levels pre-fill the form, when the person
    /// named a current role and has not rated yet.
    prefilled_from: String,
    outcome: Option<Outcome>,
    readiness_formula: &'static str,
    gap_formula: &'static str,
    /// Where the ratings came from, when uploaded.
    uploaded: String,
    /// The first [`MAX_PROBLEMS_SHOWN`] problems.
    problems: Vec<ProblemRow>,
    /// Every problem, shown or not.
    problem_count: usize,
    /// The problems as the CLI prints them.
    report: String,
    /// The uploaded text, to fix in place after a problem.
    text: String,
    max_evidence: usize,
    /// Paths from the current role to the target with the person's own
    /// ratings, when both roles are given.
    paths: Option<Vec<PathRow>>,
    path_from: String,
    path_formula: &'static str,
    move_gap_formula: &'static str,
}

impl GapPage {
    fn new(snap: &Snapshot) -> Self {
        GapPage {
            layout: Layout::new(
                snap,
                "Skill gap assessment",
                "Rate yourself on a target role's skills and see the gap, your readiness and a development plan. Nothing is stored.",
                "gap",
            ),
            groups: role_options(snap),
            target: String::new(),
            target_title: String::new(),
            target_meta: String::new(),
            name: String::new(),
            current: String::new(),
            rows: Vec::new(),
            kept: Vec::new(),
            scale: std::iter::once((0, "No rating".to_string()))
                .chain(
                    snap.catalog
                        .proficiency()
                        .iter()
                        .map(|p| (*p.level, format!("{} · {}", *p.level, p.name))),
                )
                .collect(),
            prefilled_from: String::new(),
            outcome: None,
            readiness_formula: READINESS_FORMULA,
            gap_formula: PERSON_GAP_FORMULA,
            uploaded: String::new(),
            problems: Vec::new(),
            problem_count: 0,
            report: String::new(),
            text: String::new(),
            max_evidence: MAX_EVIDENCE_CHARS,
            paths: None,
            path_from: String::new(),
            path_formula: rolebook_career::PATH_FORMULA,
            move_gap_formula: rolebook_career::GAP_FORMULA,
        }
    }

    /// Fills the rating form for `target` with `profile`'s ratings, and
    /// the results when `assess` is set.
    fn fill(&mut self, snap: &Snapshot, target: &Role, profile: &Profile, assess: bool) {
        let catalog = &snap.catalog;
        self.target = target.id.to_string();
        self.target_title = target.title.to_string();
        self.target_meta = format!(
            "{} · {}",
            family_name(catalog, &target.family),
            level_name(catalog, &target.level)
        );
        self.layout.title = format!("Skill gap to {}", target.title.as_str());
        self.name = profile.name.clone().unwrap_or_default();
        self.current = profile.current_role.clone().unwrap_or_default();
        let evidence = |id: &str| {
            profile
                .skills
                .iter()
                .find(|s| s.skill == id)
                .and_then(|s| s.evidence.clone())
                .unwrap_or_default()
        };
        let manager = |id: &str| {
            profile
                .skills
                .iter()
                .find(|s| s.skill == id)
                .and_then(|s| s.manager_level)
                .unwrap_or(0)
        };
        // Before any rating, a person who names their current role starts
        // from the levels it requires: most of them are theirs already.
        let prefill = if assess || !profile.skills.is_empty() {
            None
        } else {
            profile
                .current_role
                .as_deref()
                .and_then(|id| catalog.role(id))
        };
        self.prefilled_from = prefill.map_or_else(String::new, |r| r.title.to_string());
        self.rows = target
            .skills
            .iter()
            .filter_map(|req| {
                let skill = catalog.skill(&req.skill)?;
                let held = match prefill {
                    Some(current) => current.skill_level(&req.skill).unwrap_or(0),
                    None => profile.level(&req.skill),
                };
                let mut options = vec![LevelOption {
                    level: 0,
                    name: "Not yet".to_string(),
                    descriptor: "Not held, or not used in practice yet.".to_string(),
                    checked: held == 0,
                    required: false,
                }];
                options.extend(catalog.proficiency().iter().map(|p| {
                    let level = *p.level;
                    let specific = skill.level_descriptor(level);
                    LevelOption {
                        level,
                        name: p.name.clone(),
                        descriptor: specific.unwrap_or(&p.descriptor).to_string(),
                        checked: held == level,
                        required: *req.level == level,
                    }
                }));
                Some(RateRow {
                    id: skill.id.to_string(),
                    name: skill.name.clone(),
                    description: skill.description.clone(),
                    core: req.importance == Importance::Core,
                    required: *req.level,
                    required_name: catalog
                        .proficiency_level(*req.level)
                        .map_or_else(String::new, |p| p.name.clone()),
                    evidence: evidence(&req.skill),
                    options,
                    manager: manager(&req.skill),
                })
            })
            .collect();
        self.kept = profile
            .skills
            .iter()
            .filter(|s| target.skill_level(&s.skill).is_none())
            .map(|s| KeptSkill {
                id: s.skill.clone(),
                name: catalog
                    .skill(&s.skill)
                    .map_or_else(|| s.skill.clone(), |k| k.name.clone()),
                level: s.level,
                manager: s.manager_level.unwrap_or(0),
                evidence: s.evidence.clone().unwrap_or_default(),
            })
            .collect();
        if assess {
            let report = snap.career().assess(profile, target);
            self.outcome = Some(outcome(&report));
            let current = profile
                .current_role
                .as_deref()
                .and_then(|id| catalog.role(id));
            if let Some(from) = current.filter(|from| from.id != target.id) {
                let report = snap.graph().paths_for(profile, from, target, 3);
                self.paths = Some(path_rows(snap, &report));
                self.path_from = from.title.to_string();
            }
        }
    }
}

fn outcome(report: &Assessment) -> Outcome {
    Outcome {
        person: report.person.clone().unwrap_or_default(),
        readiness: report.readiness.percent(),
        met: report.readiness.met,
        required: report.readiness.required,
        gap: report.gap,
        levels: report
            .skills
            .iter()
            .map(|line| u32::from(line.shortfall))
            .sum(),
        lines: report
            .skills
            .iter()
            .map(|line| GapRow {
                manager: line
                    .manager
                    .map_or_else(|| "–".to_string(), |m| m.to_string()),
                apart: line.manager.is_some_and(|m| m.abs_diff(line.current) >= 2),
                line: line.clone(),
            })
            .collect(),
        has_manager: report.skills.iter().any(|l| l.manager.is_some()),
        plan: report
            .plan
            .iter()
            .map(|p| PlanRow {
                id: p.skill.clone(),
                name: p.name.clone(),
                core: p.importance == Importance::Core,
                current: p.current,
                required: p.required,
                steps: p
                    .steps
                    .iter()
                    .map(|s| StepRow {
                        level: s.level,
                        name: s.level_name.clone(),
                        descriptor: s.descriptor.clone(),
                        generic: s.generic,
                    })
                    .collect(),
            })
            .collect(),
        radar: radar_svg(report),
        other: report
            .other_skills
            .iter()
            .map(|o| (o.name.clone(), o.level, o.level_name.clone()))
            .collect(),
    }
}

/// An HTML answer that must not be stored: it may hold a person's ratings.
fn private_html(status: StatusCode, page: &GapPage) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            [
                (header::CONTENT_TYPE, crate::cache::HTML),
                (header::CACHE_CONTROL, NO_STORE),
            ],
            html,
        )
            .into_response(),
        Err(e) => AppError::Internal(format!("template: {e}")).into_response(),
    }
}

pub(crate) fn show(snap: &Snapshot, form: &GapForm) -> Response {
    let catalog = &snap.catalog;
    let mut page = GapPage::new(snap);
    if let Some(target) = form.target.as_deref().and_then(|id| catalog.role(id)) {
        page.fill(snap, target, &form.profile, form.rated);
    } else {
        page.name = form.profile.name.clone().unwrap_or_default();
        page.current = form.profile.current_role.clone().unwrap_or_default();
    }
    private_html(StatusCode::OK, &page)
}

/// `text` cut to `max` characters, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

fn problem_rows(parsed: &rolebook_career::ParsedProfile) -> Vec<ProblemRow> {
    parsed
        .diagnostics
        .iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(|d: &Diagnostic| {
            let report = d.to_report(&parsed.sources);
            let (location, line) = report.location.map_or_else(
                || (String::new(), String::new()),
                |l| {
                    (
                        format!("{}:{}:{}", l.file, l.line, l.column),
                        clip(&l.snippet, MAX_PROBLEM_CHARS),
                    )
                },
            );
            ProblemRow {
                severity: if d.is_error() { "error" } else { "warning" },
                code: report.code,
                message: typographic_quotes(&clip(&report.message, MAX_PROBLEM_CHARS)),
                location,
                line,
                hint: typographic_quotes(&clip(
                    &report.hint.unwrap_or_default(),
                    MAX_PROBLEM_CHARS,
                )),
            }
        })
        .collect()
}

/// The shown problems as the CLI prints them, each line clipped.
fn cli_report(parsed: &rolebook_career::ParsedProfile) -> String {
    let shown = parsed.diagnostics.len().min(MAX_PROBLEMS_SHOWN);
    let rendered = diagnostic::render(&parsed.sources, &parsed.diagnostics[..shown], false);
    let mut report: String = rendered
        .lines()
        .map(|line| clip(line, MAX_PROBLEM_CHARS) + "\n")
        .collect();
    let more = parsed.diagnostics.len() - shown;
    if more > 0 {
        report.push_str(&format!("… and {more} more\n"));
    }
    report
}

/// The page for an uploaded profile (`path` names it in diagnostics): the
/// assessment against `target` when the profile is good, a 400 page with
/// the first problems located, the rest counted, and the text to fix when
/// it is not.
pub(crate) fn uploaded_page(
    snap: &Snapshot,
    target: Option<&Role>,
    path: &str,
    text: &str,
) -> Response {
    let mut page = GapPage::new(snap);
    if let Some(target) = target {
        page.target = target.id.to_string();
        page.target_title = target.title.to_string();
    }
    let parsed = parse_profile(path, text, &snap.catalog);
    page.uploaded = path.to_string();
    page.problems = problem_rows(&parsed);
    page.problem_count = parsed.diagnostics.len();
    match (&parsed.profile, target) {
        (Some(profile), Some(target)) => {
            page.fill(snap, target, profile, true);
            private_html(StatusCode::OK, &page)
        }
        (Some(_), None) => {
            AppError::bad_request("choose the target role to assess the profile against")
                .into_response()
        }
        (None, _) => {
            page.layout.title = "The profile has problems".to_string();
            page.report = cli_report(&parsed);
            page.text = text.to_string();
            private_html(StatusCode::BAD_REQUEST, &page)
        }
    }
}
