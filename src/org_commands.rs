//! `rolebook org`: the org design check on an HRIS export (`check`), the
//! title-to-role mapping a user corrects (`map`), and synthetic
//! organisations to try them on (`sample`). People data is read from the
//! file named and written nowhere unless an output file is named.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use rolebook_core::Catalog;
use rolebook_org::columns::{ColumnsError, UserMap};
use rolebook_org::people::DateOrder;
use rolebook_org::report::Report;
use rolebook_org::sample::{SampleOptions, generate};
use rolebook_org::suppress::Suppressions;
use rolebook_org::table::{MAX_BYTES, PROBE_BYTES, TableError, TableOptions};
use rolebook_org::titles::{Corrections, write_mapping};
use rolebook_org::{Organisation, ReadOptions};
use rolebook_search::TitleResolver;

use crate::files::write_output;
use crate::output::{EXIT_FINDINGS, EXIT_OK, plural, print_stdout};

#[derive(Debug, Args)]
pub struct OrgArgs {
    #[command(subcommand)]
    pub command: OrgCommand,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Check an organisation's design against the catalog: KPI ownership, spans and layers, reporting lines, missing layers, single points of failure
    Check(CheckArgs),
    /// Write the title-to-role mapping of an export (one row per distinct title) to correct and give back with --mapping
    Map(MapArgs),
    /// Write a synthetic organisation (generated people only) to try the check on
    Sample(SampleArgs),
}

/// How to read the export; shared by `check` and `map`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The HRIS export: CSV (comma, semicolon, tab or pipe separated) or XLSX; "-" reads standard input
    pub file: PathBuf,
    /// Which column holds which field, e.g. title="Job Title",manager="Manager ID" (repeatable); fields: id, name, email, title, manager, department, location, start_date
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// Column names of a known export: rolebook, workday, bamboohr, hibob, personio [default: the first whose columns are all there]
    #[arg(long, value_name = "PRESET")]
    pub preset: Option<String>,
    /// For a workbook: the sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// How to read dates written with slashes (03/04/2024)
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrderArg>,
    /// A corrected title mapping (from `rolebook org map`): its roles win over the resolver's
    #[arg(long, value_name = "FILE.csv")]
    pub mapping: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// Day first: 03/04/2024 is 3 April
    Dmy,
    /// Month first: 03/04/2024 is 4 March
    Mdy,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Accepted findings, each with its reason (TOML: [[suppress]] id = "...", reason = "...")
    #[arg(long, value_name = "FILE.toml")]
    pub suppress: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to FILE instead of standard output (needed for xlsx)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many rows of each list text and markdown print (0: all)
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max: usize,
    /// Exit with status 1 when there is any finding that is not suppressed, or any row with a problem
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Markdown,
    Json,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the mapping to FILE instead of standard output
    #[arg(short, long, value_name = "FILE.csv")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// About this many people (at least one team for each role that leads teams: about 160 on the built-in catalog)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
    pub people: u32,
    /// The same seed gives the same organisation
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Plant known defects (a reporting loop, an orphan, an overloaded manager, a missing layer, bad rows, ...)
    #[arg(long)]
    pub defects: bool,
    /// Write the column names of this export
    #[arg(long, default_value = "rolebook", value_name = "PRESET")]
    pub preset: String,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE.csv")]
    pub output: Option<PathBuf>,
}

pub fn run(catalog: &Catalog, args: OrgArgs) -> Result<u8> {
    match args.command {
        OrgCommand::Check(args) => check(catalog, &args),
        OrgCommand::Map(args) => map(catalog, &args),
        OrgCommand::Sample(args) => sample(catalog, &args),
    }
}

/// Reads the export whole, looking at its first bytes before the rest: a
/// binary file (or `/dev/zero`) is refused at once, and nothing over
/// `MAX_BYTES` is read.
fn read_file(path: &Path, options: &ReadOptions) -> Result<Vec<u8>> {
    let name = path.display();
    let mut input: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        if path.is_dir() {
            bail!("{name} is a directory; give the export file");
        }
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {name}"))?)
    };
    let mut bytes = Vec::new();
    (&mut input)
        .take(PROBE_BYTES as u64)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if !bytes.starts_with(b"PK") && bytes.contains(&0) {
        // The reader says where the first NUL is.
        rolebook_org::read(&bytes, options).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    }
    input
        .take(MAX_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        bail!("{name}: {}", TableError::TooLarge);
    }
    Ok(bytes)
}

/// Refuses to write the output over the export it was made from.
fn not_the_input(output: Option<&Path>, input: &Path) -> Result<()> {
    let (Some(output), Ok(input)) = (output, std::fs::canonicalize(input)) else {
        return Ok(());
    };
    if std::fs::canonicalize(output).is_ok_and(|output| output == input) {
        bail!(
            "-o {} is the export itself; name another file for the output",
            output.display()
        );
    }
    Ok(())
}

