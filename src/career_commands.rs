//! The career commands: diff, next, path, graph, gap and fit. Each finds
//! its roles, asks `rolebook-career` for a report and prints it (JSON for
//! diff, next and path in the `rolebook-wire` shapes the API serves);
//! files are written atomically ([`crate::files`]).

use std::path::Path;

use anyhow::{Context, Result, bail};
use rolebook_career::export::{self, View};
use rolebook_career::render::{self, Style};
use rolebook_career::{Career, CareerGraph, Profile, parse_profile, radar};
use rolebook_core::{Catalog, read};
use rolebook_wire as wire;
use serde::Serialize;

use crate::cli::{CareerFormat, ColorChoice, GraphFormat, ReportFormat};
use crate::files::write_output;
use crate::output::{EXIT_OK, plural, print_diagnostics, print_stdout};

/// Neighbourhood drawn by `graph ROLE` without `--depth`.
const DEFAULT_DEPTH: usize = 2;

/// Prints a report through its text/Markdown renderer, or as the JSON
/// `json` makes: the `rolebook-wire` shape where the API serves the same
/// thing, so the CLI and the API agree. Only the chosen one is built.
fn print_report<J: Serialize>(
    format: CareerFormat,
    json: impl FnOnce() -> J,
    render: impl FnOnce(Style) -> String,
) -> Result<u8> {
    let text = match format {
        CareerFormat::Json => serde_json::to_string_pretty(&json())?,
        CareerFormat::Markdown => render(Style::Markdown),
        CareerFormat::Text => render(Style::Text),
    };
    print_stdout(format!("{text}\n").as_bytes())?;
    Ok(EXIT_OK)
}

pub fn diff(catalog: &Catalog, from: &str, to: &str, format: CareerFormat) -> Result<u8> {
    let (from, to) = (catalog.lookup_role(from)?, catalog.lookup_role(to)?);
    let report = Career::new(catalog).diff(from, to);
    print_report(
        format,
        || wire::RoleDiff::from(&report),
        |style| render::diff(&report, style),
    )
}

pub fn next(catalog: &Catalog, role: &str, format: CareerFormat) -> Result<u8> {
    let role = catalog.lookup_role(role)?;
    let career = Career::new(catalog);
    let graph = CareerGraph::new(&career);
    let report = graph.next(role);
    print_report(
        format,
        || {
            let summary = wire::RoleSummary::of(catalog, role);
            wire::CareerView::of(summary, &report, &graph.incoming(role))
        },
        |style| render::next(&report, style),
    )
}

/// What `rolebook path` was asked: where to start, where to go, and
/// whose ratings to start from.
#[derive(Debug)]
pub struct PathEnds<'a> {
    /// `None` with a profile: its `current_role`.
    from: Option<&'a str>,
    to: &'a str,
    profile: Option<&'a Path>,
}

impl<'a> PathEnds<'a> {
    /// Reads `FROM TO` or, with a profile, `[FROM] TO`.
    pub fn of(roles: &'a [String], profile: Option<&'a Path>) -> Result<Self> {
        match (roles, profile) {
            ([from, to], _) => Ok(PathEnds {
                from: Some(from),
                to,
                profile,
            }),
            ([to], Some(_)) => Ok(PathEnds {
                from: None,
                to,
                profile,
            }),
            ([to], None) => bail!(
                "give the role to start from as well: `rolebook path FROM {to}`, or start from a person's ratings with `rolebook path --profile FILE {to}`"
            ),
            _ => bail!("give the role to start from and the role to reach"),
        }
    }
}

