//! `xinqiao import cases FILE.csv`: loads cases (a bureau's export, or `xinqiao gen` output)
//! through the full intake pipeline — validated, masked, sealed, audited, indexed and counted in
//! the roll-ups. The whole file is checked first (every bad row reported with its line number,
//! nothing written); then it is stored in batches, and the followers are brought up to date.
//!
//! Columns (by name, any order; UTF-8 with or without BOM): `kind`, `received_on`
//! (YYYY-MM-DD), `region_code`, `enterprise_name`, `narrative` required; `enterprise_uscc`,
//! `industry`, `category`, `subject`, `demand`, `amount_cents`, `complainant_name`,
//! `complainant_mobile`, `complainant_id_number`, `complainant_address`, `consent`, `closed`,
//! `closed_on`, `closed_on_time`, `mediation_result` (`settled` | `failed` | `terminated`),
//! `rating`, `recovered_cents` optional.

use crate::progress::bar;
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_web::AppState;
use xinqiao_web::cases::bulk::{BulkOutcome, BulkRow, check, load};
use xinqiao_web::store::audit::Actor;

/// Rows stored per transaction.
const BATCH: usize = 2_000;

pub struct Columns(HashMap<String, usize>);

impl Columns {
    fn get<'a>(&self, record: &'a csv::StringRecord, name: &str) -> &'a str {
        self.0.get(name).and_then(|&i| record.get(i)).unwrap_or("").trim()
    }
}

fn flag(text: &str) -> bool {
    matches!(text, "1" | "true" | "是" | "yes")
}

pub fn row(cols: &Columns, line: usize, r: &csv::StringRecord) -> Result<BulkRow, String> {
    let received = Date::parse(cols.get(r, "received_on")).ok_or("received_on 应为 YYYY-MM-DD 格式的日期")?;
    let amount = match cols.get(r, "amount_cents") {
        "" => String::new(),
        c => {
            let cents: i64 = c.parse().map_err(|_| "amount_cents 应为整数（分）")?;
            format!("{}.{:02}", cents / 100, cents % 100)
        }
    };
    let form = IntakeForm {
        kind: cols.get(r, "kind").into(),
        enterprise_name: cols.get(r, "enterprise_name").into(),
        uscc: cols.get(r, "enterprise_uscc").into(),
        industry: cols.get(r, "industry").into(),
        region_code: cols.get(r, "region_code").into(),
        narrative: cols.get(r, "narrative").into(),
        amount,
        demand: cols.get(r, "demand").into(),
        event_date: String::new(),
        name: cols.get(r, "complainant_name").into(),
        mobile: cols.get(r, "complainant_mobile").into(),
        id_number: cols.get(r, "complainant_id_number").into(),
        address: cols.get(r, "complainant_address").into(),
        consent_publish: flag(cols.get(r, "consent")),
        also_report: false,
    };
    let outcome = if flag(cols.get(r, "closed")) {
        let closed_on = Date::parse(cols.get(r, "closed_on")).ok_or("已办结的诉求须有 closed_on 日期")?;
        let number = |name: &str| -> Result<Option<i64>, String> {
            match cols.get(r, name) {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| format!("{name} 应为整数")),
            }
        };
        Some(BulkOutcome {
            closed_on,
            on_time: flag(cols.get(r, "closed_on_time")),
            mediation: match cols.get(r, "mediation_result") {
                "" => None,
                "settled" => Some(true),
                "failed" | "terminated" => Some(false),
                other => return Err(format!("mediation_result 不认识“{other}”")),
            },
            rating: number("rating")?.map(|v| u8::try_from(v).map_err(|_| "rating 应为1至5")).transpose()?,
            recovered_cents: number("recovered_cents")?,
        })
    } else {
        None
    };
    let some = |name: &str| Some(cols.get(r, name).to_owned()).filter(|s| !s.is_empty());
    Ok(BulkRow { line, form, received, category: some("category"), subject: some("subject"), outcome })
}

