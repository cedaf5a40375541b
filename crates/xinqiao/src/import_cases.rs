//! `xinqiao import cases FILE.csv`: loads cases (a bureau's export, or `xinqiao gen` output)
//! through the full intake pipeline — validated, masked, sealed, audited, indexed and counted in
//! the roll-ups. The whole file is checked first (every bad row reported with its line number,
//! nothing written, the database not even opened); then it is stored in batches, each with its
//! outcomes and the record of its lines in one transaction, and the followers are brought up to
//! date. A rerun of the same file (by SHA-256) resumes: lines already stored are skipped and
//! counted. A busy database (the running service writing) is waited for; a full disk stops the
//! import with what was stored kept. The file is never held in memory: both passes stream it a
//! block at a time (the check keeps only the count, the problems and the SHA-256; the import holds
//! the batch being read, the one being prepared, a few prepared ones and the one being written),
//! so a file of a million rows takes the memory of a few batches.
//!
//! Columns (by name, any order, each once; UTF-8 with or without BOM, or GBK): `kind`,
//! `received_on` (YYYY-MM-DD), `region_code`, `enterprise_name`, `narrative` required;
//! `enterprise_uscc`, `industry`, `category`, `subject`, `demand`, `amount_cents`,
//! `complainant_name`, `complainant_mobile`, `complainant_id_number`, `complainant_address`,
//! `consent`, `closed`, `closed_on`, `closed_on_time`, `mediation_result` (`settled` | `failed` |
//! `terminated`), `rating`, `recovered_cents` optional.

use crate::import_file::{
    Encoding, NotEncoded, check_csv_path, encodings_to_try, is_not_encoded, not_encoded_message, open_decoded,
};
use crate::progress::bar;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::ExitCode;
use xinqiao::case_rows::{reader, row};
use xinqiao_web::cases::bulk::{BulkRow, Masking, PreparedBatch, SourceFile, Written, check, follow, write_stored};
use xinqiao_web::error::AppError;
use xinqiao_web::store::Outage;
use xinqiao_web::store::audit::Actor;
use xinqiao_web::{AppState, Config};

/// How long a batch waits, in all, for a busy database before the import stops.
const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// What one streaming pass over the file found: the problems of its rows and the SHA-256 of
/// its bytes.
struct Pass {
    problems: Vec<String>,
    sha256: String,
}

/// Streams the file once in `encoding`, a block at a time, calling `each` with every batch of
/// rows; only the current batch is held, never the whole file. Bytes that are not in the encoding
/// end the pass with [`NotEncoded`].
async fn batches<F, Fut>(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    size: usize,
    mut each: F,
) -> Result<Pass>
where
    F: FnMut(Vec<BulkRow>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>>>,
{
    let (mut reader, cols) = reader(open_decoded(path, encoding)?)?;
    let mut problems = Vec::new();
    let mut batch = Vec::with_capacity(size);
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        line += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if is_not_encoded(&e) => return Err(NotEncoded.into()),
            Err(_) => bail!("第{line}行不是有效的 CSV（引号不成对或格式有误）"),
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match row(&cols, line, &record) {
            Ok(r) => batch.push(r),
            Err(message) => problems.push(format!("第{line}行：{message}")),
        }
        if batch.len() == size {
            // The next batch gets its full capacity at once: grown from empty, each batch's
            // vector would pass through every size on the way (about 4 MB at the default
            // 8,000 rows), memory the allocator hands back and the kernel zeroes again.
            problems.extend(each(std::mem::replace(&mut batch, Vec::with_capacity(size))).await?);
        }
    }
    if !batch.is_empty() {
        problems.extend(each(batch).await?);
    }
    Ok(Pass { problems, sha256: reader.into_inner().sha256() })
}

/// The first pass: streams the file in each encoding to try until one reads it all, checking
/// every row and keeping only the problems and the count. Returns the encoding that read it, its
/// note, the row count, the problems and the file's SHA-256.
async fn check_file(
    file: &Path,
    encoding: Encoding,
    batch: usize,
) -> Result<(&'static encoding_rs::Encoding, Option<&'static str>, u64, Pass)> {
    check_csv_path(file)?;
    for (candidate, note) in encodings_to_try(encoding) {
        let mut total = 0u64;
        let pass = batches(file, candidate, batch, |rows| {
            total += rows.len() as u64;
            let found: Vec<String> =
                check(&rows).into_iter().map(|p| format!("第{}行：{}", p.line, p.message)).collect();
            async move { Ok(found) }
        })
        .await;
        match pass {
            Ok(pass) => return Ok((candidate, note, total, pass)),
            Err(e) if e.is::<NotEncoded>() => continue,
            Err(e) => return Err(e),
        }
    }
    bail!("{}", not_encoded_message(file, encoding))
}

/// A file's size and modification time: the second pass refuses a file changed since the first.
fn file_stamp(file: &Path) -> Result<(u64, Option<std::time::SystemTime>)> {
    let meta = std::fs::metadata(file).with_context(|| format!("无法打开 {}", file.display()))?;
    Ok((meta.len(), meta.modified().ok()))
}

