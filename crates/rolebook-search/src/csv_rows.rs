//! A CSV reader that keeps every row where it was: RFC 4180 fields (quoted
//! with `""` inside), `\n` or `\r\n` line ends, and each row's line as a
//! person counts it.
//!
//! The csv crate reads most files well but is wrong for a tool whose output
//! rows must line up with its input: it skips blank lines, accepts a quote
//! that never closes (the rest of the file becomes one field) and counts
//! lines of short rows one too low on CRLF files. Here a blank line is a
//! row, an unterminated quote is an error at the line it opened, and text
//! after a closing quote is an error at its place.

use std::io::{self, BufRead};

/// One row: its fields (bytes, as written once unquoted) and the line it
/// starts on (1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<Vec<u8>>,
}

impl Row {
    /// A blank line: one empty field.
    pub fn is_blank(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("line {line}: a quote opened here is never closed")]
    UnterminatedQuote { line: u64 },
    #[error(
        "line {line}, column {column}: text after a closing quote; write a quote inside a quoted field as two quotes (\"\")"
    )]
    TextAfterQuote { line: u64, column: u64 },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Rows from a buffered input, one at a time into a reused [`Row`].
#[derive(Debug)]
pub struct CsvRows<R> {
    input: R,
    /// The line the next row starts on.
    line: u64,
    bytes: u64,
    started: bool,
    text: Vec<u8>,
}

impl<R: BufRead> CsvRows<R> {
    pub fn new(input: R) -> Self {
        CsvRows {
            input,
            line: 1,
            bytes: 0,
            started: false,
            text: Vec::new(),
        }
    }

    /// Bytes consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Reads the next row into `row`; `false` at the end of the input.
    pub fn read_row(&mut self, row: &mut Row) -> Result<bool, CsvError> {
        // A physical line may not be the whole row (a quoted field can hold
        // line breaks), so lines are read until the quotes balance.
        self.text.clear();
        let start_line = self.line;
        let mut quoted = false;
        loop {
            let before = self.text.len();
            let n = self.input.read_until(b'\n', &mut self.text)?;
            self.bytes += n as u64;
            if n == 0 {
                if self.text.is_empty() {
                    return Ok(false);
                }
                if quoted {
                    return Err(CsvError::UnterminatedQuote {
                        line: self.quote_line(start_line),
                    });
                }
                break;
            }
            if self.text.ends_with(b"\n") {
                self.line += 1;
            }
            quoted ^= self.text[before..].iter().filter(|&&b| b == b'"').count() % 2 == 1;
            if !quoted {
                break;
            }
        }
        if !self.started {
            self.started = true;
            // A byte-order mark (Excel's "CSV UTF-8") is not part of the
            // first header.
            if self.text.starts_with(b"\xEF\xBB\xBF") {
                self.text.drain(..3);
            }
        }
        let mut end = self.text.len();
        if self.text[..end].ends_with(b"\n") {
            end -= 1;
            if self.text[..end].ends_with(b"\r") {
                end -= 1;
            }
        }
        row.line = start_line;
        split_fields(&self.text[..end], start_line, &mut row.fields)?;
        Ok(true)
    }

    /// The line of the quote left open in the text read for a row.
    fn quote_line(&self, start_line: u64) -> u64 {
        let mut line = start_line;
        let mut open_line = start_line;
        let mut quoted = false;
        for &b in &self.text {
            match b {
                b'"' => {
                    quoted = !quoted;
                    if quoted {
                        open_line = line;
                    }
                }
                b'\n' => line += 1,
                _ => {}
            }
        }
        open_line
    }
}

