//! An HRIS export as a table: a header and rows of text cells, from CSV
//! (any of the separators exports use) or from one sheet of an XLSX
//! workbook. The kind of file is read from its first bytes, not from its
//! name, so a workbook saved as `.csv` still reads.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// How to read the file.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// For a workbook: the sheet to read (by name); the first by default.
    pub sheet: Option<String>,
}

/// A file that cannot be read as a table at all. Problems with single
/// rows are not errors: they are reported per row by the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header and no rows: there are no people in it")]
    HeaderOnly,
    #[error(
        "the file is not text: byte {byte:#04x} at offset {offset} (line {line}); an HRIS export is CSV or XLSX"
    )]
    Binary {
        offset: usize,
        line: usize,
        byte: u8,
    },
    #[error(
        "the file is not UTF-8 text: invalid bytes at offset {offset} (line {line}); save the export as UTF-8 CSV"
    )]
    NotUtf8 { offset: usize, line: usize },
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error(
        "line {line}, column {column}: a quote opens here and is never closed, so the rest of the file would be one cell; close it or remove it"
    )]
    UnclosedQuote { line: u64, column: usize },
    #[error("sheet {sheet:?} has a header and no rows: there are no people in it{}", others_hint(.others))]
    SheetHeaderOnly { sheet: String, others: Vec<String> },
    #[error("sheet {sheet:?} is empty{}", others_hint(.others))]
    SheetEmpty { sheet: String, others: Vec<String> },
    #[error("the file is over {} MB; an export of a million people is about 150 MB", MAX_BYTES >> 20)]
    TooLarge,
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("the workbook has no sheet named {wanted:?}; its sheets are: {}", .found.join(", "))]
    NoSuchSheet { wanted: String, found: Vec<String> },
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error("--sheet is for XLSX workbooks; this file is CSV")]
    SheetOnCsv,
}

/// The largest file read: far above any organisation's export, far below
/// what would exhaust memory.
pub const MAX_BYTES: u64 = 1 << 30;

fn others_hint(others: &[String]) -> String {
    if others.is_empty() {
        String::new()
    } else {
        format!(
            "; the workbook's other sheets are {}: choose one with --sheet",
            others.join(", ")
        )
    }
}

/// A table read from a file. Cells are kept as text, exactly as written
/// (trimmed); numbers from a workbook are written as a person would read
/// them (`1042`, not `1042.0`) and dates as `YYYY-MM-DD`.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    Csv { separator: u8 },
    Xlsx,
}

impl TableKind {
    pub fn describe(self) -> String {
        match self {
            TableKind::Csv { separator } => {
                let name = match separator {
                    b',' => "comma",
                    b';' => "semicolon",
                    b'\t' => "tab",
                    b'|' => "pipe",
                    _ => "other",
                };
                format!("CSV, {name}-separated")
            }
            TableKind::Xlsx => "XLSX workbook".to_owned(),
        }
    }
}

/// One row: where it is in the file and the cells of the columns asked
/// for, in the order asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The line (CSV) or sheet row (XLSX) a person would look at, from 1.
    pub line: u64,
    /// How many cells the row has, to report short rows.
    pub width: usize,
    pub cells: Vec<String>,
}

/// How much of a file is looked at to tell text from binary.
pub const PROBE_BYTES: usize = 64 * 1024;

/// The first bytes of a ZIP archive, which an XLSX workbook is.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads `bytes` as a table, keeping only the columns at `wanted`
/// (indexes into the header, which `choose` picks once the header is
/// known). Other columns are parsed past but never copied.
pub fn read(
    bytes: &[u8],
    options: &TableOptions,
    choose: &mut dyn FnMut(&[String]) -> Vec<usize>,
) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return read_xlsx(bytes, options, choose);
    }
    if options.sheet.is_some() {
        return Err(TableError::SheetOnCsv);
    }
    read_csv(bytes, choose)
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

