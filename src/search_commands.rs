//! `rolebook search` (full-text search over roles, skills and KPIs) and
//! `rolebook resolve` (job titles → catalog roles, one or a CSV file).

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rolebook_core::Catalog;
use rolebook_search::batch::{self, BatchFormat, BatchOptions, Progress};
use rolebook_search::{Kind, MatchStatus, Resolution, SearchQuery, SearchResults, TitleResolver};

use crate::cli::ColorChoice;
use crate::files::{write_output, write_output_with};
use crate::output::{EXIT_OK, plural, print_stdout, use_color};
use crate::search_cache;

/// Files at least this large get a progress bar (on a terminal).
const PROGRESS_MIN_BYTES: u64 = 1 << 20;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for; "quoted words" are a phrase, a trailing * a
    /// prefix; small typos are forgiven
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only this kind of result (repeat for several)
    #[arg(long, value_enum)]
    pub kind: Vec<SearchKind>,
    /// How many results to show
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub limit: u16,
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchKind {
    Role,
    Skill,
    Kpi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// A job title, e.g. "Sr. Director, Site Reliability"
    #[arg(
        required_unless_present = "csv",
        conflicts_with = "csv",
        value_name = "TITLE"
    )]
    pub title: Option<String>,
    /// Resolve the title column of every row of this CSV file ("-" reads
    /// standard input); the rows come out with the resolution appended
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The title column: a header name or a 1-based number [default: a
    /// column named title or job title, or the only column]
    #[arg(long, requires = "csv", value_name = "NAME")]
    pub column: Option<String>,
    /// The CSV file has no header row
    #[arg(long, requires = "csv")]
    pub no_header: bool,
    /// Write to FILE instead of standard output; the file appears complete
    /// or not at all
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// For a title: text (default), json or csv. For a file: csv (default)
    /// or json (one object per line)
    #[arg(long, value_enum)]
    pub format: Option<ResolveFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolveFormat {
    Text,
    Json,
    Csv,
}

struct Style {
    color: bool,
}

impl Style {
    fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Markers around a match: reverse video on a terminal, `**` in text.
    fn marks(&self) -> (&'static str, &'static str) {
        if self.color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("**", "**")
        }
    }
}

fn stdout_style(color: ColorChoice) -> Style {
    Style {
        color: use_color(color, io::stdout().is_terminal()),
    }
}

/// Searches `catalog`; `builtin` says it is the built-in catalog, whose
/// index is kept between runs ([`crate::search_cache`]).
pub fn search(
    catalog: &Catalog,
    builtin: bool,
    args: &SearchArgs,
    color: ColorChoice,
) -> Result<u8> {
    let index = search_cache::index(catalog, builtin).context("cannot build the search index")?;
    let kinds = args.kind.iter().map(|k| match k {
        SearchKind::Role => Kind::Role,
        SearchKind::Skill => Kind::Skill,
        SearchKind::Kpi => Kind::Kpi,
    });
    let query = SearchQuery::new(args.query.join(" "))
        .limit(args.limit.into())
        .kinds(kinds);
    let results = index.search(&query)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        SearchFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
        SearchFormat::Text => print_results(&mut out, &results, &stdout_style(color))?,
    }
    Ok(EXIT_OK)
}

fn print_results(out: &mut impl Write, results: &SearchResults, style: &Style) -> Result<()> {
    for correction in &results.corrections {
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "read \"{}\" as {}",
                correction.word,
                correction.read_as.join(", ")
            ))
        )?;
    }
    if results.partial {
        writeln!(
            out,
            "{}",
            style.dim("no result has every word; showing results with some of them")
        )?;
    }
    if results.hits.is_empty() {
        writeln!(out, "no results for \"{}\"", results.query)?;
        return Ok(());
    }
    let (open, close) = style.marks();
    for (i, hit) in results.hits.iter().enumerate() {
        let title = rolebook_search::search::mark(&hit.title, &hit.title_highlights, open, close);
        writeln!(
            out,
            "{:>2}. {}  {}",
            i + 1,
            style.bold(&title),
            style.dim(&format!("{} {}", hit.kind.label(), hit.id))
        )?;
        writeln!(out, "    {}", hit.context)?;
        if let Some(snippet) = &hit.snippet {
            writeln!(
                out,
                "    {}: {}",
                snippet.field,
                snippet.render(open, close)
            )?;
        }
    }
    let shown = results.hits.len();
    writeln!(
        out,
        "{}",
        style.dim(&if shown < results.total {
            format!(
                "{} for \"{}\", showing {shown}",
                plural(results.total, "result", "results"),
                results.query
            )
        } else {
            format!(
                "{} for \"{}\"",
                plural(results.total, "result", "results"),
                results.query
            )
        })
    )?;
    Ok(())
}

pub fn resolve(catalog: &Catalog, args: &ResolveArgs, color: ColorChoice) -> Result<u8> {
    let resolver = TitleResolver::new(catalog);
    match (&args.title, &args.csv) {
        (Some(title), None) => resolve_one(&resolver, title, args, color),
        (None, Some(path)) => resolve_file(&resolver, path, args),
        _ => bail!("give a title or --csv FILE, not both"),
    }
}

