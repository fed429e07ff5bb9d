//! The CSV reader of `resolve --csv` on arbitrary bytes: it either reads
//! every row or stops with a located error, never loops or panics, and
//! rows come in line order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook_search::csv_rows::{CsvRows, Row};

fuzz_target!(|data: &[u8]| {
    let mut reader = CsvRows::new(data);
    let mut row = Row::default();
    let mut last_line = 0;
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    while let Ok(true) = reader.read_row(&mut row) {
        assert!(row.line > last_line, "rows out of order");
        assert!(row.line <= lines, "line {} of {lines}", row.line);
        last_line = row.line;
        assert!(!row.fields.is_empty());
    }
    assert!(reader.bytes_read() <= data.len() as u64);
});
