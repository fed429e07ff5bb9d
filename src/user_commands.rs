//! `rolebook user …` and `rolebook audit`: accounts and the audit log of a
//! workspace, from its own machine. Whoever can open the workspace
//! database acts as an admin here; every change is in the audit log as
//! `cli:USER`. The accounts crate does the work (`rolebook-accounts`).

use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use rolebook_accounts::audit::to_csv;
use rolebook_accounts::{Accounts, AuditFilter, Context, Role, Scope, User};
use rolebook_store::Workspace;

use crate::output::{EXIT_OK, print_stdout};
use crate::workspace_commands::{author, location, runtime};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from the terminal (or the first line of standard input), never from an argument
    Add {
        email: String,
        /// viewer, editor, approver or admin
        #[arg(long, default_value = "viewer")]
        role: String,
        /// The name shown in the app (default: the part of the email before @)
        #[arg(long)]
        name: Option<String>,
        /// No password: the user signs in only through the trusted proxy
        #[arg(long)]
        no_password: bool,
    },
    /// List the users with their roles and whether they are enabled
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Give a user another role (the last enabled admin keeps theirs)
    SetRole { email: String, role: String },
    /// Disable a user: they cannot sign in, and their sessions and tokens stop working (a running server sees it within 2 seconds)
    Disable { email: String },
    /// Enable a disabled user again
    Enable { email: String },
    /// Set a new password (read like `add`'s) and end the user's sessions
    ResetPassword { email: String },
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for a user's scripts; printed once, on standard output
    Create {
        /// The user the token acts as
        email: String,
        /// What it is for (`nightly import from git`)
        #[arg(long)]
        name: String,
        /// read, write or admin; the user's role bounds it too
        #[arg(long, default_value = "read")]
        scope: String,
    },
    /// List tokens (of one user, or everyone's) without their secrets
    List { email: Option<String> },
    /// Revoke a token: it stops working at once
    Revoke { id: i64 },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries by this actor (an email, `cli:USER`, `token:ID`)
    #[arg(long)]
    actor: Option<String>,
    /// Only this action (`sign-in`, `sign-in-failed`, `user-added`, …)
    #[arg(long)]
    action: Option<String>,
    /// Only entries whose object contains this text (`user:ana@`)
    #[arg(long)]
    object: Option<String>,
    /// From this time on (`2026-12-01` or an RFC 3339 time, UTC)
    #[arg(long)]
    since: Option<String>,
    /// Before this time
    #[arg(long)]
    until: Option<String>,
    /// At most this many entries, newest first
    #[arg(long, default_value_t = 1000)]
    limit: i64,
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    format: AuditFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuditFormat {
    Table,
    Csv,
    Json,
}

/// `text` safe to print on one terminal line: control characters (a
/// newline, an escape sequence) that someone typed into a sign-in form are
/// shown escaped, never sent to the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// The CLI as an actor in the audit log.
pub(crate) fn cli_context() -> Context {
    Context {
        actor: format!("cli:{}", author()),
        ..Context::cli()
    }
}

/// Opens the workspace; only `create` makes one where there is none, so a
/// mistyped `--database` is an error instead of a new, empty workspace.
fn open(
    database: Option<&str>,
    create: bool,
) -> Result<(tokio::runtime::Runtime, Workspace, Accounts)> {
    let location = location(database)?;
    if let rolebook_store::Location::SqliteFile(path) = &location
        && !create
        && !path.exists()
    {
        bail!(
            "there is no workspace at {}; check --database, or make one with `rolebook workspace init` or `rolebook serve`",
            path.display()
        );
    }
    let runtime = runtime()?;
    let workspace = runtime.block_on(Workspace::open(&location))?;
    let accounts = Accounts::new(workspace.db().clone());
    Ok((runtime, workspace, accounts))
}

pub fn run_user(args: UserArgs, database: Option<&str>) -> Result<u8> {
    // Adding the first admin may come before the first `serve`.
    let create = matches!(args.command, UserCommand::Add { .. });
    let (runtime, workspace, accounts) = open(database, create)?;
    let context = cli_context();
    let result = match args.command {
        UserCommand::Add {
            email,
            role,
            name,
            no_password,
        } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let password = if no_password {
                None
            } else {
                Some(read_password(&email)?)
            };
            let user = runtime.block_on(accounts.add_user(
                &context,
                &email,
                &name,
                role,
                password.as_deref(),
            ))?;
            eprintln!("added {} as {}", user.email, user.role);
            Ok(EXIT_OK)
        }
        UserCommand::List { format } => {
            let users = runtime.block_on(accounts.users())?;
            match format {
                ListFormat::Json => {
                    print_stdout(format!("{}\n", serde_json::to_string_pretty(&users)?).as_bytes())?
                }
                ListFormat::Table => print_stdout(user_table(&users).as_bytes())?,
            }
            Ok(EXIT_OK)
        }
        UserCommand::SetRole { email, role } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let user = runtime.block_on(accounts.set_role(&context, &email, role))?;
            eprintln!("{} is now {}", user.email, user.role);
            Ok(EXIT_OK)
        }
        UserCommand::Disable { email } => {
            let user = runtime.block_on(accounts.set_enabled(&context, &email, false))?;
            eprintln!(
                "disabled {}; their sessions are ended and their tokens refused (a running server stops serving them pages within 2 seconds)",
                user.email
            );
            Ok(EXIT_OK)
        }
        UserCommand::Enable { email } => {
            let user = runtime.block_on(accounts.set_enabled(&context, &email, true))?;
            eprintln!("enabled {}", user.email);
            Ok(EXIT_OK)
        }
        UserCommand::ResetPassword { email } => {
            // Known user first: no prompt for a password that cannot be set.
            let user = runtime.block_on(accounts.user_by_email(&email))?;
            let password = read_password(&user.email)?;
            runtime.block_on(accounts.set_password(&context, &user.email, &password))?;
            eprintln!(
                "set a new password for {}; their sessions have ended",
                user.email
            );
            Ok(EXIT_OK)
        }
    };
    runtime.block_on(workspace.close());
    result
}

