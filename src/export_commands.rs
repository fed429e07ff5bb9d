//! The export commands: `export` (one role in a document format, or the
//! catalog's tables with `--all`), `jd` (a job posting with its wording
//! check) and `build` (the catalog as a static website). Formats come from
//! `rolebook-export` and the site's pages from `rolebook-web`; this module
//! finds the role, checks the options and writes files atomically.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rolebook_core::Catalog;
use rolebook_core::diagnostic;
use rolebook_export::jd::{Date, EmploymentType, Location, Salary, SalaryPeriod};
use rolebook_export::tables::{CatalogTables, Sheet, sheets, to_xlsx};
use rolebook_export::{PostingOptions, RoleFormat, export_posting, export_role, lint_posting};
use rolebook_web::site::{self, Route, StaticSite};

use crate::cli::ColorChoice;
use crate::output::{EXIT_FINDINGS, EXIT_OK, plural, stderr_color};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Role id, title or alias (leave out with --all)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub role: Option<String>,
    /// Export the whole catalog as tables: skills matrix, KPI ownership,
    /// responsibilities and career edges
    #[arg(long)]
    pub all: bool,
    /// A role: md, html, json, jsonld, docx or pdf [default: md].
    /// With --all: csv, xlsx or json [default: json]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to FILE instead of standard output; with --all --format csv, a
    /// directory for the four CSV files
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --all --format csv: only this table
    #[arg(long, value_enum, requires = "all")]
    pub table: Option<TableName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Markdown
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML file (inline CSS, Occupation JSON-LD)
    Html,
    /// The role with every reference resolved; with --all, the tables
    Json,
    /// schema.org Occupation
    Jsonld,
    /// Word document
    Docx,
    /// PDF, fonts embedded
    Pdf,
    /// With --all: one CSV file per table
    Csv,
    /// With --all: one workbook, a sheet per table
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableName {
    /// Roles × skills, required levels
    Skills,
    /// Roles × KPIs, targets
    Kpis,
    /// One row per responsibility
    Responsibilities,
    /// One row per career move
    Career,
}

impl TableName {
    fn sheet_index(self) -> usize {
        match self {
            TableName::Skills => 0,
            TableName::Kpis => 1,
            TableName::Responsibilities => 2,
            TableName::Career => 3,
        }
    }
}

