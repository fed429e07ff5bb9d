//! Batch title resolution: a CSV file in, the same rows out with the
//! resolution appended, as a stream.
//!
//! Rows are read, resolved and written one at a time into a reused record,
//! so memory stays flat whatever the file's size (a million rows run in
//! the same few megabytes as ten). Every input column is passed through
//! byte for byte; a title that is not valid UTF-8 is resolved from its
//! lossy decoding. Every row comes out, blank ones too, so output rows line
//! up with input rows ([`crate::csv_rows`]); a malformed row stops the run
//! with its line number.

use std::io::{Read, Write};

use serde::Serialize;

use crate::csv_rows::{CsvError, CsvRows, Row};
use crate::resolve::{MAX_TITLE_CHARS, MatchStatus, Resolution, TitleResolver};

/// The columns appended to every row.
pub const OUTPUT_COLUMNS: [&str; 9] = [
    "role_id",
    "role_title",
    "confidence",
    "status",
    "ambiguous",
    "candidates",
    "runner_up",
    "runner_up_confidence",
    "explanation",
];

/// Header names taken as the title column when none is named, in order.
const TITLE_HEADERS: [&str; 6] = [
    "title",
    "job title",
    "job_title",
    "jobtitle",
    "position title",
    "position",
];

/// How often, in rows, progress is reported.
const PROGRESS_EVERY: u64 = 4096;

/// The output format of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchFormat {
    /// The input columns, then [`OUTPUT_COLUMNS`].
    #[default]
    Csv,
    /// One JSON object per row and line.
    JsonLines,
}

#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// The title column: a header name, or a 1-based number. Default: a
    /// column named like a title ("title", "job title", …), or the only
    /// column.
    pub column: Option<String>,
    /// Whether the first row is data rather than a header.
    pub no_header: bool,
    pub format: BatchFormat,
}

/// Rows and bytes read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub rows: u64,
    pub bytes: u64,
}

/// What a finished batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct BatchSummary {
    pub rows: u64,
    /// Exact, match or nearby.
    pub resolved: u64,
    pub ambiguous: u64,
    pub no_match: u64,
    /// Rows whose title cell was empty.
    pub empty: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("the file is empty: it has no header row")]
    NoHeader,
    #[error("no column `{column}`; the columns are {available}")]
    MissingColumn { column: String, available: String },
    #[error("no title column: name it with --column (the columns are {available})")]
    NoTitleColumn { available: String },
    #[error("line {line}: {message}")]
    Row { line: u64, message: String },
    #[error("cannot write the output: {0}")]
    Write(#[source] std::io::Error),
    #[error("cannot read the input: {0}")]
    Read(#[source] std::io::Error),
}

impl From<CsvError> for BatchError {
    fn from(error: CsvError) -> Self {
        match error {
            CsvError::Io(io) => BatchError::Read(io),
            CsvError::UnterminatedQuote { line } => BatchError::Row {
                line,
                message: "a quote opened here is never closed".to_string(),
            },
            CsvError::TextAfterQuote { line, column } => BatchError::Row {
                line,
                message: format!(
                    "column {column}: text after a closing quote; write a quote inside a quoted field as two quotes (\"\")"
                ),
            },
        }
    }
}

fn write_error(error: csv::Error) -> BatchError {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(io) => BatchError::Write(io),
        _ => BatchError::Write(std::io::Error::other(message)),
    }
}

