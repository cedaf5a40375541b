//! `xinqiao import cases FILE.csv`: loads cases (a bureau's export, or `xinqiao gen` output)
//! through the full intake pipeline — validated, masked, sealed, audited, indexed and counted in
//! the roll-ups. The whole file is checked first (every bad row reported with its line number,
//! nothing written, the database not even opened); then it is stored in batches, each with its
//! outcomes and the record of its lines in one transaction, and the followers are brought up to
//! date. A rerun of the same file (by SHA-256) resumes: lines already stored are skipped and
//! counted. A busy database (the running service writing) is waited for; a full disk stops the
//! import with what was stored kept.
//!
//! Columns (by name, any order, each once; UTF-8 with or without BOM, or GBK): `kind`,
//! `received_on` (YYYY-MM-DD), `region_code`, `enterprise_name`, `narrative` required;
//! `enterprise_uscc`, `industry`, `category`, `subject`, `demand`, `amount_cents`,
//! `complainant_name`, `complainant_mobile`, `complainant_id_number`, `complainant_address`,
//! `consent`, `closed`, `closed_on`, `closed_on_time`, `mediation_result` (`settled` | `failed` |
//! `terminated`), `rating`, `recovered_cents` optional.

use crate::import_file::{Encoding, read_csv_file};
use crate::progress::bar;
use anyhow::{Result, bail};
use std::path::Path;
use std::process::ExitCode;
use xinqiao::case_rows::{reader, row};
use xinqiao_web::cases::bulk::{BulkRow, PreparedBatch, SourceFile, check, follow, prepare_batch, write_batch};
use xinqiao_web::error::AppError;
use xinqiao_web::store::Outage;
use xinqiao_web::store::audit::Actor;
use xinqiao_web::{AppState, Config};

/// The longest category or subject code accepted.
/// How long a batch waits, in all, for a busy database before the import stops.
const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// Reads the text in batches of rows, calling `each` with every batch.
async fn batches<F, Fut>(text: &str, size: usize, mut each: F) -> Result<Vec<String>>
where
    F: FnMut(Vec<BulkRow>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>>>,
{
    let (mut reader, cols) = reader(text)?;
    let mut problems = Vec::new();
    let mut batch = Vec::with_capacity(size);
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|_| anyhow::anyhow!("第{line}行不是有效的 CSV（引号不成对或格式有误）"))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match row(&cols, line, &record) {
            Ok(r) => batch.push(r),
            Err(message) => problems.push(format!("第{line}行：{message}")),
        }
        if batch.len() == size {
            problems.extend(each(std::mem::take(&mut batch)).await?);
        }
    }
    if !batch.is_empty() {
        problems.extend(each(batch).await?);
    }
    Ok(problems)
}

/// Writes one prepared batch, waiting its turn while the database is busy (the running service
/// writing); any other outage stops the import, keeping what was stored.
async fn store_batch(state: &AppState, actor: &Actor, source: &SourceFile, batch: PreparedBatch) -> Result<()> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(250);
    let mut told = false;
    loop {
        match write_batch(state, actor, source, batch.clone()).await {
            Ok(_) => return Ok(()),
            Err(AppError::Unavailable(Outage::Busy)) if started.elapsed() < BUSY_PATIENCE => {
                if !told {
                    eprintln!("数据库正忙（可能是运行中的服务正在写入），等待后继续……");
                    told = true;
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_secs(5));
            }
            Err(AppError::Unavailable(o)) => {
                bail!("导入中止：{}。已导入的批次均已保存；处理后重新运行同一命令，将从中断处继续。", o.condition())
            }
            Err(e) => bail!("{e}"),
        }
    }
}