#[derive(Debug, Args)]
pub struct JdArgs {
    /// Role id, title or alias
    pub role: String,
    /// The hiring organisation (required for --format jsonld)
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// The organisation's website, for the JSON-LD
    #[arg(long, value_name = "URL")]
    pub company_url: Option<String>,
    /// A place of work, "City, Country" or "City, Region, Country"; repeat
    /// for several
    #[arg(long, value_name = "PLACE")]
    pub location: Vec<String>,
    /// Remote work from this country or region; repeat for several
    #[arg(long, value_name = "COUNTRY")]
    pub remote: Vec<String>,
    #[arg(long, value_enum, default_value_t = Employment::FullTime)]
    pub employment_type: Employment,
    /// Salary range and ISO 4217 currency, e.g. --salary 150000-190000 EUR
    #[arg(long, num_args = 2, value_names = ["MIN-MAX", "CUR"])]
    pub salary: Option<Vec<String>>,
    /// The period the salary is paid for
    #[arg(long, value_enum, default_value_t = Per::Year, requires = "salary")]
    pub salary_per: Per,
    /// Publication date, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE")]
    pub date_posted: Option<String>,
    /// Last day to apply, YYYY-MM-DD [default: 60 days after the posting date]
    #[arg(long, value_name = "DATE")]
    pub valid_through: Option<String>,
    #[arg(long, value_enum, default_value_t = JdFormat::Md)]
    pub format: JdFormat,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when the wording check finds anything
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JdFormat {
    #[value(alias = "markdown")]
    Md,
    /// Self-contained HTML with JobPosting JSON-LD when company and place are given
    Html,
    Docx,
    Pdf,
    /// schema.org JobPosting, with every property Google requires
    Jsonld,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Employment {
    FullTime,
    PartTime,
    Contractor,
    Temporary,
    Intern,
    Volunteer,
    PerDiem,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Per {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// `rolebook export`.
pub fn export(catalog: &Catalog, args: &ExportArgs) -> Result<u8> {
    if args.all {
        return export_all(catalog, args);
    }
    let query = args.role.as_deref().unwrap_or_default();
    let role = catalog.lookup_role(query)?;
    let format = match args.format.unwrap_or(ExportFormat::Md) {
        ExportFormat::Md => RoleFormat::Markdown,
        ExportFormat::Html => RoleFormat::Html,
        ExportFormat::Json => RoleFormat::Json,
        ExportFormat::Jsonld => RoleFormat::JsonLd,
        ExportFormat::Docx => RoleFormat::Docx,
        ExportFormat::Pdf => RoleFormat::Pdf,
        ExportFormat::Csv | ExportFormat::Xlsx => bail!(
            "CSV and XLSX hold the catalog's tables: use `rolebook export --all --format csv` (or xlsx); one role exports as md, html, json, jsonld, docx or pdf"
        ),
    };
    refuse_binary_on_terminal(format.is_text(), args.output.as_deref(), format.extension())?;
    let bytes = export_role(catalog, role, format)?;
    deliver(&bytes, args.output.as_deref())?;
    Ok(EXIT_OK)
}

fn export_all(catalog: &Catalog, args: &ExportArgs) -> Result<u8> {
    let format = args.format.unwrap_or(ExportFormat::Json);
    if args.table.is_some() && format != ExportFormat::Csv {
        bail!("--table picks one CSV file; use it with --format csv");
    }
    let tables = CatalogTables::new(catalog);
    match format {
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&tables)?;
            text.push('\n');
            deliver(text.as_bytes(), args.output.as_deref())?;
        }
        ExportFormat::Xlsx => {
            refuse_binary_on_terminal(false, args.output.as_deref(), "xlsx")?;
            let bytes = to_xlsx(&sheets(catalog, &tables))?;
            deliver(&bytes, args.output.as_deref())?;
        }
        ExportFormat::Csv => {
            let mut sheets = sheets(catalog, &tables);
            match (args.table, args.output.as_deref()) {
                (Some(table), output) => {
                    let sheet = sheets.swap_remove(table.sheet_index());
                    deliver(sheet.to_csv()?.as_bytes(), output)?;
                }
                (None, Some(dir)) => write_csv_dir(&sheets, dir)?,
                (None, None) => bail!(
                    "CSV is one file per table: give -o DIR for all four, or --table skills, kpis, responsibilities or career for one"
                ),
            }
        }
        other => bail!(
            "--all exports the catalog's tables as csv, xlsx or json, not {}; export one role with `rolebook export ROLE --format {}`",
            format_name(other),
            format_name(other)
        ),
    }
    Ok(EXIT_OK)
}

fn format_name(format: ExportFormat) -> String {
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

/// Writes the four CSV files into `dir`: a new directory appears complete
/// (built beside it, then renamed); in an existing one each file is
/// replaced atomically.
fn write_csv_dir(sheets: &[Sheet], dir: &Path) -> Result<()> {
    let files: Vec<(&str, String)> = sheets
        .iter()
        .map(|sheet| Ok((sheet.file, sheet.to_csv()?)))
        .collect::<Result<_, rolebook_export::ExportError>>()?;
    if dir.is_dir() {
        for (name, text) in &files {
            write_atomic(&dir.join(name), text.as_bytes())?;
        }
    } else if dir.exists() {
        bail!(
            "`{}` is a file; with --format csv, -o names a directory for the four CSV files",
            dir.display()
        );
    } else {
        let parent = parent_dir(dir);
        let staging = tempfile::Builder::new()
            .prefix(".rolebook-export-")
            .tempdir_in(parent)
            .with_context(|| format!("cannot write in {}", parent.display()))?;
        for (name, text) in &files {
            let path = staging.path().join(name);
            fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
        let staged = staging.keep();
        if let Err(error) = fs::rename(&staged, dir) {
            let _ = fs::remove_dir_all(&staged);
            return Err(error).with_context(|| format!("cannot create {}", dir.display()));
        }
    }
    eprintln!(
        "wrote {} to {}",
        files
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", "),
        dir.display()
    );
    Ok(())
}

/// `rolebook jd`.
pub fn jd(catalog: &Catalog, args: &JdArgs, color: ColorChoice) -> Result<u8> {
    let role = catalog.lookup_role(&args.role)?;
    let options = posting_options(args, today())?;
    let format = match args.format {
        JdFormat::Md => RoleFormat::Markdown,
        JdFormat::Html => RoleFormat::Html,
        JdFormat::Docx => RoleFormat::Docx,
        JdFormat::Pdf => RoleFormat::Pdf,
        JdFormat::Jsonld => RoleFormat::JsonLd,
    };
    refuse_binary_on_terminal(format.is_text(), args.output.as_deref(), format.extension())?;
    let bytes = export_posting(catalog, role, &options, format)?;

    // The wording check reads the posting as every format shows it.
    let document = rolebook_export::posting_document(catalog, role, &options);
    // Markdown written to a file is exactly the text checked: name it so the
    // report's line numbers point into that file.
    let name = match (&args.output, args.format) {
        (Some(path), JdFormat::Md) => path.display().to_string(),
        _ => format!("{}-job-posting.md", role.id.as_str()),
    };
    let report = lint_posting(role, &document, &name);
    if !report.findings.is_empty() {
        eprint!(
            "{}",
            diagnostic::render(&report.sources, &report.findings, stderr_color(color))
        );
    }
    eprintln!(
        "job posting wording: {}",
        if report.findings.is_empty() {
            "no inclusive-language findings".to_string()
        } else {
            plural(
                report.findings.len(),
                "inclusive-language finding",
                "inclusive-language findings",
            )
        }
    );
    deliver(&bytes, args.output.as_deref())?;
    Ok(if args.strict && !report.findings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn posting_options(args: &JdArgs, today: Date) -> Result<PostingOptions> {
    let date_posted = match &args.date_posted {
        Some(text) => Date::parse(text)?,
        None => today,
    };
    let valid_through = match &args.valid_through {
        Some(text) => Date::parse(text)?,
        None => date_posted.add_days(rolebook_export::jd::DEFAULT_VALID_DAYS),
    };
    let locations = args
        .location
        .iter()
        .map(|text| Location::parse(text))
        .collect::<Result<Vec<_>, _>>()?;
    let remote: Vec<String> = args
        .remote
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let period = match args.salary_per {
        Per::Hour => SalaryPeriod::Hour,
        Per::Day => SalaryPeriod::Day,
        Per::Week => SalaryPeriod::Week,
        Per::Month => SalaryPeriod::Month,
        Per::Year => SalaryPeriod::Year,
    };
    let salary = match args.salary.as_deref() {
        Some([range, currency]) => Some(Salary::parse(range, currency, period)?),
        Some(_) => bail!(
            "--salary takes two values: MIN-MAX and a currency, e.g. --salary 150000-190000 EUR"
        ),
        None => None,
    };
    let nonempty = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    let options = PostingOptions {
        company: nonempty(&args.company),
        company_url: nonempty(&args.company_url),
        locations,
        remote,
        employment_type: match args.employment_type {
            Employment::FullTime => EmploymentType::FullTime,
            Employment::PartTime => EmploymentType::PartTime,
            Employment::Contractor => EmploymentType::Contractor,
            Employment::Temporary => EmploymentType::Temporary,
            Employment::Intern => EmploymentType::Intern,
            Employment::Volunteer => EmploymentType::Volunteer,
            Employment::PerDiem => EmploymentType::PerDiem,
            Employment::Other => EmploymentType::Other,
        },
        salary,
        date_posted,
        valid_through,
    };
    options.check()?;
    Ok(options)
}

/// Today's date in UTC: the default posting date.
fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// Binary formats are not printed on a terminal: they would garble it.
fn refuse_binary_on_terminal(is_text: bool, output: Option<&Path>, extension: &str) -> Result<()> {
    if !is_text && output.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "{} is a binary format: give -o FILE.{extension}, or redirect standard output to a file",
            extension.to_uppercase()
        );
    }
    Ok(())
}

/// Writes to the output file (atomically) or to stdout.
fn deliver(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => {
            write_atomic(path, bytes)?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
                _ => Ok(()),
            }
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same
/// directory, renamed into place once complete: a failure never leaves a
/// half-written file, and readers see the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.is_dir() {
        bail!("`{}` is a directory; give a file name", path.display());
    }
    let dir = parent_dir(path);
    let mut file = tempfile::Builder::new()
        .prefix(".rolebook-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // Temporary files are private (0600); an export is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

// ------------------------------------------------------------------- build

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Directory to write the site to; it must not exist or be empty,
    /// unless --force
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Replace OUT even when it is not empty: the new site takes its place
    /// in one step once it is complete
    #[arg(long)]
    pub force: bool,
}

/// Sites with at least this many pages show a progress bar on a terminal.
const BUILD_PROGRESS_MIN_PAGES: usize = 200;

/// `rolebook build`: the catalog as a static website. Pages are rendered
/// into a temporary sibling of OUT, on every core, and the directory is
/// renamed into place when complete: a failure leaves OUT as it was.
pub fn build(catalog: Catalog, catalog_dir: Option<&Path>, args: &BuildArgs) -> Result<u8> {
    let started = std::time::Instant::now();
    let out = build_target(&args.out, args.force, catalog_dir)?;
    let parent = parent_dir(&out);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".rolebook-build-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;

    // The footer names the catalog by its directory's name (`.` included);
    // where it lives on this machine is no business of readers.
    let label = match catalog_dir {
        None => "built-in catalog".to_string(),
        Some(dir) => fs::canonicalize(dir)
            .ok()
            .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "catalog".to_string()),
    };
    let snapshot = site::snapshot(catalog, label);
    let renderer = StaticSite::new(&snapshot);
    let routes = site::static_routes(&snapshot.catalog);
    let assets = site::assets(&snapshot.catalog);

    let root = staging.path();
    let mut dirs: Vec<PathBuf> = routes
        .iter()
        .map(|r| r.file())
        .chain(assets.iter().map(|(file, _)| file.clone()))
        .filter_map(|file| Path::new(&file).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    for (file, bytes) in &assets {
        let path = root.join(file);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let bar = build_progress(routes.len());
    render_pages(&renderer, &routes, root, &bar)?;
    bar.finish_and_clear();
    // A temporary directory is private (0700); a website is for reading.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot write {}", root.display()))?;
    }
    put_in_place(staging, &out)?;

    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} and {} to {} in {seconds:.2} s ({:.0} pages/s); open {}",
        plural(routes.len(), "page", "pages"),
        plural(assets.len(), "asset", "assets"),
        out.display(),
        routes.len() as f64 / seconds.max(1e-9),
        out.join("index.html").display()
    );
    Ok(EXIT_OK)
}

/// Where the site goes, checked before any work: a directory that does
/// not exist or is empty, or with `force` any directory except one holding
/// the catalog being built or the current directory. A symbolic link is
/// followed, so the directory it points at is replaced, not the link.
fn build_target(out: &Path, force: bool, catalog_dir: Option<&Path>) -> Result<PathBuf> {
    let meta = match fs::metadata(out) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(out.to_path_buf());
        }
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", out.display()));
        }
    };
    if !meta.is_dir() {
        bail!(
            "`{}` is a file; give a directory for the site",
            out.display()
        );
    }
    let out = fs::canonicalize(out).with_context(|| format!("cannot read {}", out.display()))?;
    let empty = fs::read_dir(&out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .next()
        .is_none();
    if empty {
        return Ok(out);
    }
    if !force {
        bail!(
            "`{}` is not empty; choose a new directory, or give --force to replace its contents with the site",
            out.display()
        );
    }
    let inside = |path: &Path| fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out));
    if catalog_dir.is_some_and(inside) {
        bail!(
            "`{}` holds the catalog being built; --force would delete it, so choose another directory",
            out.display()
        );
    }
    if std::env::current_dir().is_ok_and(|cwd| inside(&cwd)) {
        bail!(
            "`{}` holds the current directory; --force would delete it, so choose another directory",
            out.display()
        );
    }
    Ok(out)
}

