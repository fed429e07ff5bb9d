//! Runs a subcommand: the catalog commands are here, the others in their
//! own modules. Each returns the process exit code; errors that stop a
//! command (unreadable directory, unknown role) become status 2.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::CommandFactory;
use rolebook_core::render::{Style, role_document};
use rolebook_core::{
    Catalog, CatalogSource, Loaded, RoleFilter, Sources, builtin, lint, load, snapshot,
};
use serde::Serialize;

use crate::build_command;
use crate::career_commands;
use crate::cli::{Cli, ColorChoice, Command, ListFormat, ReportFormat, ShowFormat};
use crate::export_commands;
use crate::files::{parent_dir, rename_into_place, staging_dir};
use crate::org_commands;
use crate::output::{EXIT_FINDINGS, EXIT_OK, plural, print_diagnostics, print_stdout};
use crate::search_commands;
use crate::user_commands;
use crate::workspace_commands;

pub fn run(cli: Cli) -> Result<ExitCode> {
    let color = cli.color;
    let catalog_dir = cli.catalog;
    // A read command reads a workspace only when `--database` is on its
    // command line: a DATABASE_URL set for `serve` must not change what
    // `show` prints.
    let workspace = match (&catalog_dir, &cli.database, cli.database_from_env) {
        (None, Some(database), false) => Some(database.clone()),
        _ => None,
    };
    let catalog_for = |dir: Option<&Path>, color| match &workspace {
        Some(database) => workspace_commands::latest_catalog(database, color),
        None => valid_catalog(dir, color),
    };
    let code = match cli.command {
        Command::Validate { dir, format } => {
            validate(dir.or(catalog_dir.clone()).as_deref(), format, color)?
        }
        Command::Lint {
            dir,
            strict,
            format,
        } => lint_catalog(
            dir.or(catalog_dir.clone()).as_deref(),
            strict,
            format,
            color,
        )?,
        Command::List {
            family,
            level,
            format,
        } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            list(&catalog, family.as_deref(), level.as_deref(), format)?
        }
        Command::Show { role, format } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            show(&catalog, &role, format)?
        }
        Command::Diff { from, to, format } => career_commands::diff(
            &catalog_for(catalog_dir.as_deref(), color)?,
            &from,
            &to,
            format,
        )?,
        Command::Next { role, format } => {
            career_commands::next(&catalog_for(catalog_dir.as_deref(), color)?, &role, format)?
        }
        Command::Path {
            roles,
            profile,
            k,
            format,
        } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            let ends = career_commands::PathEnds::of(&roles, profile.as_deref())?;
            career_commands::path(&catalog, ends, k.into(), format, color)?
        }
        Command::Graph {
            role,
            depth,
            format,
            output,
        } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            career_commands::graph(&catalog, role.as_deref(), depth, format, output.as_deref())?
        }
        Command::Gap {
            profile,
            target,
            radar,
            format,
        } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            career_commands::gap(&catalog, &profile, &target, radar.as_deref(), format, color)?
        }
        Command::Fit {
            profile,
            top,
            format,
        } => {
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            career_commands::fit(&catalog, &profile, top, format, color)?
        }
        Command::Serve {
            addr,
            behind_https,
            auth_proxy_header,
            auth_proxy_from,
            auth_proxy_role,
            trusted_proxy,
        } => match catalog_dir.as_deref() {
            Some(dir) => {
                if behind_https || auth_proxy_header.is_some() || !trusted_proxy.is_empty() {
                    bail!(
                        "--behind-https, --trusted-proxy and --auth-proxy-header are for a workspace, which has accounts; a server of catalog files (--catalog) has none"
                    );
                }
                serve(Some(dir), addr, color)?
            }
            None => {
                let proxy = match auth_proxy_header {
                    Some(header) => Some(rolebook_web::auth::ProxySignOn {
                        header: header.parse().map_err(|_| {
                            anyhow!("--auth-proxy-header: `{header}` is not a header name")
                        })?,
                        from: auth_proxy_from,
                        default_role: auth_proxy_role
                            .parse()
                            .map_err(|e: String| anyhow!("--auth-proxy-role: {e}"))?,
                    }),
                    None => None,
                };
                let auth = rolebook_web::auth::AuthConfig {
                    behind_https,
                    proxy,
                    trusted_proxies: trusted_proxy,
                };
                workspace_commands::serve(cli.database.as_deref(), addr, auth)?
            }
        },
        Command::Workspace(args) => workspace_commands::run(args, cli.database.as_deref(), color)?,
        Command::User(args) => user_commands::run_user(args, cli.database.as_deref())?,
        Command::Token(args) => user_commands::run_token(args, cli.database.as_deref())?,
        Command::Audit(args) => user_commands::run_audit(args, cli.database.as_deref())?,
        Command::Search(args) => {
            let builtin = catalog_dir.is_none() && workspace.is_none();
            let catalog = catalog_for(catalog_dir.as_deref(), color)?;
            search_commands::search(&catalog, builtin, &args, color)?
        }
        Command::Resolve(args) => {
            search_commands::resolve(&catalog_for(catalog_dir.as_deref(), color)?, &args, color)?
        }
        Command::Org(args) => {
            org_commands::run(&catalog_for(catalog_dir.as_deref(), color)?, args)?
        }
        Command::Export(args) => {
            export_commands::export(&catalog_for(catalog_dir.as_deref(), color)?, &args)?
        }
        Command::Jd(args) => {
            export_commands::jd(&catalog_for(catalog_dir.as_deref(), color)?, &args, color)?
        }
        Command::Build(args) => build_command::build(
            catalog_for(catalog_dir.as_deref(), color)?,
            catalog_dir.as_deref(),
            workspace.is_some(),
            &args,
        )?,
        Command::Schema => {
            let schema = rolebook_core::schema::catalog_schema();
            print_stdout(format!("{}\n", serde_json::to_string_pretty(&schema)?).as_bytes())?;
            EXIT_OK
        }
        Command::Init { dir } => init(&dir)?,
        Command::Completions { shell } => {
            let mut command = Cli::command();
            // clap_complete panics when its writer fails; write to memory.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "rolebook", &mut script);
            print_stdout(&script)?;
            EXIT_OK
        }
    };
    Ok(ExitCode::from(code))
}