pub fn reader(path: &Path) -> Result<(csv::Reader<std::fs::File>, Columns)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("无法打开 {}", path.display()))?;
    let header = reader.headers().context("无法读取表头（须为 UTF-8 编码的 CSV）")?.clone();
    let cols =
        Columns(header.iter().enumerate().map(|(i, h)| (h.trim_start_matches('\u{feff}').to_owned(), i)).collect());
    for required in ["kind", "received_on", "region_code", "enterprise_name", "narrative"] {
        if !cols.0.contains_key(required) {
            bail!("缺少必需的列：{required}");
        }
    }
    Ok((reader, cols))
}

/// Reads the file in batches of rows, calling `each` with every batch.
async fn batches<F, Fut>(path: &Path, mut each: F) -> Result<Vec<String>>
where
    F: FnMut(Vec<BulkRow>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>>>,
{
    let (mut reader, cols) = reader(path)?;
    let mut problems = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("第{line}行不是有效的 CSV（须为 UTF-8 编码）"))?;
        match row(&cols, line, &record) {
            Ok(r) => batch.push(r),
            Err(message) => problems.push(format!("第{line}行：{message}")),
        }
        if batch.len() == BATCH {
            problems.extend(each(std::mem::take(&mut batch)).await?);
        }
    }
    if !batch.is_empty() {
        problems.extend(each(batch).await?);
    }
    Ok(problems)
}

pub async fn command(state: &AppState, file: &Path) -> Result<ExitCode> {
    // 1. Check everything; write nothing if any row is bad.
    let check_started = std::time::Instant::now();
    let mut total = 0u64;
    let problems = batches(file, |rows| {
        total += rows.len() as u64;
        let found: Vec<String> = check(&rows).into_iter().map(|p| format!("第{}行：{}", p.line, p.message)).collect();
        async move { Ok(found) }
    })
    .await?;
    bar("检查", total, total);
    let checked = check_started.elapsed();
    if !problems.is_empty() {
        for p in problems.iter().take(200) {
            eprintln!("{p}");
        }
        if problems.len() > 200 {
            eprintln!("……另有{}行有误", problems.len() - 200);
        }
        eprintln!("导入失败：{}行有误，没有写入任何数据。", problems.len());
        return Ok(ExitCode::FAILURE);
    }
    // 2. Store in batches, through the pipeline.
    let started = std::time::Instant::now();
    let console = Actor::console();
    let mut done = 0u64;
    batches(file, |rows| {
        let (state, console) = (state.clone(), console.clone());
        let n = rows.len() as u64;
        done += n;
        let at = done;
        async move {
            load(&state, &console, rows).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            bar("导入", at, total);
            Ok(Vec::new())
        }
    })
    .await?;
    let stored = started.elapsed();
    // 3. The search index and the roll-ups follow (here, or by the running service when it
    //    holds the index).
    let index = match xinqiao_web::cases::bulk::catch_up(state, |d, t| bar("索引与汇总", d, t)).await {
        Ok(index) => Some(index),
        Err(e) => {
            eprintln!("已入库；索引与汇总未在此完成（{e}），将由运行中的服务在后台完成。");
            None
        }
    };
    let all = started.elapsed();
    let rate = |d: std::time::Duration| total as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "已导入 {total} 件诉求：入库 {:.1} 秒（{:.0} 件/秒），含索引与汇总共 {:.1} 秒（{:.0} 件/秒）。",
        stored.as_secs_f64(),
        rate(stored),
        all.as_secs_f64(),
        rate(all)
    );
    if let Some(index) = index {
        println!(
            "其中：检查 {:.1} 秒，入库 {:.1} 秒，检索索引 {:.1} 秒，统计汇总 {:.1} 秒。",
            checked.as_secs_f64(),
            stored.as_secs_f64(),
            index.as_secs_f64(),
            (all - stored - index).as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