fn build_progress(pages: usize) -> ProgressBar {
    if pages < BUILD_PROGRESS_MIN_PAGES || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(pages as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages ({per_sec}, {eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

/// Renders every route and writes it under `root`, on as many threads as
/// there are cores; stops at the first failure and returns it.
fn render_pages(
    renderer: &StaticSite<'_>,
    routes: &[Route],
    root: &Path,
    bar: &ProgressBar,
) -> Result<()> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(routes.len().max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<()> {
        while !failed.load(Ordering::Relaxed) {
            let Some(route) = routes.get(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            let written = renderer
                .render(route)
                .map_err(anyhow::Error::from)
                .and_then(|page| {
                    let path = root.join(&page.file);
                    fs::write(&path, page.html)
                        .with_context(|| format!("cannot write {}", path.display()))
                });
            if let Err(error) = written {
                failed.store(true, Ordering::Relaxed);
                return Err(error);
            }
            bar.inc(1);
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut first = Ok(());
        for worker in workers {
            let result = worker
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a page renderer crashed")));
            if first.is_ok() {
                first = result;
            }
        }
        first
    })
}

/// Moves the finished site from `staging` to `out`: a rename when `out`
/// does not exist or is empty; otherwise the two directories are swapped
/// (atomically on Linux with `RENAME_EXCHANGE`; elsewhere by two renames)
/// and the old site is deleted. On failure `out` is left as it was and
/// the staging directory is removed.
fn put_in_place(staging: tempfile::TempDir, out: &Path) -> Result<()> {
    let staged = staging.path().to_path_buf();
    let cannot = || format!("cannot put the site in place at {}", out.display());
    let empty_dir = out.is_dir()
        && fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
    if !out.exists() || empty_dir {
        if empty_dir {
            // POSIX renames onto an empty directory; Windows does not.
            fs::remove_dir(out).with_context(cannot)?;
        }
        fs::rename(&staged, out).with_context(cannot)?;
        // Nothing is left at the staging path for the guard to remove.
        let _ = staging.keep();
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, &staged, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // The staging path now holds the old site; dropping the guard
            // deletes it.
            return staging.close().with_context(|| {
                format!(
                    "the site is in place; cannot delete the old one at {}",
                    staged.display()
                )
            });
        }
    }
    swap_by_renames(&staged, out)?;
    let _ = staging.keep();
    Ok(())
}

/// Puts `staged` in the place of the directory `out` by two renames (`out`
/// aside, `staged` in), putting `out` back if the second fails, then
/// deletes the old directory.
fn swap_by_renames(staged: &Path, out: &Path) -> Result<()> {
    let cannot = || format!("cannot put the site in place at {}", out.display());
    let old = parent_dir(out).join(format!(
        ".rolebook-old-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    fs::rename(out, &old).with_context(cannot)?;
    if let Err(error) = fs::rename(staged, out) {
        let _ = fs::rename(&old, out);
        return Err(error).with_context(cannot);
    }
    fs::remove_dir_all(&old).with_context(|| {
        format!(
            "the site is in place; cannot delete the old one at {}",
            old.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("role.pdf");
        fs::write(&target, "old").expect("seed");
        write_atomic(&target, b"%PDF new").expect("written");
        assert_eq!(fs::read(&target).expect("read"), b"%PDF new");
        assert_eq!(names(dir.path()), ["role.pdf"]);
    }

    #[test]
    fn write_atomic_refuses_a_directory_and_a_missing_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = write_atomic(dir.path(), b"x").expect_err("a directory");
        assert!(error.to_string().contains("is a directory"), "{error}");
        let missing = dir.path().join("missing/role.md");
        let error = write_atomic(&missing, b"x").expect_err("no parent");
        assert!(error.to_string().starts_with("cannot write in "), "{error}");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn swapping_by_renames_replaces_the_site_or_leaves_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (staged, out) = (dir.path().join(".staged"), dir.path().join("site"));
        fs::create_dir_all(out.join("roles")).expect("old site");
        fs::write(out.join("roles/old.html"), "old").expect("old page");
        fs::create_dir(&staged).expect("new site");
        fs::write(staged.join("index.html"), "new").expect("new page");
        swap_by_renames(&staged, &out).expect("swapped");
        assert_eq!(names(&out), ["index.html"]);
        assert_eq!(names(dir.path()), ["site"], "the old site is deleted");
        // A staged directory that is gone: the old site is put back.
        let error = swap_by_renames(&staged, &out).expect_err("nothing staged");
        assert!(
            error
                .to_string()
                .starts_with("cannot put the site in place"),
            "{error}"
        );
        assert_eq!(names(&out), ["index.html"]);
        assert_eq!(names(dir.path()), ["site"]);
    }

    #[test]
    fn posting_dates_default_to_today_and_sixty_days() {
        let args = JdArgs {
            role: "cto".into(),
            company: Some("  ".into()),
            company_url: None,
            location: vec!["Berlin, DE".into()],
            remote: vec![],
            employment_type: Employment::PartTime,
            salary: Some(vec!["90k-110k".into(), "eur".into()]),
            salary_per: Per::Year,
            date_posted: None,
            valid_through: None,
            format: JdFormat::Md,
            output: None,
            strict: false,
        };
        let today = Date::parse("2026-11-01").expect("date");
        let options = posting_options(&args, today).expect("valid");
        assert_eq!(options.date_posted.to_string(), "2026-11-01");
        assert_eq!(options.valid_through.to_string(), "2026-12-31");
        assert_eq!(options.company, None);
        assert_eq!(options.salary.map(|s| s.currency), Some("EUR".to_string()));
        let late = JdArgs {
            valid_through: Some("2026-10-01".into()),
            ..args
        };
        let error = posting_options(&late, today).expect_err("closes before posting");
        assert!(error.to_string().contains("before it is posted"), "{error}");
    }
}