fn choose_column(
    headers: &[String],
    wanted: Option<&str>,
    no_header: bool,
) -> Result<usize, BatchError> {
    let available = || {
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if no_header {
                    format!("{}", i + 1)
                } else {
                    format!("`{h}`")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = wanted {
        if !no_header && let Some(i) = headers.iter().position(|h| h.trim() == wanted.trim()) {
            return Ok(i);
        }
        if let Ok(n) = wanted.trim().parse::<usize>()
            && (1..=headers.len()).contains(&n)
        {
            return Ok(n - 1);
        }
        if !no_header
            && let Some(i) = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(wanted.trim()))
        {
            return Ok(i);
        }
        return Err(BatchError::MissingColumn {
            column: wanted.to_string(),
            available: available(),
        });
    }
    if headers.len() == 1 {
        return Ok(0);
    }
    if !no_header {
        for name in TITLE_HEADERS {
            if let Some(i) = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
            {
                return Ok(i);
            }
        }
    }
    Err(BatchError::NoTitleColumn {
        available: available(),
    })
}

/// The appended columns' names, prefixed with `rolebook_` when the input
/// already has a column of that name.
fn output_names(headers: &[String]) -> Vec<String> {
    let clash = OUTPUT_COLUMNS
        .iter()
        .any(|c| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(c)));
    OUTPUT_COLUMNS
        .iter()
        .map(|c| {
            if clash {
                format!("rolebook_{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One row's resolution in the output's terms.
struct Cells {
    role_id: String,
    role_title: String,
    confidence: String,
    status: &'static str,
    ambiguous: &'static str,
    candidates: String,
    runner_up: String,
    runner_up_confidence: String,
    explanation: String,
}

fn cells(resolution: &Resolution) -> Cells {
    let (role_id, role_title) = resolution
        .role
        .as_ref()
        .map_or((String::new(), String::new()), |c| {
            (c.role_id.clone(), c.title.clone())
        });
    let (runner_up, runner_up_confidence) = match (&resolution.runner_up, resolution.status) {
        (Some(c), _) => (c.role_id.clone(), format!("{:.2}", c.confidence)),
        // With no answer, the nearest role is still worth a look.
        (None, MatchStatus::None) => resolution
            .candidates
            .first()
            .map_or((String::new(), String::new()), |c| {
                (c.role_id.clone(), format!("{:.2}", c.confidence))
            }),
        _ => (String::new(), String::new()),
    };
    Cells {
        role_id,
        role_title,
        confidence: format!("{:.2}", resolution.confidence),
        status: resolution.status.label(),
        ambiguous: if resolution.ambiguous {
            "true"
        } else {
            "false"
        },
        candidates: if resolution.status == MatchStatus::Ambiguous {
            resolution
                .candidates
                .iter()
                .map(|c| c.role_id.as_str())
                .collect::<Vec<_>>()
                .join("|")
        } else {
            String::new()
        },
        runner_up,
        runner_up_confidence,
        explanation: resolution.explanation.summary(),
    }
}

fn empty_cells(reason: &str) -> Cells {
    Cells {
        role_id: String::new(),
        role_title: String::new(),
        confidence: "0.00".to_string(),
        status: MatchStatus::None.label(),
        ambiguous: "false",
        candidates: String::new(),
        runner_up: String::new(),
        runner_up_confidence: String::new(),
        explanation: reason.to_string(),
    }
}

#[derive(Serialize)]
struct JsonRow<'a, S> {
    line: u64,
    fields: serde_json::Map<String, serde_json::Value>,
    /// The title, when it was not resolved (a resolution carries its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(flatten)]
    resolution: Option<S>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'a str>,
}

/// Resolves the title column of every row of `input`, writing the rows
/// with the resolution to `output`, one output row per input row: a blank
/// line is a row with an empty title, and a malformed row (an unclosed
/// quote, a row wider or narrower than the header) stops the run with its
/// line. `progress` is called every few thousand rows and once at the end.
pub fn resolve_csv<R: Read, W: Write>(
    resolver: &TitleResolver,
    input: R,
    output: W,
    options: &BatchOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BatchSummary, BatchError> {
    resolve_csv_as(
        resolver,
        input,
        output,
        options,
        Resolution::clone,
        progress,
    )
}

/// [`resolve_csv`], with `shape` giving each resolution's JSON in
/// [`BatchFormat::JsonLines`] rows: the CLI passes the API's
/// (`rolebook-wire`), so that a row and `GET /api/v1/resolve` agree.
pub fn resolve_csv_as<R: Read, W: Write, S: Serialize>(
    resolver: &TitleResolver,
    input: R,
    output: W,
    options: &BatchOptions,
    shape: impl Fn(&Resolution) -> S,
    progress: &mut dyn FnMut(Progress),
) -> Result<BatchSummary, BatchError> {
    let mut reader = CsvRows::new(std::io::BufReader::with_capacity(1 << 16, input));
    let mut record = Row::default();
    if !reader.read_row(&mut record)? {
        return match options.no_header {
            true => Ok(BatchSummary::default()),
            false => Err(BatchError::NoHeader),
        };
    }
    // Without a header the first row fixes the width; it is data.
    let header_fields = record.fields.clone();
    let headers: Vec<String> = if options.no_header {
        (1..=header_fields.len())
            .map(|i| format!("column{i}"))
            .collect()
    } else {
        header_fields
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect()
    };
    let column = choose_column(&headers, options.column.as_deref(), options.no_header)?;
    let names = output_names(&headers);
    let width = headers.len();
    let mut summary = BatchSummary::default();
    let mut rows = DataRows {
        reader,
        pending: options.no_header,
        width,
    };
    match options.format {
        BatchFormat::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .flexible(false)
                .from_writer(output);
            if !options.no_header {
                let mut header: Vec<&[u8]> = header_fields.iter().map(Vec::as_slice).collect();
                header.extend(names.iter().map(|n| n.as_bytes()));
                writer.write_record(&header).map_err(write_error)?;
            }
            while rows.next(&mut record)? {
                let title = String::from_utf8_lossy(&record.fields[column]);
                let row = resolve_row(resolver, &title, &mut summary);
                let cells = match &row {
                    Ok(resolution) => cells(resolution),
                    Err(reason) => empty_cells(reason),
                };
                for field in &record.fields {
                    writer.write_field(field).map_err(write_error)?;
                }
                for value in [
                    cells.role_id.as_str(),
                    &cells.role_title,
                    &cells.confidence,
                    cells.status,
                    cells.ambiguous,
                    &cells.candidates,
                    &cells.runner_up,
                    &cells.runner_up_confidence,
                    &cells.explanation,
                ] {
                    writer.write_field(value).map_err(write_error)?;
                }
                writer.write_record(None::<&[u8]>).map_err(write_error)?;
                tick(&summary, &rows, progress);
            }
            writer.flush().map_err(BatchError::Write)?;
        }
        BatchFormat::JsonLines => {
            let mut out = std::io::BufWriter::new(output);
            while rows.next(&mut record)? {
                let line = record.line;
                let title = String::from_utf8_lossy(&record.fields[column]);
                let row = resolve_row(resolver, &title, &mut summary);
                let fields = headers
                    .iter()
                    .zip(record.fields.iter())
                    .map(|(h, v)| {
                        (
                            h.clone(),
                            serde_json::Value::String(String::from_utf8_lossy(v).into_owned()),
                        )
                    })
                    .collect();
                let json = JsonRow {
                    line,
                    fields,
                    title: row.is_err().then_some(title.as_ref()),
                    resolution: row.as_ref().ok().map(&shape),
                    skipped: row.as_ref().err().map(String::as_str),
                };
                serde_json::to_writer(&mut out, &json)
                    .map_err(|e| BatchError::Write(std::io::Error::other(e)))?;
                out.write_all(b"\n").map_err(BatchError::Write)?;
                tick(&summary, &rows, progress);
            }
            out.flush().map_err(BatchError::Write)?;
        }
    }
    progress(Progress {
        rows: summary.rows,
        bytes: rows.reader.bytes_read(),
    });
    Ok(summary)
}

/// The data rows of a batch, each checked against the header's width.
struct DataRows<R> {
    reader: CsvRows<R>,
    /// Whether `record` already holds the first data row (no header).
    pending: bool,
    width: usize,
}

impl<R: std::io::BufRead> DataRows<R> {
    /// The next data row into `record`; `false` at the end.
    fn next(&mut self, record: &mut Row) -> Result<bool, BatchError> {
        if !std::mem::take(&mut self.pending) && !self.reader.read_row(record)? {
            return Ok(false);
        }
        if record.is_blank() {
            // A blank line keeps its place: an empty row as wide as the
            // header.
            record.fields.resize(self.width, Vec::new());
        } else if record.fields.len() != self.width {
            return Err(BatchError::Row {
                line: record.line,
                message: format!(
                    "{} {}, but the header has {}",
                    record.fields.len(),
                    if record.fields.len() == 1 {
                        "field"
                    } else {
                        "fields"
                    },
                    self.width
                ),
            });
        }
        Ok(true)
    }
}

fn tick<R: std::io::BufRead>(
    summary: &BatchSummary,
    rows: &DataRows<R>,
    progress: &mut dyn FnMut(Progress),
) {
    if summary.rows.is_multiple_of(PROGRESS_EVERY) {
        progress(Progress {
            rows: summary.rows,
            bytes: rows.reader.bytes_read(),
        });
    }
}

/// Resolves one cell, counting the outcome; an empty or overlong cell is
/// reported, not resolved.
fn resolve_row(
    resolver: &TitleResolver,
    title: &str,
    summary: &mut BatchSummary,
) -> Result<Resolution, String> {
    summary.rows += 1;
    if title.trim().is_empty() {
        summary.empty += 1;
        summary.no_match += 1;
        return Err("empty title".to_string());
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        summary.no_match += 1;
        return Err(format!(
            "title longer than {MAX_TITLE_CHARS} characters; not resolved"
        ));
    }
    let resolution = resolver.resolve_title(title);
    match resolution.status {
        MatchStatus::Ambiguous => summary.ambiguous += 1,
        MatchStatus::None => summary.no_match += 1,
        _ => summary.resolved += 1,
    }
    Ok(resolution)
}
