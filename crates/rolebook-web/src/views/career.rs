//! The career explorer: the graph around a role, its moves in and out,
//! and the path planner.

use askama::Template;

use super::compare::{Column, OptionGroup, role_options};
use rolebook_career::export::SVG_MAX_NODES;

use super::{Layout, Links, family_index, published_role, relink_svg, render};
use crate::analysis;
use crate::cache::{self, Cached};
use crate::error::AppError;
use crate::state::Snapshot;

#[derive(Debug)]
pub struct MoveRow {
    /// The other role's career page, when it is published.
    pub href: Option<String>,
    pub title: String,
    pub kind: &'static str,
    pub gap: u32,
    /// "6 levels to gain across 4 skills".
    pub summary: String,
    pub top: Vec<String>,
    pub note: String,
    /// The comparison of the two roles, where there is one: any move
    /// between published roles on the server, declared moves on the
    /// static site.
    pub compare: Option<String>,
}

/// "6 levels to gain across 4 skills" for a move's missing skills.
fn levels_summary(lines: &[rolebook_career::SkillLine]) -> String {
    let levels: u32 = lines.iter().map(|l| u32::from(l.shortfall)).sum();
    match (levels, lines.len()) {
        (0, _) => "nothing to gain".to_string(),
        (levels, skills) => format!(
            "{levels} level{} to gain across {skills} skill{}",
            if levels == 1 { "" } else { "s" },
            if skills == 1 { "" } else { "s" }
        ),
    }
}

/// One path of the planner, on the career page and the skill-gap page.
#[derive(Debug)]
pub struct PathRow {
    pub total: u32,
    /// "7 levels to gain across 4 skills".
    pub summary: String,
    /// Each role on the path: its page, when it is published, and title.
    pub stops: Vec<(Option<String>, String)>,
    pub steps: Vec<PathStep>,
}

/// One move of a path: where it goes, what it adds and why it is a move.
#[derive(Debug)]
pub struct PathStep {
    pub href: Option<String>,
    pub title: String,
    pub kind: &'static str,
    /// What the move requires beyond the levels held by then.
    pub gap: u32,
    /// Every skill to grow on this move: "Incident management 2 → 4 (core, +4)".
    pub missing: Vec<String>,
    /// The catalog's note on the move, or where the move is written.
    pub reason: String,
}

