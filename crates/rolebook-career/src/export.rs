//! The career graph (or part of it) as Graphviz DOT, Mermaid, or an SVG
//! laid out by `layout-rs`.
//!
//! All three draw the same picture: roles as boxes labelled with their
//! title over their level (smaller and muted), senior roles above junior
//! ones, and one arrow per move labelled with its skill gap: solid for
//! declared next moves, dashed for lateral moves, dotted for moves the
//! framework implies.
//!
//! The SVG is drawn here from the positions `layout-rs` computes (a
//! recording [`RenderBackend`]), not by its own writer: every part carries
//! a class for theming, colours are presentation attributes (no `<style>`
//! element, which a strict Content-Security-Policy forbids), roles can be
//! links, and the canvas is sized to everything drawn plus a margin.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::gap::GAP_FORMULA;
use crate::graph::{CareerGraph, Edge, EdgeKind};
use rolebook_core::escape::xml;

/// Largest graph the SVG export lays out. The layered layout grows
/// faster than quadratically (about 0.2 s for 60 roles, 1.2 s for 120 and
/// 15 s for 300 on one core); beyond this, DOT with Graphviz is the tool.
pub const SVG_MAX_NODES: usize = 150;

/// Fill colours for families, in the order families are listed in the
/// framework; they repeat after the last.
const PALETTE: [&str; 8] = [
    "#dbe9f6", "#fde2c8", "#d7f0dd", "#f3d6e7", "#e6e0f5", "#fff3bf", "#d3efee", "#eadfd6",
];
const FOCUS_FILL: &str = "#ffd166";
/// Line colour of implied moves in the SVG.
const IMPLIED_INK: &str = "#2a7ab9";

/// Which part of the graph to draw: these nodes and every edge between
/// them, optionally highlighting one role.
#[derive(Debug, Clone)]
pub struct View {
    /// Sorted, without duplicates.
    nodes: Vec<usize>,
    focus: Option<usize>,
}

impl View {
    /// These nodes (of `graph`), highlighting `focus`.
    pub fn new(mut nodes: Vec<usize>, focus: Option<usize>) -> Self {
        nodes.sort_unstable();
        nodes.dedup();
        View { nodes, focus }
    }

    pub fn nodes(&self) -> &[usize] {
        &self.nodes
    }

    /// The whole graph.
    pub fn all(graph: &CareerGraph<'_>) -> Self {
        View {
            nodes: (0..graph.node_count()).collect(),
            focus: None,
        }
    }

    /// `node` and every role within `depth` moves of it.
    pub fn around(graph: &CareerGraph<'_>, node: usize, depth: usize) -> Self {
        View::new(graph.neighbourhood(node, depth), Some(node))
    }

    fn contains(&self, node: usize) -> bool {
        self.nodes.binary_search(&node).is_ok()
    }

    fn edges<'g>(&self, graph: &'g CareerGraph<'_>) -> Vec<&'g Edge> {
        graph
            .edges()
            .iter()
            .filter(|e| self.contains(e.from) && self.contains(e.to))
            .collect()
    }
}

fn family_colour(graph: &CareerGraph<'_>, node: usize) -> &'static str {
    let family = graph.role(node).family.as_str();
    let position = graph
        .career()
        .catalog()
        .families()
        .iter()
        .position(|f| f.id.as_str() == family)
        .unwrap_or(0);
    PALETTE[position % PALETTE.len()]
}

fn level_name(graph: &CareerGraph<'_>, node: usize) -> String {
    let role = graph.role(node);
    graph
        .career()
        .catalog()
        .level(&role.level)
        .map_or_else(|| role.level.to_string(), |l| l.name.clone())
}

fn edge_label(edge: &Edge) -> String {
    match edge.kind {
        EdgeKind::Next => format!("gap {}", edge.gap),
        kind => format!("{} · gap {}", kind.label(), edge.gap),
    }
}

/// Families of the view's nodes in framework order, each with its nodes.
fn by_family(graph: &CareerGraph<'_>, view: &View) -> Vec<(String, String, Vec<usize>)> {
    let catalog = graph.career().catalog();
    let mut groups: Vec<(String, String, Vec<usize>)> = catalog
        .families()
        .iter()
        .map(|f| (f.id.to_string(), f.name.clone(), Vec::new()))
        .collect();
    for &node in &view.nodes {
        let family = graph.role(node).family.as_str();
        if let Some(group) = groups.iter_mut().find(|g| g.0 == family) {
            group.2.push(node);
        }
    }
    groups.retain(|g| !g.2.is_empty());
    groups
}

fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT. Families become clusters; tooltips carry the evidence.
pub fn to_dot(graph: &CareerGraph<'_>, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// rolebook career graph. Edge labels are skill gaps: {GAP_FORMULA}."
    );
    let _ = writeln!(
        out,
        "// Solid: next move; dashed: lateral move; dotted: implied by the framework (same family, next rank up)."
    );
    out.push_str("digraph career {\n");
    out.push_str("  graph [rankdir=BT, fontname=\"Helvetica\", fontsize=11, newrank=true];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (id, name, nodes) in by_family(graph, view) {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            dot_string(&format!("cluster_{id}"))
        );
        let _ = writeln!(out, "    label={};", dot_string(&name));
        for node in nodes {
            let role = graph.role(node);
            let focus = view.focus == Some(node);
            // The level goes under the title, smaller and muted, so that a
            // title naming its level ("SRE Manager") does not read twice.
            let _ = writeln!(
                out,
                "    {} [label=<{}<BR/><FONT POINT-SIZE=\"9\" COLOR=\"{MUTED_INK}\">{}</FONT>>, fillcolor={}{}];",
                dot_string(&role.id),
                xml(&role.title),
                xml(&level_name(graph, node)),
                dot_string(if focus {
                    FOCUS_FILL
                } else {
                    family_colour(graph, node)
                }),
                if focus { ", penwidth=2" } else { "" }
            );
        }
        out.push_str("  }\n");
    }
    for edge in view.edges(graph) {
        let evidence: Vec<String> = graph
            .evidence(edge)
            .iter()
            .map(|e| match &e.note {
                Some(note) if e.field == "levels" => note.clone(),
                _ => e.location(),
            })
            .collect();
        let style = match edge.kind {
            EdgeKind::Next => "",
            // Sideways moves should not push roles up or down a rank.
            EdgeKind::Lateral => ", style=dashed, constraint=false",
            EdgeKind::Implied => ", style=dotted",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, tooltip={}{style}];",
            dot_string(&graph.role(edge.from).id),
            dot_string(&graph.role(edge.to).id),
            dot_string(&edge_label(edge)),
            dot_string(&format!("{}: {}", edge.kind.label(), evidence.join("; ")))
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid_id(prefix: &str, id: &str) -> String {
    // Ids are kebab-case, so mapping '-' to '_' keeps them distinct.
    format!("{prefix}_{}", id.replace('-', "_"))
}

fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
}

