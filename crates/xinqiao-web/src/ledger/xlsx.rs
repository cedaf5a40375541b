//! An uploaded XLSX workbook read into the import's table: its first worksheet, cell by cell
//! (never as one dense grid, so a stray cell far out cannot make the reader allocate millions of
//! cells), every value as the text a person sees — whole numbers without “.0”, Excel dates as
//! YYYY-MM-DD — with its row number and column letter. The zip parts are measured before calamine
//! opens them: a file that unpacks beyond the limit or at a suspicious ratio is refused.

use super::table::{MAX_ROWS, Table, TableRow, bad, column_letters};
use crate::error::AppError;
use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// At most this many bytes once unpacked (all parts together).
const MAX_UNPACKED: u64 = 64 << 20;
/// A part over 1 MiB compressed more than this many times over is refused.
const MAX_RATIO: u64 = 200;
/// Columns beyond this one (1-based) are refused: no ledger needs more.
pub const MAX_COLUMNS: u32 = 64;

/// The file starts as a zip archive does (an XLSX, or some other zip).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The file is an old binary Excel workbook (.xls, OLE compound file).
pub fn looks_like_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Refuses a zip whose parts unpack beyond the limit, checking what the parts declare and then
/// what they really hold.
fn check_parts(bytes: &[u8]) -> Result<(), AppError> {
    let broken = || bad("文件不是有效的 .xlsx 工作簿（压缩包已损坏）：请在 Excel 或 WPS 中重新保存后再导入".into());
    let too_big = || {
        bad(format!(
            "工作簿解压后超过 {} MB（或压缩比异常），已拒绝：请拆分成几个文件，或另存为 CSV",
            MAX_UNPACKED >> 20
        ))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| broken())?;
        declared = declared.saturating_add(part.size());
        let suspicious = part.size() > (1 << 20) && part.size() / part.compressed_size().max(1) > MAX_RATIO;
        if declared > MAX_UNPACKED || suspicious {
            return Err(too_big());
        }
    }
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| broken())?;
        let budget = MAX_UNPACKED - unpacked;
        let n = std::io::copy(&mut part.take(budget + 1), &mut std::io::sink()).map_err(|_| broken())?;
        unpacked += n;
        if n > budget {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A whole number as digits, any other number as its shortest decimal form.
fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

/// A cell as text, or why it cannot be read.
fn text(cell: &DataRef<'_>) -> Result<String, String> {
    Ok(match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        DataRef::DateTime(d) => number(d.as_f64()),
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => return Err(format!("单元格是公式错误（{e}），请改为数值或文字")),
    })
}

/// Reads the first worksheet: the first non-empty row is the heading, the rest are data rows.
pub fn read(bytes: &[u8]) -> Result<Table, AppError> {
    check_parts(bytes)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| {
        bad("文件不是有效的 .xlsx 工作簿：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV UTF-8 后再导入".into())
    })?;
    let sheet = book.sheet_names().into_iter().next().ok_or_else(|| bad("工作簿中没有工作表".into()))?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(|_| bad("无法读取工作簿的第一个工作表".into()))?;
    // Row → column → text (or why the cell cannot be read); empty cells are not kept.
    let mut rows: BTreeMap<u32, BTreeMap<u32, Result<String, String>>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|_| bad("无法读取工作簿的第一个工作表（内容已损坏）".into()))?
    {
        let (row, col) = cell.get_position();
        let value = text(cell.get_value());
        if matches!(&value, Ok(t) if t.trim().is_empty()) {
            continue;
        }
        if col >= MAX_COLUMNS {
            return Err(bad(format!(
                "第{}行 {}列：表格最多 {MAX_COLUMNS} 列，请删去多余的列后再导入",
                row + 1,
                column_letters(col as usize)
            )));
        }
        // The heading and at most `MAX_ROWS` data rows.
        if !rows.contains_key(&row) && rows.len() > MAX_ROWS {
            return Err(bad(format!("一次最多导入 {MAX_ROWS} 行")));
        }
        rows.entry(row).or_default().insert(col, value);
    }
    let Some((&heading_row, _)) = rows.iter().next() else {
        return Err(bad("第一个工作表是空的".into()));
    };
    let first_col = rows.values().flat_map(|r| r.keys()).copied().min().unwrap_or(0);
    let last_col = rows.values().flat_map(|r| r.keys()).copied().max().unwrap_or(0);
    let width = (last_col - first_col + 1) as usize;
    let spread = |r: &BTreeMap<u32, Result<String, String>>| {
        let mut values = vec![String::new(); width];
        let mut broken = Vec::new();
        for (&c, v) in r {
            let i = (c - first_col) as usize;
            match v {
                Ok(t) => values[i] = t.clone(),
                Err(why) => broken.push((i, why.clone())),
            }
        }
        (values, broken)
    };
    let mut iter = rows.iter();
    let heading = iter.next().map(|(_, r)| spread(r).0).unwrap_or_default();
    let data = iter
        .map(|(&n, r)| {
            let (cells, broken) = spread(r);
            TableRow { line: n as usize + 1, cells, broken, unreadable: None }
        })
        .collect();
    Ok(Table { heading_line: heading_row as usize + 1, heading, first_column: Some(first_col as usize), rows: data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(63), "BL");
    }

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(number(6_901_234_567_892.0), "6901234567892");
        assert_eq!(number(10.0), "10");
        assert_eq!(number(2.5), "2.5");
    }

    #[test]
    fn a_text_file_or_a_broken_zip_is_not_read_as_a_workbook() {
        assert!(read(b"PK\x03\x04 not really a zip").is_err());
        assert!(looks_like_xls(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]));
        assert!(!looks_like_zip(b"\xEF\xBB\xBF\xE7\xB1\xBB\xE5\x9E\x8B"));
    }
}