/// Reads the export and places its people; the file's name starts every
/// error about it.
fn organisation(catalog: &Catalog, input: &InputArgs) -> Result<Organisation> {
    let name = input.file.display().to_string();
    let mut map = UserMap::default();
    for text in &input.map {
        map.extend(UserMap::parse(text).with_context(|| format!("--map {text}"))?)
            .context("--map")?;
    }
    if let Some(id) = &input.preset
        && rolebook_org::columns::preset(id).is_none()
    {
        bail!("{}", ColumnsError::UnknownPreset { wanted: id.clone() });
    }
    let options = ReadOptions {
        table: TableOptions {
            sheet: input.sheet.clone(),
        },
        map,
        preset: input.preset.clone(),
        date_order: match input.date_order {
            None => DateOrder::Unknown,
            Some(DateOrderArg::Dmy) => DateOrder::DayFirst,
            Some(DateOrderArg::Mdy) => DateOrder::MonthFirst,
        },
    };
    // The mapping first: a mistake in it is found before a large export
    // is read.
    let corrections = match &input.mapping {
        Some(path) if path.is_dir() => {
            bail!("{} is a directory; give the mapping file", path.display())
        }
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Corrections::read(file, catalog)
                .map_err(|e| anyhow::anyhow!("{}:\n{e}", path.display()))?
        }
        None => Corrections::default(),
    };
    let bytes = read_file(&input.file, &options)?;
    let export =
        rolebook_org::read(&bytes, &options).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    drop(bytes);
    let resolver = TitleResolver::new(catalog);
    let org = Organisation::new(export, &resolver, &corrections);
    if let Some(path) = &input.mapping {
        for (line, title) in &org.titles.unused_corrections {
            eprintln!(
                "note: {} line {line}: nobody in the export has the title {:?}",
                path.display(),
                rolebook_core::text::printable(title)
            );
        }
    }
    Ok(org)
}

fn check(catalog: &Catalog, args: &CheckArgs) -> Result<u8> {
    not_the_input(args.output.as_deref(), &args.input.file)?;
    let suppressions = match &args.suppress {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Suppressions::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Suppressions::default(),
    };
    let org = organisation(catalog, &args.input)?;
    let mut result = org.check(catalog);
    suppressions.apply(&mut result);
    let source = args.input.file.display().to_string();
    let report = Report {
        source: &source,
        org: &org,
        check: &result,
        max: args.max,
    };
    let bytes = match args.format {
        CheckFormat::Text => report.text().into_bytes(),
        CheckFormat::Markdown => report.markdown().into_bytes(),
        CheckFormat::Json => report.json().into_bytes(),
        CheckFormat::Xlsx => {
            if args.output.is_none() && std::io::stdout().is_terminal() {
                bail!("an XLSX workbook is not for a terminal: give -o FILE.xlsx");
            }
            report.xlsx().context("cannot write the workbook")?
        }
    };
    match &args.output {
        Some(path) => write_output(path, &bytes)?,
        None => print_stdout(&bytes)?,
    }
    let open = result.findings.iter().any(|f| f.suppressed.is_none());
    let bad_rows = !org.export.people.problems.is_empty();
    Ok(if args.strict && (open || bad_rows) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn map(catalog: &Catalog, args: &MapArgs) -> Result<u8> {
    not_the_input(args.output.as_deref(), &args.input.file)?;
    let org = organisation(catalog, &args.input)?;
    let mut bytes = Vec::new();
    write_mapping(&org.titles, &mut bytes)?;
    match &args.output {
        Some(path) => {
            write_output(path, &bytes)?;
            let titles = &org.titles.titles;
            let placed = titles.iter().filter(|t| t.role.is_some()).count();
            eprintln!(
                "{} distinct titles, {placed} placed in catalog roles; correct the `role` column of {} and give it back with --mapping",
                titles.len(),
                path.display()
            );
        }
        None => print_stdout(&bytes)?,
    }
    let problems = &org.export.people.problems;
    for problem in problems.iter().take(3) {
        eprintln!(
            "note: line {}: {}",
            problem.line,
            rolebook_core::text::printable(&problem.message)
        );
    }
    if problems.len() > 3 {
        eprintln!(
            "note: and {} (`rolebook org check` lists them)",
            plural(problems.len() - 3, "more row problem", "more row problems")
        );
    }
    Ok(EXIT_OK)
}

fn sample(catalog: &Catalog, args: &SampleArgs) -> Result<u8> {
    if rolebook_org::columns::preset(&args.preset).is_none() {
        bail!(
            "there is no preset `{}`; the presets are {}",
            args.preset,
            rolebook_org::columns::PRESETS
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let options = SampleOptions {
        people: args.people as usize,
        seed: args.seed,
        defects: args.defects,
        preset: args.preset.clone(),
    };
    let sample = generate(catalog, &options);
    match &args.output {
        Some(path) => write_output(path, sample.csv.as_bytes())?,
        None => print_stdout(sample.csv.as_bytes())?,
    }
    Ok(EXIT_OK)
}