/// A Mermaid flowchart. Families become subgraphs.
pub fn to_mermaid(graph: &CareerGraph<'_>, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "%% rolebook career graph. Edge labels are skill gaps: {GAP_FORMULA}."
    );
    out.push_str("flowchart BT\n");
    for (id, name, nodes) in by_family(graph, view) {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            mermaid_id("f", &id),
            mermaid_text(&name)
        );
        for node in nodes {
            let role = graph.role(node);
            let _ = writeln!(
                out,
                "    {}[\"{}<br/><small>{}</small>\"]",
                mermaid_id("r", &role.id),
                mermaid_text(&role.title),
                mermaid_text(&level_name(graph, node))
            );
        }
        out.push_str("  end\n");
    }
    for edge in view.edges(graph) {
        let arrow = match edge.kind {
            EdgeKind::Next => "-->",
            EdgeKind::Lateral | EdgeKind::Implied => "-.->",
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            mermaid_id("r", &graph.role(edge.from).id),
            mermaid_text(&edge_label(edge)),
            mermaid_id("r", &graph.role(edge.to).id)
        );
    }
    if let Some(focus) = view.focus {
        out.push_str("  classDef focus fill:#ffd166,stroke:#333,stroke-width:2px\n");
        let _ = writeln!(
            out,
            "  class {} focus",
            mermaid_id("r", &graph.role(focus).id)
        );
    }
    out
}

/// Why an SVG could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgError {
    TooLarge {
        nodes: usize,
    },
    /// The layout library failed on this graph, even without its placement
    /// passes.
    Layout,
}

impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SvgError::TooLarge { nodes } => write!(
                f,
                "the graph has {nodes} roles; SVG layout is limited to {SVG_MAX_NODES}"
            ),
            SvgError::Layout => write!(f, "the SVG layout failed on this graph"),
        }
    }
}

impl std::error::Error for SvgError {}

/// Font sizes of a role's title, its level and the edge labels.
const TITLE_SIZE: f64 = 14.0;
const LEVEL_SIZE: f64 = 11.0;
const LABEL_SIZE: usize = 11;
/// A generous average advance of a character, in ems, for sans-serif
/// fonts (Helvetica, Arial, Inter): sizes boxes and the canvas so that no
/// text reaches past them.
const CHAR_EM: f64 = 0.56;
const BOX_PAD_X: f64 = 14.0;
const BOX_HEIGHT: f64 = 46.0;
/// Space around the whole drawing, inside the canvas.
const MARGIN: f64 = 16.0;
const INK: &str = "#444444";
const MUTED_INK: &str = "#555555";
const FONT: &str = "Helvetica, Arial, sans-serif";

/// How [`to_svg_with`] draws the graph.
#[derive(Clone, Copy, Default)]
pub struct SvgOptions<'a> {
    /// An `<svg>` element for an HTML page instead of a standalone file: no
    /// XML prolog and no background, so that the page's stylesheet can
    /// theme it through the classes every part carries (`node`, `fam-N`,
    /// `focus`, `role-title`, `role-level`, `edge next|lateral|implied`,
    /// `edge-label`, `arrowhead`, `legend`). Colours are presentation
    /// attributes, which any stylesheet rule overrides; there is no
    /// `<style>` element either way.
    pub inline: bool,
    /// Makes each role's box a link to `link(role id)`; the focus role's
    /// link is marked `aria-current="page"`.
    pub link: Option<&'a dyn Fn(&str) -> String>,
    /// The drawing's accessible name; by default "Career graph", or
    /// "Career moves around ROLE" with a focus.
    pub title: Option<&'a str>,
}

impl std::fmt::Debug for SvgOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SvgOptions")
            .field("inline", &self.inline)
            .field("link", &self.link.map(|_| "fn"))
            .field("title", &self.title)
            .finish()
    }
}

fn colour(web: &str) -> Color {
    Color::fast(web)
}

fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_EM
}