/// Writes one prepared batch, waiting its turn while the database is busy (the running service
/// writing); any other outage stops the import, keeping what was stored.
async fn store_batch(state: &AppState, source: &SourceFile, batch: &PreparedBatch) -> Result<Written> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(250);
    let mut told = false;
    loop {
        match write_stored(state, source, batch).await {
            Ok(n) => return Ok(n),
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

/// How many prepared batches may wait for the writer (each a few MiB).
const PREPARED_AHEAD: usize = 3;

pub async fn command(config: Config, file: &Path, encoding: Encoding, batch: usize) -> Result<ExitCode> {
    // 1. Check everything; write nothing (and open nothing) if any row is bad.
    //    The file is streamed (it may be larger than memory allows twice over) and nothing of it
    //    is kept but the count, the problems and its SHA-256.
    let check_started = std::time::Instant::now();
    let stamp = file_stamp(file)?;
    // jieba's dictionary (the masking's and the search index's) loads on another core while the
    // file is checked, instead of in the first batch's preparation with the other core idle.
    let warming = tokio::task::spawn_blocking(|| {
        xinqiao_domain::privacy::shared_jieba();
    });
    let (encoding, note, total, Pass { problems, sha256 }) = check_file(file, encoding, batch).await?;
    if let Some(note) = note {
        eprintln!("提示：{note}。");
    }
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
    let (stored_before, finished) = store.imported_lines(&sha256).await?;
    if finished {
        println!("该文件此前已全部导入（{total} 行，按 SHA-256 识别），本次没有写入任何数据。");
        return Ok(ExitCode::SUCCESS);
    }
    let state = crate::keys::state_for_reading(store, config).await?;
    let source = SourceFile { sha256: sha256.clone(), rows: total as i64 };
    let started = std::time::Instant::now();
    let console = Actor::console();
    let (mut done, mut stored, mut skipped) = (0u64, 0u64, Vec::<usize>::new());
    // The search index and the roll-ups follow each stored batch in their own tasks.
    let following = follow(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // Three stages, each on its own: the reader parses the next batch while the masking workers
    // prepare one and the writer stores the one before, in file order; up to PREPARED_AHEAD
    // prepared batches wait for the writer, so a slow write does not stop the masking.
    let masking = Masking::new().map_err(|e| anyhow::anyhow!("{e}"))?;
    let (to_masking, mut for_masking) = tokio::sync::mpsc::channel::<(Vec<BulkRow>, u64)>(1);
    let (to_writer, mut for_writer) = tokio::sync::mpsc::channel::<(PreparedBatch, u64)>(PREPARED_AHEAD);
    let writer = {
        let (state, source, signal) = (state.clone(), source.clone(), following.signal_written());
        tokio::spawn(async move {
            while let Some((batch, at)) = for_writer.recv().await {
                signal(store_batch(&state, &source, &batch).await?);
                bar("导入", at, total);
            }
            anyhow::Ok(())
        })
    };
    let preparing = {
        let (state, console) = (state.clone(), console.clone());
        tokio::spawn(async move {
            while let Some((rows, at)) = for_masking.recv().await {
                let prepared =
                    masking.prepare_batch(&state, &console, rows).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                // A closed channel means the writer stopped; its error is the one reported.
                if to_writer.send((prepared, at)).await.is_err() {
                    bail!("写入已中止");
                }
            }
            anyhow::Ok(())
        })
    };
    let _ = warming.await;
    // The second pass streams the file again; a file changed since the check is refused.
    if file_stamp(file)? != stamp {
        bail!("{} 在检查后被修改，没有写入任何数据：请在文件不再变动时重新运行", file.display());
    }
    let read = batches(file, encoding, batch, |rows| {
        let to_masking = to_masking.clone();
        done += rows.len() as u64;
        let at = done;
        // The lines a killed run stored are dropped in place (no second vector per batch).
        let mut fresh = rows;
        if !stored_before.is_empty() {
            fresh.retain(|r| {
                let already = stored_before.iter().any(|(a, b)| *a <= r.line as i64 && r.line as i64 <= *b);
                if already {
                    skipped.push(r.line);
                }
                !already
            });
        }
        stored += fresh.len() as u64;
        async move {
            // A closed channel means the masking or the writer stopped: reading stops too, and
            // their error is the one reported.
            if !fresh.is_empty() && to_masking.send((fresh, at)).await.is_err() {
                bail!("写入已中止");
            }
            Ok(Vec::new())
        }
    })
    .await;
    drop(to_masking);
    writer.await??;
    preparing.await??;
    let read = read?;
    if read.sha256 != sha256 || !read.problems.is_empty() {
        bail!(
            "{} 在导入过程中被修改：已导入的批次均已保存，请恢复原文件后重新运行同一命令，或核对后导入新文件",
            file.display()
        );
    }
    state.store.finish_import(&sha256).await?;
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