/// Splits one row's text (quotes balanced, line end removed) into fields.
fn split_fields(text: &[u8], line: u64, fields: &mut Vec<Vec<u8>>) -> Result<(), CsvError> {
    fields.clear();
    let mut field = Vec::new();
    let mut i = 0;
    // Line and column of `i`, for errors after a multi-line field.
    let mut at_line = line;
    let mut line_start = 0;
    loop {
        if text.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match text.get(i) {
                    Some(b'"') if text.get(i + 1) == Some(&b'"') => {
                        field.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&b) => {
                        if b == b'\n' {
                            at_line += 1;
                            line_start = i + 1;
                        }
                        field.push(b);
                        i += 1;
                    }
                    // Balanced by the caller; kept for safety.
                    None => return Err(CsvError::UnterminatedQuote { line }),
                }
            }
            match text.get(i) {
                None | Some(b',') => {}
                Some(_) => {
                    let column = String::from_utf8_lossy(&text[line_start..i])
                        .chars()
                        .count();
                    return Err(CsvError::TextAfterQuote {
                        line: at_line,
                        column: column as u64 + 1,
                    });
                }
            }
        } else {
            let end = text[i..]
                .iter()
                .position(|&b| b == b',')
                .map_or(text.len(), |p| i + p);
            field.extend_from_slice(&text[i..end]);
            i = end;
        }
        fields.push(std::mem::take(&mut field));
        if i >= text.len() {
            return Ok(());
        }
        // At a comma: the next field starts after it.
        i += 1;
        if i == text.len() {
            fields.push(Vec::new());
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rows(text: &str) -> Result<Vec<(u64, Vec<String>)>, String> {
        let mut reader = CsvRows::new(text.as_bytes());
        let mut row = Row::default();
        let mut out = Vec::new();
        loop {
            match reader.read_row(&mut row) {
                Ok(true) => out.push((
                    row.line,
                    row.fields
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                )),
                Ok(false) => return Ok(out),
                Err(error) => return Err(error.to_string()),
            }
        }
    }

    fn row(line: u64, fields: &[&str]) -> (u64, Vec<String>) {
        (line, fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            rows("title,note\r\n\"VP, Eng\",\"says \"\"hi\"\"\"\r\n\"two\nlines\",x\r\nlast,\r\n"),
            Ok(vec![
                row(1, &["title", "note"]),
                row(2, &["VP, Eng", "says \"hi\""]),
                row(3, &["two\nlines", "x"]),
                row(5, &["last", ""]),
            ])
        );
    }

    #[test]
    fn blank_lines_are_rows_and_lines_are_counted_on_crlf_files() {
        assert_eq!(
            rows("title\r\nCTO\r\n\r\nCISO"),
            Ok(vec![
                row(1, &["title"]),
                row(2, &["CTO"]),
                row(3, &[""]),
                row(4, &["CISO"]),
            ])
        );
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_the_line_it_opened() {
        assert_eq!(
            rows("title\n\"unterminated\nSRE Manager\n"),
            Err("line 2: a quote opened here is never closed".to_string())
        );
        assert_eq!(
            rows("a,b\nx,\"ok\"\n\"fine\"\"\n"),
            Err("line 3: a quote opened here is never closed".to_string())
        );
    }

    #[test]
    fn text_after_a_closing_quote_is_located() {
        assert_eq!(
            rows("title\n\"VP\" Eng,x\n"),
            Err("line 2, column 5: text after a closing quote; write a quote inside a quoted field as two quotes (\"\")".to_string())
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_header() {
        assert_eq!(
            rows("\u{feff}title\nCTO\n"),
            Ok(vec![row(1, &["title"]), row(2, &["CTO"])])
        );
    }

    proptest! {
        /// Any table written by the csv crate reads back row for row, blank
        /// rows included, on the lines they were written.
        #[test]
        fn written_tables_read_back_exactly(
            table in proptest::collection::vec(proptest::collection::vec("[a-z\",\n\r ]{0,6}", 1..4), 0..8),
            crlf in any::<bool>(),
        ) {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            for fields in &table {
                writer.write_record(fields).expect("written");
            }
            let bytes = writer.into_inner().expect("flushed");
            let text = String::from_utf8(bytes).expect("utf-8");
            let read = rows(&text).expect("reads");
            let fields: Vec<Vec<String>> = read.iter().map(|(_, f)| f.clone()).collect();
            // csv writes a lone empty field as `""`; it reads back as one
            // empty field either way.
            prop_assert_eq!(fields, table.clone());
            let lines: Vec<u64> = read.iter().map(|(l, _)| *l).collect();
            let mut expected = Vec::new();
            let mut line = 1;
            for fields in &table {
                expected.push(line);
                line += fields.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>() + 1;
            }
            prop_assert_eq!(lines, expected);
        }
    }
}
