//! `rolebook workspace …` and `serve` on a workspace: an organisation's
//! catalog in a database, versioned. The store does the work
//! (`rolebook-store`); this module reads arguments, runs the store's
//! async calls on a small runtime and writes files and messages.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use rolebook_core::{Sources, builtin, load};
use rolebook_store::entity::to_files;
use rolebook_store::{Key, Kind, Location, State, StoreError, Workspace};

use crate::cli::ColorChoice;
use crate::commands::{read_sources, write_new_dir};
use crate::output::{EXIT_OK, plural, print_diagnostics, print_stdout};

/// Where `serve` keeps its workspace when given no `--database`: beside
/// where it is started, so a fresh clone's `cargo run -- serve` needs no
/// set-up.
pub const DEFAULT_DATABASE: &str = "rolebook-data/workspace.db";

#[derive(Debug, Args)]
pub struct WorkspaceArgs {
    #[command(subcommand)]
    pub command: WorkspaceCommand,
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create the workspace and make its first version from the built-in catalog or a directory
    Init {
        /// Catalog directory to start from (default: the built-in catalog)
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Why, recorded with the first version
        #[arg(long, short, default_value = "First version")]
        message: String,
    },
    /// Show where the workspace is, its latest version and open change requests
    Status,
    /// List the published versions, newest first
    Log,
    /// Write a published version (default: the latest) as catalog files that `rolebook validate` accepts
    Export {
        /// Directory to create; must not exist or be empty
        dir: PathBuf,
        /// Version number to write
        #[arg(long)]
        version: Option<i64>,
    },
    /// List the versions that changed one entity (`role/ID`, `skill/ID`, `kpi/ID`, `framework`, `organisation`; a bare ID is a role)
    History { entity: String },
    /// What changed in one entity between two versions (default: the one before the latest, and the latest)
    Diff {
        entity: String,
        /// The older version
        from: Option<i64>,
        /// The newer version
        to: Option<i64>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write a consistent copy of the (SQLite) workspace to FILE, even while it is being served
    Backup { file: PathBuf },
    /// Put a backup in place of the workspace (stop `serve` first); refuses to replace a newer workspace without --force
    Restore {
        file: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Turn a catalog directory into a change request of everything that differs from the latest version
    Import {
        dir: PathBuf,
        /// Title of the change request
        #[arg(long, short)]
        message: String,
        /// Submit, approve and publish it at once (when it validates)
        #[arg(long)]
        publish: bool,
    },
    /// Roll the catalog, or one entity, back to a version: a change request that restores it
    Rollback {
        /// The version to go back to
        version: i64,
        /// Only this entity (`role/ID`, `skill/ID`, …; a bare ID is a role)
        entity: Option<String>,
        /// Submit, approve and publish it at once (when it validates)
        #[arg(long)]
        publish: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

/// Reads `role/sre-manager`, `skill/x`, `framework`; a bare id is a role.
fn entity_key(text: &str) -> Result<Key> {
    let text = text.trim().trim_end_matches('/');
    match text.split_once('/') {
        Some((kind, id)) => {
            let kind = Kind::parse(kind).ok_or_else(|| {
                anyhow!(
                    "`{kind}` is not an entity kind; kinds are {}",
                    Kind::ALL.map(Kind::as_str).join(", ")
                )
            })?;
            Ok(Key::new(kind, id))
        }
        None => match Kind::parse(text) {
            Some(kind) if kind.is_singleton() => Ok(Key::singleton(kind)),
            _ => Ok(Key::new(Kind::Role, text)),
        },
    }
}

/// The workspace `--database` names (or DATABASE_URL), else the default
/// file.
pub fn location(database: Option<&str>) -> Result<Location> {
    Ok(Location::parse(database.unwrap_or(DEFAULT_DATABASE))?)
}

/// Who the CLI acts as until accounts exist: the system user.
pub fn author() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "rolebook".to_string())
}

/// The command line's user as the workspace records them: the author of
/// what they change, `cli:USER` in the audit log.
pub fn cli_actor() -> rolebook_store::Actor {
    let name = author();
    rolebook_store::Actor {
        audit_as: format!("cli:{name}"),
        ..rolebook_store::Actor::local(&name)
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run(args: WorkspaceArgs, database: Option<&str>, color: ColorChoice) -> Result<u8> {
    let location = location(database)?;
    let runtime = runtime()?;
    // Restoring replaces the database file: it must not be open.
    if let WorkspaceCommand::Restore { file, force } = &args.command {
        let info = runtime.block_on(rolebook_store::backup::restore(file, &location, *force))?;
        eprintln!(
            "restored {} to version {}; start `serve` again",
            location.label(),
            info.latest.map_or(0, |v| v.number)
        );
        return Ok(EXIT_OK);
    }
    let workspace = runtime.block_on(Workspace::open(&location))?;
    let result = match args.command {
        WorkspaceCommand::Init { from, message } => {
            init(&runtime, &workspace, from.as_deref(), &message, color)
        }
        WorkspaceCommand::Status => status(&runtime, &workspace),
        WorkspaceCommand::Log => log(&runtime, &workspace),
        WorkspaceCommand::Export { dir, version } => export(&runtime, &workspace, &dir, version),
        WorkspaceCommand::History { entity } => history(&runtime, &workspace, &entity),
        WorkspaceCommand::Diff {
            entity,
            from,
            to,
            format,
        } => diff(&runtime, &workspace, &entity, from, to, format),
        WorkspaceCommand::Backup { file } => {
            let info = runtime.block_on(workspace.backup(&file))?;
            audit(
                &runtime,
                &workspace,
                "workspace-backed-up",
                &format!("version:{}", info.latest.as_ref().map_or(0, |v| v.number)),
                &file.display().to_string(),
            );
            eprintln!(
                "backed up version {} to {}",
                info.latest.map_or(0, |v| v.number),
                file.display()
            );
            Ok(EXIT_OK)
        }
        WorkspaceCommand::Restore { .. } => Ok(EXIT_OK),
        WorkspaceCommand::Import {
            dir,
            message,
            publish,
        } => import(&runtime, &workspace, &dir, &message, publish, color),
        WorkspaceCommand::Rollback {
            version,
            entity,
            publish,
        } => roll_back(
            &runtime,
            &workspace,
            version,
            entity.as_deref(),
            publish,
            color,
        ),
    };
    runtime.block_on(workspace.close());
    result
}

fn init(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    from: Option<&Path>,
    message: &str,
    color: ColorChoice,
) -> Result<u8> {
    let sources = read_sources(from)?;
    // Show the catalog's own errors, located, before refusing.
    let loaded = load(sources.clone());
    if loaded.error_count() > 0 {
        print_diagnostics(
            &loaded.sources,
            &loaded.diagnostics,
            crate::cli::ReportFormat::Text,
            color,
        );
        bail!(
            "the catalog has {}; fix them, then run `rolebook workspace init` again",
            plural(loaded.error_count(), "error", "errors")
        );
    }
    let version = runtime.block_on(workspace.init(&sources, cli_actor(), message))?;
    eprintln!(
        "created the workspace at {} ({}): version {} from {}",
        workspace.location().label(),
        workspace.location().engine().name(),
        version.number,
        from.map_or_else(
            || "the built-in catalog".to_string(),
            |d| d.display().to_string()
        )
    );
    Ok(EXIT_OK)
}

fn status(runtime: &tokio::runtime::Runtime, workspace: &Workspace) -> Result<u8> {
    let location = workspace.location();
    let mut out = format!(
        "workspace: {} ({})\n",
        location.label(),
        location.engine().name()
    );
    match runtime.block_on(workspace.latest_version())? {
        None => out.push_str("no version yet: run `rolebook workspace init`\n"),
        Some(latest) => {
            let version = runtime.block_on(workspace.version(latest))?;
            out.push_str(&format!(
                "latest version: {} ({}, {}: {})\n",
                version.number, version.created_at, version.author, version.message
            ));
            let open: Vec<_> = runtime
                .block_on(workspace.change_requests(None))?
                .into_iter()
                .filter(|r| r.state.is_open())
                .collect();
            if open.is_empty() {
                out.push_str("no open change request\n");
            } else {
                out.push_str(&format!(
                    "{}:\n",
                    plural(open.len(), "open change request", "open change requests")
                ));
                for request in open {
                    out.push_str(&format!(
                        "  #{} {} [{}] by {}\n",
                        request.id, request.title, request.state, request.author
                    ));
                }
            }
        }
    }
    print_stdout(out.as_bytes())?;
    Ok(EXIT_OK)
}

fn log(runtime: &tokio::runtime::Runtime, workspace: &Workspace) -> Result<u8> {
    let versions = runtime.block_on(workspace.versions())?;
    if versions.is_empty() {
        bail!("the workspace has no version yet: run `rolebook workspace init`");
    }
    let mut out = String::new();
    for version in versions {
        let request = version
            .change_request
            .map_or_else(String::new, |id| format!(" (change request #{id})"));
        out.push_str(&format!(
            "{:>4}  {}  {}  {}{request}\n",
            version.number, version.created_at, version.author, version.message
        ));
    }
    print_stdout(out.as_bytes())?;
    Ok(EXIT_OK)
}

fn history(runtime: &tokio::runtime::Runtime, workspace: &Workspace, entity: &str) -> Result<u8> {
    let key = entity_key(entity)?;
    let entries = runtime.block_on(workspace.history(&key))?;
    if entries.is_empty() {
        bail!("no version of the workspace has {key}");
    }
    let mut out = String::new();
    for entry in entries.iter().rev() {
        let version = &entry.version;
        let deleted = if entry.deleted { "  (deleted)" } else { "" };
        out.push_str(&format!(
            "{:>4}  {}  {}  {}{deleted}\n",
            version.number, version.created_at, version.author, version.message
        ));
    }
    print_stdout(out.as_bytes())?;
    Ok(EXIT_OK)
}

fn diff(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    entity: &str,
    from: Option<i64>,
    to: Option<i64>,
    format: DiffFormat,
) -> Result<u8> {
    let key = entity_key(entity)?;
    let latest = runtime
        .block_on(workspace.latest_version())?
        .ok_or(StoreError::NotInitialised)?;
    let to = to.unwrap_or(latest);
    let from = match from {
        Some(from) => from,
        // The version before the last one that changed it.
        None => {
            let history = runtime.block_on(workspace.history(&key))?;
            let changed: Vec<i64> = history
                .iter()
                .map(|h| h.version.number)
                .filter(|n| *n <= to)
                .collect();
            match changed.as_slice() {
                [.., before, _] => *before,
                [only] => *only,
                [] => bail!("no version up to {to} has {key}"),
            }
        }
    };
    let diff = runtime.block_on(workspace.diff(&key, from, to))?;
    let text = match format {
        DiffFormat::Text => format!("{key}: version {from} → {to}\n{}", diff.to_text()),
        DiffFormat::Markdown => diff.to_markdown(),
        DiffFormat::Json => format!("{}\n", serde_json::to_string_pretty(&diff)?),
    };
    print_stdout(text.as_bytes())?;
    Ok(EXIT_OK)
}

fn export(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    dir: &Path,
    version: Option<i64>,
) -> Result<u8> {
    let number = match version {
        Some(number) => number,
        None => runtime
            .block_on(workspace.latest_version())?
            .ok_or(StoreError::NotInitialised)?,
    };
    let files = to_files(&runtime.block_on(workspace.documents(number))?);
    write_new_dir(
        dir,
        files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
    )?;
    eprintln!(
        "wrote version {number} ({}) to {}; check it with `rolebook validate {}`",
        plural(files.len(), "file", "files"),
        dir.display(),
        dir.display()
    );
    audit(
        runtime,
        workspace,
        "catalog-exported",
        &format!("version:{number}"),
        &dir.display().to_string(),
    );
    Ok(EXIT_OK)
}

fn import(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    dir: &Path,
    message: &str,
    publish: bool,
    color: ColorChoice,
) -> Result<u8> {
    if message.trim().is_empty() {
        bail!("give the change request a title with -m");
    }
    let sources: Sources = read_sources(Some(dir))?;
    // An empty or mistyped directory would propose deleting everything.
    if sources.find("framework.toml").is_none() {
        bail!(
            "{} holds no catalog (no framework.toml); nothing was imported",
            dir.display()
        );
    }
    let imported = runtime.block_on(workspace.import(&sources, message, cli_actor()))?;
    follow_up(runtime, workspace, &imported, message, publish, color)
}

/// Rolls the catalog, or one entity, back to `version`: a change request,
/// published at once with `publish` when it validates.
fn roll_back(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    version: i64,
    entity: Option<&str>,
    publish: bool,
    color: ColorChoice,
) -> Result<u8> {
    let key = entity.map(entity_key).transpose()?;
    let rolled = runtime.block_on(workspace.roll_back(version, key.as_ref(), cli_actor()))?;
    let title = rolled.change_request.title.clone();
    follow_up(runtime, workspace, &rolled, &title, publish, color)
}

/// After an import or a roll-back: says what the change request holds,
/// prints its diagnostics, and with `publish` submits, approves and
/// publishes it when it validates.
fn follow_up(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    imported: &rolebook_store::Imported,
    message: &str,
    publish: bool,
    color: ColorChoice,
) -> Result<u8> {
    let author = cli_actor();
    let request = &imported.change_request;
    eprintln!(
        "change request #{}: {} created, {} updated, {} deleted",
        request.id, imported.created, imported.updated, imported.deleted
    );
    let validation = runtime.block_on(workspace.validate(request.id))?;
    if validation.errors > 0 || validation.warnings > 0 {
        let (_, documents) = runtime.block_on(workspace.proposed(request.id))?;
        let loaded = load(rolebook_store::entity::to_sources(&documents));
        print_diagnostics(
            &loaded.sources,
            &loaded.diagnostics,
            crate::cli::ReportFormat::Text,
            color,
        );
    }
    if !publish {
        eprintln!("review it with `rolebook workspace status`; it is a draft");
        return Ok(EXIT_OK);
    }
    if imported.created + imported.updated + imported.deleted == 0 {
        eprintln!("nothing differs from the latest version; nothing to publish");
        runtime.block_on(workspace.transition(
            request.id,
            State::Withdrawn,
            &author,
            "nothing to publish",
        ))?;
        return Ok(EXIT_OK);
    }
    if validation.errors > 0 {
        return Err(anyhow!(
            "change request #{} has {}; it stays a draft",
            request.id,
            plural(validation.errors, "error", "errors")
        ));
    }
    runtime.block_on(workspace.transition(request.id, State::InReview, &author, message))?;
    runtime.block_on(workspace.transition(
        request.id,
        State::Approved,
        &author,
        "published at once with --publish",
    ))?;
    let version = runtime.block_on(workspace.publish(request.id, &author, message))?;
    eprintln!("published version {}", version.number);
    Ok(EXIT_OK)
}

/// Records what the command line read out of the workspace (an export,
/// a backup) in its audit log, as `cli:USER`; a failure to record is a
/// warning (the copy is made). Changes are recorded by the store, in
/// their own transaction.
fn audit(
    runtime: &tokio::runtime::Runtime,
    workspace: &Workspace,
    action: &str,
    object: &str,
    detail: &str,
) {
    let accounts = rolebook_accounts::Accounts::new(workspace.db().clone());
    let context = rolebook_accounts::Context {
        actor: format!("cli:{}", author()),
        ..rolebook_accounts::Context::cli()
    };
    if let Err(error) = runtime.block_on(accounts.record(&context, action, object, detail)) {
        eprintln!("warning: the audit log could not record {action}: {error}");
    }
}

/// The latest version of the workspace at `database`, for the commands
/// that read a catalog (`show`, `export`, `build`, …).
pub fn latest_catalog(database: &str, color: ColorChoice) -> Result<rolebook_core::Catalog> {
    let location = location(Some(database))?;
    if let Some(file) = location.sqlite_file()
        && !file.exists()
    {
        bail!("there is no workspace at {}", file.display());
    }
    let runtime = runtime()?;
    let workspace = runtime.block_on(Workspace::open(&location))?;
    let loaded = runtime.block_on(workspace.load_latest());
    runtime.block_on(workspace.close());
    let (version, loaded) = loaded?;
    match loaded.catalog {
        Some(catalog) => Ok(catalog),
        None => {
            print_diagnostics(
                &loaded.sources,
                &loaded.diagnostics,
                crate::cli::ReportFormat::Text,
                color,
            );
            bail!(
                "version {version} of the workspace has {}",
                plural(loaded.error_count(), "error", "errors")
            )
        }
    }
}

/// `serve` on a workspace: opened on the server's runtime, created and
/// seeded with the built-in catalog when it has no version yet.
pub fn serve(
    database: Option<&str>,
    addr: std::net::SocketAddr,
    auth: rolebook_web::auth::AuthConfig,
) -> Result<u8> {
    let location = location(database)?;
    let runtime = rolebook_web::runtime()?;
    let workspace = runtime.block_on(Workspace::open(&location))?;
    rolebook_web::init_tracing();
    if runtime.block_on(workspace.latest_version())?.is_none() {
        match runtime.block_on(workspace.init(
            &builtin::sources(),
            cli_actor(),
            "The built-in catalog",
        )) {
            // Another server seeded it first.
            Ok(_) | Err(StoreError::AlreadyInitialised(_)) => {}
            Err(error) => return Err(error.into()),
        }
        eprintln!(
            "created a workspace at {} from the built-in catalog",
            location.label()
        );
    }
    let provider = rolebook_web::WorkspaceProvider::new(workspace, runtime.handle().clone());
    let state = rolebook_web::AppState::load(provider).map_err(|e| match e {
        rolebook_web::LoadError::Invalid(loaded) => anyhow!(
            "the workspace's latest version has {}; publish a fix or restore a backup",
            plural(loaded.error_count(), "error", "errors")
        ),
        other => other.into(),
    })?;
    let secure = auth.behind_https;
    let state = state.with_auth(auth);
    // No default password: the first admin comes from a one-time link.
    let accounts = state
        .auth()
        .accounts()
        .cloned()
        .context("a workspace has accounts")?;
    if runtime.block_on(accounts.user_count())? == 0
        && let Some(secret) =
            runtime.block_on(accounts.setup_link(&crate::user_commands::cli_context()))?
    {
        let host = if addr.ip().is_unspecified() {
            format!("localhost:{}", addr.port())
        } else {
            addr.to_string()
        };
        let scheme = if secure { "https" } else { "http" };
        eprintln!(
            "no accounts yet: open {scheme}://{host}/setup/{secret} within an hour to create the first admin (or run `rolebook user add EMAIL --role admin`)"
        );
    }
    rolebook_web::serve_on(&runtime, state, addr, rolebook_web::ServerLimits::default())?;
    Ok(EXIT_OK)
}
