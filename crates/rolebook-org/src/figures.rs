//! The spans-and-layers figures organisation-design tools report
//! (managers and individual contributors, spans per layer and over each
//! leader's whole line, headcount by family and level), computed in a few
//! passes over the reporting tree.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::{Ctx, Who};

/// The spans-and-layers figures organisation-design tools report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub people: usize,
    /// People with at least one direct report.
    pub managers: usize,
    pub individual_contributors: usize,
    /// Direct reports per manager, over all managers.
    pub average_span: f64,
    pub layers: u32,
    /// Separate trees: one for a well-formed organisation.
    pub trees: usize,
    /// Managers with exactly one direct report.
    pub one_over_one: usize,
    /// Managers with one or two direct reports.
    pub micro_teams: usize,
    pub by_layer: Vec<LayerFigures>,
    /// Every leader of managers, top layers first: their whole line's
    /// figures.
    pub leaders: Vec<LeaderFigures>,
    pub titles: usize,
    pub titles_placed: usize,
    pub people_placed: usize,
    /// People per catalog family and level.
    pub headcount: Vec<Headcount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerFigures {
    pub layer: u32,
    pub people: usize,
    pub managers: usize,
    /// Direct reports per manager of this layer.
    pub average_span: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderFigures {
    pub leader: Who,
    /// The leader's layer, from 1 at the top.
    pub layer: u32,
    pub direct_reports: usize,
    /// Everyone below, at any depth.
    pub line: usize,
    /// Layers below the leader.
    pub layers_below: u32,
    /// Managers in the line, the leader included.
    pub managers_in_line: usize,
    /// Direct reports per manager over the leader's whole line.
    pub average_span_in_line: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headcount {
    pub family: String,
    pub level: String,
    pub people: usize,
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        ((a as f64 / b as f64) * 100.0).round() / 100.0
    }
}

pub(crate) fn figures(ctx: &Ctx) -> Figures {
    let tree = ctx.tree;
    let n = ctx.people.len();
    let span = |p: usize| tree.children[p].len();
    let managers = (0..n).filter(|&p| span(p) > 0).count();
    let reports_total: usize = (0..n).map(span).sum();
    let layers = tree.layers();
    let mut by_layer: Vec<LayerFigures> = (1..=layers)
        .map(|layer| LayerFigures {
            layer,
            people: 0,
            managers: 0,
            average_span: 0.0,
        })
        .collect();
    let mut reports_by_layer = vec![0usize; layers as usize];
    for p in 0..n {
        let at = tree.layer[p] as usize - 1;
        by_layer[at].people += 1;
        if span(p) > 0 {
            by_layer[at].managers += 1;
            reports_by_layer[at] += span(p);
        }
    }
    for (figures, reports) in by_layer.iter_mut().zip(&reports_by_layer) {
        figures.average_span = ratio(*reports, figures.managers);
    }
    // Whole-line figures bottom-up: managers and their reports below each.
    let mut line_managers = vec![0usize; n];
    let mut line_reports = vec![0usize; n];
    let mut depth_below = vec![0u32; n];
    let sizes = tree.line_sizes();
    for &p in tree.top_down.iter().rev() {
        if span(p) > 0 {
            line_managers[p] += 1;
            line_reports[p] += span(p);
        }
        if let Some(up) = tree.parent[p] {
            line_managers[up] += line_managers[p];
            line_reports[up] += line_reports[p];
            depth_below[up] = depth_below[up].max(depth_below[p] + 1);
        }
    }
    let mut leaders: Vec<LeaderFigures> = (0..n)
        .filter(|&p| tree.children[p].iter().any(|&c| span(c) > 0))
        .map(|p| LeaderFigures {
            leader: ctx.who(p),
            layer: tree.layer[p],
            direct_reports: span(p),
            line: sizes[p],
            layers_below: depth_below[p],
            managers_in_line: line_managers[p],
            average_span_in_line: ratio(line_reports[p], line_managers[p]),
        })
        .collect();
    leaders.sort_by_key(|l| l.layer);
    let mut headcount: BTreeMap<(u8, String, String), usize> = BTreeMap::new();
    let mut people_placed = 0;
    for p in 0..n {
        if let Some(role) = ctx.role(p) {
            people_placed += 1;
            let level = ctx.catalog.level(&role.level);
            let family = ctx
                .catalog
                .family(&role.family)
                .map_or(role.family.to_string(), |f| f.name.clone());
            *headcount
                .entry((
                    level.map_or(0, |l| l.rank),
                    family,
                    level.map_or(role.level.to_string(), |l| l.name.clone()),
                ))
                .or_default() += 1;
        }
    }
    Figures {
        people: n,
        managers,
        individual_contributors: n - managers,
        average_span: ratio(reports_total, managers),
        layers,
        trees: tree.roots.len(),
        one_over_one: (0..n).filter(|&p| span(p) == 1).count(),
        micro_teams: (0..n).filter(|&p| (1..=2).contains(&span(p))).count(),
        by_layer,
        leaders,
        titles: ctx.titles.titles.len(),
        titles_placed: ctx
            .titles
            .titles
            .iter()
            .filter(|t| t.role.is_some())
            .count(),
        people_placed,
        headcount: headcount
            .into_iter()
            .map(|((_, family, level), people)| Headcount {
                family,
                level,
                people,
            })
            .collect(),
    }
}
