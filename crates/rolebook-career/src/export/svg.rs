//! The SVG drawing of a view: what `layout` recorded, drawn with a class on
//! every part for theming, colours as presentation attributes (no `<style>`
//! element, which a strict Content-Security-Policy forbids), roles as
//! optional links, a legend, and a canvas sized to everything drawn plus a
//! margin.

use std::fmt::Write;

use rolebook_core::escape::xml;

use super::grid::{
    Anchor, Drawing, HEADING_SIZE, LABEL_SIZE, LEVEL_SIZE, Point, TITLE_SIZE, lay_out, text_width,
};
use super::{INK, MUTED_INK, View, by_family, family_colour, family_index, fill, level_name};
use crate::graph::{CareerGraph, EdgeKind};

/// Largest graph the SVG export draws. The grid layout is linear, but a
/// drawing of more roles is a wall no one reads; beyond this, DOT with
/// Graphviz, or a part of the graph (`graph ROLE --depth N`), is the tool.
pub const SVG_MAX_NODES: usize = 300;

/// Line colour of implied moves.
const IMPLIED_INK: &str = "#2a7ab9";
/// Space around the whole drawing, inside the canvas.
pub(super) const MARGIN: f64 = 16.0;
const FONT: &str = "Helvetica, Arial, sans-serif";

/// Why an SVG could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgError {
    /// The view has more roles than [`SVG_MAX_NODES`].
    TooLarge { nodes: usize },
}

impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SvgError::TooLarge { nodes } => write!(
                f,
                "the graph has {nodes} roles; an SVG drawing is limited to {SVG_MAX_NODES}"
            ),
        }
    }
}

impl std::error::Error for SvgError {}

/// Where a role's box links to, given the role's id; `None` for no link.
pub type RoleLink<'a> = dyn Fn(&str) -> Option<String> + 'a;

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
    /// link is marked `aria-current="page"`. A role for which it gives
    /// `None` (a page that does not publish it) is drawn as a plain box.
    pub link: Option<&'a RoleLink<'a>>,
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

/// Numbers in the drawing: one decimal, no trailing `.0`.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{:.0}", rounded)
    } else {
        format!("{rounded:.1}")
    }
}

/// An SVG drawing laid out on the grid of levels and families, as a
/// standalone file; see [`to_svg_with`].
pub fn to_svg(graph: &CareerGraph<'_>, view: &View) -> Result<String, SvgError> {
    to_svg_with(graph, view, &SvgOptions::default())
}

/// An SVG drawing of the view: the grid layout (see `grid`) places the
/// boxes and lines; this module draws them (each role's title, with its
/// level smaller and muted underneath; lines styled by kind of move; family
/// and level headings; a legend of line styles and family colours under the
/// graph), and sizes the canvas to everything drawn plus a margin.
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
    let drawing = lay_out(graph, view);
    Ok(write_svg(graph, view, &drawing, options))
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

fn edge_path(path: &[(Point, Point); 2]) -> String {
    let p = |point: Point| format!("{} {}", num(point.x), num(point.y));
    format!(
        "M {} C {}, {}, {}",
        p(path[0].0),
        p(path[0].1),
        p(path[1].0),
        p(path[1].1)
    )
}

