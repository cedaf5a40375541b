//! A spreadsheet as text, whichever file it came from (CSV or an XLSX worksheet): its heading and
//! rows with their row numbers, how a column is named to the person who made the file, and the
//! one error an import gives. Both readers and the import use it; it uses neither.

use crate::error::AppError;
use xinqiao_domain::FieldError;

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// A spreadsheet read into text: its heading and data rows, each with its row number.
#[derive(Debug, Default)]
pub struct Table {
    /// The heading's row number (1 for a CSV; the first non-empty row of a worksheet).
    pub heading_line: usize,
    pub heading: Vec<String>,
    /// For a worksheet: the 0-based column of the first cell, so columns can be named by letter.
    pub first_column: Option<usize>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Default)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// Cells that could not be read (a formula error), by position, with why.
    pub broken: Vec<(usize, String)>,
    /// Why the whole row could not be read (a CSV row with unbalanced quotes).
    pub unreadable: Option<String>,
}

impl Table {
    /// Where a column is, as the person who made the file names it: “数量”列 (and its letter in a
    /// worksheet: F列“数量”).
    pub(super) fn place(&self, i: usize, name: &str) -> String {
        match self.first_column {
            Some(first) => format!("{}列“{name}”", column_letters(first + i)),
            None => format!("“{name}”列"),
        }
    }

    pub(super) fn heading_place(&self, i: usize) -> String {
        match self.first_column {
            Some(first) => format!("第{}行 {}列", self.heading_line, column_letters(first + i)),
            None => format!("第{}行", self.heading_line),
        }
    }
}

pub(super) fn bad(message: String) -> AppError {
    AppError::Validation(vec![FieldError::new("file", "bad_row", message)])
}

/// Excel's column letters for a 0-based column (0 → A, 26 → AA).
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
