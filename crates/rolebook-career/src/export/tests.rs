//! Tests of the three exports on small catalogs and generated graphs.

use super::grid::LABEL_SIZE;
use super::svg::MARGIN;
use super::*;
use crate::gap::Career;
use crate::graph::CareerGraph;
use crate::testing::{Spec, catalog_of};
use rolebook_core::escape;

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
    assert_eq!(escape::mermaid("say \"hi\""), "say #quot;hi#quot;");
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
    assert!(
        svg.contains(
            "class=\"role-level\" font-size=\"12\" fill=\"#555555\">Vice President</text>"
        )
    );
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
    let link = |id: &str| Some(format!("/career/{id}?from=\"x\""));
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
    assert!(svg.contains("<a href=\"/career/a-manager?from=&quot;x&quot;\" class=\"node fam-0\">"));
    assert_eq!(svg.matches("<a ").count(), 2);
    assert_eq!(svg.matches("</a>").count(), 2);

    // A role the link function has no page for is a plain box.
    let only_b = |id: &str| (id == "b-manager").then(|| format!("/career/{id}"));
    let options = SvgOptions {
        link: Some(&only_b),
        ..options
    };
    let svg = to_svg_with(&graph, &View::around(&graph, b, 1), &options).expect("svg");
    assert!(svg.contains("<a href=\"/career/b-manager\" class=\"node fam-1 focus\""));
    assert!(svg.contains("<g class=\"node fam-0\">"), "{svg}");
    assert_eq!(svg.matches("<a ").count(), 1);
    assert_eq!(svg.matches("</a>").count(), 1);
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
            x >= left + margin && x <= right - margin && y >= top + margin && y <= bottom - margin,
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
        let width = text.chars().count() as f64 * size * 0.5;
        // Centred text but for the row headings, which start at their x.
        let left = if tag.contains("text-anchor=\"start\"") {
            x
        } else {
            x - width / 2.0
        };
        inside(left, y, tag);
        inside(left + width, y, tag);
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

/// The top left and the width of the box titled `title`.
fn box_at(svg: &str, title: &str) -> (f64, f64, f64) {
    let at = svg
        .find(&format!("<title>{title} · "))
        .unwrap_or_else(|| panic!("{title} is drawn"));
    let rect = &svg[at..];
    let rect = &rect[rect.find("<rect ").expect("box")..];
    (
        attr(rect, "x").expect("x"),
        attr(rect, "y").expect("y"),
        attr(rect, "width").expect("width"),
    )
}

#[test]
fn svg_rows_are_levels_and_columns_are_families() {
    let catalog = small();
    let career = Career::new(&catalog);
    let graph = CareerGraph::new(&career);
    let svg = to_svg(&graph, &View::all(&graph)).expect("svg");
    let (vp, director) = (box_at(&svg, "Role d-vp"), box_at(&svg, "Role c-director"));
    let (a, b) = (
        box_at(&svg, "Role a-manager"),
        box_at(&svg, "Role b-manager"),
    );
    // The most senior row on top; one row per level.
    assert!(
        vp.1 < director.1 && director.1 < a.1,
        "{vp:?} {director:?} {a:?}"
    );
    assert_eq!(a.1, b.1, "same level, same row");
    // One column per family, in the framework's order, boxes centred in
    // their column.
    let centre = |b: (f64, f64, f64)| ((b.0 + b.2 / 2.0) * 10.0).round();
    assert_eq!(centre(vp), centre(a), "{vp:?} {a:?}");
    assert_eq!(centre(director), centre(a));
    assert!(b.0 > a.0 + a.2, "the second family is the second column");
    // Headings name the rows and columns.
    for heading in [
        "Vice President",
        "Director",
        "Manager",
        "Family",
        "Other family",
    ] {
        assert!(
            svg.contains(&format!("\">{heading}</text>")),
            "{heading} heading"
        );
    }
    assert!(svg.contains("<g class=\"headings\" font-size=\"13\""));
    // Lines meet boxes: the implied move c-director → d-vp leaves the top
    // of c-director and enters the bottom of d-vp.
    let implied = svg
        .split("<path class=\"edge implied\" d=\"M ")
        .nth(1)
        .and_then(|d| d.split('"').next())
        .expect("implied line");
    let numbers: Vec<f64> = implied
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(
        numbers[1], director.1,
        "leaves the top of the director's box"
    );
    assert_eq!(numbers[7], vp.1 + 50.0, "enters the bottom of the VP's box");
}

/// The nearest roles come first, and a bound keeps the drawing to them.
#[test]
fn nearest_views_keep_the_closest_roles() {
    let catalog = small();
    let career = Career::new(&catalog);
    let graph = CareerGraph::new(&career);
    let node = |id: &str| graph.node(catalog.role(id).expect(id)).expect("node");
    let a = node("a-manager");
    let order = graph.nearest(a, 2);
    assert_eq!(order[0], a);
    assert_eq!(order.len(), 4);
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, graph.neighbourhood(a, 2));
    // d-vp is two moves away, the others one.
    assert_eq!(order[3], node("d-vp"));
    let (view, within) = View::nearest(&graph, a, 2, 3);
    assert_eq!(within, 4);
    assert_eq!(view.nodes().len(), 3);
    assert!(!view.nodes().contains(&node("d-vp")));
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
