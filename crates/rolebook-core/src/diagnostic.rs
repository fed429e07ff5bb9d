//! Problems found in a catalog, each pointing at a file, a place and a fix.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::source::{FileId, Sources};
use crate::text::{printable, printable_same_length};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine name of the check, e.g. `unknown-skill`.
    pub code: &'static str,
    pub message: String,
    /// The file the problem is in; `None` for catalog-wide problems such as a
    /// missing file.
    pub file: Option<FileId>,
    pub span: Range<usize>,
    /// A short label under the offending snippet.
    pub label: Option<String>,
    pub hint: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            span: 0..0,
            label: None,
            hint: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.file = Some(file);
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn related(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The located, serialisable form used by `--format json`.
    pub fn to_report(&self, sources: &Sources) -> DiagnosticReport {
        let location = self.file.map(|file| {
            let source = sources.file(file);
            let (line, column) = source.line_col(self.span.start);
            Location {
                file: source.path.clone(),
                line,
                column,
                snippet: source.line_text(line).to_string(),
            }
        });
        DiagnosticReport {
            severity: self.severity,
            code: self.code,
            message: self.message.clone(),
            location,
            hint: self.hint.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticReport {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub snippet: String,
}

/// The most diagnostics shown to a person at once, everywhere: the rest
/// are counted in one closing line. Past this, a list is not read but
/// scrolled, and an error page or a terminal fills with megabytes.
pub const MAX_REPORTED: usize = 50;

/// The closing line for `hidden` diagnostics not shown, if any.
pub fn and_more(hidden: &[Diagnostic]) -> Option<String> {
    if hidden.is_empty() {
        return None;
    }
    let errors = hidden.iter().filter(|d| d.is_error()).count();
    let warnings = hidden.len() - errors;
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let what = match (errors, warnings) {
        (e, 0) => count(e, "more error", "more errors"),
        (0, w) => count(w, "more warning", "more warnings"),
        (e, w) => format!(
            "{} and {}",
            count(e, "more error", "more errors"),
            count(w, "warning", "warnings")
        ),
    };
    Some(format!("and {what}, not shown"))
}

/// Renders diagnostics the way a compiler does: message, `file:line:column`,
/// the offending line with the span underlined, then the hint. At most
/// [`MAX_REPORTED`] are rendered, then one line counting the rest.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], color: bool) -> String {
    let shown = &diagnostics[..diagnostics.len().min(MAX_REPORTED)];
    let hidden = &diagnostics[shown.len()..];
    let mut files = SimpleFiles::new();
    for (id, _) in sources.iter() {
        // Control bytes in a bad file must not reach the terminal; offsets
        // must still point at the same places.
        let text = printable_same_length(&sources.file(id).text);
        let added = files.add(
            printable(&sources.display_path(id)).into_owned(),
            text.into_owned(),
        );
        debug_assert_eq!(added, id);
    }
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let styles = term::Styles::default();
    let config = term::Config::default();
    for diagnostic in shown {
        let mut cs = match diagnostic.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(diagnostic.code)
        .with_message(printable(&diagnostic.message));
        let mut labels = Vec::new();
        if let Some(file) = diagnostic.file {
            labels.push(
                Label::primary(file, clamp(sources, file, &diagnostic.span))
                    .with_message(printable(diagnostic.label.as_deref().unwrap_or_default())),
            );
        }
        for related in &diagnostic.related {
            labels.push(
                Label::secondary(related.file, clamp(sources, related.file, &related.span))
                    .with_message(printable(&related.message)),
            );
        }
        cs = cs.with_labels(labels);
        if let Some(hint) = &diagnostic.hint {
            cs = cs.with_notes(vec![format!("hint: {}", printable(hint))]);
        }
        // Writing to an in-memory buffer only fails on a span outside its
        // file, which `clamp` rules out; fall back to a plain line regardless.
        let mut writer = term::StylesWriter::new(&mut buffer, &styles);
        if term::emit_to_write_style(&mut writer, &config, &files, &cs).is_err() {
            buffer_plain(&mut buffer, diagnostic);
        }
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    if let Some(line) = and_more(hidden) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn buffer_plain(buffer: &mut termcolor::Buffer, diagnostic: &Diagnostic) {
    use std::io::Write;
    let _ = writeln!(
        buffer,
        "{:?}[{}]: {}",
        diagnostic.severity,
        diagnostic.code,
        printable(&diagnostic.message)
    );
}

/// Where a TOML syntax error is, when the parser gave no place: its
/// nesting limit ("recursion limit", a key of thousands of dotted parts)
/// comes without a span, and 1:1 would send the reader to the wrong line.
/// The culprit is the line that nests deepest (most `.`, `[` and `{`).
pub fn toml_error_span(text: &str, span: Option<Range<usize>>) -> Range<usize> {
    if let Some(span) = span.filter(|s| !s.is_empty() || s.start > 0) {
        return span;
    }
    let mut best = (0, 0..0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let depth = line
            .chars()
            .filter(|c| matches!(c, '.' | '[' | '{'))
            .count();
        if depth > best.0 {
            let end = start + line.trim_end().len();
            best = (
                depth,
                start..end.min(start + line.find(['=', '\n']).unwrap_or(line.len())),
            );
        }
        start += line.len();
    }
    best.1
}

/// Keeps a span inside its file and on character boundaries, whatever a
/// parser reported.
fn clamp(sources: &Sources, file: FileId, span: &Range<usize>) -> Range<usize> {
    let text = &sources.file(file).text;
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