/// Writes `files` (paths relative to `dir`, with `/`) as a new directory
/// `dir`, all at once: into a temporary sibling first, renamed into place
/// when complete, so a failure never leaves a half-written catalog. `dir`
/// must not exist or be empty; a path that would leave `dir` is refused.
pub(crate) fn write_new_dir<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<()> {
    if dir.exists() {
        let empty = dir.is_dir() && fs::read_dir(dir)?.next().is_none();
        if !empty {
            bail!(
                "`{}` already exists and is not an empty directory; choose a new directory",
                dir.display()
            );
        }
    }
    let parent = parent_dir(dir);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = staging_dir(parent, ".rolebook-init-")?;
    for (path, bytes) in files {
        let relative = Path::new(path);
        let inside = relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || path.is_empty() {
            bail!("`{path}` is not a file name inside the catalog; nothing was written");
        }
        let target = staging.path().join(relative);
        if let Some(folder) = relative.parent() {
            crate::files::create_dir_under(staging.path(), folder)?;
        }
        fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
    }
    rename_into_place(staging, dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(())
}

pub(crate) fn read_sources(dir: Option<&Path>) -> Result<Sources> {
    Ok(CatalogSource::from_option(dir).read()?)
}

/// The built-in catalog's snapshot, made and checked by `build.rs`.
static BUILTIN_SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin.snapshot"));

/// The catalog at `dir`, or the built-in one read from its snapshot: the
/// build checked it, so it is not parsed or checked again on every run.
/// `validate` always checks in full.
pub(crate) fn load_catalog(dir: Option<&Path>) -> Result<Loaded> {
    Ok(match dir {
        None => snapshot::load(builtin::sources(), BUILTIN_SNAPSHOT),
        Some(_) => load(read_sources(dir)?),
    })
}

fn catalog_name(dir: Option<&Path>) -> String {
    dir.map_or_else(
        || "built-in catalog".to_string(),
        |d| format!("catalog {}", d.display()),
    )
}

/// Loads a catalog for a command that needs a valid one; prints the
/// diagnostics and fails when it is not.
fn valid_catalog(dir: Option<&Path>, color: ColorChoice) -> Result<Catalog> {
    let loaded = load_catalog(dir)?;
    match loaded.catalog {
        Some(catalog) => Ok(catalog),
        None => Err(invalid_catalog(
            &loaded,
            dir,
            color,
            "run `rolebook validate` for details",
        )),
    }
}

/// Prints the diagnostics of a catalog with errors and returns the error
/// that stops the command, ending with `advice`.
fn invalid_catalog(
    loaded: &Loaded,
    dir: Option<&Path>,
    color: ColorChoice,
    advice: &str,
) -> anyhow::Error {
    print_diagnostics(
        &loaded.sources,
        &loaded.diagnostics,
        ReportFormat::Text,
        color,
    );
    anyhow!(
        "the {} has {}; {advice}",
        catalog_name(dir),
        plural(loaded.error_count(), "error", "errors")
    )
}

fn validate(dir: Option<&Path>, format: ReportFormat, color: ColorChoice) -> Result<u8> {
    let loaded = load(read_sources(dir)?);
    print_diagnostics(&loaded.sources, &loaded.diagnostics, format, color);
    let errors = loaded.error_count();
    let warnings = loaded.diagnostics.len() - errors;
    if format == ReportFormat::Text {
        summarise(&loaded, dir, errors, warnings);
    }
    Ok(if errors > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

fn summarise(loaded: &Loaded, dir: Option<&Path>, errors: usize, warnings: usize) {
    match &loaded.catalog {
        Some(catalog) => eprintln!(
            "{} is valid: {}, {}, {}{}",
            catalog_name(dir),
            plural(catalog.roles().len(), "role", "roles"),
            plural(catalog.skills().len(), "skill", "skills"),
            plural(catalog.kpis().len(), "KPI", "KPIs"),
            if warnings > 0 {
                format!(" ({})", plural(warnings, "warning", "warnings"))
            } else {
                String::new()
            }
        ),
        None => eprintln!(
            "{} is invalid: {}, {}",
            catalog_name(dir),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        ),
    }
}

fn lint_catalog(
    dir: Option<&Path>,
    strict: bool,
    format: ReportFormat,
    color: ColorChoice,
) -> Result<u8> {
    let loaded = load_catalog(dir)?;
    let Some(catalog) = &loaded.catalog else {
        print_diagnostics(&loaded.sources, &loaded.diagnostics, format, color);
        if format == ReportFormat::Text {
            eprintln!("lint needs a valid catalog; fix the errors above first");
        }
        return Ok(EXIT_FINDINGS);
    };
    let mut findings = loaded.diagnostics.clone();
    findings.extend(lint::lint(catalog, &loaded.sources));
    print_diagnostics(&loaded.sources, &findings, format, color);
    if format == ReportFormat::Text {
        if findings.is_empty() {
            eprintln!(
                "{}: no lint findings in {}",
                catalog_name(dir),
                plural(catalog.roles().len(), "role", "roles")
            );
        } else {
            eprintln!(
                "{}: {}",
                catalog_name(dir),
                plural(findings.len(), "lint finding", "lint findings")
            );
        }
    }
    Ok(if strict && !findings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

#[derive(Serialize)]
struct RoleRow<'a> {
    id: &'a str,
    title: &'a str,
    family: &'a str,
    level: &'a str,
    rank: u8,
}

fn list(
    catalog: &Catalog,
    family: Option<&str>,
    level: Option<&str>,
    format: ListFormat,
) -> Result<u8> {
    let filter = RoleFilter {
        family: family.map(str::to_string),
        level: level.map(str::to_string),
    };
    let mut rows: Vec<RoleRow> = catalog
        .filter_roles(&filter)?
        .into_iter()
        .map(|r| RoleRow {
            id: &r.id,
            title: &r.title,
            family: &r.family,
            level: &r.level,
            rank: catalog.level(&r.level).map_or(0, |l| l.rank),
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.family, std::cmp::Reverse(a.rank), a.id).cmp(&(
            b.family,
            std::cmp::Reverse(b.rank),
            b.id,
        ))
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in &rows {
                writer.serialize(row)?;
            }
            writer.flush()?;
        }
        ListFormat::Table => {
            let width = |column: &dyn Fn(&RoleRow) -> usize, header: &str| {
                rows.iter()
                    .map(column)
                    .chain([header.len()])
                    .max()
                    .unwrap_or(0)
            };
            let wi = width(&|r| r.id.chars().count(), "ID");
            let wt = width(&|r| r.title.chars().count(), "TITLE");
            let wf = width(&|r| r.family.chars().count(), "FAMILY");
            writeln!(
                out,
                "{:wi$}  {:wt$}  {:wf$}  LEVEL",
                "ID", "TITLE", "FAMILY"
            )?;
            for row in &rows {
                writeln!(
                    out,
                    "{:wi$}  {:wt$}  {:wf$}  {}",
                    row.id, row.title, row.family, row.level
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn show(catalog: &Catalog, query: &str, format: ShowFormat) -> Result<u8> {
    let role = catalog.lookup_role(query)?;
    let text = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&rolebook_wire::Role::of(catalog, role))?,
        ShowFormat::Markdown => role_document(catalog, role, Style::Markdown),
        ShowFormat::Text => role_document(catalog, role, Style::Text),
    };
    print_stdout(format!("{text}\n").as_bytes())?;
    Ok(EXIT_OK)
}

/// Serves the web app until SIGTERM or Ctrl-C. A catalog with errors stops
/// it before it starts: there is no last valid catalog to fall back on yet.
fn serve(dir: Option<&Path>, addr: std::net::SocketAddr, color: ColorChoice) -> Result<u8> {
    let state = match rolebook_web::AppState::load(CatalogSource::from_option(dir)) {
        Ok(state) => state,
        Err(rolebook_web::LoadError::Invalid(loaded)) => {
            return Err(invalid_catalog(
                &loaded,
                dir,
                color,
                "fix them and start again",
            ));
        }
        Err(error) => return Err(error.into()),
    };
    rolebook_web::init_tracing();
    rolebook_web::serve(state, addr)?;
    Ok(EXIT_OK)
}

/// Writes the built-in catalog to `dir` all at once (see [`write_new_dir`]).
fn init(dir: &Path) -> Result<u8> {
    write_new_dir(
        dir,
        builtin::FILES
            .iter()
            .map(|(path, text)| (*path, text.as_bytes())),
    )?;
    eprintln!(
        "wrote the built-in catalog ({}) to {}; use it with `rolebook --catalog {} validate`",
        plural(builtin::FILES.len(), "file", "files"),
        dir.display(),
        dir.display()
    );
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_snapshot_is_the_builtin_catalogs() {
        let loaded = snapshot::read(builtin::sources(), BUILTIN_SNAPSHOT);
        let catalog = loaded
            .and_then(|l| l.catalog)
            .expect("read from the snapshot");
        let from_files = load(builtin::sources()).catalog.expect("valid");
        assert_eq!(catalog.roles().len(), from_files.roles().len());
    }
}
