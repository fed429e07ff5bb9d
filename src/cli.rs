//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Role blueprints for technology organisations: responsibilities, skills,
/// KPIs and career paths, as a catalog you can validate, query and publish.
#[derive(Debug, Parser)]
#[command(name = "rolebook", version, about, long_about = None)]
pub struct Cli {
    /// Catalog directory to use instead of the built-in catalog [env:
    /// ROLEBOOK_CATALOG; empty counts as unset]
    #[arg(long, global = true, value_name = "DIR")]
    pub catalog: Option<PathBuf>,

    /// Workspace database: a SQLite file or a postgres:// URL (default for
    /// serve and workspace: rolebook-data/workspace.db; given here, the
    /// other commands read its latest version too) [env: DATABASE_URL,
    /// serve and workspace only; empty counts as unset]
    #[arg(long, global = true, value_name = "URL")]
    pub database: Option<String>,

    /// Whether `database` came from DATABASE_URL rather than the command
    /// line: then only `serve` and `workspace` use it.
    #[arg(skip)]
    pub database_from_env: bool,

    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Parses the arguments; `ROLEBOOK_CATALOG` stands in for a missing
    /// `--catalog`, `DATABASE_URL` for a missing `--database`. An empty variable is unset, as for NO_COLOR: clap's own
    /// `env` would call it a missing value.
    pub fn parse_with_env() -> Self {
        let mut cli = Cli::parse();
        if cli.catalog.is_none() {
            cli.catalog = std::env::var_os("ROLEBOOK_CATALOG")
                .filter(|dir| !dir.is_empty())
                .map(PathBuf::from);
        }
        if cli.database.is_none() {
            cli.database = std::env::var("DATABASE_URL")
                .ok()
                .filter(|url| !url.trim().is_empty());
            cli.database_from_env = cli.database.is_some();
        }
        cli
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a catalog and report every problem with its file, line and column
    Validate {
        /// Catalog directory (default: --catalog, ROLEBOOK_CATALOG, or the built-in catalog)
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Check content quality: completeness, wording, repetition, inclusive language
    Lint {
        /// Catalog directory (default: --catalog, ROLEBOOK_CATALOG, or the built-in catalog)
        dir: Option<PathBuf>,
        /// Exit with status 1 when there is any finding
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// List roles, optionally filtered by family or level
    List {
        /// Only roles of this family id
        #[arg(long)]
        family: Option<String>,
        /// Only roles of this level id
        #[arg(long)]
        level: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one role blueprint, found by id, title or alias (case-insensitive)
    Show {
        /// Role id, title or alias, e.g. "SRE Manager" or sre-manager
        role: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Compare two roles: skills, KPIs, level and scope, decision rights and skill gap
    Diff {
        /// Role to compare from (id, title or alias)
        from: String,
        /// Role to compare to (id, title or alias)
        to: String,
        #[arg(long, value_enum, default_value_t = CareerFormat::Text)]
        format: CareerFormat,
    },
    /// The moves from a role: next, then lateral, then implied, each by skill gap
    Next {
        /// Role id, title or alias
        role: String,
        #[arg(long, value_enum, default_value_t = CareerFormat::Text)]
        format: CareerFormat,
    },
    /// Find the career paths to a role with the smallest total skill gap, from a role or from a person's own ratings
    #[command(
        override_usage = "rolebook path [OPTIONS] FROM TO\n       rolebook path [OPTIONS] --profile FILE [FROM] TO"
    )]
    Path {
        /// The role to start from and the role to reach (id, title or alias); with --profile, FROM is the profile's current_role unless given
        #[arg(value_name = "ROLE", num_args = 1..=2, required = true)]
        roles: Vec<String>,
        /// Start from this person's own ratings (see docs/profile-format.md) instead of the levels FROM requires
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// How many paths to find
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
        k: u16,
        #[arg(long, value_enum, default_value_t = CareerFormat::Text)]
        format: CareerFormat,
    },
    /// Draw the career graph, or the part around one role, as DOT, Mermaid or SVG
    Graph {
        /// Only this role and the roles within --depth moves of it
        role: Option<String>,
        /// With ROLE: how many moves away to include [default: 2]
        #[arg(long, requires = "role")]
        depth: Option<usize>,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// A person's skill gap to a target role, readiness and development plan
    Gap {
        /// Profile file (see docs/profile-format.md)
        profile: PathBuf,
        /// Target role (id, title or alias)
        #[arg(long)]
        target: String,
        /// Also write a radar chart of current against required levels to this SVG file
        #[arg(long, value_name = "FILE.svg")]
        radar: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CareerFormat::Text)]
        format: CareerFormat,
    },
    /// Rank every role by a person's readiness
    Fit {
        /// Profile file (see docs/profile-format.md)
        profile: PathBuf,
        /// Show only the N best-fitting roles
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        #[arg(long, value_enum, default_value_t = CareerFormat::Text)]
        format: CareerFormat,
    },
    /// Serve the web app and JSON API from the workspace (created on first start), or with --catalog from catalog files, reloaded live
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: std::net::SocketAddr,
        /// People reach the server over HTTPS through a proxy that ends TLS: session cookies get `Secure`, links `https://`
        #[arg(long)]
        behind_https: bool,
        /// Sign people on from this header of a trusted reverse proxy (for example X-Forwarded-Email), which holds their email
        #[arg(long, value_name = "HEADER", requires = "auth_proxy_from")]
        auth_proxy_header: Option<String>,
        /// The sign-on proxy's addresses, comma-separated: the header is believed from these only
        #[arg(
            long,
            value_name = "IP,...",
            value_delimiter = ',',
            requires = "auth_proxy_header"
        )]
        auth_proxy_from: Vec<std::net::IpAddr>,
        /// Reverse proxies in front of the server, comma-separated: their X-Forwarded-For names the client for the audit log and sign-in throttling
        #[arg(long, value_name = "IP,...", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// The role of a person the proxy signs on for the first time
        #[arg(
            long,
            value_name = "ROLE",
            default_value = "viewer",
            requires = "auth_proxy_header"
        )]
        auth_proxy_role: String,
    },
    /// Search roles, skills and KPIs: ranked, typo-tolerant, with highlighted snippets
    Search(crate::search_commands::SearchArgs),
    /// Map job titles to catalog roles, one title or a CSV file of them
    Resolve(crate::search_commands::ResolveArgs),
    /// Check an organisation's HRIS export against the catalog (check), correct its title mapping (map), or make a synthetic one (sample)
    Org(crate::org_commands::OrgArgs),
    /// Export a role (md, html, json, jsonld, docx, pdf) or, with --all, the catalog's tables (csv, xlsx, json)
    Export(crate::export_commands::ExportArgs),
    /// Write a job posting for a role (md, html, docx, pdf, JobPosting JSON-LD) and check its wording
    // Boxed: its many flags make it far the largest variant.
    Jd(Box<crate::export_commands::JdArgs>),
    /// Write the catalog as a static website (every page, comparisons of declared moves, career pages, search) for any static host or file share
    Build(crate::build_command::BuildArgs),
    /// The organisation's own catalog in a database, versioned: init, status, log, history, diff, export, import, backup, restore
    Workspace(crate::workspace_commands::WorkspaceArgs),
    /// The workspace's users: add (the first admin too), list, set-role, disable, enable, reset-password
    User(crate::user_commands::UserArgs),
    /// API tokens for scripts that write to the workspace API: create (shown once), list, revoke
    Token(crate::user_commands::TokenArgs),
    /// Read the workspace's audit log: sign-ins, user and role changes, tokens, settings (table, csv or json)
    Audit(crate::user_commands::AuditArgs),
    /// Print the JSON Schema of the catalog format
    Schema,
    /// Write the built-in catalog to DIR as a starting point for your own
    Init {
        /// Directory to create; must not exist or be empty
        dir: PathBuf,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CareerFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT
    Dot,
    /// Mermaid flowchart
    Mermaid,
    /// SVG, laid out by rolebook (up to 150 roles)
    Svg,
}
