//! Exit codes, colour decisions, standard output and diagnostic printing
//! shared by commands.

use std::io::{IsTerminal, Write};

use anyhow::Context;

use rolebook_core::diagnostic::{self, DiagnosticReport};
use rolebook_core::{Diagnostic, Sources};

use crate::cli::{ColorChoice, ReportFormat};

/// Success: nothing to report.
pub const EXIT_OK: u8 = 0;
/// The command ran and found problems in the catalog.
pub const EXIT_FINDINGS: u8 = 1;
/// The command could not do its job (bad input, missing file, I/O).
pub const EXIT_ERROR: u8 = 2;

/// Colour only on a terminal, and never when NO_COLOR is set and non-empty.
pub fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes to stdout. Every failure is returned (a full disk is an error);
/// a reader that stopped early (`| head`) is told apart once, in `main`
/// ([`is_broken_pipe`]).
pub fn print_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Whether a command failed only because whoever read its output went
/// away (`rolebook list | head -1`): like `ls | head`, that is not an
/// error worth a message.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn stderr_color(choice: ColorChoice) -> bool {
    use_color(choice, std::io::stderr().is_terminal())
}

/// Prints diagnostics: rendered for people on stderr, or JSON on stdout.
pub fn print_diagnostics(
    sources: &Sources,
    diagnostics: &[Diagnostic],
    format: ReportFormat,
    color: ColorChoice,
) {
    match format {
        ReportFormat::Text => {
            if !diagnostics.is_empty() {
                eprint!(
                    "{}",
                    diagnostic::render(sources, diagnostics, stderr_color(color))
                );
            }
        }
        ReportFormat::Json => {
            let reports: Vec<DiagnosticReport> =
                diagnostics.iter().map(|d| d.to_report(sources)).collect();
            let json = serde_json::to_string_pretty(&reports).unwrap_or_else(|_| "[]".to_string());
            // A report nobody reads (closed pipe, full disk) is not worth
            // a second error on top of the diagnostics' own exit code.
            let _ = print_stdout(format!("{json}\n").as_bytes());
        }
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