/// Numbers in the drawing: one decimal, no trailing `.0`.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{:.0}", rounded)
    } else {
        format!("{rounded:.1}")
    }
}

fn family_index(graph: &CareerGraph<'_>, node: usize) -> usize {
    let family = graph.role(node).family.as_str();
    graph
        .career()
        .catalog()
        .families()
        .iter()
        .position(|f| f.id.as_str() == family)
        .unwrap_or(0)
        % PALETTE.len()
}

/// An SVG drawing laid out with `layout-rs` (layered, Graphviz-like), as a
/// standalone file; see [`to_svg_with`].
pub fn to_svg(graph: &CareerGraph<'_>, view: &View) -> Result<String, SvgError> {
    to_svg_with(graph, view, &SvgOptions::default())
}

/// An SVG drawing of the view: `layout-rs` places the boxes and routes the
/// lines; this module draws them (each role's title, with its level
/// smaller and muted underneath; lines styled by kind of move; a legend
/// of line styles and family colours under the graph), and sizes the
/// canvas to everything drawn plus a margin.
///
/// layout-rs 0.1.3 can fail an internal assertion in its last, cosmetic
/// pass (edge straightening after Brandes-Köpf placement) on some graphs.
/// When it does, the drawing is laid out again without the placement
/// passes: the same layers and order, with rows aligned left. The failed
/// attempt is caught and kept quiet; see [`quietly`].
pub fn to_svg_with(
    graph: &CareerGraph<'_>,
    view: &View,
    options: &SvgOptions<'_>,
) -> Result<String, SvgError> {
    if view.nodes.len() > SVG_MAX_NODES {
        return Err(SvgError::TooLarge {
            nodes: view.nodes.len(),
        });
    }
    let attempt = |no_placement: bool| {
        quietly(|| {
            let mut vg = visual_graph(graph, view);
            let mut drawing = Drawing::default();
            vg.do_it(false, false, no_placement, &mut drawing);
            drawing
        })
    };
    let drawing = attempt(false)
        .or_else(|| attempt(true))
        .ok_or(SvgError::Layout)?;
    Ok(write_svg(graph, view, &drawing, options))
}

/// A line between two roles as the layout routed it.
#[derive(Debug)]
struct DrawnEdge {
    kind: EdgeKind,
    /// `(point, control)` pairs, as layout-rs hands them to a backend:
    /// the first is the exit vector, the rest entry vectors.
    path: Vec<(Point, Point)>,
    head: (bool, bool),
}

/// Everything the layout placed: layout-rs calls this backend, which only
/// records; [`write_svg`] draws.
#[derive(Debug, Default)]
struct Drawing {
    /// (view node, top left, size)
    nodes: Vec<(usize, Point, Point)>,
    /// Edge labels at their centre.
    labels: Vec<(Point, String)>,
    edges: Vec<DrawnEdge>,
    /// The centre of the box just drawn: the text drawn next at the same
    /// place is that box's label.
    last_box: Option<Point>,
}