/// The planner's rows for a path report, the same moves, gaps and reasons
/// `rolebook path` prints.
pub(crate) fn path_rows(snap: &Snapshot, report: &rolebook_career::PathReport) -> Vec<PathRow> {
    let href = |id: &str| snap.publication.role_href(id);
    report
        .paths
        .iter()
        .map(|p| {
            let mut stops = vec![(href(&report.from.id), report.from.title.clone())];
            stops.extend(p.steps.iter().map(|s| (href(&s.to.id), s.to.title.clone())));
            PathRow {
                total: p.total_gap,
                summary: p.summary(),
                stops,
                steps: p
                    .steps
                    .iter()
                    .map(|s| PathStep {
                        href: href(&s.to.id),
                        title: s.to.title.clone(),
                        kind: s.kind.label(),
                        gap: s.gap.total,
                        missing: s
                            .gap
                            .skills
                            .iter()
                            .map(|l| {
                                format!(
                                    "{} {} → {} ({}, +{})",
                                    l.name,
                                    l.current,
                                    l.required,
                                    l.importance.label(),
                                    l.weighted_shortfall
                                )
                            })
                            .collect(),
                        reason: s
                            .evidence
                            .iter()
                            .find_map(|e| e.note.clone())
                            .or_else(|| {
                                s.evidence
                                    .first()
                                    .map(|e| format!("listed in {}", e.location()))
                            })
                            .unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "career.html")]
struct CareerPage {
    layout: Layout,
    groups: Vec<OptionGroup>,
    focus: Option<Column>,
    depth: usize,
    svg: String,
    outgoing: Vec<MoveRow>,
    incoming: Vec<MoveRow>,
    outside: Vec<(String, &'static str, String)>,
    target: String,
    paths: Option<Vec<PathRow>>,
    target_title: String,
    formula: &'static str,
    path_formula: &'static str,
    /// Why there is no drawing (the neighbourhood is too large to lay out).
    graph_note: String,
    /// Roles drawn, and roles within `depth` moves: fewer are drawn than
    /// there are unless `all` was asked for.
    drawn: usize,
    within: usize,
    all: bool,
    /// How many roles are drawn unless all are asked for.
    nearest: usize,
    /// The drawn roles as a list, most senior level first: what narrow
    /// screens show instead of the drawing.
    by_level: Vec<LevelRoles>,
}

/// The roles the drawing shows, grouped by level, most senior first, each
/// with its career page when it is published.
fn roles_by_level(
    snap: &Snapshot,
    graph: &rolebook_career::CareerGraph<'_>,
    role: &rolebook_core::model::Role,
    depth: usize,
    limit: usize,
) -> Vec<LevelRoles> {
    let catalog = &snap.catalog;
    let Some(node) = graph.node(role) else {
        return Vec::new();
    };
    let mut nodes: Vec<usize> = graph.nearest(node, depth).into_iter().take(limit).collect();
    let rank = |n: usize| catalog.level(&graph.role(n).level).map_or(0, |l| l.rank);
    nodes.sort_by_key(|&n| (std::cmp::Reverse(rank(n)), n));
    let mut levels: Vec<(u8, LevelRoles)> = Vec::new();
    for n in nodes {
        let other = graph.role(n);
        let href = snap
            .publication
            .has_role(&other.id)
            .then(|| format!("/career/{}", other.id.as_str()));
        let entry = (href, other.title.to_string());
        match levels.last_mut() {
            Some((r, (_, list))) if *r == rank(n) => list.push(entry),
            _ => levels.push((
                rank(n),
                (super::level_name(catalog, &other.level), vec![entry]),
            )),
        }
    }
    levels.into_iter().map(|(_, level)| level).collect()
}

/// A level's name and its roles: each with its career page, when it is
/// published, and its title.
type LevelRoles = (String, Vec<(Option<String>, String)>);

fn move_row(snap: &Snapshot, m: &rolebook_career::Move, outgoing: bool, links: Links) -> MoveRow {
    let other = if outgoing { &m.to } else { &m.from };
    let published = snap.publication.has_role(&other.id);
    let comparable =
        published && (!links.is_static() || m.kind != rolebook_career::graph::EdgeKind::Implied);
    MoveRow {
        compare: comparable.then(|| format!("/compare?roles={},{}", m.from.id, m.to.id)),
        href: published.then(|| format!("/career/{}", other.id)),
        title: other.title.clone(),
        kind: m.kind.label(),
        gap: m.gap.total,
        summary: levels_summary(&m.gap.skills),
        top: m
            .gap
            .skills
            .iter()
            .take(3)
            .map(|s| format!("{} {}→{}", s.name, s.current, s.required))
            .collect(),
        note: m
            .evidence
            .iter()
            .find_map(|e| e.note.clone())
            .unwrap_or_default(),
    }
}

/// The career explorer: the index (`id` None) or the graph, moves and
/// paths around one role. `graph` is the career graph when many pages
/// share it (the static site); without it the page builds its own.
pub(crate) fn career_page(
    snap: &Snapshot,
    links: Links,
    id: Option<&str>,
    depth: usize,
    to: Option<&str>,
    all: bool,
) -> Result<Cached, AppError> {
    let catalog = &snap.catalog;
    let mut page = CareerPage {
        layout: Layout::new(
            snap,
            "Career explorer",
            "The career graph around a role, and the paths between roles with the smallest skill gap.",
            "career",
        )
        .with_links(links),
        // The static site lists every role on its index instead of the
        // picker; its role pages have no picker (it needs the server).
        groups: if links.is_static() && id.is_some() {
            Vec::new()
        } else {
            role_options(snap)
        },
        focus: None,
        depth,
        svg: String::new(),
        outgoing: Vec::new(),
        incoming: Vec::new(),
        outside: Vec::new(),
        target: String::new(),
        paths: None,
        target_title: String::new(),
        formula: rolebook_career::GAP_FORMULA,
        path_formula: rolebook_career::PATH_FORMULA,
        graph_note: String::new(),
        drawn: 0,
        within: 0,
        all: false,
        nearest: analysis::DRAWN_ROLES,
        by_level: Vec::new(),
    };
    if let Some(id) = id {
        let role = published_role(snap, id)?;
        page.layout.title = format!("Career paths around {}", role.title.as_str());
        page.focus = Some(Column {
            id: role.id.to_string(),
            title: role.title.to_string(),
            family_index: family_index(catalog, &role.family),
        });
        let graph = snap.graph();
        // The drawing is the slow part (graph layout) and does not depend on
        // the path target, so the server caches it on its own; the static
        // site draws each once.
        // The nearest roles, or all of them when asked (the server only).
        let limit = if all && !links.is_static() {
            SVG_MAX_NODES
        } else {
            analysis::DRAWN_ROLES
        };
        let within = graph
            .node(role)
            .map_or(1, |node| graph.nearest(node, depth).len());
        page.drawn = within.min(limit);
        page.within = within;
        page.all = all;
        page.by_level = roles_by_level(snap, graph, role, depth, limit);
        let drawing = if links.is_static() {
            analysis::graph_svg(graph, role, depth, limit, &snap.publication)
        } else {
            snap.cache
                .get_or_render(&format!("svg:{}:{depth}:{limit}", role.id.as_str()), || {
                    analysis::graph_svg(graph, role, depth, limit, &snap.publication)
                        .map(|svg| Cached::new(svg, cache::HTML))
                })
                .map(|svg| String::from_utf8_lossy(&svg.body).into_owned())
        };
        match drawing {
            Ok(svg) => page.svg = relink_svg(&svg, links),
            // Too many roles to lay out: the page still lists every move.
            Err(AppError::BadRequest(why)) => page.graph_note = why,
            Err(error) => return Err(error),
        }
        let (next, incoming) = analysis::moves(graph, role);
        page.outgoing = next
            .moves
            .iter()
            .map(|m| move_row(snap, m, true, links))
            .collect();
        page.incoming = incoming
            .iter()
            .map(|m| move_row(snap, m, false, links))
            .collect();
        page.outside = next
            .outside
            .iter()
            .map(|o| {
                (
                    o.title.clone(),
                    o.kind.label(),
                    o.note.clone().unwrap_or_default(),
                )
            })
            .collect();
        if let Some(to) = to {
            let target = analysis::find_role(catalog, to)?;
            let target = published_role(snap, &target.id)?;
            let report = graph.paths(role, target, 3);
            page.target = target.id.to_string();
            page.target_title = target.title.to_string();
            page.paths = Some(path_rows(snap, &report));
        }
    }
    render(&page)
}