fn read_csv(
    bytes: &[u8],
    choose: &mut dyn FnMut(&[String]) -> Vec<usize>,
) -> Result<Table, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A NUL never appears in a text export; one near the start means a
    // binary file with the wrong name. (Other control characters are a
    // bad cell, reported with its row.)
    let probe = &bytes[..bytes.len().min(PROBE_BYTES)];
    if let Some(offset) = probe.iter().position(|&b| b == 0) {
        return Err(TableError::Binary {
            offset,
            line: line_at(bytes, offset),
            byte: bytes[offset],
        });
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        let offset = error.valid_up_to();
        return Err(TableError::NotUtf8 {
            offset,
            line: line_at(bytes, offset),
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TableError::Empty);
    }
    let separator = sniff_separator(bytes);
    if let Some((line, column)) = unclosed_quote(bytes, separator) {
        return Err(TableError::UnclosedQuote { line, column });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let csv_error = |error: csv::Error| {
        let line = error.position().map_or(0, |p| {
            line_at(bytes, (p.byte() as usize).min(bytes.len())) as u64
        });
        let message = match error.kind() {
            csv::ErrorKind::Utf8 { err, .. } => {
                format!("invalid UTF-8 in field {}", err.field() + 1)
            }
            _ => error.to_string(),
        };
        TableError::Csv { line, message }
    };
    if !reader.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(TableError::Empty);
    }
    let header: Vec<String> = record.iter().map(|cell| text(cell).to_owned()).collect();
    let wanted = choose(&header);
    let mut rows = Vec::new();
    // Lines are counted from byte offsets: the reader's own count treats a
    // CRLF export's line ends differently from a person's editor.
    let mut counted = (0usize, 1u64);
    let mut line_of = |offset: usize| {
        let (from, line) = counted;
        // The reader may place a record at the `\n` of the CRLF before it.
        let mut offset = offset.clamp(from, bytes.len());
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        let line = line + bytes[from..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        counted = (offset, line);
        line
    };
    loop {
        if !reader.read_byte_record(&mut record).map_err(csv_error)? {
            break;
        }
        // A row of empty cells (`,,,`) is spacing, not a person.
        if record.iter().all(|cell| text(cell).is_empty()) {
            continue;
        }
        let line = line_of(record.position().map_or(0, |p| p.byte() as usize));
        rows.push(TableRow {
            line,
            width: record.len(),
            cells: wanted
                .iter()
                .map(|&i| {
                    record
                        .get(i)
                        .map(|cell| text(cell).to_owned())
                        .unwrap_or_default()
                })
                .collect(),
        });
    }
    if rows.is_empty() {
        return Err(TableError::HeaderOnly);
    }
    Ok(Table {
        kind: TableKind::Csv { separator },
        header,
        rows,
    })
}

fn text(cell: &[u8]) -> &str {
    // Checked as UTF-8 as a whole before reading.
    std::str::from_utf8(cell).unwrap_or("").trim()
}

/// Where a quote opens that no later quote closes, as (line, column
/// number): the CSV reader would read the rest of the file into that one
/// cell.
pub(crate) fn unclosed_quote(bytes: &[u8], separator: u8) -> Option<(u64, usize)> {
    let mut quoted = false;
    let mut line = 1u64;
    let mut column = 1usize;
    let mut opened = (0u64, 0usize);
    let mut at_cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if quoted {
            match b {
                // `""` inside quotes is a quote character, not the end.
                b'"' if bytes.get(i) == Some(&b'"') => i += 1,
                b'"' => quoted = false,
                b'\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' if at_cell_start => {
                quoted = true;
                opened = (line, column);
            }
            b'\n' => {
                line += 1;
                column = 1;
                at_cell_start = true;
                continue;
            }
            _ if b == separator => {
                column += 1;
                at_cell_start = true;
                continue;
            }
            _ => {}
        }
        at_cell_start = false;
    }
    quoted.then_some(opened)
}

/// The separator of the header line: whichever of comma, semicolon, tab
/// and pipe occurs most often outside quotes (a European Excel writes
/// semicolons). Comma on a tie.
pub(crate) fn sniff_separator(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..candidates.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

fn read_xlsx(
    bytes: &[u8],
    options: &TableOptions,
    choose: &mut dyn FnMut(&[String]) -> Vec<usize>,
) -> Result<Table, TableError> {
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Workbook(e.to_string()))?;
    let names = workbook.sheet_names();
    let name = match &options.sheet {
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| TableError::NoSuchSheet {
                wanted: wanted.clone(),
                found: names.clone(),
            })?,
        None => names.first().cloned().ok_or(TableError::NoSheets)?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| TableError::Workbook(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows_iter = range.rows().enumerate();
    // Leading blank rows above the header are common in report exports.
    let others: Vec<String> = names.iter().filter(|n| **n != name).cloned().collect();
    let header = loop {
        let Some((_, cells)) = rows_iter.next() else {
            return Err(TableError::SheetEmpty {
                sheet: name,
                others,
            });
        };
        if cells.iter().any(|c| !cell_text(c).is_empty()) {
            break cells.iter().map(cell_text).collect::<Vec<_>>();
        }
    };
    // Cells left of the used range are empty columns; keep the header's
    // column numbers as the sheet's own.
    let offset = first_col as usize;
    let header: Vec<String> = std::iter::repeat_n(String::new(), offset)
        .chain(header)
        .collect();
    let wanted = choose(&header);
    let mut rows = Vec::new();
    for (index, cells) in rows_iter {
        if cells.iter().all(|c| cell_text(c).is_empty()) {
            continue;
        }
        rows.push(TableRow {
            line: u64::from(first_row) + index as u64 + 1,
            width: offset + cells.len(),
            cells: wanted
                .iter()
                .map(|&i| {
                    i.checked_sub(offset)
                        .and_then(|i| cells.get(i))
                        .map(cell_text)
                        .unwrap_or_default()
                })
                .collect(),
        });
    }
    if rows.is_empty() {
        return Err(TableError::SheetHeaderOnly {
            sheet: name,
            others,
        });
    }
    Ok(Table {
        kind: TableKind::Xlsx,
        header,
        rows,
    })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A column as a person finds it in a spreadsheet: `C ("Job Title")`.
pub fn column_label(index: usize, name: &str) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    let letters = String::from_utf8(letters).unwrap_or_default();
    if name.is_empty() {
        letters
    } else {
        format!("{letters} (\"{name}\")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(header: &[String]) -> Vec<usize> {
        (0..header.len()).collect()
    }

    fn read_all(bytes: &[u8]) -> Result<Table, TableError> {
        read(bytes, &TableOptions::default(), &mut all)
    }

    #[test]
    fn semicolons_bom_and_crlf() {
        let table = read_all(b"\xEF\xBB\xBFid;title\r\n1;CTO\r\n2;\"VP; Eng\"\r\n").expect("works");
        assert_eq!(table.kind, TableKind::Csv { separator: b';' });
        assert_eq!(table.header, ["id", "title"]);
        assert_eq!(table.rows[1].cells, ["2", "VP; Eng"]);
        assert_eq!(table.rows[1].line, 3);
    }

    #[test]
    fn a_quoted_line_break_keeps_the_row_and_its_line() {
        let table = read_all(b"id,title\n1,\"Head of\nIT\"\n2,CTO\n").expect("works");
        assert_eq!(table.rows[0].cells, ["1", "Head of\nIT"]);
        assert_eq!(table.rows[1].line, 4);
    }

    #[test]
    fn empty_header_only_and_binary_files_are_told_apart() {
        assert_eq!(read_all(b"").expect_err("fails"), TableError::Empty);
        assert_eq!(read_all(b"\n\n").expect_err("fails"), TableError::Empty);
        assert_eq!(
            read_all(b"id,title\n").expect_err("fails"),
            TableError::HeaderOnly
        );
        assert_eq!(
            read_all(b"id,title\n,\n").expect_err("fails"),
            TableError::HeaderOnly
        );
        assert!(matches!(
            read_all(b"id\n\x00\x01\x02").expect_err("fails"),
            TableError::Binary { line: 2, .. }
        ));
        assert!(matches!(
            read_all(b"id\nJos\xe9\n").expect_err("fails"),
            TableError::NotUtf8 { line: 2, .. }
        ));
        assert!(matches!(
            read_all(b"PK\x03\x04garbage").expect_err("fails"),
            TableError::Workbook(_)
        ));
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let error = read_all(b"id,name,title\n1,\"Ann \"\"A\"\" B\",CTO\n2,\"Bo,VP\n3,Cy,CTO\n")
            .expect_err("fails");
        assert_eq!(error, TableError::UnclosedQuote { line: 3, column: 2 });
        // Control characters other than NUL are a cell's problem, not the file's.
        assert!(read_all(b"id,title\n1,\x1b[31mCTO\n").is_ok());
    }

    #[test]
    fn column_labels_read_like_a_spreadsheet() {
        assert_eq!(column_label(0, ""), "A");
        assert_eq!(column_label(27, "Job Title"), "AB (\"Job Title\")");
    }
}
