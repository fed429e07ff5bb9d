//! The `rolebook` command line: validate, lint, list, show, career analysis
//! (diff, next, path, graph, gap, fit), the web app (serve), search, title
//! resolution, exports (export, jd), the static site (build), schema, init
//! and shell completions over the built-in catalog or an organisation's
//! own.

mod build_command;
mod career_commands;
mod cli;
mod commands;
mod export_commands;
mod files;
mod org_commands;
mod output;
mod search_cache;
mod search_commands;
mod user_commands;
mod workspace_commands;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_with_env();
    let outcome = commands::run(cli);
    files::interrupt::wait_if_interrupted();
    match outcome {
        Ok(code) => code,
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = format!("error: {error}");
            for cause in error.chain().skip(1) {
                message.push_str(&format!("\n  caused by: {cause}"));
            }
            // Arguments and file names are echoed in messages: no control
            // character may reach the terminal. Nothing more can be done
            // when stderr itself is gone.
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                rolebook_core::text::printable(&message)
            );
            ExitCode::from(output::EXIT_ERROR)
        }
    }
}
