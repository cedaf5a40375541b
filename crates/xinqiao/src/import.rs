//! `xinqiao import targets|inspectors FILE`: loads a directory of 双随机 from CSV (UTF-8 with or
//! without BOM, or GBK) or XLSX (the first sheet, checked before it is unpacked). Every row is
//! checked first and every bad one reported with its line number; only a clean file is stored,
//! in one transaction, and a file without data rows stores nothing.

use crate::import_file::{Encoding, bounded_cells, check_xlsx, read_csv, refuse_duplicate_columns};
use crate::progress::bar;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::ExitCode;
use xinqiao_domain::directory::{RowError, parse_inspectors, parse_targets};
use xinqiao_web::store::Store;
use xinqiao_web::store::audit::Actor;
use xinqiao_web::store::inspections::{InspectorRow, TargetRow};

/// Which directory a file fills.
#[derive(Debug, Clone, Copy)]
pub enum Directory {
    Targets,
    Inspectors,
}

/// A table's heading and its rows, each with its line number (the heading is line 1).
type Table = (Vec<String>, Vec<(usize, Vec<String>)>);

fn read_table(path: &Path, encoding: Encoding) -> Result<Table> {
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

fn report(errors: &[RowError]) -> ExitCode {
    for e in errors.iter().take(200) {
        eprintln!("{e}");
    }
    if errors.len() > 200 {
        eprintln!("……另有{}行有误", errors.len() - 200);
    }
    eprintln!("导入失败：{}行有误，没有写入任何数据。", errors.len());
    ExitCode::FAILURE
}

/// Checks `file` completely, then (only if every row is good) opens the database with `open`
/// and stores it: a bad file leaves the database untouched.
pub async fn command<F, Fut>(open: F, which: Directory, file: &Path, encoding: Encoding) -> Result<ExitCode>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Store>>,
{
    let (header, rows) = read_table(file, encoding)?;
    let total = rows.len() as u64;
    bar("检查", 0, total);
    let console = Actor::console();
    match which {
        Directory::Targets => {
            let records = match parse_targets(&header, rows) {
                Ok(r) => r,
                Err(errors) => return Ok(report(&errors)),
            };
            bar("检查", total, total);
            let store = open().await?;
            let rows: Vec<TargetRow> = records
                .into_iter()
                .map(|r| TargetRow {
                    uscc: r.uscc,
                    name: r.name,
                    industry: r.industry.to_string(),
                    region_code: r.region_code,
                    risk_class: r.risk.code().to_owned(),
                    status: if r.active { "active" } else { "inactive" }.to_owned(),
                })
                .collect();
            let n = store.import_targets(&console, &rows).await?;
            println!("已导入检查对象 {n} 户。");
        }
        Directory::Inspectors => {
            let records = match parse_inspectors(&header, rows) {
                Ok(r) => r,
                Err(errors) => return Ok(report(&errors)),
            };
            // Accounts named in the file must exist: checked before anything is written.
            let store = open().await?;
            let mut rows = Vec::new();
            let mut errors = Vec::new();
            for (i, r) in records.into_iter().enumerate() {
                let user_id = match &r.username {
                    Some(name) => match store.user_by_name(name).await {
                        Ok(u) => Some(u.id),
                        Err(_) => {
                            errors.push(RowError { line: r.line, message: format!("账户“{name}”不存在") });
                            None
                        }
                    },
                    None => None,
                };
                bar("检查", i as u64 + 1, total);
                rows.push(InspectorRow {
                    cert_no: r.cert_no,
                    name: r.name,
                    unit: r.unit,
                    fields: r.fields,
                    status: if r.active { "active" } else { "inactive" }.to_owned(),
                    user_id,
                });
            }
            if !errors.is_empty() {
                return Ok(report(&errors));
            }
            let n = store.import_inspectors(&console, &rows).await?;
            println!("已导入执法检查人员 {n} 人。");
        }
    }
    Ok(ExitCode::SUCCESS)
}