pub async fn command(config: Config, file: &Path, encoding: Encoding, batch: usize) -> Result<ExitCode> {
    // 1. Check everything; write nothing (and open nothing) if any row is bad.
    let check_started = std::time::Instant::now();
    let csv = read_csv_file(file, encoding)?;
    if let Some(note) = csv.note {
        eprintln!("提示：{note}。");
    }
    let mut total = 0u64;
    let problems = batches(&csv.text, batch, |rows| {
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
    if total == 0 {
        eprintln!("导入失败：没有数据行（文件中只有表头），没有写入任何数据。");
        return Ok(ExitCode::FAILURE);
    }
    // 2. Store in batches through the pipeline, skipping the lines a killed run already stored.
    let store = crate::commands::open(&config).await?;
    let (stored_before, finished) = store.imported_lines(&csv.sha256).await?;
    if finished {
        println!("该文件此前已全部导入（{total} 行，按 SHA-256 识别），本次没有写入任何数据。");
        return Ok(ExitCode::SUCCESS);
    }
    let state = crate::keys::state_for_reading(store, config).await?;
    let source = SourceFile { sha256: csv.sha256.clone(), rows: total as i64 };
    let started = std::time::Instant::now();
    let console = Actor::console();
    let (mut done, mut stored, mut skipped) = (0u64, 0u64, Vec::<usize>::new());
    // A pipeline: while one batch is written (one writer, in file order), the next is masked and
    // sealed on every core.
    // The search index and the roll-ups follow each stored batch in their own tasks.
    let following = follow(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (to_writer, mut for_writer) = tokio::sync::mpsc::channel::<(PreparedBatch, u64)>(1);
    let writer = {
        let (state, console, source, signal) = (state.clone(), console.clone(), source.clone(), following.signal());
        tokio::spawn(async move {
            while let Some((batch, at)) = for_writer.recv().await {
                store_batch(&state, &console, &source, batch).await?;
                signal();
                bar("导入", at, total);
            }
            anyhow::Ok(())
        })
    };
    let read = batches(&csv.text, batch, |rows| {
        let (state, to_writer) = (state.clone(), to_writer.clone());
        done += rows.len() as u64;
        let at = done;
        let (fresh, already): (Vec<BulkRow>, Vec<BulkRow>) = rows
            .into_iter()
            .partition(|r| !stored_before.iter().any(|(a, b)| *a <= r.line as i64 && r.line as i64 <= *b));
        skipped.extend(already.iter().map(|r| r.line));
        stored += fresh.len() as u64;
        async move {
            if !fresh.is_empty() {
                let prepared = prepare_batch(&state, fresh).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                // A closed channel means the writer stopped: reading stops too, and the writer's
                // error is the one reported.
                if to_writer.send((prepared, at)).await.is_err() {
                    bail!("写入已中止");
                }
            }
            Ok(Vec::new())
        }
    })
    .await;
    drop(to_writer);
    writer.await??;
    read?;
    state.store.finish_import(&csv.sha256).await?;
    let stored_in = started.elapsed();
    if let (Some(first), Some(last)) = (skipped.first(), skipped.last()) {
        println!("跳过此前已导入的 {} 行（第{first}–{last}行，同一文件按 SHA-256 识别）。", skipped.len());
    }
    // 3. The followers apply what the last batches stored (the index may be held by the running
    //    service, which then indexes the cases itself).
    let followed = following.finish().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let all = started.elapsed();
    let rate = |d: std::time::Duration| stored as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "已导入 {stored} 件诉求：入库 {:.1} 秒（{:.0} 件/秒），含索引与汇总共 {:.1} 秒（{:.0} 件/秒）。",
        stored_in.as_secs_f64(),
        rate(stored_in),
        all.as_secs_f64(),
        rate(all)
    );
    let index = match &followed.index {
        Ok(d) => format!("{:.1} 秒", d.as_secs_f64()),
        Err(e) => {
            eprintln!("已入库；检索索引未在此完成（{e}），将由运行中的服务在后台完成。");
            "未完成".to_owned()
        }
    };
    println!(
        "其中：检查 {:.1} 秒，入库 {:.1} 秒；检索索引与统计汇总随入库同时进行，分别于开始后 {index}、{:.1} 秒完成。",
        checked.as_secs_f64(),
        stored_in.as_secs_f64(),
        followed.rollups.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