/// One item of the legend: a sample and its text.
enum Sample {
    Line(EdgeKind),
    Swatch(&'static str, usize),
}

/// How a line of this kind of move is drawn: its class (the kind's label),
/// stroke and dash pattern attribute.
fn edge_look(kind: EdgeKind) -> (&'static str, &'static str, &'static str) {
    let (stroke, dash) = match kind {
        EdgeKind::Next => (INK, ""),
        EdgeKind::Lateral => (INK, " stroke-dasharray=\"6 4\""),
        EdgeKind::Implied => (IMPLIED_INK, " stroke-dasharray=\"2 3\""),
    };
    (kind.label(), stroke, dash)
}

/// The id of the arrowhead `<marker>` for this kind of move: implied moves
/// have heads in their own colour, the others share one.
fn marker(kind: EdgeKind, start: bool) -> String {
    let heads = match kind {
        EdgeKind::Implied => "implied",
        EdgeKind::Next | EdgeKind::Lateral => "move",
    };
    format!("rb-{heads}-{}", if start { "start" } else { "end" })
}

/// The whole SVG document (or element) for the laid-out view.
fn write_svg(
    graph: &CareerGraph<'_>,
    view: &View,
    drawing: &Drawing,
    options: &SvgOptions<'_>,
) -> String {
    let graph_bounds = drawing_bounds(drawing);
    let legend = Legend::place(graph, view, graph_bounds);
    let mut all = graph_bounds;
    all.add(legend.left + legend.width, legend.top + legend.height);
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
    write_headings(&mut out, drawing);
    write_edges(&mut out, drawing);
    write_nodes(&mut out, graph, view, drawing, options);
    legend.write(&mut out);
    out.push_str("</svg>\n");
    out
}

/// Everything the layout placed: boxes, lines with their control points,
/// and edge labels with room for their text and its white halo.
fn drawing_bounds(drawing: &Drawing) -> Bounds {
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
    for (at, text, anchor) in &drawing.headings {
        let width = text_width(text, HEADING_SIZE);
        let left = match anchor {
            Anchor::Start => at.x,
            Anchor::Middle => at.x - width / 2.0,
        };
        bounds.add(left, at.y - HEADING_SIZE);
        bounds.add(left + width, at.y + 4.0);
    }
    bounds.or_origin()
}

/// The family names over the columns and the level names beside the rows.
fn write_headings(out: &mut String, drawing: &Drawing) {
    let _ = writeln!(
        out,
        "<g class=\"headings\" font-size=\"{}\" font-weight=\"bold\" fill=\"{MUTED_INK}\">",
        num(HEADING_SIZE)
    );
    for (at, text, anchor) in &drawing.headings {
        let _ = writeln!(
            out,
            "<text class=\"heading\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
            num(at.x),
            num(at.y),
            anchor.svg(),
            xml(text)
        );
    }
    out.push_str("</g>\n");
}

/// The lines of the moves, then their labels over them.
fn write_edges(out: &mut String, drawing: &Drawing) {
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
}

/// The roles' boxes, each with its title over its level, in view order so
/// that the output does not depend on the layout's order.
fn write_nodes(
    out: &mut String,
    graph: &CareerGraph<'_>,
    view: &View,
    drawing: &Drawing,
    options: &SvgOptions<'_>,
) {
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
        let (open, close) = match options.link.and_then(|link| link(role.id.as_str())) {
            Some(href) => (
                format!(
                    "<a href=\"{}\" class=\"{class}\"{}>",
                    xml(&href),
                    if focus { " aria-current=\"page\"" } else { "" }
                ),
                "</a>",
            ),
            None => (format!("<g class=\"{class}\">"), "</g>"),
        };
        let cx = top_left.x + size.x / 2.0;
        let cy = top_left.y + size.y / 2.0;
        let fill = fill(graph, view, node);
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
}

/// Height of a row of the legend, and width of a line sample or swatch.
const LEGEND_ROW: f64 = 20.0;
const SAMPLE: f64 = 28.0;
/// Font size of the legend's text.
const LEGEND_SIZE: f64 = 12.0;
/// Under the legend's items: how to read the numbers, and why some lines
/// have none.
const LEGEND_NOTES: [&str; 2] = [
    "Edge labels: skill gap = Σ w × max(0, required − held), w = 2 core, 1 supporting.",
    "Lateral moves are not labelled (the moves list gives their gaps); around a role, only its own are drawn.",
];

/// The legend under the graph: a sample of each line style, then a swatch
/// of each family's colour, flowing in rows no wider than the graph (or a
/// readable minimum); then the notes.
struct Legend {
    /// Its top left in the drawing; everything else is relative to it.
    left: f64,
    top: f64,
    /// Each item with the position of its sample and its text's baseline.
    items: Vec<(Sample, String, f64, f64)>,
    /// The baseline of the first note.
    notes_top: f64,
    width: f64,
    height: f64,
}

impl Legend {
    fn place(graph: &CareerGraph<'_>, view: &View, under: Bounds) -> Self {
        let mut items: Vec<(Sample, String)> = vec![
            (Sample::Line(EdgeKind::Next), "next move".to_string()),
            (Sample::Line(EdgeKind::Lateral), "lateral move".to_string()),
            (
                Sample::Line(EdgeKind::Implied),
                "implied: same family, next rank up".to_string(),
            ),
        ];
        // Families start a row of their own.
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
        let max_row = (under.max.x - under.min.x).max(560.0);
        let mut placed = Vec::with_capacity(items.len());
        let (mut x, mut y) = (0.0, 0.0);
        let mut widest: f64 = 0.0;
        for (i, (sample, text)) in items.into_iter().enumerate() {
            let width = SAMPLE + 6.0 + text_width(&text, LEGEND_SIZE);
            let new_group = breaks.contains(&i) && i > 0;
            if (x > 0.0 && x + width > max_row) || new_group {
                x = 0.0;
                y += LEGEND_ROW;
            }
            placed.push((sample, text, x, y));
            x += width + 18.0;
            widest = widest.max(x - 18.0);
        }
        for note in LEGEND_NOTES {
            widest = widest.max(text_width(note, LEGEND_SIZE));
        }
        // Baselines: the items' rows from 0, then one row per note; the last
        // baseline plus the descent is the legend's height.
        let notes_top = y + LEGEND_ROW;
        Legend {
            left: under.min.x,
            top: under.max.y + 28.0,
            items: placed,
            notes_top,
            width: widest,
            height: notes_top + LEGEND_ROW * (LEGEND_NOTES.len() as f64 - 1.0) + 5.0,
        }
    }

    fn write(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<g class=\"legend\" font-size=\"{LEGEND_SIZE}\" fill=\"{INK}\" transform=\"translate({} {})\">",
            num(self.left),
            num(self.top)
        );
        for (sample, text, x, y) in &self.items {
            let (x, y) = (*x, *y);
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
        let mut note_y = self.notes_top;
        for note in LEGEND_NOTES {
            let _ = writeln!(
                out,
                "<text class=\"legend-note\" x=\"0\" y=\"{}\" fill=\"{MUTED_INK}\">{}</text>",
                num(note_y),
                xml(note)
            );
            note_y += LEGEND_ROW;
        }
        out.push_str("</g>\n");
    }
}
