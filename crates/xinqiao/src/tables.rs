//! Reading a directory import (CSV or XLSX) into its heading and rows, with every check that
//! comes before a row is parsed: file type, encoding, size and zip-bomb limits, duplicated
//! columns, cell lengths, a file with no data rows. Nothing here writes anything.

use crate::import_file::{Encoding, bounded_cells, check_xlsx, read_csv, refuse_duplicate_columns};
use anyhow::{Context, Result, bail};
use std::path::Path;
use xinqiao_domain::directory::RowError;

/// A table's heading and its rows, each with its line number (the heading is line 1).
pub type Table = (Vec<String>, Vec<(usize, Vec<String>)>);

pub fn read_table(path: &Path, encoding: Encoding) -> Result<Table> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let mut lines: Vec<Vec<String>> = match ext.as_str() {
        "csv" | "txt" => {
            let (text, note) = read_csv(path, encoding)?;
            if let Some(note) = note {
                eprintln!("提示：{note}。");
            }
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
            let mut out = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record =
                    record.map_err(|_| anyhow::anyhow!("第{}行不是有效的 CSV（引号不成对或格式有误）", i + 1))?;
                out.push(record.iter().map(str::to_owned).collect());
            }
            out
        }
        "xlsx" | "xlsm" => {
            use calamine::{Reader, Xlsx, open_workbook};
            check_xlsx(path)?;
            let mut book: Xlsx<_> = open_workbook(path)
                .map_err(|_| anyhow::anyhow!("无法打开 {}：不是有效的 .xlsx 文件", path.display()))?;
            let range = book
                .worksheet_range_at(0)
                .context("工作簿中没有工作表")?
                .map_err(|_| anyhow::anyhow!("无法读取 {} 的第一个工作表", path.display()))?;
            range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        }
        "xls" => bail!("不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）：{}", path.display()),
        _ => bail!("只支持 .csv 和 .xlsx 文件：{}", path.display()),
    };
    if lines.is_empty() {
        bail!("文件是空的：{}", path.display());
    }
    let header = lines.remove(0);
    refuse_duplicate_columns(&header)?;
    if lines.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        bail!("导入失败：没有数据行（文件中只有表头），没有写入任何数据。");
    }
    let mut rows = Vec::with_capacity(lines.len());
    let mut errors = Vec::new();
    for (i, r) in lines.into_iter().enumerate() {
        if let Err(message) = bounded_cells(&header, r.iter().map(String::as_str)) {
            errors.push(RowError { line: i + 2, message });
        }
        rows.push((i + 2, r));
    }
    if !errors.is_empty() {
        for e in errors.iter().take(20) {
            eprintln!("{e}");
        }
        bail!("导入失败：{}行有过长的内容，没有写入任何数据。", errors.len());
    }
    Ok((header, rows))
}
