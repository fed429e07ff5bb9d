//! The export commands: `export` (one role, skill or KPI in a document
//! format, or the catalog's tables with `--all`) and `jd` (a job posting
//! with its wording check). Formats come from `rolebook-export`; this
//! module finds the role, skill or KPI, checks the options and writes files
//! atomically ([`crate::files`]).

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rolebook_core::Catalog;
use rolebook_core::diagnostic;
use rolebook_core::model::{Kpi, Organisation, Skill};
use rolebook_export::jd::{Date, EmploymentType, PostingInput, SalaryPeriod};
use rolebook_export::tables::{CatalogTables, Sheet, sheets, to_xlsx};
use rolebook_export::{
    PostingOptions, RoleFormat, export_kpi, export_posting, export_role, export_skill, lint_posting,
};

use crate::cli::ColorChoice;
use crate::files::{parent_dir, rename_into_place, staging_dir, write_output};
use crate::output::{EXIT_FINDINGS, EXIT_OK, plural, print_stdout, stderr_color};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Role id, title or alias (leave out with --skill, --kpi or --all)
    #[arg(
        required_unless_present_any = ["all", "skill", "kpi"],
        conflicts_with_all = ["all", "skill", "kpi"]
    )]
    pub role: Option<String>,
    /// Export this skill (id or name) instead of a role
    #[arg(long, value_name = "SKILL", conflicts_with_all = ["all", "kpi"])]
    pub skill: Option<String>,
    /// Export this KPI (id or name) instead of a role
    #[arg(long, value_name = "KPI", conflicts_with = "all")]
    pub kpi: Option<String>,
    /// Export the whole catalog as tables: skills matrix, KPI ownership,
    /// responsibilities and career edges
    #[arg(long)]
    pub all: bool,
    /// A role, skill or KPI: md, html, json, jsonld, docx or pdf [default:
    /// md]. With --all: csv, xlsx or json [default: json]
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
    /// One self-contained HTML file (inline CSS, its JSON-LD in the head)
    Html,
    /// The API's document, every reference resolved; with --all, the tables
    Json,
    /// schema.org Occupation (a role) or DefinedTerm (a skill or KPI)
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
    /// The hiring organisation (required for --format jsonld) [default:
    /// organisation.toml's name]
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// The organisation's website (https://…), for the JSON-LD [default:
    /// organisation.toml's website]
    #[arg(long, value_name = "URL")]
    pub company_url: Option<String>,
    /// About the company; a blank line starts a paragraph [default:
    /// organisation.toml's posting.about]
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Where and how people work, in words [default: posting.working_model]
    #[arg(long, value_name = "TEXT")]
    pub working_model: Option<String>,
    /// A benefit; repeat for several [default: posting.benefits]
    #[arg(long, value_name = "TEXT")]
    pub benefit: Vec<String>,
    /// The equal-opportunity statement [default: posting.equal_opportunity]
    #[arg(long, value_name = "TEXT")]
    pub equal_opportunity: Option<String>,
    /// How to apply [default: posting.how_to_apply]
    #[arg(long, value_name = "TEXT")]
    pub how_to_apply: Option<String>,
    /// The sections to include, comma-separated: about, summary,
    /// responsibilities, requirements, outcomes, benefits,
    /// equal-opportunity, how-to-apply [default: all]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub sections: Option<Vec<String>>,
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
    let format = match args.format.unwrap_or(ExportFormat::Md) {
        ExportFormat::Md => RoleFormat::Markdown,
        ExportFormat::Html => RoleFormat::Html,
        ExportFormat::Json => RoleFormat::Json,
        ExportFormat::Jsonld => RoleFormat::JsonLd,
        ExportFormat::Docx => RoleFormat::Docx,
        ExportFormat::Pdf => RoleFormat::Pdf,
        ExportFormat::Csv | ExportFormat::Xlsx => bail!(
            "CSV and XLSX hold the catalog's tables: use `rolebook export --all --format csv` (or xlsx); one role, skill or KPI exports as md, html, json, jsonld, docx or pdf"
        ),
    };
    let bytes = if let Some(query) = &args.skill {
        let skill = lookup_skill(catalog, query)?;
        refuse_binary_on_terminal(format.is_text(), args.output.as_deref(), format.extension())?;
        export_skill(catalog, skill, format)?
    } else if let Some(query) = &args.kpi {
        let kpi = lookup_kpi(catalog, query)?;
        refuse_binary_on_terminal(format.is_text(), args.output.as_deref(), format.extension())?;
        export_kpi(catalog, kpi, format)?
    } else {
        let role = catalog.lookup_role(args.role.as_deref().unwrap_or_default())?;
        refuse_binary_on_terminal(format.is_text(), args.output.as_deref(), format.extension())?;
        export_role(catalog, role, format)?
    };
    deliver(&bytes, args.output.as_deref())?;
    Ok(EXIT_OK)
}

/// A skill by id or name (case-insensitive), or an error naming the
/// closest id.
fn lookup_skill<'a>(catalog: &'a Catalog, query: &str) -> Result<&'a Skill> {
    lookup("skill", query, catalog.skills(), |s| {
        (s.id.as_str(), s.name.as_str())
    })
}

/// A KPI by id or name (case-insensitive), or an error naming the closest
/// id.
fn lookup_kpi<'a>(catalog: &'a Catalog, query: &str) -> Result<&'a Kpi> {
    lookup("KPI", query, catalog.kpis(), |k| {
        (k.id.as_str(), k.name.as_str())
    })
}