impl RenderBackend for Drawing {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(node) = properties.and_then(|p| p.parse::<usize>().ok()) {
            self.nodes.push((node, xy, size));
            self.last_box = Some(Point::new(xy.x + size.x / 2.0, xy.y + size.y / 2.0));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if let Some(centre) = self.last_box.take()
            && (centre.x - xy.x).abs() < 0.5
            && (centre.y - xy.y).abs() < 0.5
        {
            return;
        }
        if !text.trim().is_empty() {
            self.labels.push((xy, text.to_string()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        let kind = match properties.as_deref() {
            Some("lateral") => EdgeKind::Lateral,
            Some("implied") => EdgeKind::Implied,
            _ => EdgeKind::Next,
        };
        if path.len() >= 2 {
            self.edges.push(DrawnEdge {
                kind,
                path: path.to_vec(),
                head,
            });
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// The smallest box holding every point given.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    min: Point,
    max: Point,
}

impl Bounds {
    fn empty() -> Self {
        Bounds {
            min: Point::new(f64::INFINITY, f64::INFINITY),
            max: Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY),
        }
    }

    fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.min = Point::new(self.min.x.min(x), self.min.y.min(y));
            self.max = Point::new(self.max.x.max(x), self.max.y.max(y));
        }
    }

    fn add_rect(&mut self, top_left: Point, size: Point) {
        self.add(top_left.x, top_left.y);
        self.add(top_left.x + size.x, top_left.y + size.y);
    }

    fn or_origin(self) -> Self {
        if self.min.x.is_finite() {
            self
        } else {
            Bounds {
                min: Point::new(0.0, 0.0),
                max: Point::new(0.0, 0.0),
            }
        }
    }
}

fn edge_path(path: &[(Point, Point)]) -> String {
    let p = |point: Point| format!("{} {}", num(point.x), num(point.y));
    let mut d = format!(
        "M {} C {}, {}, {}",
        p(path[0].0),
        p(path[0].1),
        p(path[1].0),
        p(path[1].1)
    );
    for point in &path[2..] {
        d.push_str(&format!(" S {}, {}", p(point.0), p(point.1)));
    }
    d
}

/// One item of the legend: a sample and its text.
enum Sample {
    Line(EdgeKind),
    Swatch(&'static str, usize),
}

fn edge_look(kind: EdgeKind) -> (&'static str, &'static str, &'static str) {
    // (class, stroke, dash pattern)
    match kind {
        EdgeKind::Next => ("next", INK, ""),
        EdgeKind::Lateral => ("lateral", INK, " stroke-dasharray=\"6 4\""),
        EdgeKind::Implied => ("implied", IMPLIED_INK, " stroke-dasharray=\"2 3\""),
    }
}

fn marker(kind: EdgeKind, start: bool) -> String {
    let (class, _, _) = edge_look(kind);
    let kind = if class == "implied" {
        "implied"
    } else {
        "move"
    };
    format!("rb-{kind}-{}", if start { "start" } else { "end" })
}

fn write_svg(
    graph: &CareerGraph<'_>,
    view: &View,
    drawing: &Drawing,
    options: &SvgOptions<'_>,
) -> String {
    let mut bounds = Bounds::empty();
    for (_, top_left, size) in &drawing.nodes {
        bounds.add_rect(*top_left, *size);
    }
    for edge in &drawing.edges {
        for (point, control) in &edge.path {
            bounds.add(point.x, point.y);
            bounds.add(control.x, control.y);
        }
    }
    for (at, text) in &drawing.labels {
        let half = text_width(text, LABEL_SIZE as f64) / 2.0 + 3.0;
        bounds.add(at.x - half, at.y - LABEL_SIZE as f64);
        bounds.add(at.x + half, at.y + LABEL_SIZE as f64);
    }
    let graph_bounds = bounds.or_origin();

    // The legend goes under the graph, its items flowing in rows no wider
    // than the graph (or a readable minimum).
    let mut items: Vec<(Sample, String)> = vec![
        (Sample::Line(EdgeKind::Next), "next move".to_string()),
        (Sample::Line(EdgeKind::Lateral), "lateral move".to_string()),
        (
            Sample::Line(EdgeKind::Implied),
            "implied: same family, next rank up".to_string(),
        ),
    ];
    let mut breaks = vec![items.len()];
    for (_, name, nodes) in by_family(graph, view) {
        if let Some(&node) = nodes.first() {
            items.push((
                Sample::Swatch(family_colour(graph, node), family_index(graph, node)),
                name,
            ));
        }
    }
    breaks.push(items.len());
    let notes = [
        "Edge labels: skill gap = Σ w × max(0, required − held), w = 2 core, 1 supporting.",
        "Lateral moves are not labelled; their gaps are listed with the moves.",
    ];
    const ROW: f64 = 20.0;
    const SAMPLE: f64 = 28.0;
    let legend_left = graph_bounds.min.x;
    let legend_top = graph_bounds.max.y + 28.0;
    let max_row = (graph_bounds.max.x - graph_bounds.min.x).max(560.0);
    let mut placed: Vec<(f64, f64, usize)> = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let mut widest: f64 = 0.0;
    for (i, (_, text)) in items.iter().enumerate() {
        let width = SAMPLE + 6.0 + text_width(text, 12.0);
        let new_group = breaks.contains(&i) && i > 0;
        if (x > 0.0 && x + width > max_row) || new_group {
            x = 0.0;
            y += ROW;
        }
        placed.push((x, y, i));
        x += width + 18.0;
        widest = widest.max(x - 18.0);
    }
    for note in notes {
        widest = widest.max(text_width(note, 12.0));
    }
    // Baselines: the items' rows from 0, then one row per note; the last
    // baseline plus the descent is the legend's height.
    let notes_top = y + ROW;
    let legend_height = notes_top + ROW * (notes.len() as f64 - 1.0) + 5.0;
    let mut all = graph_bounds;
    all.add(legend_left + widest, legend_top + legend_height);
    let (left, top) = (all.min.x - MARGIN, all.min.y - MARGIN);
    let width = (all.max.x - all.min.x + 2.0 * MARGIN).ceil();
    let height = (all.max.y - all.min.y + 2.0 * MARGIN).ceil();

    let mut out = String::new();
    let focus_title = view.focus.map(|f| graph.role(f).title.as_str());
    let title = match (options.title, focus_title) {
        (Some(title), _) => title.to_string(),
        (None, Some(focus)) => format!("Career moves around {focus}"),
        (None, None) => "Career graph".to_string(),
    };
    if !options.inline {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    }
    let _ = writeln!(
        out,
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"{} {} {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" class=\"career-svg\" font-family=\"{FONT}\" {}aria-labelledby=\"career-graph-title\">",
        num(left),
        num(top),
        if options.link.is_some() {
            "role=\"group\" "
        } else {
            "role=\"img\" "
        }
    );
    let _ = writeln!(
        out,
        "<title id=\"career-graph-title\">{}</title>",
        xml(&title)
    );
    out.push_str("<defs>\n");
    for (kind, ink) in [("move", INK), ("implied", IMPLIED_INK)] {
        let _ = writeln!(
            out,
            "<marker id=\"rb-{kind}-end\" markerWidth=\"10\" markerHeight=\"7\" refX=\"10\" refY=\"3.5\" orient=\"auto\"><path class=\"arrowhead {kind}\" d=\"M0 0L10 3.5L0 7z\" fill=\"{ink}\"/></marker>"
        );
        let _ = writeln!(
            out,
            "<marker id=\"rb-{kind}-start\" markerWidth=\"10\" markerHeight=\"7\" refX=\"0\" refY=\"3.5\" orient=\"auto\"><path class=\"arrowhead {kind}\" d=\"M10 0L0 3.5L10 7z\" fill=\"{ink}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    if !options.inline {
        let _ = writeln!(
            out,
            "<rect class=\"background\" x=\"{}\" y=\"{}\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>",
            num(left),
            num(top)
        );
    }

    out.push_str("<g class=\"edges\" fill=\"none\">\n");
    for edge in &drawing.edges {
        let (class, stroke, dash) = edge_look(edge.kind);
        let heads = format!(
            "{}{}",
            if edge.head.0 {
                format!(" marker-start=\"url(#{})\"", marker(edge.kind, true))
            } else {
                String::new()
            },
            if edge.head.1 {
                format!(" marker-end=\"url(#{})\"", marker(edge.kind, false))
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            out,
            "<path class=\"edge {class}\" d=\"{}\" stroke=\"{stroke}\" stroke-width=\"1.2\"{dash}{heads}/>",
            edge_path(&edge.path)
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<g class=\"edge-labels\" font-size=\"{LABEL_SIZE}\" text-anchor=\"middle\" fill=\"{INK}\" stroke=\"white\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
    );
    for (at, text) in &drawing.labels {
        let _ = writeln!(
            out,
            "<text class=\"edge-label\" x=\"{}\" y=\"{}\">{}</text>",
            num(at.x),
            num(at.y + LABEL_SIZE as f64 * 0.35),
            xml(text)
        );
    }
    out.push_str("</g>\n");

    out.push_str("<g class=\"nodes\" text-anchor=\"middle\">\n");
    let mut nodes: Vec<&(usize, Point, Point)> = drawing.nodes.iter().collect();
    nodes.sort_by_key(|(node, _, _)| *node);
    for &&(node, top_left, size) in &nodes {
        let role = graph.role(node);
        let focus = view.focus == Some(node);
        let level = level_name(graph, node);
        let family = graph
            .career()
            .catalog()
            .family(&role.family)
            .map_or_else(|| role.family.to_string(), |f| f.name.clone());
        let class = format!(
            "node fam-{}{}",
            family_index(graph, node),
            if focus { " focus" } else { "" }
        );
        let (open, close) = match options.link {
            Some(link) => (
                format!(
                    "<a href=\"{}\" class=\"{class}\"{}>",
                    xml(&link(role.id.as_str())),
                    if focus { " aria-current=\"page\"" } else { "" }
                ),
                "</a>",
            ),
            None => (format!("<g class=\"{class}\">"), "</g>"),
        };
        let cx = top_left.x + size.x / 2.0;
        let cy = top_left.y + size.y / 2.0;
        let fill = if focus {
            FOCUS_FILL
        } else {
            family_colour(graph, node)
        };
        let _ = writeln!(
            out,
            "{open}<title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"#333333\" stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"role-title\" font-size=\"{}\"{}>{}</text><text x=\"{}\" y=\"{}\" class=\"role-level\" font-size=\"{}\" fill=\"{MUTED_INK}\">{}</text>{close}",
            xml(&format!("{} · {level} · {family}", role.title.as_str())),
            num(top_left.x),
            num(top_left.y),
            num(size.x),
            num(size.y),
            if focus { 2.5 } else { 1.0 },
            num(cx),
            num(cy - 3.0),
            num(TITLE_SIZE),
            if focus { " font-weight=\"bold\"" } else { "" },
            xml(&role.title),
            num(cx),
            num(cy + 13.0),
            num(LEVEL_SIZE),
            xml(&level),
        );
    }
    out.push_str("</g>\n");

    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"12\" fill=\"{INK}\" transform=\"translate({} {})\">",
        num(legend_left),
        num(legend_top)
    );
    for (x, y, i) in placed {
        let (sample, text) = &items[i];
        match sample {
            Sample::Line(kind) => {
                let (class, stroke, dash) = edge_look(*kind);
                let _ = write!(
                    out,
                    "<path class=\"edge {class}\" d=\"M{} {}h{SAMPLE}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash} marker-end=\"url(#{})\"/>",
                    num(x),
                    num(y - 4.0),
                    marker(*kind, false)
                );
            }
            Sample::Swatch(colour, index) => {
                let _ = write!(
                    out,
                    "<rect class=\"swatch fam-{index}\" x=\"{}\" y=\"{}\" width=\"{SAMPLE}\" height=\"12\" rx=\"3\" fill=\"{colour}\" stroke=\"#333333\" stroke-width=\"0.8\"/>",
                    num(x),
                    num(y - 10.0)
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x + SAMPLE + 6.0),
            num(y),
            xml(text)
        );
    }
    let mut note_y = notes_top;
    for note in notes {
        let _ = writeln!(
            out,
            "<text class=\"legend-note\" x=\"0\" y=\"{}\" fill=\"{MUTED_INK}\">{}</text>",
            num(note_y),
            xml(note)
        );
        note_y += ROW;
    }
    out.push_str("</g>\n</svg>\n");
    out
}

thread_local! {
    /// Set while this thread runs a layout inside [`quietly`].
    static IN_LAYOUT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without the panic message: the
/// panic hook is wrapped (once per process) so that it stays silent only
/// for a thread inside this function, and delegates to the previous hook
/// otherwise. Needs unwinding panics, the default for this workspace.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_LAYOUT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_LAYOUT.with(|flag| flag.set(true));
    // Nothing built inside `f` outlives a panic, so no broken state is seen.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_LAYOUT.with(|flag| flag.set(false));
    result.ok()
}

/// The size of a role's box: its title at [`TITLE_SIZE`] over its level
/// at [`LEVEL_SIZE`].
fn box_size(title: &str, level: &str) -> Point {
    let width = text_width(title, TITLE_SIZE).max(text_width(level, LEVEL_SIZE)) + 2.0 * BOX_PAD_X;
    Point::new(width.ceil(), BOX_HEIGHT)
}

/// The boxes and lines to lay out. Each box carries its view node in its
/// properties, each line the kind of its move, for [`Drawing`].
fn visual_graph(graph: &CareerGraph<'_>, view: &View) -> VisualGraph {
    let orientation = Orientation::TopToBottom;
    let mut vg = VisualGraph::new(orientation);
    let look = StyleAttr::new(colour("#333333"), 1, None, 6, TITLE_SIZE as usize);
    let mut handles = Vec::with_capacity(view.nodes.len());
    for &node in &view.nodes {
        let role = graph.role(node);
        let shape = ShapeKind::new_box(role.title.as_str());
        let size = box_size(&role.title, &level_name(graph, node));
        let element = Element::create_with_properties(
            shape,
            look.clone(),
            orientation,
            size,
            node.to_string(),
        );
        handles.push((node, vg.add_node(element)));
    }
    let handle = |node: usize| {
        handles
            .binary_search_by_key(&node, |(n, _)| *n)
            .ok()
            .map(|i| handles[i].1)
    };
    // One line per pair of roles, whatever moves connect them: the
    // layout misplaces parallel edges (and can fail on them). The line is
    // styled by its strongest move (next, then implied, then lateral) and
    // gets a head at each end that some move leads to.
    let strength = |kind: EdgeKind| match kind {
        EdgeKind::Next => 0,
        EdgeKind::Implied => 1,
        EdgeKind::Lateral => 2,
    };
    let mut pairs: BTreeMap<(usize, usize), Vec<&Edge>> = BTreeMap::new();
    for edge in view.edges(graph) {
        let key = (edge.from.min(edge.to), edge.from.max(edge.to));
        pairs.entry(key).or_default().push(edge);
    }
    // Edge labels become boxes of their own in the layout, sized from
    // this font size.
    let label_look = StyleAttr::new(colour(INK), 1, None, 0, LABEL_SIZE);
    for moves in pairs.values() {
        let Some(edge) = moves.iter().min_by_key(|e| strength(e.kind)) else {
            continue;
        };
        let both_ways = moves.len() > 1;
        let (Some(from), Some(to)) = (handle(edge.from), handle(edge.to)) else {
            continue;
        };
        let back = if both_ways {
            LineEndKind::Arrow
        } else {
            LineEndKind::None
        };
        let mut arrow = match edge.kind {
            // Drawn from the senior role down, so that the layered layout
            // puts senior roles on top; the head stays on the target.
            EdgeKind::Next | EdgeKind::Implied => {
                let label = edge_label(edge);
                Arrow::new(
                    LineEndKind::Arrow,
                    back,
                    LineStyleKind::Normal,
                    &label,
                    &label_look,
                    &None,
                    &None,
                )
            }
            // Lateral moves carry no label: the layout has no way to keep
            // sideways edges from adding rows, and labels on them double
            // the drawing's width. DOT, Mermaid and `rolebook next` give
            // their gaps.
            EdgeKind::Lateral => Arrow::new(
                back,
                LineEndKind::Arrow,
                LineStyleKind::Normal,
                "",
                &label_look,
                &None,
                &None,
            ),
        };
        arrow.properties = Some(
            match edge.kind {
                EdgeKind::Next => "next",
                EdgeKind::Lateral => "lateral",
                EdgeKind::Implied => "implied",
            }
            .to_string(),
        );
        match edge.kind {
            EdgeKind::Next | EdgeKind::Implied => vg.add_edge(arrow, to, from),
            EdgeKind::Lateral => vg.add_edge(arrow, from, to),
        }
    }
    vg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::Career;
    use crate::testing::{Spec, catalog_of};

    fn small() -> rolebook_core::Catalog {
        catalog_of(&[
            Spec {
                id: "a-manager",
                family: "fam",
                level: "manager",
                skills: &[("s", 2, true)],
                next: &["c-director"],
                lateral: &["b-manager"],
                ..Spec::default()
            },
            Spec {
                id: "b-manager",
                family: "other",
                level: "manager",
                skills: &[("t", 3, true)],
                lateral: &["a-manager"],
                ..Spec::default()
            },
            Spec {
                id: "c-director",
                family: "fam",
                level: "director",
                skills: &[("s", 4, true)],
                ..Spec::default()
            },
            Spec {
                id: "d-vp",
                family: "fam",
                level: "vice-president",
                skills: &[("s", 5, true)],
                ..Spec::default()
            },
        ])
    }

    #[test]
    fn dot_has_clusters_styled_edges_and_evidence() {
        let catalog = small();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let dot = to_dot(&graph, &View::all(&graph));
        assert!(dot.contains("subgraph \"cluster_fam\" {\n    label=\"Family\";"));
        assert!(dot.contains(
            "\"a-manager\" [label=<Role a-manager<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#555555\">Manager</FONT>>, fillcolor=\"#dbe9f6\"];"
        ), "{dot}");
        assert!(dot.contains("\"a-manager\" -> \"c-director\" [label=\"gap 4\", tooltip=\"next: roles/a-manager.toml career.next\"];"), "{dot}");
        assert!(dot.contains("\"a-manager\" -> \"b-manager\" [label=\"lateral · gap 6\", tooltip=\"lateral: roles/a-manager.toml career.lateral\", style=dashed, constraint=false];"), "{dot}");
        assert!(dot.contains("\"c-director\" -> \"d-vp\" [label=\"implied · gap 2\", tooltip=\"implied: implied by framework: same family (Family), next rank up (8, Vice President)\", style=dotted];"), "{dot}");
        assert_eq!(dot.matches(" -> ").count(), graph.edges().len());

        // Around b-manager at depth 1: itself and a-manager only.
        let b = graph
            .node(catalog.role("b-manager").expect("b"))
            .expect("node");
        let near = to_dot(&graph, &View::around(&graph, b, 1));
        assert_eq!(near.matches(" -> ").count(), 2);
        assert!(near.contains(
            "\"b-manager\" [label=<Role b-manager<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#555555\">Manager</FONT>>, fillcolor=\"#ffd166\", penwidth=2];"
        ), "{near}");
        assert!(!near.contains("c-director"));
    }

    #[test]
    fn mermaid_ids_are_safe_and_labels_carry_gaps() {
        let catalog = small();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let b = graph
            .node(catalog.role("b-manager").expect("b"))
            .expect("node");
        let mermaid = to_mermaid(&graph, &View::around(&graph, b, 1));
        assert!(mermaid.starts_with("%% rolebook career graph."));
        assert!(mermaid.contains("flowchart BT\n  subgraph f_fam[\"Family\"]\n    r_a_manager[\"Role a-manager<br/><small>Manager</small>\"]\n  end\n"));
        assert!(mermaid.contains("  r_a_manager -.->|\"lateral · gap 6\"| r_b_manager\n"));
        assert!(mermaid.contains("  r_b_manager -.->|\"lateral · gap 4\"| r_a_manager\n"));
        assert!(mermaid.ends_with("  class r_b_manager focus\n"));
        assert_eq!(mermaid_text("say \"hi\""), "say #quot;hi#quot;");
    }

    #[test]
    fn svg_is_laid_out_styled_by_class_and_reproducible() {
        let catalog = small();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let svg = to_svg(&graph, &View::all(&graph)).expect("small graph");
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg width=\""));
        assert!(svg.contains("<rect class=\"background\""));
        assert!(svg.contains("<title id=\"career-graph-title\">Career graph</title>"));
        assert!(!svg.contains("<style"), "no style element");
        assert!(!svg.contains(" style="), "no style attribute");
        // Title over level, the level in its own smaller, muted text.
        assert!(svg.contains(">Role d-vp</text><text "));
        assert!(svg.contains(
            "class=\"role-level\" font-size=\"11\" fill=\"#555555\">Vice President</text>"
        ));
        // Two lateral declarations between the same roles are one line;
        // the implied move c-director → d-vp is dotted and blue.
        assert_eq!(
            svg.matches("<path class=\"edge lateral\" d=\"M ").count(),
            1
        );
        assert_eq!(
            svg.matches("<path class=\"edge implied\" d=\"M ").count(),
            1
        );
        assert_eq!(svg.matches("<path class=\"edge next\" d=\"M ").count(), 1);
        assert!(svg.contains(">implied · gap 2</text>"));
        assert!(svg.contains("class=\"swatch fam-0\""), "family legend");
        assert!(!svg.contains("<a "), "no links unless asked for");
        assert_eq!(to_svg(&graph, &View::all(&graph)), Ok(svg));
        let too_many = View::new((0..=SVG_MAX_NODES).collect(), None);
        assert_eq!(
            to_svg(&graph, &too_many),
            Err(SvgError::TooLarge {
                nodes: SVG_MAX_NODES + 1
            })
        );
    }

    #[test]
    fn inline_svg_links_roles_without_prolog_or_background() {
        let catalog = small();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let b = graph
            .node(catalog.role("b-manager").expect("b"))
            .expect("node");
        let link = |id: &str| format!("/career/{id}?from=\"x\"");
        let options = SvgOptions {
            inline: true,
            link: Some(&link),
            title: Some("Moves <around> b"),
        };
        let svg = to_svg_with(&graph, &View::around(&graph, b, 1), &options).expect("svg");
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(!svg.contains("class=\"background\""));
        assert!(svg.contains("role=\"group\""));
        assert!(svg.contains(">Moves &lt;around&gt; b</title>"));
        assert!(
            svg.contains(
                "<a href=\"/career/b-manager?from=&quot;x&quot;\" class=\"node fam-1 focus\" aria-current=\"page\">"
            ),
            "{svg}"
        );
        assert!(
            svg.contains("<a href=\"/career/a-manager?from=&quot;x&quot;\" class=\"node fam-0\">")
        );
        assert_eq!(svg.matches("<a ").count(), 2);
        assert_eq!(svg.matches("</a>").count(), 2);
    }

    /// The number in a `name="…"` attribute of `tag`.
    fn attr(tag: &str, name: &str) -> Option<f64> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + tag[start..].find('"')?;
        tag[start..end].parse().ok()
    }

    /// Every box, text and line point lies inside the view box, at least
    /// `margin` from its edges. Text widths are estimated at half an em a
    /// character, centred text around its x.
    fn assert_fits(svg: &str, margin: f64) {
        let head = &svg[svg.find("<svg ").expect("svg")..];
        let view_box: Vec<f64> = head
            .split("viewBox=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .expect("viewBox")
            .split(' ')
            .map(|n| n.parse().expect("number"))
            .collect();
        let (left, top) = (view_box[0], view_box[1]);
        let (right, bottom) = (left + view_box[2], top + view_box[3]);
        let inside = |x: f64, y: f64, what: &str| {
            assert!(
                x >= left + margin
                    && x <= right - margin
                    && y >= top + margin
                    && y <= bottom - margin,
                "{what} at ({x}, {y}) is outside {view_box:?} less {margin}"
            );
        };
        let split = svg.find("<g class=\"legend\"").expect("legend");
        let (graph, legend) = svg.split_at(split);
        for tag in graph.split('<').filter(|t| t.starts_with("rect x=")) {
            let (x, y) = (attr(tag, "x").expect("x"), attr(tag, "y").expect("y"));
            let (w, h) = (
                attr(tag, "width").expect("w"),
                attr(tag, "height").expect("h"),
            );
            inside(x, y, tag);
            inside(x + w, y + h, tag);
        }
        for tag in graph.split('<').filter(|t| t.starts_with("text ")) {
            let text = tag.split('>').nth(1).unwrap_or("");
            let (x, y) = (attr(tag, "x").expect("x"), attr(tag, "y").expect("y"));
            let size = attr(tag, "font-size").unwrap_or(LABEL_SIZE as f64);
            let half = text.chars().count() as f64 * size * 0.5 / 2.0;
            inside(x - half, y, tag);
            inside(x + half, y, tag);
        }
        for tag in graph
            .split('<')
            .filter(|t| t.starts_with("path class=\"edge"))
        {
            let d = tag
                .split("d=\"")
                .nth(1)
                .and_then(|d| d.split('"').next())
                .expect("d");
            let numbers: Vec<f64> = d
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|n| n.parse().ok())
                .collect();
            for pair in numbers.chunks(2) {
                inside(pair[0], pair[1], d);
            }
        }
        // The legend is translated under the graph; its texts start at
        // their x.
        let translate: Vec<f64> = legend
            .split("translate(")
            .nth(1)
            .and_then(|t| t.split(')').next())
            .expect("translate")
            .split(' ')
            .map(|n| n.parse().expect("number"))
            .collect();
        inside(translate[0], translate[1] - 12.0, "legend top");
        for tag in legend.split('<').filter(|t| t.starts_with("text ")) {
            let text = tag.split('>').nth(1).unwrap_or("");
            let x = translate[0] + attr(tag, "x").expect("x");
            let y = translate[1] + attr(tag, "y").expect("y");
            inside(x, y, text);
            inside(x + text.chars().count() as f64 * 12.0 * 0.5, y + 3.0, text);
        }
    }

    #[test]
    fn svg_fits_its_view_box_with_a_margin() {
        let catalog = small();
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        assert_fits(
            &to_svg(&graph, &View::all(&graph)).expect("svg"),
            MARGIN - 1.0,
        );
        let catalog = rolebook_core::load(rolebook_core::builtin::sources())
            .catalog
            .expect("built-in catalog is valid");
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let sre = graph
            .node(catalog.role("sre-manager").expect("role"))
            .expect("node");
        for depth in 1..=2 {
            assert_fits(
                &to_svg(&graph, &View::around(&graph, sre, depth)).expect("svg"),
                MARGIN - 1.0,
            );
        }
    }

    /// Found by the property below: layout-rs 0.1.3 fails an assertion in
    /// its edge straightening pass on this graph, so the drawing falls
    /// back to the layout without placement passes.
    #[test]
    fn svg_regression_edge_fixer() {
        let catalog = catalog_of(&[
            Spec {
                id: "r0",
                family: "fam",
                level: "manager",
                skills: &[("a", 2, false)],
                next: &["r1"],
                lateral: &["r3"],
                ..Spec::default()
            },
            Spec {
                id: "r1",
                family: "fam",
                level: "manager",
                skills: &[("a", 2, false)],
                next: &["r3"],
                lateral: &["r2"],
                ..Spec::default()
            },
            Spec {
                id: "r2",
                family: "fam",
                level: "manager",
                skills: &[("a", 2, false)],
                lateral: &["r3"],
                ..Spec::default()
            },
            Spec {
                id: "r3",
                family: "fam",
                level: "manager",
                skills: &[("a", 2, false)],
                ..Spec::default()
            },
        ]);
        let career = Career::new(&catalog);
        let graph = CareerGraph::new(&career);
        let svg = to_svg(&graph, &View::all(&graph)).expect("laid out");
        assert!(svg.contains("Role r3"));
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(48))]

        /// Whatever the shape of the graph (cycles through lateral moves,
        /// isolated roles, long jumps), every export completes.
        #[test]
        fn every_export_handles_any_graph(roles in crate::testing::arbitrary_roles()) {
            let catalog = crate::testing::catalog_of_owned(&roles);
            let career = Career::new(&catalog);
            let graph = CareerGraph::new(&career);
            let view = View::all(&graph);
            let svg = to_svg(&graph, &view).expect("small graphs lay out");
            proptest::prop_assert!(svg.trim_end().ends_with("</svg>"));
            assert_fits(&svg, MARGIN - 1.0);
            let dot = to_dot(&graph, &view);
            proptest::prop_assert_eq!(dot.matches(" -> ").count(), graph.edges().len());
            let mermaid = to_mermaid(&graph, &view);
            proptest::prop_assert_eq!(mermaid.matches("|\"").count(), graph.edges().len());
        }
    }
}