fn resolve_one(
    resolver: &TitleResolver,
    title: &str,
    args: &ResolveArgs,
    color: ColorChoice,
) -> Result<u8> {
    let resolution = resolver.resolve(title)?;
    let mut out = Vec::new();
    // Colour is for a terminal, never for a file.
    let style = match args.output {
        Some(_) => Style { color: false },
        None => stdout_style(color),
    };
    match args.format.unwrap_or(ResolveFormat::Text) {
        ResolveFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rolebook_wire::Resolution::from(&resolution))?
        )?,
        ResolveFormat::Csv => {
            // The same columns as a batch, for a one-row file.
            let mut input = csv::Writer::from_writer(Vec::new());
            input.write_record(["title"])?;
            input.write_record([title])?;
            let input = input.into_inner().map_err(|e| e.into_error())?;
            batch::resolve_csv(
                resolver,
                input.as_slice(),
                &mut out,
                &BatchOptions::default(),
                &mut |_| {},
            )?;
        }
        ResolveFormat::Text => print_resolution(&mut out, &resolution, &style)?,
    }
    match &args.output {
        Some(path) => write_output(path, &out)?,
        None => print_stdout(&out)?,
    }
    Ok(EXIT_OK)
}

fn print_resolution(out: &mut impl Write, resolution: &Resolution, style: &Style) -> Result<()> {
    // The title is the user's own text, echoed: no control character may
    // reach the terminal.
    let title = rolebook_core::text::printable(&resolution.title);
    writeln!(out, "{}", style.bold(&title))?;
    let describe = |c: &rolebook_search::Candidate| format!("{} ({})", c.title, c.role_id);
    match resolution.status {
        MatchStatus::Ambiguous => writeln!(
            out,
            "  ambiguous: {}  confidence {:.2}",
            resolution
                .candidates
                .iter()
                .map(|c| style.bold(&describe(c)))
                .collect::<Vec<_>>()
                .join(" or "),
            resolution.confidence
        )?,
        MatchStatus::None => {
            writeln!(out, "  no confident match")?;
            if let Some(nearest) = resolution.candidates.first() {
                writeln!(
                    out,
                    "  nearest: {}  confidence {:.2}",
                    describe(nearest),
                    nearest.confidence
                )?;
            }
        }
        status => {
            if let Some(role) = &resolution.role {
                writeln!(
                    out,
                    "  {}  {}, confidence {:.2}",
                    style.bold(&format!("→ {}", describe(role))),
                    status.label(),
                    role.confidence
                )?;
                if role.matched_name != role.title {
                    writeln!(out, "  matched: {}", role.matched_name)?;
                }
            }
            if let Some(runner_up) = &resolution.runner_up {
                writeln!(
                    out,
                    "  runner-up: {}  confidence {:.2}",
                    describe(runner_up),
                    runner_up.confidence
                )?;
            }
        }
    }
    writeln!(out, "  why: {}", resolution.explanation.summary())?;
    Ok(())
}

fn resolve_file(resolver: &TitleResolver, path: &Path, args: &ResolveArgs) -> Result<u8> {
    let format = match args.format {
        None | Some(ResolveFormat::Csv) => BatchFormat::Csv,
        Some(ResolveFormat::Json) => BatchFormat::JsonLines,
        Some(ResolveFormat::Text) => {
            bail!("--format text is for a single title; use csv or json with --csv")
        }
    };
    let options = BatchOptions {
        column: args.column.clone(),
        no_header: args.no_header,
        format,
    };
    let (input, size): (Box<dyn Read>, Option<u64>) = if path == Path::new("-") {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let bar = progress_bar(size);
    let mut on_progress = |p: Progress| {
        if let Some(bar) = &bar {
            bar.set_position(p.bytes);
            bar.set_message(format!("{} rows", p.rows));
        }
    };
    // JSON-lines rows carry the API's resolution, as `resolve --format json`.
    let api_shape = |r: &Resolution| rolebook_wire::Resolution::from(r);
    let started = Instant::now();
    let summary = match &args.output {
        Some(target) => write_output_with(target, |file| {
            batch::resolve_csv_as(resolver, input, file, &options, api_shape, &mut on_progress)
                .with_context(|| format!("cannot resolve {}", path.display()))
        })?,
        None => {
            let stdout = io::stdout();
            batch::resolve_csv_as(
                resolver,
                input,
                io::BufWriter::with_capacity(1 << 16, stdout.lock()),
                &options,
                api_shape,
                &mut on_progress,
            )
            .with_context(|| format!("cannot resolve {}", path.display()))?
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "resolved {} in {seconds:.1}s: {} to a role, {} ambiguous, {} with no confident match{}{}",
        plural(summary.rows as usize, "title", "titles"),
        summary.resolved,
        summary.ambiguous,
        summary.no_match,
        if summary.empty > 0 {
            format!(" ({} empty)", summary.empty)
        } else {
            String::new()
        },
        match &args.output {
            Some(target) => format!("; wrote {}", target.display()),
            None => String::new(),
        }
    );
    Ok(EXIT_OK)
}

/// A progress bar on standard error for a large file, when standard error
/// is a terminal.
fn progress_bar(size: Option<u64>) -> Option<ProgressBar> {
    let size = size.filter(|s| *s >= PROGRESS_MIN_BYTES)?;
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {msg} ({binary_bytes_per_sec}, {eta} left)",
    )
    .ok()?;
    bar.set_style(style);
    Some(bar)
}