pub fn path(
    catalog: &Catalog,
    ends: PathEnds<'_>,
    k: usize,
    format: CareerFormat,
    color: ColorChoice,
) -> Result<u8> {
    let to = catalog.lookup_role(ends.to)?;
    let profile = match ends.profile {
        Some(file) => Some(read_profile(catalog, file, color)?),
        None => None,
    };
    let from = match (ends.from, &profile) {
        (Some(from), _) => catalog.lookup_role(from)?,
        (None, Some(profile)) => match &profile.current_role {
            Some(current) => catalog.lookup_role(current)?,
            None => bail!(
                "the profile names no current_role to start from; add `current_role = \"ROLE-ID\"` to it, or give the role: `rolebook path --profile FILE FROM {}`",
                ends.to
            ),
        },
        (None, None) => bail!("give the role to start from"),
    };
    if let Some(mistake) = rolebook_career::path::same_ends(from, to) {
        bail!(mistake);
    }
    let career = Career::new(catalog);
    let graph = CareerGraph::new(&career);
    let report = match &profile {
        Some(profile) => graph.paths_for(profile, from, to, k),
        None => graph.paths(from, to, k),
    };
    print_report(
        format,
        || wire::Paths::from(&report),
        |style| render::paths(&report, style),
    )
}

pub fn graph(
    catalog: &Catalog,
    role: Option<&str>,
    depth: Option<usize>,
    format: GraphFormat,
    output: Option<&Path>,
) -> Result<u8> {
    let career = Career::new(catalog);
    let graph = CareerGraph::new(&career);
    let view = match role {
        Some(query) => {
            let role = catalog.lookup_role(query)?;
            let node = graph
                .node(role)
                .context("the role is missing from the career graph")?;
            View::around(&graph, node, depth.unwrap_or(DEFAULT_DEPTH))
        }
        None => View::all(&graph),
    };
    let text = match format {
        GraphFormat::Dot => export::to_dot(&graph, &view),
        GraphFormat::Mermaid => export::to_mermaid(&graph, &view),
        GraphFormat::Svg => match export::to_svg(&graph, &view) {
            Ok(svg) => svg,
            Err(error) => bail!(
                "{error}; draw part of it with `rolebook graph ROLE --depth 1 --format svg`, or use `--format dot` with Graphviz"
            ),
        },
    };
    match output {
        Some(path) => {
            write_output(path, text.as_bytes())?;
            eprintln!(
                "wrote the career graph ({}) to {}",
                plural(view.nodes().len(), "role", "roles"),
                path.display()
            );
        }
        None => print_stdout(text.as_bytes())?,
    }
    Ok(EXIT_OK)
}

/// Reads and checks a profile; prints its diagnostics, and fails when it
/// has errors.
fn read_profile(catalog: &Catalog, path: &Path, color: ColorChoice) -> Result<Profile> {
    let bytes = read::read_limited(path)
        .with_context(|| format!("cannot read profile {}", path.display()))?;
    if read::exceeds_limit(&bytes) {
        bail!(
            "profile {} is larger than {} KiB; a profile lists each skill once",
            path.display(),
            read::MAX_FILE_BYTES / 1024
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => bail!(
            "profile {} is not UTF-8 text (first bad byte at offset {})",
            path.display(),
            error.utf8_error().valid_up_to()
        ),
    };
    let parsed = parse_profile(&path.display().to_string(), &text, catalog);
    print_diagnostics(
        &parsed.sources,
        &parsed.diagnostics,
        ReportFormat::Text,
        color,
    );
    let errors = parsed.error_count();
    match parsed.profile {
        Some(profile) => Ok(profile),
        None => bail!(
            "the profile {} has {}; docs/profile-format.md describes the format",
            path.display(),
            plural(errors, "error", "errors")
        ),
    }
}

pub fn gap(
    catalog: &Catalog,
    profile: &Path,
    target: &str,
    radar_file: Option<&Path>,
    format: CareerFormat,
    color: ColorChoice,
) -> Result<u8> {
    let target = catalog.lookup_role(target)?;
    let profile = read_profile(catalog, profile, color)?;
    let report = Career::new(catalog).assess(&profile, target);
    if let Some(path) = radar_file {
        write_output(path, radar::radar_svg(&report).as_bytes())?;
        eprintln!("wrote the radar chart to {}", path.display());
    }
    print_report(
        format,
        || &report,
        |style| render::assessment(&report, style),
    )
}

pub fn fit(
    catalog: &Catalog,
    profile: &Path,
    top: Option<usize>,
    format: CareerFormat,
    color: ColorChoice,
) -> Result<u8> {
    let profile = read_profile(catalog, profile, color)?;
    let report = Career::new(catalog).fit(&profile, top);
    print_report(format, || &report, |style| render::fit(&report, style))
}