pub fn run_token(args: TokenArgs, database: Option<&str>) -> Result<u8> {
    let (runtime, workspace, accounts) = open(database, false)?;
    let context = cli_context();
    let result = match args.command {
        TokenCommand::Create { email, name, scope } => {
            let scope: Scope = scope.parse().map_err(anyhow::Error::msg)?;
            let user = runtime.block_on(accounts.user_by_email(&email))?;
            let (secret, token) =
                runtime.block_on(accounts.create_token(&context, &user, &name, scope))?;
            eprintln!(
                "token {} for {} ({}); it is shown this once: keep it in your secret store",
                token.id, user.email, token.scope
            );
            print_stdout(format!("{secret}\n").as_bytes())?;
            Ok(EXIT_OK)
        }
        TokenCommand::List { email } => {
            let user = match email {
                Some(email) => Some(runtime.block_on(accounts.user_by_email(&email))?),
                None => None,
            };
            let tokens = runtime.block_on(accounts.tokens(user.as_ref()))?;
            let mut out = String::new();
            for t in &tokens {
                let state = match (&t.revoked_at, &t.last_used_at) {
                    (Some(_), _) => "revoked".to_string(),
                    (None, Some(used)) => format!("last used {}", &used[..19.min(used.len())]),
                    (None, None) => "never used".to_string(),
                };
                out.push_str(&format!(
                    "{:>4}  user {:<4} {:<6} {:<24} {}\n",
                    t.id,
                    t.user_id,
                    t.scope.as_str(),
                    state,
                    t.name
                ));
            }
            if tokens.is_empty() {
                eprintln!("no tokens");
            }
            print_stdout(out.as_bytes())?;
            Ok(EXIT_OK)
        }
        TokenCommand::Revoke { id } => {
            let before = runtime.block_on(accounts.tokens(None))?;
            let was_revoked = before.iter().any(|t| t.id == id && t.revoked_at.is_some());
            let token = runtime.block_on(accounts.revoke_token(&context, id))?;
            if was_revoked {
                eprintln!("token {} ({}) was already revoked", token.id, token.name);
            } else {
                eprintln!("revoked token {} ({})", token.id, token.name);
            }
            Ok(EXIT_OK)
        }
    };
    runtime.block_on(workspace.close());
    result
}

pub fn run_audit(args: AuditArgs, database: Option<&str>) -> Result<u8> {
    let (runtime, workspace, accounts) = open(database, false)?;
    let filter = AuditFilter {
        actor: args.actor,
        action: args.action,
        object: args.object,
        since: args.since,
        until: args.until,
        limit: Some(args.limit),
    };
    let entries = runtime.block_on(accounts.audit(&filter))?;
    runtime.block_on(workspace.close());
    match args.format {
        AuditFormat::Json => {
            print_stdout(format!("{}\n", serde_json::to_string_pretty(&entries)?).as_bytes())?
        }
        AuditFormat::Csv => print_stdout(to_csv(&entries)?.as_bytes())?,
        AuditFormat::Table => {
            let mut out = String::new();
            for e in &entries {
                out.push_str(&format!(
                    "{}  {:<28} {:<24} {}{}\n",
                    &e.at[..19.min(e.at.len())],
                    printable(&e.actor),
                    printable(&e.action),
                    printable(&e.object),
                    if e.detail.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", printable(&e.detail))
                    }
                ));
            }
            if entries.is_empty() {
                eprintln!("no audit entries match");
            }
            print_stdout(out.as_bytes())?;
        }
    }
    Ok(EXIT_OK)
}

fn user_table(users: &[User]) -> String {
    let mut out = String::new();
    for user in users {
        out.push_str(&format!(
            "{:<36} {:<9} {:<9} {}\n",
            user.email,
            user.role.as_str(),
            if user.is_enabled() {
                "enabled"
            } else {
                "disabled"
            },
            user.name
        ));
    }
    if users.is_empty() {
        out.push_str("no users yet: `rolebook user add EMAIL --role admin`, or the setup link `serve` prints\n");
    }
    out
}

/// A new password: typed twice at a terminal without echo, or the first
/// line of standard input when it is not a terminal (for scripts).
fn read_password(email: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {email}: "))
            .context("cannot read the password")?;
        let again = rpassword::prompt_password("Again: ").context("cannot read the password")?;
        if first != again {
            bail!("the two passwords differ; nothing was changed");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let password = line.trim_end_matches(['\n', '\r']).to_string();
        if password.is_empty() {
            bail!(
                "no password on standard input; give one on its first line, or pass --no-password for a proxy-only user"
            );
        }
        Ok(password)
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_printed_escaped() {
        assert_eq!(printable("user:ana@example.org"), "user:ana@example.org");
        assert_eq!(
            printable("user:x\n99,forged\u{1b}[2K\r"),
            "user:x\\n99,forged\\u{1b}[2K\\r"
        );
    }
}
