//! `xinqiao import targets|inspectors FILE`: loads a directory of 双随机 from CSV (UTF-8 with or
//! without BOM, or GBK) or XLSX (the first sheet, checked before it is unpacked). Every row is
//! checked first and every bad one reported with its line number; only a clean file is stored,
//! in one transaction, and a file without data rows stores nothing.

use crate::import_file::Encoding;
use crate::progress::bar;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use xinqiao::tables::read_table;
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