/// The item of `all` whose id or name (`names` gives both) is `query`.
fn lookup<'a, T>(
    kind: &str,
    query: &str,
    all: &'a [T],
    names: impl Fn(&T) -> (&str, &str),
) -> Result<&'a T> {
    let wanted = query.trim();
    let found = all.iter().find(|item| names(item).0 == wanted).or_else(|| {
        all.iter()
            .find(|item| names(item).1.eq_ignore_ascii_case(wanted))
    });
    if let Some(found) = found {
        return Ok(found);
    }
    // The closest id, to the query as an id or to the names.
    let closest = rolebook_core::suggest::did_you_mean(
        &wanted.to_lowercase().replace(' ', "-"),
        all.iter().map(|item| names(item).0),
    )
    .or_else(|| {
        let name = rolebook_core::suggest::did_you_mean(wanted, all.iter().map(|i| names(i).1))?;
        all.iter()
            .map(&names)
            .find(|(_, n)| *n == name)
            .map(|(id, _)| id)
    });
    let shown = rolebook_core::text::printable(query);
    match closest {
        Some(id) => bail!("no {kind} matches `{shown}`; did you mean `{id}`?"),
        None => bail!(
            "no {kind} matches `{shown}`; `rolebook search --kind {}` finds one by its words",
            kind.to_lowercase()
        ),
    }
}

fn export_all(catalog: &Catalog, args: &ExportArgs) -> Result<u8> {
    let format = args.format.unwrap_or(ExportFormat::Json);
    if args.table.is_some() && format != ExportFormat::Csv {
        bail!("--table picks one CSV file; use it with --format csv");
    }
    let tables = CatalogTables::new(catalog);
    match format {
        ExportFormat::Json => deliver(&tables.to_json()?, args.output.as_deref())?,
        ExportFormat::Xlsx => {
            refuse_binary_on_terminal(false, args.output.as_deref(), "xlsx")?;
            let bytes = to_xlsx(catalog, &sheets(catalog, &tables))?;
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
            write_output(&dir.join(name), text.as_bytes())?;
        }
    } else if dir.exists() {
        bail!(
            "`{}` is a file; with --format csv, -o names a directory for the four CSV files",
            dir.display()
        );
    } else {
        let staging = staging_dir(parent_dir(dir), ".rolebook-export-")?;
        for (name, text) in &files {
            let path = staging.path().join(name);
            fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
        rename_into_place(staging, dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
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
    let options = posting_options(args, catalog.organisation(), today())?;
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

/// The posting's options: the flags as a [`PostingInput`], read the way
/// the web builder reads its form, with the organisation's settings for
/// what the flags leave out.
fn posting_options(
    args: &JdArgs,
    organisation: &Organisation,
    today: Date,
) -> Result<PostingOptions> {
    let (salary, currency) = match args.salary.as_deref() {
        Some([range, currency]) => (Some(range.clone()), Some(currency.clone())),
        Some(_) => bail!(
            "--salary takes two values: MIN-MAX and a currency, e.g. --salary 150000-190000 EUR"
        ),
        None => (None, None),
    };
    let employment_type = match args.employment_type {
        Employment::FullTime => EmploymentType::FullTime,
        Employment::PartTime => EmploymentType::PartTime,
        Employment::Contractor => EmploymentType::Contractor,
        Employment::Temporary => EmploymentType::Temporary,
        Employment::Intern => EmploymentType::Intern,
        Employment::Volunteer => EmploymentType::Volunteer,
        Employment::PerDiem => EmploymentType::PerDiem,
        Employment::Other => EmploymentType::Other,
    };
    let period = match args.salary_per {
        Per::Hour => SalaryPeriod::Hour,
        Per::Day => SalaryPeriod::Day,
        Per::Week => SalaryPeriod::Week,
        Per::Month => SalaryPeriod::Month,
        Per::Year => SalaryPeriod::Year,
    };
    let input = PostingInput {
        company: args.company.clone(),
        company_url: args.company_url.clone(),
        about: args.about.clone(),
        working_model: args.working_model.clone(),
        benefits: (!args.benefit.is_empty()).then(|| args.benefit.clone()),
        equal_opportunity: args.equal_opportunity.clone(),
        how_to_apply: args.how_to_apply.clone(),
        locations: args.location.clone(),
        remote: args.remote.clone(),
        employment_type: Some(employment_type.id().to_string()),
        salary,
        currency,
        salary_per: Some(period.id().to_string()),
        sections: args.sections.clone(),
        date_posted: args.date_posted.clone(),
        valid_through: args.valid_through.clone(),
    };
    Ok(input.resolve(organisation, today)?)
}

/// Today's date in UTC: the default posting date.
fn today() -> Date {
    Date::of_system_time(std::time::SystemTime::now())
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
            write_output(path, bytes)?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => print_stdout(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posting_dates_default_to_today_and_sixty_days() {
        let args = JdArgs {
            role: "cto".into(),
            company: Some("  ".into()),
            company_url: None,
            about: None,
            working_model: None,
            benefit: vec![],
            equal_opportunity: None,
            how_to_apply: None,
            sections: None,
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
        let organisation = Organisation::default();
        let options = posting_options(&args, &organisation, today).expect("valid");
        assert_eq!(options.date_posted.to_string(), "2026-11-01");
        assert_eq!(options.valid_through.to_string(), "2026-12-31");
        assert_eq!(options.company, None);
        assert_eq!(options.salary.map(|s| s.currency), Some("EUR".to_string()));
        let late = JdArgs {
            valid_through: Some("2026-10-01".into()),
            ..args
        };
        let error =
            posting_options(&late, &organisation, today).expect_err("closes before posting");
        assert!(error.to_string().contains("before it is posted"), "{error}");
    }
}
