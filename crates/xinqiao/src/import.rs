//! `xinqiao import targets|inspectors FILE`: loads a directory of 双随机 from CSV (UTF-8, with
//! or without BOM) or XLSX (the first sheet). Every row is checked first and every bad one
//! reported with its line number; only a clean file is stored, in one transaction.

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
pub type Table = (Vec<String>, Vec<(usize, Vec<String>)>);

pub fn read_table(path: &Path) -> Result<Table> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let mut lines: Vec<Vec<String>> = match ext.as_str() {
        "csv" | "txt" => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(path)
                .with_context(|| format!("无法打开 {}", path.display()))?;
            let mut out = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.with_context(|| format!("第{}行不是有效的 CSV（须为 UTF-8 编码）", i + 1))?;
                out.push(record.iter().map(str::to_owned).collect());
            }
            out
        }
        "xlsx" | "xlsm" => {
            use calamine::{Reader, Xlsx, open_workbook};
            let mut book: Xlsx<_> = open_workbook(path).with_context(|| format!("无法打开 {}", path.display()))?;
            let range = book
                .worksheet_range_at(0)
                .context("工作簿中没有工作表")?
                .with_context(|| format!("无法读取 {} 的第一个工作表", path.display()))?;
            range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        }
        _ => bail!("只支持 .csv 和 .xlsx 文件：{}", path.display()),
    };
    if lines.is_empty() {
        bail!("文件是空的：{}", path.display());
    }
    let header = lines.remove(0);
    Ok((header, lines.into_iter().enumerate().map(|(i, r)| (i + 2, r)).collect()))
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

pub async fn command(store: &Store, which: Directory, file: &Path) -> Result<ExitCode> {
    let (header, rows) = read_table(file)?;
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
